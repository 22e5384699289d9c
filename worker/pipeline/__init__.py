"""The ingestion stages as plain functions: poll a source, fetch and store, analyse, ingest.

Each stage takes a ``Stages`` bundle of its dependencies (sessions, fetcher, extractor,
analyser, settings) and an id, so the same functions run in-process and under Celery.
Every write is idempotent: running a stage twice with the same id changes nothing.

One job a module: ``stages`` (the bundle and the results), ``poll`` (sources),
``article`` (fetch, store, analyse one article), ``ingest`` (files and URLs) and
``runner`` (the in-process loop). The names are re-exported here.
"""

from worker.pipeline.article import (
    MAX_FETCH_ATTEMPTS,
    analyse_article,
    fail_article,
    fetch_and_store,
    process_article,
    store_article,
)
from worker.pipeline.ingest import INGEST_SUFFIXES, IngestReport, ingest_paths
from worker.pipeline.poll import poll_source, walk_sitemaps
from worker.pipeline.runner import RunReport, overdue_analyses, run_due_polls, run_forever
from worker.pipeline.stages import FetchResult, Fingerprint, PollResult, Stages

__all__ = [
    "INGEST_SUFFIXES",
    "MAX_FETCH_ATTEMPTS",
    "FetchResult",
    "Fingerprint",
    "IngestReport",
    "PollResult",
    "RunReport",
    "Stages",
    "analyse_article",
    "fail_article",
    "fetch_and_store",
    "ingest_paths",
    "overdue_analyses",
    "poll_source",
    "process_article",
    "run_due_polls",
    "run_forever",
    "store_article",
    "walk_sitemaps",
]
