"""``Stages``, the value objects the stage functions return, and the helpers they share."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from corpus.articles import signature_similarity
from corpus.pipeline_values import Enrichment, ExtractedArticle
from corpus.settings import Settings
from worker.errors import PermanentError, PipelineError
from worker.protocols import Extractor, Fetcher

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Dedup fingerprints of a text: exact hash, MinHash signature, LSH band keys."""

    text_hash: str
    minhash: tuple[int, ...]
    band_keys: tuple[str, ...]


@dataclass(frozen=True)
class Stages:
    """Everything the stage functions depend on, built once per process."""

    sessions: sessionmaker[Session]
    settings: Settings
    fetcher: Fetcher  # article pages
    feed_fetcher: Fetcher  # sources: feeds, sitemaps and home pages
    extractor: Extractor
    check_url: Callable[[str], object]  # raises UnsafeURLError with the reason
    canonicalise: Callable[[str], str]
    fingerprint: Callable[[str], Fingerprint]
    threshold: float
    extract_html: Callable[[str, str], ExtractedArticle]  # html, url (JSONL lines)
    extract_text: Callable[[str, str, str | None], ExtractedArticle]  # text, url, title
    # Per-site memory: drops paragraphs the article's source repeats across many articles.
    site_memory: Callable[[int, ExtractedArticle], ExtractedArticle]
    # None when the analysis package is not installed: stored articles are only marked ready.
    analyse: Callable[[str, str], Enrichment] | None
    similarity: Callable[[Sequence[int], Sequence[int]], float] = signature_similarity
    closers: tuple[Callable[[], None], ...] = ()
    # Raised through unchanged, never recorded as a failure (e.g. Celery's soft time limit).
    passthrough: tuple[type[BaseException], ...] = ()
    # In a batch: the events whose stored stories are recomposed at its end, not at each
    # article (``worker.events.recompose_due``); None recomposes them with each article.
    due_stories: set[int] | None = None

    def close(self) -> None:
        """Close the fetchers' connection pools and anything else opened for the stages."""
        for fetcher in {id(f): f for f in (self.fetcher, self.feed_fetcher)}.values():
            close = getattr(fetcher, "close", None)
            if close is not None:
                close()
        for closer in self.closers:
            closer()


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll of a source did; ``article_ids`` are the articles to fetch now."""

    source_id: int
    status: str  # ok | not_modified | failed | skipped
    summary: str
    article_ids: tuple[int, ...] = ()
    found: int = 0
    new: int = 0
    refused: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What fetching and storing one article did."""

    article_id: int
    status: str
    needs_analysis: bool
    error: str | None = None


def plural(n: int, noun: str) -> str:
    """``n`` and ``noun``, with an ``s`` unless ``n`` is one."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def guarded(stages: Stages, step: Callable[[], T], what: str) -> T:
    """Run ``step``; an unexpected error (a library tripping on hostile input) is permanent.

    Database errors and ``stages.passthrough`` go through unchanged: they say nothing about
    the input, and the caller's retry policy handles them.
    """
    try:
        return step()
    except PipelineError:
        raise
    except Exception as exc:
        if isinstance(exc, (SQLAlchemyError, *stages.passthrough)):
            raise
        log.exception("%s failed unexpectedly", what)
        raise PermanentError(
            f"{what} failed unexpectedly ({exc.__class__.__name__}: {exc}); "
            "the input was set aside."
        ) from exc


def canonical_url(stages: Stages, url: str) -> str:
    """``url`` canonicalised by the stages, or itself when it cannot be."""
    try:
        return stages.canonicalise(url) or url
    except (ValueError, TypeError):
        return url
