"""Small protocols the pipeline depends on, so tests can swap a stage without patching."""

from __future__ import annotations

from typing import Protocol

from corpus.pipeline_values import ExtractedArticle, FetchedPage


class Fetcher(Protocol):
    """Fetches one URL politely and safely."""

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchedPage:
        """Return the page; raise ``PermanentError``/``TransientError`` on failure."""
        ...


class Extractor(Protocol):
    """Turns fetched HTML (or plain text) into a cleaned article."""

    def extract(self, page: FetchedPage) -> ExtractedArticle:
        """Return the cleaned article; raise ``PermanentError`` if there is no article body."""
        ...


class Summariser(Protocol):
    """Summarises article text into a few sentences taken from it (or grounded in it)."""

    def summarise(self, title: str, text: str) -> tuple[list[str], str]:
        """Return ``(sentences, backend_name)``."""
        ...
