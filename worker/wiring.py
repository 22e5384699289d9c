"""Build the pipeline's ``Stages`` from settings: the real fetcher, extractor, dedup, analysis."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import httpx
from sqlalchemy.orm import Session, sessionmaker

from corpus.pipeline_values import Enrichment, FetchedPage
from corpus.settings import Settings
from worker import dedup
from worker.canonical import canonical_url
from worker.extract import Extractor, extract_html, extract_text_document
from worker.fetch import build_fetcher
from worker.fetch.politeness import HostLimiter, RedisLimiter
from worker.fetch.urls import check_url, parse_networks
from worker.pipeline import Fingerprint, Stages
from worker.protocols import Fetcher
from worker.site_memory import SiteMemory

log = logging.getLogger(__name__)


class _AnyKindFetcher:
    """A ``Fetcher`` for sources: accepts feeds, sitemaps and home pages alike."""

    def __init__(self, fetcher: Any) -> None:
        self._fetcher = fetcher

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchedPage:
        """Fetch ``url`` conditionally, whatever kind of document it is."""
        page: FetchedPage = self._fetcher.fetch(
            url, etag=etag, last_modified=last_modified, kind="any"
        )
        return page


def fingerprint(text: str) -> Fingerprint:
    """Exact hash, MinHash signature and LSH band keys of ``text``."""
    text_hash, signature = dedup.hash_and_signature(text)
    return Fingerprint(
        text_hash,
        tuple(int(value) for value in signature),
        tuple(dedup.band_keys(signature)),
    )


def find_analyser(
    settings: Settings, sessions: sessionmaker[Session]
) -> tuple[Callable[[str, str], Enrichment] | None, Callable[[], None] | None]:
    """Return the analyser (and what closes it), or ``(None, None)`` if analysis is missing.

    The analyser reads admin-added topics on each call and uses the LLM summariser when
    ``NEWSBRIEF_LLM__BASE_URL`` is set, the extractive one otherwise.
    """
    try:
        analysis = importlib.import_module("worker.analysis.analyse")
        llm = importlib.import_module("worker.analysis.llm")
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("worker.analysis"):
            raise
        log.warning("analysis is not available; stored articles are only marked ready")
        return None, None
    client: httpx.Client | None = None
    if settings.llm.base_url:
        client = httpx.Client(timeout=settings.llm.timeout_seconds, trust_env=False)
        summariser = llm.summariser_from_settings(settings.llm, sessions, client)
    else:
        summariser = None
    analyser: Callable[[str, str], Enrichment] = analysis.make_analyser(sessions, summariser)
    return analyser, (client.close if client is not None else None)


def redis_limiter(settings: Settings) -> HostLimiter | None:
    """Per-host limits shared through Redis between worker processes, when Redis is set."""
    if not settings.redis_url:
        return None
    import redis

    return RedisLimiter.from_settings(settings, redis.Redis.from_url(settings.redis_url))


def build_stages(
    settings: Settings,
    sessions: sessionmaker[Session],
    *,
    fetcher: Fetcher | None = None,
    limiter: HostLimiter | None = None,
    allowed_networks: Iterable[str] = (),
) -> Stages:
    """Wire the real parts into ``Stages``; close it with ``stages.close()``.

    ``allowed_networks`` (CIDR strings) are accepted although private networks are not,
    both by the fetcher and by the check of every URL found in a feed or sitemap.
    """
    allowed = tuple(allowed_networks)
    real = fetcher or build_fetcher(settings, limiter=limiter, allowed_networks=allowed)
    analyser, close_analyser = find_analyser(settings, sessions)
    return Stages(
        sessions=sessions,
        settings=settings,
        fetcher=real,
        feed_fetcher=_AnyKindFetcher(real),
        extractor=Extractor(),
        check_url=partial(
            check_url,
            allow_private=settings.allow_private_networks,
            allowed=parse_networks(allowed),
        ),
        canonicalise=canonical_url,
        fingerprint=fingerprint,
        threshold=dedup.NEAR_DUPLICATE_THRESHOLD,
        analyse=analyser,
        extract_html=extract_html,
        extract_text=extract_text_document,
        site_memory=SiteMemory(sessions),
        closers=(close_analyser,) if close_analyser is not None else (),
    )
