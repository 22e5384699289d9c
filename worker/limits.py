"""The worker's limits: attempts, retry delays, time limits and lock lifetimes, in one place.

A leaf module: it imports nothing from the worker, so the Celery app, the tasks and the
pipeline all read the same numbers without importing each other.

Every limit stays far below the broker's visibility timeout (``NEWSBRIEF_CELERY_VISIBILITY_
TIMEOUT``): Redis redelivers an unacknowledged task after it, so a task still running or a
retry still waiting past it would be delivered twice.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corpus.settings import Settings

MAX_FETCH_ATTEMPTS = 7  # transient failures of one article before it is given up
MAX_RETRIES = MAX_FETCH_ATTEMPTS - 1  # the last attempt records the failure itself
BACKOFF_BASE_SECONDS = 15.0
MAX_COUNTDOWN_SECONDS = 600  # longest retry delay; far below the visibility timeout
TASK_TIME_LIMIT = 180  # a fetch has a 30 s deadline; analysis takes seconds
MIN_VISIBILITY_TIMEOUT = 10

SCHEDULE_LOCK_SECONDS = 50  # one beat tick per minute: a second beat's tick is skipped
POLL_QUEUED_SECONDS = 300  # a due source is queued at most once in this window
ANALYSE_QUEUED_SECONDS = 600  # a lost analysis is queued again at most once in this window
STORIES_DELAY_SECONDS = 1.0  # joins within this moment share one composition of their stories
STORIES_QUEUED_SECONDS = 30  # a lost composition stops holding back the next after this

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
