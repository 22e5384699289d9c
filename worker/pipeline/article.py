"""Fetch, extract, store and analyse one article, and put it into its event."""

from __future__ import annotations

import logging
from dataclasses import replace

from corpus.articles import (
    begin_attempt,
    get_article,
    mark_failed,
    mark_ready,
    record_analysis_error,
    record_attempt,
    store_enrichment,
    store_extracted,
)
from corpus.db import transaction
from corpus.pipeline_values import ExtractedArticle
from corpus.tables import ArticleStatus
from worker.errors import PermanentError, TransientError
from worker.events import ClusterPolicy, cluster_article
from worker.limits import MAX_FETCH_ATTEMPTS
from worker.pipeline.stages import FetchResult, Stages, guarded

log = logging.getLogger(__name__)


def store_article(stages: Stages, article_id: int, extracted: ExtractedArticle) -> FetchResult:
    """Deduplicate and store an extracted article under ``article_id``."""
    extracted = stages.site_memory(article_id, extracted)
    fp = stages.fingerprint(extracted.text)
    with transaction(stages.sessions) as session:
        result = store_extracted(
            session,
            article_id,
            extracted,
            fp.text_hash,
            fp.minhash,
            fp.band_keys,
            stages.threshold,
            stages.similarity,
        )
    return FetchResult(article_id, result.status, result.status == ArticleStatus.STORED)


def fetch_and_store(stages: Stages, article_id: int) -> FetchResult:
    """Fetch, extract, clean, deduplicate and store one discovered article.

    An article already past this stage is left alone (``needs_analysis`` tells whether
    its analysis is still due). Every attempt is counted before it starts. Permanent
    failures are recorded on the article; a ``TransientError`` is recorded and raised again
    for the caller to retry, until the ``MAX_FETCH_ATTEMPTS``-th attempt, which records a
    permanent failure. An article whose attempts never reported back (its worker died each
    time) is given up the same way.
    """
    with transaction(stages.sessions) as session:
        ref = begin_attempt(session, article_id)
    if ref is None:
        return FetchResult(article_id, "missing", False, f"there is no article {article_id}")
    if ref.status != ArticleStatus.PENDING:
        return FetchResult(article_id, ref.status, ref.status == ArticleStatus.STORED, ref.error)
    if ref.attempts > MAX_FETCH_ATTEMPTS:
        last = ref.error or "earlier attempts ended without a result (the worker stopped)"
        reason = f"Gave up after {MAX_FETCH_ATTEMPTS} attempts; last error: {last}"
        return fail_article(stages, article_id, reason)
    try:
        stages.check_url(ref.url)
        page = stages.fetcher.fetch(ref.url)
        extracted = guarded(stages, lambda: stages.extractor.extract(page), "Extraction")
    except PermanentError as exc:
        return fail_article(stages, article_id, exc.reason)
    except TransientError as exc:
        if ref.attempts >= MAX_FETCH_ATTEMPTS:
            reason = f"Gave up after {ref.attempts} attempts; last error: {exc.reason}"
            return fail_article(stages, article_id, reason)
        with transaction(stages.sessions) as session:
            record_attempt(session, article_id, exc.reason)
        raise
    return store_article(stages, article_id, extracted)


def fail_article(stages: Stages, article_id: int, reason: str) -> FetchResult:
    """Record a permanent failure of an article with its reason."""
    with transaction(stages.sessions) as session:
        ref = mark_failed(session, article_id, reason)
    return FetchResult(article_id, ref.status, ref.status == ArticleStatus.STORED, ref.error)


def analyse_article(stages: Stages, article_id: int) -> str:
    """Analyse a stored article, mark it ready and put it into its event; return its status.

    Without an analyser the article is only marked ready (no made-up summary). If the
    analysis fails on this text, the reason is recorded and the article stays stored.
    A ready article not yet in an event (its worker died in between) is clustered again.
    """
    with transaction(stages.sessions) as session:
        ref = get_article(session, article_id)
    if ref is None:
        return "missing"
    if ref.status == ArticleStatus.READY:
        return _clustered(stages, article_id, ref.status)
    if ref.status != ArticleStatus.STORED:
        return ref.status
    if stages.analyse is None:
        with transaction(stages.sessions) as session:
            status = mark_ready(session, article_id).status
        return _clustered(stages, article_id, status)
    analyse = stages.analyse
    try:
        enrichment = guarded(stages, lambda: analyse(ref.title or "", ref.text or ""), "Analysis")
    except PermanentError as exc:
        with transaction(stages.sessions) as session:
            return record_analysis_error(session, article_id, exc.reason).status
    with transaction(stages.sessions) as session:
        status = store_enrichment(session, article_id, enrichment).status
    return _clustered(stages, article_id, status)


def _clustered(stages: Stages, article_id: int, status: str) -> str:
    """Put a ready article into its event (a no-op when it has one); return ``status``."""
    if status == ArticleStatus.READY:
        policy = ClusterPolicy.from_settings(stages.settings)
        try:
            guarded(
                stages,
                lambda: cluster_article(
                    stages.sessions, article_id, policy, due=stages.due_stories
                ),
                "Clustering",
            )
        except PermanentError as exc:  # the article stays in briefs, as an event of its own
            log.error("Article %s was not put into an event: %s", article_id, exc.reason)
    return status


def process_article(stages: Stages, article_id: int) -> FetchResult:
    """Fetch, store and analyse one article in-process; transient failures leave it pending."""
    try:
        result = fetch_and_store(stages, article_id)
    except TransientError as exc:
        return FetchResult(article_id, ArticleStatus.PENDING, False, exc.reason)
    if result.needs_analysis:
        return replace(result, status=analyse_article(stages, article_id), needs_analysis=False)
    return result
