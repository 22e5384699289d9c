"""The Celery application, built from settings in ``main()``, never at import.

Each job's name, queue and delivery policy come from its record in ``corpus.jobs``; its
limits from ``worker.limits``. Why these settings:

- late acks + reject on worker lost (each job's ``Delivery``): a task is acknowledged only
  after it finished, so a worker killed mid-fetch hands the task to another worker. Safe
  because every stage write is idempotent (unique canonical URL, status checks before each
  stage).
- ``worker_prefetch_multiplier=1``: a worker reserves one task per process, so a long fetch
  does not hold a queue of others hostage (and few tasks wait unacknowledged in a worker).
- ``visibility_timeout`` (``NEWSBRIEF_CELERY_VISIBILITY_TIMEOUT``, 1 h): Redis redelivers an
  unacknowledged task after it. Each task's hard time limit (3 min; at most half the timeout)
  and every retry countdown (at most 10 min; a quarter of the timeout) stay far below it;
  otherwise a running task or a delayed retry would be delivered twice.
- results ignored (each job's ``Delivery``): stages write to the database; nobody reads
  Celery results.
- ``task_publish_retry_policy``: sending a task keeps trying for about a minute while Redis
  restarts, so a poll's fetches are queued rather than lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from celery import Celery
from kombu import Queue

from corpus.jobs import JOBS, QUEUE_FETCH, QUEUES, Job
from corpus.settings import Settings
from worker.digest_tasks import register_digest_tasks
from worker.limits import MIN_VISIBILITY_TIMEOUT, PUBLISH_RETRY_POLICY, task_limits
from worker.tasks import register_tasks


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


def task_routes(jobs: Iterable[Job] = JOBS) -> dict[str, dict[str, str]]:
    """Route each job's task name to its queue, for senders that give no queue."""
    return {job.name: {"queue": job.queue} for job in jobs}


def beat_schedule(jobs: Iterable[Job] = JOBS) -> dict[str, dict[str, Any]]:
    """Beat's entries for the periodic jobs, sent by name on each job's queue.

    Each run expires after one period, so a beat that was down does not release a backlog.
    """
    return {
        job.beat.entry: {
            "task": job.name,
            "schedule": job.beat.every_seconds,
            "args": (),
            "options": {"queue": job.queue, "expires": job.beat.every_seconds},
        }
        for job in jobs
        if job.beat is not None
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
        task_queues=tuple(Queue(name) for name in QUEUES),
        task_routes=task_routes(),
        beat_schedule=beat_schedule(),
    )
    register_tasks(app, settings)
    register_digest_tasks(app, settings)
    return app
