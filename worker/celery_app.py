"""The Celery application, built from settings in ``main()``, never at import.

Why these settings:

- ``task_acks_late`` + ``task_reject_on_worker_lost``: a task is acknowledged only after it
  finished, so a worker killed mid-fetch hands the task to another worker. Safe because every
  stage write is idempotent (unique canonical URL, status checks before each stage).
- ``worker_prefetch_multiplier=1``: a worker reserves one task per process, so a long fetch
  does not hold a queue of others hostage (and few tasks wait unacknowledged in a worker).
- ``visibility_timeout`` (``NEWSBRIEF_CELERY_VISIBILITY_TIMEOUT``, 1 h): Redis redelivers an
  unacknowledged task after it. Each task's hard time limit (3 min; at most half the timeout)
  and every retry countdown (at most 10 min; a quarter of the timeout) stay far below it;
  otherwise a running task or a delayed retry would be delivered twice.
- ``task_ignore_result``: stages write to the database; nobody reads Celery results.
- ``task_publish_retry_policy``: sending a task keeps trying for about a minute while Redis
  restarts, so a poll's fetches are queued rather than lost.
"""

from __future__ import annotations

import math
from typing import Any

from celery import Celery
from kombu import Queue

from corpus.jobs import (
    ANALYSE_ARTICLE,
    FETCH_ARTICLE,
    POLL_SOURCE,
    QUEUE_ANALYSE,
    QUEUE_FETCH,
    QUEUE_SCHEDULE,
    SCHEDULE_DUE_POLLS,
)
from corpus.settings import Settings

SCHEDULE_EVERY_SECONDS = 60.0
MAX_COUNTDOWN_SECONDS = 600  # longest retry delay; far below the visibility timeout
TASK_TIME_LIMIT = 180  # a fetch has a 30 s deadline; analysis takes seconds
MIN_VISIBILITY_TIMEOUT = 10
# Sending a task retries for about a minute (0, 0.5, 1, 1.5, 2, 2, ... s) while Redis is down.
PUBLISH_RETRY_POLICY = {
    "max_retries": 33,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 2,
}


def task_limits(visibility_timeout: int) -> tuple[float, float, float]:
    """Return ``(hard time limit, soft time limit, longest countdown)`` for a visibility timeout.

    Each stays far below the timeout, so Redis never hands out a task that is still running
    or still waiting for its retry.
    """
    hard = min(TASK_TIME_LIMIT, visibility_timeout / 2)
    countdown = min(MAX_COUNTDOWN_SECONDS, visibility_timeout / 4)
    return hard, hard * 0.8, countdown


def time_limit_warning(settings: Settings) -> str | None:
    """Say so when the visibility timeout leaves a task less time than one fetch may take.

    A short timeout is fine for drills and tests (quick redelivery); in production the soft
    time limit would cut slow fetches off and retry them until they give up.
    """
    _, soft, _ = task_limits(settings.worker.celery_visibility_timeout)
    if soft >= settings.worker.fetch_total_timeout:
        return None
    needed = math.ceil(settings.worker.fetch_total_timeout / 0.4)
    return (
        f"NEWSBRIEF_CELERY_VISIBILITY_TIMEOUT={settings.worker.celery_visibility_timeout} "
        f"gives each task a soft time limit of {soft:g} s, below NEWSBRIEF_FETCH_TOTAL_TIMEOUT="
        f"{settings.worker.fetch_total_timeout:g} s: slow fetches will be cut off and retried. "
        f"Use at least {needed} s."
    )


def transport_options(visibility_timeout: int) -> dict[str, int]:
    """Redis transport options: the visibility timeout and how often to sweep for lost tasks.

    kombu looks for tasks whose worker died every ``interval × throttle`` seconds (100 s by
    default); a short visibility timeout gets a proportionally quicker sweep.
    """
    return {
        "visibility_timeout": visibility_timeout,
        "unacked_restore_interval": max(1, min(10, visibility_timeout // 4)),
        "unacked_restore_throttle": max(1, min(10, visibility_timeout // 120)),
    }


def make_celery(settings: Settings) -> Celery:
    """Build the Celery app for ``settings`` and register the worker's tasks on it."""
    if not settings.redis_url:
        raise ValueError("NEWSBRIEF_REDIS_URL is not set; without Redis the stages run in-process.")
    if settings.worker.celery_visibility_timeout < MIN_VISIBILITY_TIMEOUT:
        raise ValueError(
            f"NEWSBRIEF_CELERY_VISIBILITY_TIMEOUT must be at least {MIN_VISIBILITY_TIMEOUT} "
            "seconds; Redis would hand running tasks out twice."
        )
    hard, soft, countdown = task_limits(settings.worker.celery_visibility_timeout)
    app = Celery("newsbrief", broker=settings.redis_url, set_as_current=False)
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        enable_utc=True,
        timezone="UTC",
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        task_time_limit=hard,
        task_soft_time_limit=soft,
        newsbrief_max_countdown=countdown,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        # A poll commits the articles it found before it queues their fetches; if Redis is
        # restarting then, keep trying to queue them for a while rather than drop them.
        task_publish_retry=True,
        task_publish_retry_policy=PUBLISH_RETRY_POLICY,
        broker_transport_options=transport_options(settings.worker.celery_visibility_timeout),
        task_default_queue=QUEUE_FETCH,
        task_queues=(Queue(QUEUE_FETCH), Queue(QUEUE_ANALYSE), Queue(QUEUE_SCHEDULE)),
        task_routes={
            POLL_SOURCE: {"queue": QUEUE_FETCH},
            FETCH_ARTICLE: {"queue": QUEUE_FETCH},
            ANALYSE_ARTICLE: {"queue": QUEUE_ANALYSE},
            SCHEDULE_DUE_POLLS: {"queue": QUEUE_SCHEDULE},
        },
        beat_schedule={},
    )
    register_beat_entry(app, "schedule-due-polls", SCHEDULE_DUE_POLLS, SCHEDULE_EVERY_SECONDS)
    from worker.digest_tasks import register_digest_tasks
    from worker.tasks import register_tasks  # tasks need the app; imported here, not at import

    register_tasks(app, settings)
    register_digest_tasks(app, settings)
    return app


def register_beat_entry(
    app: Celery,
    name: str,
    task: str,
    every_seconds: float,
    *,
    queue: str = QUEUE_SCHEDULE,
    args: tuple[Any, ...] = (),
) -> None:
    """Add a periodic task (by name, e.g. ``COMPOSE_DUE_DIGESTS``) to the beat schedule.

    Its runs expire after one period, so a beat that was down does not release a backlog.
    """
    schedule = dict(app.conf.beat_schedule or {})
    schedule[name] = {
        "task": task,
        "schedule": every_seconds,
        "args": args,
        "options": {"queue": queue, "expires": every_seconds},
    }
    app.conf.beat_schedule = schedule
