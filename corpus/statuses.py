"""The kinds and statuses the schema stores, as plain enums.

They import nothing beyond the standard library, so code that only reads rows (the
``sources list`` command) needs no ORM; ``corpus.tables`` re-exports them.
"""

from __future__ import annotations

from enum import StrEnum


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
