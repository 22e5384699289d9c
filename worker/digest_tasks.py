"""The beat-driven task that composes due digests and source alerts into the outbox.

Thin: transport only. The work is ``compose_due`` over ``corpus.digests`` and
``corpus.alerts``, both exactly-once by outbox key, so a second beat, a redelivered task or
the bot composing as well (it does when no broker is configured) never adds a second digest.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import datetime
from typing import Any

from celery import Celery, Task
from sqlalchemy.orm import Session, sessionmaker

from corpus.db import make_engine, make_session_factory
from corpus.digests import composition
from corpus.digests.composition import ComposeReport
from corpus.digests.periods import Schedule
from corpus.jobs import COMPOSE_DUE_DIGESTS, QUEUE_SCHEDULE
from corpus.settings import Settings

log = logging.getLogger(__name__)

COMPOSE_EVERY_SECONDS = 60.0


def _log_error(schedule: Schedule, error: Exception) -> None:
    log.warning(
        "digest of %s for channel %s not composed: %s", schedule.topic, schedule.channel_id, error
    )


def compose_due(
    sessions: sessionmaker[Session], settings: Settings, *, now: datetime | None = None
) -> ComposeReport:
    """Compose every due digest, then queue alerts for sources paused after failures."""
    return composition.compose_due(
        sessions, max_failures=settings.max_consecutive_failures, now=now, on_error=_log_error
    )


class _SessionsPerProcess:
    """One engine per worker process, built after the fork."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._sessions: sessionmaker[Session] | None = None

    def __call__(self) -> sessionmaker[Session]:
        with self._lock:
            if self._sessions is None or self._pid != os.getpid():
                engine = make_engine(self._settings.effective_database_url)
                self._sessions = make_session_factory(engine)
                self._pid = os.getpid()
            return self._sessions


def register_digest_tasks(app: Celery, settings: Settings) -> None:
    """Register ``COMPOSE_DUE_DIGESTS`` on ``app`` and run it every minute from beat."""
    from worker.celery_app import register_beat_entry

    sessions = _SessionsPerProcess(settings)

    # No retries: the next beat tick is the retry, and composing is idempotent.
    @app.task(
        name=COMPOSE_DUE_DIGESTS,
        queue=QUEUE_SCHEDULE,
        bind=True,
        acks_late=True,
        reject_on_worker_lost=True,
        max_retries=0,
        ignore_result=True,
        shared=False,  # else every later Celery app in the process gets this app's task
    )
    def compose_due_digests_task(self: Task) -> dict[str, Any]:
        report = compose_due(sessions(), settings)
        if report.composed:
            log.info("composed %d digests: %s", len(report.composed), ", ".join(report.composed))
        return {"composed": len(report.composed), "errors": len(report.errors)}

    register_beat_entry(app, "compose-due-digests", COMPOSE_DUE_DIGESTS, COMPOSE_EVERY_SECONDS)
