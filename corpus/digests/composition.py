"""Composing digests exactly once: each due period's brief into the outbox, and previews.

The digest is written to the outbox with its period's key through ``INSERT ... ON CONFLICT DO
NOTHING``, so any number of composers racing on the same schedule leave one digest per period.
The outbox payload is plain data (the brief as :meth:`Brief.to_dict` plus the period); the bot
renders it at delivery, so the corpus needs no renderer.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from corpus import outbox
from corpus.alerts import enqueue_source_alerts
from corpus.brief import compose_brief
from corpus.brief_values import Brief
from corpus.clock import utcnow
from corpus.db import transaction
from corpus.digests.parsing import parse_timezone
from corpus.digests.periods import Period, Schedule, due_periods, preview_start
from corpus.digests.schedules import advance_mark, enabled_schedules

PAYLOAD_VERSION = 1
LOOKBACK_SLACK_DAYS = 6


class BriefComposer(Protocol):
    """The brief composer's call shape (``corpus.brief.compose_brief``)."""

    def __call__(
        self,
        session: Session,
        topic: str,
        *,
        days: int,
        since: datetime,
        until: datetime,
        now: datetime,
    ) -> Brief:
        """Compose a brief of ``topic`` as of ``now`` with what was fetched in (since, until]."""
        ...


def window_days(start: datetime, end: datetime) -> int:
    """Return how many days (1–90) a digest's brief looks back to cover ``start``..``end``.

    What makes an article part of a digest is that it was fetched during the period; the
    extra days let in articles published a little earlier (a new source, a slow feed).
    """
    span = math.ceil((end - start).total_seconds() / 86400)
    return max(1, min(90, span + LOOKBACK_SLACK_DAYS))


def digest_payload(schedule: Schedule, period: Period, brief: Brief) -> dict[str, Any]:
    """Return the outbox payload of one digest: the period and the brief as plain data."""
    return {
        "type": outbox.OutboxKind.DIGEST,
        "version": PAYLOAD_VERSION,
        "topic": brief.topic,
        "frequency": schedule.frequency,
        "timezone": schedule.timezone,
        "period_date": period.local_date.isoformat(),
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "folded": period.folded,
        "brief": brief.to_dict(),
    }


@dataclass
class ComposeReport:
    """What one composition run did."""

    composed: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)


def compose_period(
    sessions: sessionmaker[Session], schedule: Schedule, period: Period, compose: BriefComposer
) -> bool:
    """Compose one period's digest into the outbox; return True when this call wrote it."""
    with transaction(sessions) as session:
        if outbox.exists(session, period.key):
            advance_mark(session, schedule.id, period.end)
            return False
        brief = compose(
            session,
            schedule.topic,
            days=window_days(period.start, period.end),
            since=period.start,
            until=period.end,
            now=period.end,
        )
        added = outbox.enqueue(
            session,
            key=period.key,
            kind=outbox.OutboxKind.DIGEST,
            guild_id=schedule.guild_id,
            channel_id=schedule.channel_id,
            payload=digest_payload(schedule, period, brief),
        )
        advance_mark(session, schedule.id, period.end)
        return added


def compose_due_digests(
    sessions: sessionmaker[Session],
    compose: BriefComposer,
    *,
    now: datetime | None = None,
    on_error: Callable[[Schedule, Exception], None] | None = None,
) -> ComposeReport:
    """Compose every due digest of every enabled schedule; safe to run from several processes."""
    now = now or utcnow()
    report = ComposeReport()
    with sessions() as session:
        schedules = enabled_schedules(session)
    for schedule in schedules:
        try:
            for period in due_periods(schedule, now):
                if compose_period(sessions, schedule, period, compose):
                    report.composed.append(period.key)
                else:
                    report.already_there.append(period.key)
        except Exception as exc:  # one broken schedule must not stop the others
            report.errors[schedule.id] = f"{exc.__class__.__name__}: {exc}"
            if on_error is not None:
                on_error(schedule, exc)
    return report


def brief_from_payload(payload: dict[str, Any]) -> Brief:
    """Return the :class:`Brief` stored in a digest payload (unknown keys are ignored)."""
    return Brief.from_dict(payload["brief"])


def preview_payload(
    session: Session,
    compose: BriefComposer,
    *,
    topic: str,
    schedule: Schedule | None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Compose what the next digest would hold if it were due now (a day's news without one).

    The payload has the same shape as a stored digest, so it renders the same way.
    """
    now = now or utcnow()
    if schedule is None:
        schedule = Schedule(
            id=0,
            guild_id=0,
            channel_id=0,
            topic=topic,
            time_of_day=now.strftime("%H:%M"),
            timezone="UTC",
            frequency="daily",
            enabled=False,
            created_at=now,
            last_period_end=now - timedelta(days=1),
        )
    start = preview_start(schedule, now)
    zone = parse_timezone(schedule.timezone)
    period = Period(
        schedule_id=schedule.id,
        key="preview",
        local_date=now.astimezone(zone).date(),
        start=start,
        end=now,
    )
    brief = compose(session, topic, days=window_days(start, now), since=start, until=now, now=now)
    return digest_payload(schedule, period, brief)


def compose_due(
    sessions: sessionmaker[Session],
    *,
    max_failures: int,
    compose: BriefComposer | None = None,
    now: datetime | None = None,
    on_error: Callable[[Schedule, Exception], None] | None = None,
) -> ComposeReport:
    """Compose every due digest, then queue alerts for sources paused after failures.

    What the beat task runs (and the bot, when no broker is configured); exactly-once by key.
    """
    report = compose_due_digests(sessions, compose or compose_brief, now=now, on_error=on_error)
    with transaction(sessions) as session:
        enqueue_source_alerts(session, max_failures=max_failures)
    return report
