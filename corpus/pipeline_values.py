"""Frozen value objects passed between pipeline stages.

``FetchedPage`` (worker fetch) → ``ExtractedArticle`` (extract + clean) → ``Enrichment`` (analysis).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """Bytes fetched from a URL, with what the server said about them."""

    url: str
    final_url: str
    status: int
    content: bytes
    content_type: str = ""
    encoding: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """A cleaned article with its metadata, ready to store."""

    url: str
    title: str
    text: str
    author: str | None = None
    published: datetime | None = None
    site: str | None = None
    language: str | None = None
    canonical_url: str | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """A key figure: a number with what it measures and where it was said."""

    text: str
    value: float
    unit: str
    kind: str  # money | percent | quantity | count | duration
    measure: str
    sentence: str
    start: int
    end: int
    # What time the figure is for ("2024", "Jan–Jul 2025", "as of Oct", "by 2030"; "" when
    # the text names none) and whether it is an actual, a forecast, a target or a plan.
    period: str = ""
    status: str = "actual"  # actual | forecast | target | plan


@dataclass(frozen=True, slots=True)
class ThemeTag:
    """A theme assigned to an article, with a score and the evidence for it."""

    theme: str
    score: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Enrichment:
    """The analysis of one article: summary sentences, themes, figures and topics."""

    summary: tuple[str, ...]
    themes: tuple[ThemeTag, ...] = ()
    figures: tuple[Figure, ...] = ()
    topics: tuple[str, ...] = ()
    summary_backend: str = "extractive"
    notes: tuple[str, ...] = field(default=())
