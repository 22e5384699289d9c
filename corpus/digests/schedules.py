"""Stored digest schedules: create, change, turn off and list them; advance their mark."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from corpus.clock import as_utc, utcnow
from corpus.digests.parsing import parse_frequency, parse_time_of_day, parse_timezone
from corpus.digests.periods import Schedule
from corpus.tables import DigestSchedule


def _schedule(row: DigestSchedule) -> Schedule:
    return Schedule(
        id=row.id,
        guild_id=row.guild_id,
        channel_id=row.channel_id,
        topic=row.topic,
        time_of_day=row.time_of_day,
        timezone=row.timezone,
        frequency=parse_frequency(row.frequency),
        enabled=row.enabled,
        created_at=as_utc(row.created_at),
        last_period_end=as_utc(row.last_period_end),
        disabled_at=as_utc(row.disabled_at),
    )


def set_schedule(
    session: Session,
    *,
    guild_id: int,
    channel_id: int,
    topic: str,
    time_of_day: str,
    timezone: str,
    frequency: str = "daily",
    created_by: int | None = None,
    now: datetime | None = None,
) -> Schedule:
    """Create or change a channel's digest of ``topic``; raise DigestInputError on bad input.

    Turning a disabled schedule back on starts from ``now``: nothing is owed for the time it
    was off.
    """
    at = parse_time_of_day(time_of_day)
    zone = parse_timezone(timezone)
    freq = parse_frequency(frequency)
    now = now or utcnow()
    row = session.scalar(
        select(DigestSchedule).where(
            DigestSchedule.guild_id == guild_id,
            DigestSchedule.channel_id == channel_id,
            DigestSchedule.topic == topic,
        )
    )
    if row is None:
        row = DigestSchedule(
            guild_id=guild_id,
            channel_id=channel_id,
            topic=topic,
            created_by=created_by,
            created_at=now,
            enabled=True,
        )
        session.add(row)
    elif not row.enabled:
        row.enabled = True
        row.disabled_at = None
        row.last_period_end = now
    row.time_of_day = at.strftime("%H:%M")
    row.timezone = zone.key
    row.frequency = freq
    session.flush()
    return _schedule(row)


def disable_schedules(
    session: Session,
    *,
    guild_id: int,
    channel_id: int | None = None,
    topic: str | None = None,
    now: datetime | None = None,
) -> list[Schedule]:
    """Turn off a guild's digests, optionally only in one channel or of one topic."""
    query = select(DigestSchedule).where(
        DigestSchedule.guild_id == guild_id, DigestSchedule.enabled.is_(True)
    )
    if channel_id is not None:
        query = query.where(DigestSchedule.channel_id == channel_id)
    if topic is not None:
        query = query.where(DigestSchedule.topic == topic)
    rows = list(session.scalars(query))
    moment = now or utcnow()
    for row in rows:
        row.enabled = False
        row.disabled_at = moment
    session.flush()
    return [_schedule(row) for row in rows]


def list_schedules(
    session: Session,
    guild_id: int,
    *,
    enabled_only: bool = False,
    off_since: datetime | None = None,
) -> list[Schedule]:
    """Return a guild's digest schedules, by channel and topic.

    With ``off_since``, schedules turned off before that moment are left out.
    """
    query = select(DigestSchedule).where(DigestSchedule.guild_id == guild_id)
    if enabled_only:
        query = query.where(DigestSchedule.enabled.is_(True))
    elif off_since is not None:
        query = query.where(
            DigestSchedule.enabled.is_(True)
            | DigestSchedule.disabled_at.is_(None)
            | (DigestSchedule.disabled_at >= off_since)
        )
    rows = session.scalars(query.order_by(DigestSchedule.channel_id, DigestSchedule.topic))
    return [_schedule(row) for row in rows]


def enabled_schedules(session: Session) -> list[Schedule]:
    """Return every enabled schedule."""
    rows = session.scalars(
        select(DigestSchedule).where(DigestSchedule.enabled.is_(True)).order_by(DigestSchedule.id)
    )
    return [_schedule(row) for row in rows]


def advance_mark(session: Session, schedule_id: int, end: datetime) -> None:
    """Record that the schedule's periods up to ``end`` are composed."""
    # Monotonic: a slower racer never moves the mark backwards.
    session.execute(
        update(DigestSchedule)
        .where(
            DigestSchedule.id == schedule_id,
            or_(DigestSchedule.last_period_end.is_(None), DigestSchedule.last_period_end < end),
        )
        .values(last_period_end=end)
    )


def find_schedule(
    session: Session, guild_id: int, channel_id: int | None, topic: str | None
) -> Schedule | None:
    """Return the guild's enabled schedule for this channel and/or topic when exactly one fits."""
    found = [
        s
        for s in list_schedules(session, guild_id, enabled_only=True)
        if (channel_id is None or s.channel_id == channel_id)
        and (topic is None or s.topic == topic)
    ]
    return found[0] if len(found) == 1 else None
