"""The digest calendar: schedules as values, their firings and due periods (DST-aware).

A schedule fires at ``time_of_day`` in its IANA ``timezone``, every day or every Monday. Each
firing closes a *period*; its digest shows what is new since the previous period ended. The
period is keyed by (guild, channel, topic, local date). A period missed while nothing was
running is still due, labelled with its own date; past :data:`MAX_CATCH_UP` missed periods the
oldest are folded into the first one composed, so nothing is skipped and a channel is not
flooded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from corpus.digests.parsing import Frequency, parse_time_of_day, parse_timezone

WEEKLY_WEEKDAY = 0  # weekly digests fire on Mondays (date.weekday())
MAX_CATCH_UP = 7  # at most this many late digests per schedule per run; older ones are folded in


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


def preview_start(schedule: Schedule, now: datetime) -> datetime:
    """Return where the next digest of ``schedule`` would start if it were composed ``now``."""
    if schedule.last_period_end is not None:
        return schedule.last_period_end
    at = parse_time_of_day(schedule.time_of_day)
    zone = parse_timezone(schedule.timezone)
    past = firing_days(at, zone, schedule.frequency, now - timedelta(days=8), now)
    return past[-1][1] if past else now - _step(schedule.frequency)
