"""Per-site memory in the store step: paragraphs a source repeats in many articles are dropped.

The recurring paragraphs of each source are counted from its stored articles
(``corpus.boilerplate.recurring_lines``) and kept for a few minutes per process, so storing an
article costs one bounded query per source now and then, not one per article.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy.orm import Session, sessionmaker

from corpus.articles import get_article
from corpus.boilerplate import recurring_lines
from corpus.pipeline_values import ExtractedArticle
from worker.clean import drop_recurring_lines

__all__ = ["SiteMemory"]

_TTL_SECONDS = 300.0
_MAX_SOURCES = 512


class SiteMemory:
    """Drops a source's recurring boilerplate paragraphs from an article before it is stored."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        ttl: float = _TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._cache: dict[int, tuple[float, frozenset[str]]] = {}

    def _recurring(self, session: Session, source_id: int) -> frozenset[str]:
        now = self._clock()
        with self._lock:
            cached = self._cache.get(source_id)
        if cached is not None and now - cached[0] < self._ttl:
            return cached[1]
        keys = recurring_lines(session, source_id)
        with self._lock:
            if len(self._cache) >= _MAX_SOURCES:
                self._cache.clear()
            self._cache[source_id] = (now, keys)
        return keys

    def __call__(self, article_id: int, extracted: ExtractedArticle) -> ExtractedArticle:
        """Return ``extracted`` without the paragraphs its source repeats across articles."""
        with self._sessions() as session:
            ref = get_article(session, article_id)
            if ref is None or ref.source_id is None:
                return extracted
            recurring = self._recurring(session, ref.source_id)
        text = drop_recurring_lines(extracted.text, recurring)
        return extracted if text == extracted.text else replace(extracted, text=text)
