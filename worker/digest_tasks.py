"""The beat-driven task that composes due digests and source alerts into the outbox.

Thin: transport only. The work is ``compose_due`` over ``corpus.digests`` and
``corpus.alerts``, both exactly-once by outbox key, so a second beat, a redelivered task or
the bot composing as well (it does when no broker is configured) never adds a second digest.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from celery import Celery, Task
from sqlalchemy.orm import Session, sessionmaker

from corpus import jobs
from corpus.db import make_engine, make_session_factory
from corpus.digests import composition
from corpus.digests.composition import ComposeReport
from corpus.digests.periods import Schedule
from corpus.settings import Settings
from worker.per_process import PerProcess
from worker.tasks import job_task

log = logging.getLogger(__name__)


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


def register_digest_tasks(app: Celery, settings: Settings) -> None:
    """Register ``COMPOSE_DUE_DIGESTS`` on ``app``; beat runs it as its job record says."""
    sessions = PerProcess(
        lambda: make_session_factory(make_engine(settings.effective_database_url))
    )

    @job_task(app, jobs.COMPOSE_DUE_DIGESTS)
    def compose_due_digests_task(self: Task) -> dict[str, Any]:
        report = compose_due(sessions(), settings)
        if report.composed:
            log.info("composed %d digests: %s", len(report.composed), ", ".join(report.composed))
        return {"composed": len(report.composed), "errors": len(report.errors)}
