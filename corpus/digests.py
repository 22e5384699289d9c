"""Scheduled digests: schedules, due periods (timezone- and DST-aware) and exactly-once composition.

A schedule fires at ``time_of_day`` in its IANA ``timezone``, every day or every Monday. Each
firing closes a *period*; its digest shows what is new since the previous period ended. The
period is keyed by (guild, channel, topic, local date), and the digest is written to the outbox
with that key through ``INSERT ... ON CONFLICT DO NOTHING``, so any number of composers racing on
the same schedule leave one digest per period. A period missed while nothing was running is
composed late, labelled with its own date; past :data:`MAX_CATCH_UP` missed periods the oldest are
folded into the first one composed, so nothing is skipped and a channel is not flooded.

The outbox payload is plain data (the brief as :meth:`Brief.to_dict` plus the period); the bot
renders it at delivery, so the corpus needs no renderer.
"""

from __future__ import annotations

import dataclasses
import math
import re
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal, Protocol, Union, get_args, get_origin, get_type_hints
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from corpus import outbox
from corpus.alerts import enqueue_source_alerts
from corpus.brief import compose_brief
from corpus.brief_model import Brief
from corpus.db import transaction
from corpus.models import DigestSchedule, as_utc, utcnow

Frequency = Literal["daily", "weekly"]
FREQUENCIES: tuple[Frequency, ...] = ("daily", "weekly")
WEEKLY_WEEKDAY = 0  # weekly digests fire on Mondays (date.weekday())
MAX_CATCH_UP = 7  # at most this many late digests per schedule per run; older ones are folded in
PAYLOAD_VERSION = 1
LOOKBACK_SLACK_DAYS = 6

_TIME_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


class DigestInputError(ValueError):
    """An admin's digest setting is invalid; the message says how to fix it."""


def parse_time_of_day(text: str) -> time:
    """Parse ``HH:MM`` (24-hour clock) or raise :class:`DigestInputError`."""
    match = _TIME_RE.match(text or "")
    if match is None:
        raise DigestInputError(
            f"“{text}” is not a time of day. Use 24-hour HH:MM, for example 08:00 or 17:30."
        )
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise DigestInputError(
            f"“{text}” is not a time of day: hours go from 00 to 23 and minutes from 00 to 59."
        )
    return time(hour, minute)


def parse_timezone(name: str) -> ZoneInfo:
    """Return the IANA time zone ``name`` (e.g. ``Europe/Berlin``) or raise DigestInputError."""
    cleaned = (name or "").strip().replace(" ", "_")
    try:
        if not cleaned or cleaned.startswith(("/", ".")) or ".." in cleaned:
            raise ZoneInfoNotFoundError(cleaned)
        return ZoneInfo(_zone_names().get(cleaned.lower(), cleaned))
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise DigestInputError(
            f"“{name}” is not a time zone I know. Use an IANA name such as Europe/Berlin, "
            "America/New_York or UTC."
        ) from None


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    """Lower-cased IANA name → its canonical spelling (read once; the list is a directory scan)."""
    return {name.lower(): name for name in available_timezones()}


def suggest_timezones(prefix: str, limit: int = 25) -> list[str]:
    """Return IANA time zone names containing ``prefix`` (case-insensitive), for autocomplete."""
    needle = prefix.strip().lower().replace(" ", "_")
    names = sorted(_zone_names().values())
    starts = [n for n in names if n.lower().startswith(needle)]
    contains = [n for n in names if needle in n.lower() and n not in starts]
    return (starts + contains)[:limit]


def parse_frequency(text: str) -> Frequency:
    """Return ``daily`` or ``weekly`` or raise :class:`DigestInputError`."""
    value = (text or "").strip().lower()
    if value == "daily":
        return "daily"
    if value == "weekly":
        return "weekly"
    raise DigestInputError(f"“{text}” is not a frequency: choose daily or weekly.")


@dataclass(frozen=True, slots=True)
class Schedule:
    """A read-only copy of a digest schedule."""

    id: int
    guild_id: int
    channel_id: int
    topic: str
    time_of_day: str
    timezone: str
    frequency: Frequency
    enabled: bool
    created_at: datetime
    last_period_end: datetime | None
    disabled_at: datetime | None = None

    def describe(self) -> str:
        """Say when the digest is posted, e.g. ``every day at 08:00 Europe/Berlin``."""
        when = "every day" if self.frequency == "daily" else "every Monday"
        return f"{when} at {self.time_of_day} {self.timezone}"


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


# --- due periods -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """One firing of a schedule: its digest covers ``start`` (exclusive) to ``end`` (inclusive)."""

    schedule_id: int
    key: str
    local_date: date
    start: datetime
    end: datetime
    folded: int = 0  # earlier missed periods merged into this one


def fire_instant(local_day: date, at: time, zone: ZoneInfo) -> datetime:
    """Return the UTC instant of ``at`` on ``local_day`` in ``zone``.

    A wall time skipped by a DST jump resolves to the same offset as before the jump (02:30 on
    a spring-forward night fires at 03:30 local); a repeated wall time fires on its first
    occurrence. Either way each local day has exactly one instant.
    """
    return datetime.combine(local_day, at, tzinfo=zone).astimezone(UTC)


def _is_firing_day(day: date, frequency: Frequency) -> bool:
    return frequency == "daily" or day.weekday() == WEEKLY_WEEKDAY


