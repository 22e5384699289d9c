"""The end of a past brief window, read from what a person types (``--until``, ``until:``)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from corpus.brief_values import Brief
from corpus.clock import as_utc

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_EXAMPLE = "YYYY-MM-DD, e.g. 2026-11-30"


class UntilError(ValueError):
    """A window end that cannot be used; the message says why, for the person who typed it."""


def parse_until(text: str, now: datetime | None = None) -> datetime:
    """Return the aware UTC end of a past window given as a date or an ISO date and time.

    A bare date means the end of that day (UTC); a day that has not ended yet ends now.
    Raises ``UntilError`` for text that is not a date or for a moment in the future.
    """
    now = as_utc(now) or datetime.now(UTC)
    value = text.strip()
    try:
        if _DAY.fullmatch(value):
            day = datetime.fromisoformat(value).date()
            end = datetime.combine(day, time.max, UTC)
            if end > now and day <= now.date():
                return now
        else:
            end = as_utc(datetime.fromisoformat(value))
    except ValueError:
        raise UntilError(f"{text!r} is not a date; give one as {_EXAMPLE}.") from None
    if end > now + timedelta(seconds=1):
        raise UntilError(f"{text!r} is in the future; give a past date as {_EXAMPLE}.")
    return min(end, now)


def ending_at(brief: Brief, end: datetime | None) -> Brief:
    """Return ``brief`` marked as the window ending at the past moment ``end`` (None: now)."""
    return brief if end is None else replace(brief, window_end=end)


def window_span(brief: Brief) -> str:
    """Say the brief's window: "last 7 days", or "7 days to 14 Mar 2026" for a past one."""
    days = brief.window_days
    if brief.window_end is None:
        return "last day" if days == 1 else f"last {days} days"
    length = "1 day" if days == 1 else f"{days} days"
    return f"{length} to {brief.window_end.day} {brief.window_end:%b %Y}"
