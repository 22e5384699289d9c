"""Plain values the schema stores: status names and UTC time helpers.

They import nothing beyond the standard library, so code that only reads rows (the
``sources list`` command) needs no ORM; ``corpus.models`` re-exports them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import overload


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
@overload
def as_utc(value: datetime | None) -> datetime | None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """Return ``value`` as an aware UTC datetime (SQLite hands back naive UTC values)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class SourceKind(StrEnum):
    """What a source URL points to."""

    FEED = "feed"
    SITEMAP = "sitemap"
    PAGE = "page"
    SITE = "site"


class SourceStatus(StrEnum):
    """Whether a source is being polled."""

    ACTIVE = "active"
    PAUSED = "paused"


class ArticleStatus(StrEnum):
    """Where an article is in the pipeline."""

    PENDING = "pending"  # URL discovered, not fetched yet
    STORED = "stored"  # extracted and cleaned, waiting for analysis
    READY = "ready"  # analysed; visible in briefs
    DUPLICATE = "duplicate"  # identical text to ``duplicate_of``; no text kept
    FAILED = "failed"  # permanent failure, reason in ``error``