def _step(frequency: Frequency) -> timedelta:
    return timedelta(days=1 if frequency == "daily" else 7)


def previous_firing_day(day: date, frequency: Frequency) -> date:
    """Return the firing day before ``day`` (which must itself be a firing day)."""
    return day - _step(frequency)


def firing_days(
    at: time, zone: ZoneInfo, frequency: Frequency, after: datetime, until: datetime
) -> list[tuple[date, datetime]]:
    """Return (local day, UTC instant) of every firing with ``after < instant <= until``."""
    first = after.astimezone(zone).date() - timedelta(days=1)
    last = until.astimezone(zone).date() + timedelta(days=1)
    found: list[tuple[date, datetime]] = []
    day = first
    while day <= last:
        if _is_firing_day(day, frequency):
            instant = fire_instant(day, at, zone)
            if after < instant <= until:
                found.append((day, instant))
        day += timedelta(days=1)
    return found


def period_key(guild_id: int, channel_id: int, topic: str, local_day: date) -> str:
    """Return the outbox key of a digest: one per guild, channel, topic and local date."""
    return f"digest:{guild_id}:{channel_id}:{topic}:{local_day.isoformat()}"


def due_periods(
    schedule: Schedule, now: datetime, max_catch_up: int = MAX_CATCH_UP
) -> list[Period]:
    """Return the periods of ``schedule`` that have ended by ``now`` and were not composed yet.

    Periods are anchored at the end of the last composed one (or at the schedule's creation),
    so a period missed while nothing ran is still returned, with its own date.
    """
    if not schedule.enabled:
        return []
    at = parse_time_of_day(schedule.time_of_day)
    zone = parse_timezone(schedule.timezone)
    anchor = schedule.last_period_end or schedule.created_at
    days = firing_days(at, zone, schedule.frequency, anchor, now)
    periods: list[Period] = []
    for local_day, end in days:
        if schedule.last_period_end is not None and not periods:
            start = schedule.last_period_end
        elif periods:
            start = periods[-1].end
        else:
            start = fire_instant(previous_firing_day(local_day, schedule.frequency), at, zone)
        periods.append(
            Period(
                schedule_id=schedule.id,
                key=period_key(schedule.guild_id, schedule.channel_id, schedule.topic, local_day),
                local_date=local_day,
                start=start,
                end=end,
            )
        )
    if len(periods) > max_catch_up:
        dropped = len(periods) - max_catch_up
        kept = periods[dropped:]
        first = kept[0]
        kept[0] = Period(
            schedule_id=first.schedule_id,
            key=first.key,
            local_date=first.local_date,
            start=periods[0].start,
            end=first.end,
            folded=dropped,
        )
        periods = kept
    return periods


def next_firing(schedule: Schedule, now: datetime) -> datetime:
    """Return the UTC instant of the schedule's next firing after ``now``."""
    at = parse_time_of_day(schedule.time_of_day)
    zone = parse_timezone(schedule.timezone)
    return firing_days(at, zone, schedule.frequency, now, now + timedelta(days=8))[0][1]


# --- schedules -------------------------------------------------------------------------------


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


def _advance(session: Session, schedule_id: int, end: datetime) -> None:
    # Monotonic: a slower racer never moves the mark backwards.
    session.execute(
        update(DigestSchedule)
        .where(
            DigestSchedule.id == schedule_id,
            or_(DigestSchedule.last_period_end.is_(None), DigestSchedule.last_period_end < end),
        )
        .values(last_period_end=end)
    )


# --- composition -----------------------------------------------------------------------------


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
            _advance(session, schedule.id, period.end)
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
        _advance(session, schedule.id, period.end)
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


# --- reading a stored digest back ------------------------------------------------------------


def _load(tp: Any, value: Any) -> Any:
    """Rebuild a value of type ``tp`` from its :meth:`Brief.to_dict` form."""
    if value is None:
        return None
    origin = get_origin(tp)
    if origin in (types.UnionType, Union):
        for option in get_args(tp):
            if option is type(None):
                continue
            return _load(option, value)
    if origin is tuple:
        inner = get_args(tp)[0]
        return tuple(_load(inner, v) for v in value)
    if origin in (dict, list) or tp is Any:
        return value
    if tp is datetime:
        return datetime.fromisoformat(value)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = get_type_hints(tp)
        known = {f.name for f in dataclasses.fields(tp)}
        kwargs = {k: _load(hints[k], v) for k, v in value.items() if k in known}
        return tp(**kwargs)
    return value


def brief_from_payload(payload: dict[str, Any]) -> Brief:
    """Return the :class:`Brief` stored in a digest payload (unknown keys are ignored)."""
    brief = _load(Brief, payload["brief"])
    assert isinstance(brief, Brief)
    return brief


# --- preview ---------------------------------------------------------------------------------


def preview_start(schedule: Schedule, now: datetime) -> datetime:
    """Return where the next digest of ``schedule`` would start if it were composed ``now``."""
    if schedule.last_period_end is not None:
        return schedule.last_period_end
    at = parse_time_of_day(schedule.time_of_day)
    zone = parse_timezone(schedule.timezone)
    past = firing_days(at, zone, schedule.frequency, now - timedelta(days=8), now)
    return past[-1][1] if past else now - _step(schedule.frequency)


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
