"""Poll a source: conditional GET, read its feed or sitemaps (or find its feed), record items."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from corpus.articles import discover, pending_ids, stale_pending_of_source
from corpus.db import transaction
from corpus.pipeline_values import FetchedPage
from corpus.sources import SourceRow, get_source
from corpus.sources import record_poll_failure as _record_failure
from corpus.sources import record_poll_success as _record_success
from corpus.tables import SourceKind, SourceStatus
from worker import charset
from worker.errors import PermanentError, PipelineError, UnsafeURLError
from worker.feeds import (
    MAX_CHILD_SITEMAPS,
    MAX_FEED_ITEMS,
    MAX_SITEMAP_DEPTH,
    Item,
    Kind,
    Listing,
    feed_candidates,
    newest_items,
    parse_feed,
    parse_sitemap,
    sniff,
)
from worker.pipeline.stages import PollResult, Stages, canonical_url, guarded, plural

log = logging.getLogger(__name__)


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
    first = parse_sitemap(page.content, url, max_bytes=stages.settings.worker.fetch_max_bytes)

    def read(child_url: str) -> Listing:
        child = _fetch_source(stages, child_url)
        return parse_sitemap(
            child.content,
            child.final_url or child_url,
            max_bytes=stages.settings.worker.fetch_max_bytes,
        )

    items, total, warnings = walk_sitemaps(first, page.url, read)
    return _Found(items, total, kind=SourceKind.SITEMAP, warnings=warnings)


def _discover_feed(stages: Stages, source: SourceRow, home: FetchedPage) -> _Found:
    html = charset.decode(home.content, home.encoding)
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
    parts = [f"found {plural(found.total, 'item')}, {new} new"]
    if found.total > len(found.items):
        parts.append(f"only the newest {len(found.items)} were taken")
    if refused:
        parts.append(f"{plural(refused, 'unsafe URL')} skipped")
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
        found = guarded(stages, lambda: _find_items(stages, source), "Reading the source")
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
            keys.append((canonical_url(stages, item.url), item.url))
        except UnsafeURLError as exc:
            refused += 1
            log.info("skipped unsafe URL in source %s: %s", source_id, exc.reason)
    new_ids: list[int] = []
    known_ids: list[int] = []
    with transaction(stages.sessions) as session:
        for canonical, url in dict(keys).items():
            article_id, is_new = discover(session, canonical, url, source_id)
            (new_ids if is_new else known_ids).append(article_id)
        older = timedelta(
            seconds=0 if all_pending else stages.settings.worker.stale_pending_seconds
        )
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
