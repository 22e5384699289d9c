"""``parse_until``: the end of a past brief window from a typed date, and how it reads."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corpus.brief_markdown import brief_markdown
from corpus.brief_until import UntilError, ending_at, parse_until, window_span
from corpus.brief_values import Brief
from testing.brief_values import brief

NOW = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)


def test_a_day_ends_at_its_last_moment() -> None:
    """A bare past date means the end of that UTC day."""
    end = parse_until("2026-11-30", NOW)
    assert end.date().isoformat() == "2026-11-30" and (end.hour, end.minute) == (23, 59)
    assert end.tzinfo is not None


def test_today_ends_now() -> None:
    """Today's date gives a window ending now, not at midnight still to come."""
    assert parse_until("2026-12-03", NOW) == NOW


def test_a_time_is_kept() -> None:
    """An ISO date and time is taken as given, in UTC."""
    assert parse_until("2026-11-30T08:00+01:00", NOW) == datetime(2026, 11, 30, 7, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-13-01", "yesterday", "30/11/2026", ""])
def test_text_that_is_not_a_date_is_refused_clearly(text: str) -> None:
    """Anything but a date is refused with the expected form."""
    with pytest.raises(UntilError, match="is not a date; give one as YYYY-MM-DD"):
        parse_until(text, NOW)


def test_a_future_date_is_refused() -> None:
    """A window cannot end in the future."""
    with pytest.raises(UntilError, match="in the future"):
        parse_until("2026-12-04", NOW)


def test_a_past_window_says_where_it_ends() -> None:
    """A brief of a past window reads "7 days to 14 Mar 2026", a live one "last 7 days"."""
    live = brief()
    assert window_span(live) == "last 7 days"
    past = ending_at(live, datetime(2026, 3, 14, 23, 59, tzinfo=UTC))
    assert window_span(past) == "7 days to 14 Mar 2026"
    assert ending_at(live, None) is live
    assert brief_markdown(past).startswith("# Russia–China — 7 days to 14 Mar 2026")
    assert Brief.from_dict(past.to_dict()).window_end == past.window_end
