"""The ingestion stages as plain functions: poll a source, fetch and store, analyse, ingest.

Each stage takes a ``Stages`` bundle of its dependencies (sessions, fetcher, extractor,
analyser, settings) and an id, so the same functions run in-process and under Celery.
Every write is idempotent: running a stage twice with the same id changes nothing.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from dateutil import parser as dateparser
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from corpus.articles import (
    begin_attempt,
    discover,
    get_article,
    mark_failed,
    mark_ready,
    pending_ids,
    record_analysis_error,
    record_attempt,
    signature_similarity,
    stale_pending_of_source,
    store_enrichment,
    store_extracted,
    unanalysed_ids,
)
from corpus.db import transaction
from corpus.models import ArticleStatus, SourceKind, SourceStatus
from corpus.records import Enrichment, ExtractedArticle, FetchedPage
from corpus.settings import Settings
from corpus.sources import SourceRow, due_source_ids, get_source
from corpus.sources import record_poll_failure as _record_failure
from corpus.sources import record_poll_success as _record_success
from worker.errors import PermanentError, PipelineError, TransientError, UnsafeURLError
from worker.events import ClusterPolicy, cluster_article
from worker.feeds import (
    MAX_CHILD_SITEMAPS,
    MAX_FEED_ITEMS,
    MAX_SITEMAP_DEPTH,
    Item,
    Kind,
    Listing,
    decode_html,
    feed_candidates,
    newest_items,
    parse_feed,
    parse_sitemap,
    sniff,
)
from worker.fetch.urls import MAX_URL_LENGTH
from worker.protocols import Extractor, Fetcher

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_FETCH_ATTEMPTS = 7  # transient failures of one article before it is given up
INGEST_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")


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
    similarity: Callable[[Sequence[int], Sequence[int]], float] = signature_similarity
    analyse: Callable[[str, str], Enrichment] | None = None
    extract_html: Callable[[str, str], ExtractedArticle] | None = None
    extract_text: Callable[[str, str, str | None], ExtractedArticle] | None = None
    # Per-site memory: drops paragraphs the article's source repeats across many articles.
    site_memory: Callable[[int, ExtractedArticle], ExtractedArticle] | None = None
    closers: tuple[Callable[[], None], ...] = ()
    # Raised through unchanged, never recorded as a failure (e.g. Celery's soft time limit).
    passthrough: tuple[type[BaseException], ...] = ()

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


@dataclass
class IngestReport:
    """What ``ingest_paths`` did, input by input."""

    stored: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files in a folder of no ingestible kind

    def summary(self) -> str:
        """One line for the terminal."""
        line = (
            f"{len(self.stored)} stored, {_count(len(self.duplicates), 'duplicate')}, "
            f"{len(self.already)} already in the corpus, {_count(len(self.problems), 'problem')}"
        )
        if self.skipped:
            line += f", {len(self.skipped)} skipped (not .txt, .html or .jsonl)"
        return line


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# --- polling -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Found:
    items: tuple[Item, ...]
    total: int
    kind: str | None = None
    resolved_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    warnings: tuple[str, ...] = ()


def _fetch_source(
    stages: Stages, url: str, etag: str | None = None, last_modified: str | None = None
) -> FetchedPage:
    stages.check_url(url)
    return stages.feed_fetcher.fetch(url, etag=etag, last_modified=last_modified)


def walk_sitemaps(
    first: Listing, first_url: str, read: Callable[[str], Listing], *, cap: int = MAX_FEED_ITEMS
) -> tuple[tuple[Item, ...], int, tuple[str, ...]]:
    """Follow a sitemap index to its child sitemaps, breadth first, with loops detected.

    Returns the newest ``cap`` article items, how many were listed in all, and warnings
    (loops, depth or count caps, children that failed).
    """
    seen = {first_url}
    queue: list[tuple[Listing, int]] = [(first, 0)]
    items: list[Item] = []
    total = 0
    warnings: list[str] = []
    children = 0
    while queue:
        listing, depth = queue.pop(0)
        if listing.kind != Kind.SITEMAP_INDEX:
            items.extend(listing.items)
            total += listing.total
            continue
        if depth >= MAX_SITEMAP_DEPTH:
            warnings.append(f"sitemap indexes nested deeper than {MAX_SITEMAP_DEPTH} were ignored")
            continue
        for child in listing.items:
            if child.url in seen:
                warnings.append(f"the sitemap index lists {child.url} again; the loop was ignored")
                continue
            if children >= MAX_CHILD_SITEMAPS:
                warnings.append(f"only the first {MAX_CHILD_SITEMAPS} child sitemaps were read")
                break
            seen.add(child.url)
            children += 1
            try:
                queue.append((read(child.url), depth + 1))
            except PipelineError as exc:
                warnings.append(f"child sitemap {child.url} failed: {exc.reason}")
    return newest_items(items, cap), total, tuple(dict.fromkeys(warnings))


def _read_listing(stages: Stages, page: FetchedPage, kind: str) -> _Found:
    url = page.final_url or page.url
    if kind == Kind.FEED:
        listing = parse_feed(page.content, url, content_type=page.content_type)
        notes: tuple[str, ...] = (listing.warning,) if listing.warning else ()
        return _Found(listing.items, listing.total, warnings=notes)
    first = parse_sitemap(page.content, url, max_bytes=stages.settings.fetch_max_bytes)

    def read(child_url: str) -> Listing:
        child = _fetch_source(stages, child_url)
        return parse_sitemap(
            child.content, child.final_url or child_url, max_bytes=stages.settings.fetch_max_bytes
        )

    items, total, warnings = walk_sitemaps(first, page.url, read)
    return _Found(items, total, kind=SourceKind.SITEMAP, warnings=warnings)


def _discover_feed(stages: Stages, source: SourceRow, home: FetchedPage) -> _Found:
    html = decode_html(home.content, home.encoding)
    tried: list[str] = []
    for candidate in feed_candidates(html, home.final_url or home.url):
        try:
            page = _fetch_source(stages, candidate)
        except PipelineError as exc:
            tried.append(f"{candidate} ({exc.reason})")
            continue
        kind = sniff(page.content, page.content_type)
        if kind in (Kind.FEED, Kind.SITEMAP, Kind.SITEMAP_INDEX):
            found = _read_listing(stages, page, Kind.FEED if kind == Kind.FEED else kind)
            return replace(
                found,
                kind=SourceKind.SITE,
                resolved_url=candidate,
                etag=page.etag,
                last_modified=page.last_modified,
            )
        tried.append(f"{candidate} (not a feed)")
    raise PermanentError(
        f'No feed was found on {source.url}: it announces none with <link rel="alternate"> '
        "and none answers at /feed, /rss.xml, /atom.xml, /feed.xml or /index.xml. "
        "Add the site's feed or sitemap URL instead."
    )


def _find_items(stages: Stages, source: SourceRow) -> _Found:
    if source.kind == SourceKind.PAGE and source.last_success_at is not None:
        return _Found((Item(source.url),), 1)
    target = source.resolved_url or source.url
    page = _fetch_source(stages, target, source.etag, source.last_modified)
    if page.not_modified:
        return _Found((), 0, not_modified=True)
    kind = sniff(page.content, page.content_type)
    if source.kind == SourceKind.PAGE:
        # The first poll confirms a page by its content; a feed or sitemap URL is re-kinded.
        if kind not in (Kind.FEED, Kind.SITEMAP, Kind.SITEMAP_INDEX):
            return _Found((Item(source.url),), 1, kind=SourceKind.PAGE)
        found = _read_listing(stages, page, kind)
        confirmed = found.kind or SourceKind.FEED
        return replace(found, kind=confirmed, etag=page.etag, last_modified=page.last_modified)
    if kind == Kind.HTML:
        if source.kind == SourceKind.SITEMAP:
            raise PermanentError(f"{target} returned an HTML page, not a sitemap.")
        if source.resolved_url:
            raise PermanentError(
                f"The feed found earlier at {target} now returns an HTML page; "
                "remove and re-add the source to find its feed again."
            )
        return _discover_feed(stages, source, page)
    if kind == Kind.UNKNOWN:
        ctype = page.content_type or "no content type"
        raise PermanentError(
            f"{target} returned {ctype}, which is neither a feed, a sitemap nor an HTML page."
        )
    found = _read_listing(stages, page, kind)
    confirmed = source.kind if source.kind == SourceKind.SITE else found.kind or SourceKind.FEED
    return replace(found, kind=confirmed, etag=page.etag, last_modified=page.last_modified)


def _summary(found: _Found, new: int, refused: int) -> str:
    if found.not_modified:
        return "not modified since the last poll; nothing new"
    parts = [f"found {_count(found.total, 'item')}, {new} new"]
    if found.total > len(found.items):
        parts.append(f"only the newest {len(found.items)} were taken")
    if refused:
        parts.append(f"{_count(refused, 'unsafe URL')} skipped")
    return ", ".join(parts)


def poll_source(
    stages: Stages, source_id: int, *, now: datetime | None = None, all_pending: bool = False
) -> PollResult:
    """Poll one source: conditional GET, list its items, record new articles.

    Returns the ids of articles to fetch: the new ones plus any discovered long ago but
    never fetched (their fetch task was lost); with ``all_pending`` (a redelivered poll,
    whose first run may have stopped while queueing its fetches), every pending one.
    Failures are recorded on the source.
    """
    with transaction(stages.sessions) as session:
        source = get_source(session, source_id)
    if source is None:
        return PollResult(source_id, "skipped", f"there is no source with id {source_id}")
    if source.status != SourceStatus.ACTIVE:
        return PollResult(source_id, "skipped", f"source is paused: {source.paused_reason}")
    try:
        found = _guarded(stages, lambda: _find_items(stages, source), "Reading the source")
    except PipelineError as exc:
        with transaction(stages.sessions) as session:
            _record_failure(
                session,
                source_id,
                exc.reason,
                max_failures=stages.settings.max_consecutive_failures,
                now=now,
            )
        return PollResult(source_id, "failed", f"poll failed: {exc.reason}", error=exc.reason)

    refused = 0
    keys: list[tuple[str, str]] = []
    for item in found.items:
        try:
            stages.check_url(item.url)
            keys.append((_canonical(stages, item.url), item.url))
        except UnsafeURLError as exc:
            refused += 1
            log.info("skipped unsafe URL in source %s: %s", source_id, exc.reason)
    new_ids: list[int] = []
    known_ids: list[int] = []
    with transaction(stages.sessions) as session:
        for canonical, url in dict(keys).items():
            article_id, is_new = discover(session, canonical, url, source_id)
            (new_ids if is_new else known_ids).append(article_id)
        older = timedelta(seconds=0 if all_pending else stages.settings.stale_pending_seconds)
        stale = sorted(
            set(pending_ids(session, known_ids, older_than=older, now=now))
            | set(stale_pending_of_source(session, source_id, older_than=older, now=now))
        )
        summary = _summary(found, len(new_ids), refused)
        warning = "; ".join(found.warnings) or None
        _record_success(
            session,
            source_id,
            summary=summary,
            etag=found.etag,
            last_modified=found.last_modified,
            kind=found.kind,
            resolved_url=found.resolved_url,
            warning=warning,
            now=now,
        )
    return PollResult(
        source_id,
        "not_modified" if found.not_modified else "ok",
        summary,
        tuple(new_ids + stale),
        found=found.total,
        new=len(new_ids),
        refused=refused,
        error=warning,
    )


def _canonical(stages: Stages, url: str) -> str:
    try:
        return stages.canonicalise(url) or url
    except (ValueError, TypeError):
        return url


# --- fetch, store, analyse -----------------------------------------------------------------


def store_article(stages: Stages, article_id: int, extracted: ExtractedArticle) -> FetchResult:
    """Deduplicate and store an extracted article under ``article_id``."""
    if stages.site_memory is not None:
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
        extracted = _guarded(stages, lambda: stages.extractor.extract(page), "Extraction")
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


def _guarded(stages: Stages, step: Callable[[], T], what: str) -> T:
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
        enrichment = _guarded(stages, lambda: analyse(ref.title or "", ref.text or ""), "Analysis")
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
            _guarded(
                stages, lambda: cluster_article(stages.sessions, article_id, policy), "Clustering"
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


# --- ingest from files and URLs ------------------------------------------------------------


def _expand(inputs: Iterable[str], skipped: list[str]) -> Iterable[str]:
    for raw in inputs:
        if raw.startswith(("http://", "https://")):
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            files = [child for child in sorted(path.rglob("*")) if child.is_file()]
            children = [child for child in files if child.suffix.lower() in INGEST_SUFFIXES]
            skipped.extend(str(child) for child in files if child not in children)
            # An empty folder is passed on as itself so that it is reported, not skipped silently.
            yield from (str(child) for child in children) if children else (raw,)
        else:
            yield raw


def _record(report: IngestReport, article_id: int, status: str, is_new: bool) -> None:
    if not is_new and status != ArticleStatus.PENDING:
        report.already.append(article_id)
    elif status == ArticleStatus.DUPLICATE:
        report.duplicates.append(article_id)
    elif status in (ArticleStatus.STORED, ArticleStatus.READY):
        report.stored.append(article_id)


def _ingest_document(
    stages: Stages, report: IngestReport, url: str, extracted: ExtractedArticle
) -> None:
    key = _canonical(stages, extracted.canonical_url or url)
    with transaction(stages.sessions) as session:
        article_id, is_new = discover(session, key, url, None)
        ref = get_article(session, article_id)
    if ref is not None and ref.status in (ArticleStatus.PENDING, ArticleStatus.FAILED):
        if ref.status == ArticleStatus.FAILED:
            is_new = True
        result = store_article(stages, article_id, extracted)
        status = analyse_article(stages, article_id) if result.needs_analysis else result.status
        _record(report, article_id, status, True)
        return
    _record(report, article_id, ref.status if ref else "missing", is_new)


def _jsonl_document(stages: Stages, record: dict[str, Any], where: str) -> ExtractedArticle:
    url = record.get("url") or ""
    if not url:
        raise PermanentError(f'{where} has no "url"; every line needs one.')
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        raise PermanentError(f'{where} has a "url" that is not an http(s) address: {url!r}.')
    if len(url) > MAX_URL_LENGTH:
        raise PermanentError(f'{where} has a "url" longer than {MAX_URL_LENGTH} characters.')
    if record.get("html"):
        assert stages.extract_html is not None
        extracted = stages.extract_html(str(record["html"]), url)
    elif record.get("text"):
        assert stages.extract_text is not None
        title = str(record.get("title") or "").strip() or None
        extracted = stages.extract_text(str(record["text"]), url, title)
    else:
        raise PermanentError(f'{where} has neither "text" nor "html".')
    published = extracted.published
    if record.get("date"):
        try:
            published = dateparser.parse(str(record["date"]))
        except (ValueError, OverflowError):
            date = record["date"]
            raise PermanentError(f"{where} has a date that cannot be read: {date!r}.") from None
    title = str(record.get("title") or "") or extracted.title
    return replace(extracted, title=title, published=published, url=url)


def ingest_paths(stages: Stages, inputs: Sequence[str]) -> IngestReport:
    """Ingest ``.txt``/``.html``/``.jsonl`` files, folders of them and URLs through the stages.

    A bad input (or a bad line of a ``.jsonl`` file) is reported and the rest carries on;
    the files of a folder that are of none of these kinds are listed in ``skipped``.
    """
    report = IngestReport()
    for entry in _expand(inputs, report.skipped):
        try:
            _ingest_one(stages, report, entry)
        except PipelineError as exc:
            report.problems.append(f"{entry}: {exc.reason}")
        except OSError as exc:
            report.problems.append(f"{entry}: could not be read ({exc.strerror or exc}).")
    return report


def _ingest_one(stages: Stages, report: IngestReport, entry: str) -> None:
    if entry.startswith(("http://", "https://")):
        stages.check_url(entry)
        with transaction(stages.sessions) as session:
            article_id, is_new = discover(session, _canonical(stages, entry), entry, None)
        result = process_article(stages, article_id)
        if result.error and result.status in (ArticleStatus.FAILED, ArticleStatus.PENDING):
            report.problems.append(f"{entry}: {result.error}")
            return
        _record(report, article_id, result.status, is_new)
        return
    path = Path(entry)
    suffix = path.suffix.lower()
    if not path.exists():
        raise PermanentError("could not be read (no such file or folder); check the path.")
    if path.is_dir():
        raise PermanentError("is a folder with no .txt, .html or .jsonl files in it.")
    if suffix not in INGEST_SUFFIXES:
        raise PermanentError("is not a .txt, .html or .jsonl file, a folder or an http(s) URL.")
    url = path.resolve().as_uri()
    if suffix == ".jsonl":
        try:
            # JSON Lines is UTF-8; a byte-order mark some editors write is tolerated.
            lines = path.read_bytes().decode("utf-8-sig").splitlines()
        except UnicodeDecodeError as exc:
            raise PermanentError(
                f"is not UTF-8 text (byte {exc.start} cannot be read); save it as UTF-8."
            ) from None
        if not any(line.strip() for line in lines):
            raise PermanentError("holds no lines; give one JSON object per line.")
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"line {number}"
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise PermanentError(f"{where} is not a JSON object.")
                document = _jsonl_document(stages, record, where)
                _ingest_document(stages, report, document.url, document)
            except json.JSONDecodeError as exc:
                report.problems.append(f"{entry}: {where} is not valid JSON ({exc.msg}).")
            except PipelineError as exc:
                reason = exc.reason if exc.reason.startswith(where) else f"{where}: {exc.reason}"
                report.problems.append(f"{entry}: {reason}")
        return
    # A file goes through the same extractor as a fetched page: its bytes are decoded by
    # declaration or sniffing (UTF-16, cp1252, ...) and binary content is refused.
    content_type = "text/plain" if suffix == ".txt" else "text/html"
    page = FetchedPage(url, url, 200, path.read_bytes(), content_type=content_type)
    _ingest_document(stages, report, url, stages.extractor.extract(page))


# --- the in-process runner (no Redis) ------------------------------------------------------


@dataclass
class RunReport:
    """What one in-process round of due polls did."""

    polls: list[PollResult] = field(default_factory=list)
    articles: list[FetchResult] = field(default_factory=list)


def overdue_analyses(stages: Stages, *, now: datetime | None = None) -> list[int]:
    """Ids of stored articles whose analysis should have happened long ago (its task was lost)."""
    with transaction(stages.sessions) as session:
        overdue = timedelta(seconds=stages.settings.analysis_overdue_seconds)
        return unanalysed_ids(session, older_than=overdue, now=now)


def run_due_polls(stages: Stages, *, now: datetime | None = None) -> RunReport:
    """Poll every due source and process what it found, all in this process."""
    report = RunReport()
    with transaction(stages.sessions) as session:
        due = due_source_ids(session, now)
    for source_id in due:
        poll = poll_source(stages, source_id, now=now)
        report.polls.append(poll)
        for article_id in poll.article_ids:
            report.articles.append(process_article(stages, article_id))
    for article_id in overdue_analyses(stages, now=now):
        analyse_article(stages, article_id)
    return report


def run_forever(stages: Stages, stop: threading.Event, *, every: float = 60.0) -> None:
    """Run ``run_due_polls`` every ``every`` seconds until ``stop`` is set."""
    while not stop.is_set():
        try:
            report = run_due_polls(stages)
            for poll in report.polls:
                log.info("source %s: %s", poll.source_id, poll.summary)
        except Exception:  # keep the loop alive; the next round tries again
            log.exception("in-process polling round failed")
        stop.wait(every)
