"""Due periods of digest schedules: time zones, DST, weekly schedules and missed periods."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from corpus.digests.parsing import (
    DigestInputError,
    parse_frequency,
    parse_time_of_day,
    parse_timezone,
    suggest_timezones,
)
from corpus.digests.periods import MAX_CATCH_UP, Schedule, due_periods, fire_instant, next_firing


def _schedule(
    *,
    at: str = "08:00",
    tz: str = "Europe/Berlin",
    frequency: str = "daily",
    created: datetime,
    last: datetime | None = None,
    enabled: bool = True,
) -> Schedule:
    return Schedule(
        id=1,
        guild_id=100,
        channel_id=200,
        topic="russia-china",
        time_of_day=at,
        timezone=tz,
        frequency=parse_frequency(frequency),
        enabled=enabled,
        created_at=created,
        last_period_end=last,
    )


@pytest.mark.parametrize(
    "text,expected",
    [("08:00", time(8, 0)), (" 7:05 ", time(7, 5)), ("23:59", time(23, 59)), ("00:00", time(0, 0))],
)
def test_parse_time_of_day_accepts_24_hour_times(text: str, expected: time) -> None:
    """HH:MM on a 24-hour clock is accepted."""
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize("text", ["24:00", "8am", "", "12:60", "noon", "7.30"])
def test_parse_time_of_day_refuses_other_text_with_an_example(text: str) -> None:
    """Anything else is refused with a message that shows the expected form."""
    with pytest.raises(DigestInputError, match=r"HH:MM|00 to 23"):
        parse_time_of_day(text)


def test_parse_timezone_accepts_iana_names() -> None:
    """IANA names resolve to zones."""
    assert parse_timezone(" Europe/Berlin ").key == "Europe/Berlin"
    assert parse_timezone("UTC").key == "UTC"
    assert parse_timezone("america/new york").key == "America/New_York"


@pytest.mark.parametrize("name", ["Mars/Olympus", "CEST+2", "", "../../etc/passwd", "/etc/x"])
def test_parse_timezone_refuses_unknown_names(name: str) -> None:
    """Unknown or path-like names are refused with examples of valid ones."""
    with pytest.raises(DigestInputError, match="Europe/Berlin"):
        parse_timezone(name)


def test_suggest_timezones_prefers_prefix_matches() -> None:
    """Autocomplete lists names starting with the typed text first."""
    names = suggest_timezones("europe/ber")
    assert names[0] == "Europe/Berlin"
    assert all("ber" in n.lower() for n in names)


def test_spring_forward_gap_fires_once_an_hour_later_in_wall_time() -> None:
    """02:30 does not exist on 29 March 2026 in Berlin; it fires at 03:30 local (01:30 UTC)."""
    zone = ZoneInfo("Europe/Berlin")
    instant = fire_instant(date(2026, 3, 29), time(2, 30), zone)
    assert instant == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert instant.astimezone(zone).hour == 3


def test_fall_back_repeated_time_fires_on_first_occurrence() -> None:
    """02:30 happens twice on 25 October 2026 in Berlin; the digest fires at the first."""
    instant = fire_instant(date(2026, 10, 25), time(2, 30), ZoneInfo("Europe/Berlin"))
    assert instant == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_daily_periods_follow_local_time_across_dst() -> None:
    """A daily 08:00 Berlin digest stays at 08:00 local across the spring change: 23-hour period."""
    created = datetime(2026, 3, 26, 12, 0, tzinfo=UTC)
    now = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
    periods = due_periods(_schedule(created=created, last=None), now)
    assert [p.local_date for p in periods] == [date(2026, 3, d) for d in (27, 28, 29, 30, 31)]
    ends_local = {p.end.astimezone(ZoneInfo("Europe/Berlin")).time() for p in periods}
    assert ends_local == {time(8, 0)}
    lengths = [p.end - p.start for p in periods]
    assert lengths == [timedelta(hours=24)] * 2 + [timedelta(hours=23)] + [timedelta(hours=24)] * 2


def test_periods_are_contiguous_and_keyed_by_local_date() -> None:
    """Each period starts where the previous ended; keys differ by local date only."""
    created = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
    periods = due_periods(
        _schedule(tz="America/New_York", at="23:30", created=created),
        datetime(2026, 6, 5, 12, 0, tzinfo=UTC),
    )
    assert all(a.end == b.start for a, b in itertools.pairwise(periods))
    assert [p.key for p in periods] == [
        f"digest:100:200:russia-china:{d}"
        for d in ("2026-05-31", "2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04")
    ]
    # 23:30 in New York is 03:30 UTC the next day, and the key keeps the local date.
    assert periods[0].end == datetime(2026, 6, 1, 3, 30, tzinfo=UTC)


def test_half_hour_offset_zone() -> None:
    """Asia/Kolkata (+05:30) fires at 08:00 local, 02:30 UTC."""
    created = datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    (period,) = due_periods(
        _schedule(tz="Asia/Kolkata", created=created), datetime(2026, 1, 1, 3, 0, tzinfo=UTC)
    )
    assert period.end == datetime(2026, 1, 1, 2, 30, tzinfo=UTC)


def test_first_period_covers_one_full_day_before_the_first_firing() -> None:
    """A schedule set at 09:00 for 08:00 first fires the next morning, covering the day before."""
    zone = ZoneInfo("Europe/Berlin")
    created = datetime(2026, 5, 4, 9, 0, tzinfo=zone).astimezone(UTC)
    assert due_periods(_schedule(created=created), created + timedelta(hours=20)) == []
    (period,) = due_periods(_schedule(created=created), created + timedelta(hours=24))
    assert period.local_date == date(2026, 5, 5)
    assert period.end - period.start == timedelta(days=1)


def test_weekly_fires_on_mondays_only() -> None:
    """A weekly schedule fires on Mondays, each period a full week."""
    created = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)  # a Sunday
    periods = due_periods(
        _schedule(frequency="weekly", created=created), datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    )
    assert [p.local_date for p in periods] == [date(2026, 11, d) for d in (2, 9, 16, 23)]
    assert all(p.local_date.weekday() == 0 for p in periods)
    assert all(p.end - p.start == timedelta(days=7) for p in periods)


def test_weekly_period_across_fall_back_is_a_week_plus_an_hour() -> None:
    """The week containing the October change is 169 hours long in UTC."""
    created = datetime(2026, 10, 20, 0, 0, tzinfo=UTC)
    (period,) = due_periods(
        _schedule(frequency="weekly", created=created), datetime(2026, 10, 27, 0, 0, tzinfo=UTC)
    )
    assert period.local_date == date(2026, 10, 26)
    assert period.end - period.start == timedelta(hours=169)


def test_missed_periods_come_late_with_their_own_dates() -> None:
    """Three days without a composer yield three periods, each with its date, none skipped."""
    last = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)  # 08:00 Berlin on the 20th
    now = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    periods = due_periods(_schedule(created=last - timedelta(days=30), last=last), now)
    assert [p.local_date for p in periods] == [date(2026, 11, d) for d in (21, 22, 23)]
    assert periods[0].start == last


def test_long_outage_folds_oldest_periods_into_the_first_composed() -> None:
    """After a month away, the backlog is capped and the first digest covers the folded days."""
    last = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)
    now = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
    periods = due_periods(_schedule(created=last, last=last), now)
    assert len(periods) == MAX_CATCH_UP
    assert periods[0].start == last
    assert periods[0].folded == 30 - MAX_CATCH_UP
    assert periods[-1].local_date == date(2026, 10, 31)


def test_disabled_schedule_has_no_due_periods() -> None:
    """A turned-off schedule owes nothing."""
    created = datetime(2026, 1, 1, tzinfo=UTC)
    sched = _schedule(created=created, enabled=False)
    assert due_periods(sched, created + timedelta(days=5)) == []


def test_next_firing_is_after_now() -> None:
    """The next firing is the first local 08:00 after now."""
    created = datetime(2026, 1, 1, tzinfo=UTC)
    now = datetime(2026, 1, 5, 7, 30, tzinfo=UTC)  # 08:30 Berlin
    assert next_firing(_schedule(created=created), now) == datetime(2026, 1, 6, 7, 0, tzinfo=UTC)
