"""The worker's jobs: one record each, with its task name, queue and delivery policy.

The bot sends tasks by name and never imports the worker, so the jobs live here, as plain
data. Celery's routes, the task decorators, beat's schedule and every sender read these
records; nothing else spells a task name or picks its queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

QUEUE_FETCH = "fetch"
QUEUE_ANALYSE = "analyse"
QUEUE_SCHEDULE = "schedule"
QUEUES = (QUEUE_FETCH, QUEUE_ANALYSE, QUEUE_SCHEDULE)


@dataclass(frozen=True)
class Delivery:
    """How the broker delivers a job's messages.

    The defaults hold for every job: a message is acknowledged only after its task ran, so a
    worker killed mid-task hands it to another (safe because every stage write is idempotent),
    and no result is kept (stages write to the database; nobody reads Celery results).
    """

    acks_late: bool = True
    reject_on_worker_lost: bool = True
    ignore_result: bool = True


@dataclass(frozen=True)
class Beat:
    """A periodic job: beat sends it every ``every_seconds`` under the entry ``entry``."""

    entry: str
    every_seconds: float


@dataclass(frozen=True)
class Job:
    """One task of the worker: its name, its queue and how it is delivered and retried.

    ``retried``: transient failures are retried with backoff up to the worker's cap; when
    false, the task never retries (a periodic one's next run is its retry). ``beat``: set for
    a job that beat sends on a schedule.
    """

    name: str
    queue: str
    retried: bool = True
    delivery: Delivery = field(default_factory=Delivery)
    beat: Beat | None = None


POLL_SOURCE = Job("newsbrief.poll_source", QUEUE_FETCH)
FETCH_ARTICLE = Job("newsbrief.fetch_article", QUEUE_FETCH)
ANALYSE_ARTICLE = Job("newsbrief.analyse_article", QUEUE_ANALYSE)
SCHEDULE_DUE_POLLS = Job(
    "newsbrief.schedule_due_polls", QUEUE_SCHEDULE, beat=Beat("schedule-due-polls", 60.0)
)
COMPOSE_DUE_DIGESTS = Job(
    "newsbrief.compose_due_digests",
    QUEUE_SCHEDULE,
    retried=False,  # composing is idempotent and runs again at the next tick
    beat=Beat("compose-due-digests", 60.0),
)
# Sent a moment after an analysis put an article into an event (at most one waits at a time),
# so the events joined meanwhile are composed once; beat's run is the backstop.
COMPOSE_STALE_STORIES = Job(
    "newsbrief.compose_stale_stories",
    QUEUE_SCHEDULE,
    retried=False,  # composing is idempotent; the next join or tick runs it again
    beat=Beat("compose-stale-stories", 60.0),
)

JOBS = (
    POLL_SOURCE,
    FETCH_ARTICLE,
    ANALYSE_ARTICLE,
    SCHEDULE_DUE_POLLS,
    COMPOSE_DUE_DIGESTS,
    COMPOSE_STALE_STORIES,
)
