"""Parsing an admin's digest settings: time of day, IANA time zone and frequency."""

from __future__ import annotations

import re
from datetime import time
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

Frequency = Literal["daily", "weekly"]
FREQUENCIES: tuple[Frequency, ...] = ("daily", "weekly")

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
