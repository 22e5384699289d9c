"""The sources the worker polls: add, list, pause, resume, remove, and poll bookkeeping.

The URL-safety check lives in the worker (``worker/fetch/urls.py``); callers validate a URL
before ``add_source`` and this module only stores it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from corpus import source_rows as rows
from corpus.clock import as_utc, utcnow
from corpus.db import session_reader
from corpus.source_rows import ItemHealth as ItemHealth
from corpus.source_rows import SourceRow as SourceRow
from corpus.tables import Source, SourceKind, SourceStatus

_FEED_SUFFIXES = (".rss", ".atom", ".rdf", "/feed", "/rss", "/atom", "/feed/", "/rss/", "/atom/")
_FEED_WORDS = ("rss", "atom", "feed")
_SITEMAP_WORDS = ("sitemap",)
_PAGE_SUFFIXES = (".html", ".htm", ".php", ".asp", ".aspx", ".shtml")


class SourceError(ValueError):
    """A source operation was refused; ``reason`` says why in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def guess_kind(url: str) -> str:
    """Guess a source's kind from the shape of its URL; the first poll confirms it."""
    parts = urlsplit(url)
    path = parts.path.lower()
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if path.endswith(_PAGE_SUFFIXES):
        return SourceKind.PAGE
    if any(word in last for word in _SITEMAP_WORDS) or path.endswith((".xml.gz",)):
        return SourceKind.SITEMAP
    if path.endswith(_FEED_SUFFIXES) or any(word in last for word in _FEED_WORDS):
        return SourceKind.FEED
    if path.endswith(".xml"):
        return SourceKind.FEED
    if path in ("", "/") and not parts.query:
        return SourceKind.SITE
    return SourceKind.PAGE


def _row(source: Source, items: ItemHealth | None = None) -> SourceRow:
    items = items or ItemHealth()
    return SourceRow(
        id=source.id,
        url=source.url,
        kind=source.kind,
        topic=source.topic,
        status=source.status,
        paused_reason=source.paused_reason,
        resolved_url=source.resolved_url,
        poll_interval_seconds=source.poll_interval_seconds,
        added_by_guild=source.added_by_guild,
        added_by_user=source.added_by_user,
        created_at=as_utc(source.created_at) or utcnow(),
        last_polled_at=as_utc(source.last_polled_at),
        last_success_at=as_utc(source.last_success_at),
        last_error=source.last_error,
        last_poll_summary=source.last_poll_summary,
        consecutive_failures=source.consecutive_failures,
        etag=source.etag,
        last_modified=source.last_modified,
        article_count=items.stored + items.failed + items.pending,
        items=items,
    )


def item_health(
    session: Session, source_id: int, counts: dict[str, int] | None = None
) -> ItemHealth:
    """Return what became of one source's items (``counts`` by status, if already read)."""
    return rows.item_health(session_reader(session), source_id, counts)


def _load(session: Session, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        raise SourceError(f"There is no source with id {source_id}; `sources list` shows them.")
    return source


def add_source(
    session: Session,
    url: str,
    *,
    topic: str | None = None,
    kind: str | None = None,
    poll_interval_seconds: int | None = None,
    added_by_guild: int | None = None,
    added_by_user: int | None = None,
) -> SourceRow:
    """Store a new source (already checked as safe by the caller) and return it.

    Raises ``SourceError`` if the URL is already a source or the kind is unknown.
    """
    url = url.strip()
    chosen = kind or guess_kind(url)
    if chosen not in tuple(SourceKind):
        raise SourceError(f"Unknown source kind {chosen!r}; use one of {', '.join(SourceKind)}.")
    existing = session.execute(select(Source).where(Source.url == url)).scalar_one_or_none()
    if existing is not None:
        raise SourceError(f"{url} is already source {existing.id}.")
    source = Source(
        url=url,
        kind=chosen,
        topic=topic,
        status=SourceStatus.ACTIVE,
        added_by_guild=added_by_guild,
        added_by_user=added_by_user,
        consecutive_failures=0,
    )
    if poll_interval_seconds is not None:
        source.poll_interval_seconds = poll_interval_seconds
    try:
        with session.begin_nested():
            session.add(source)
            session.flush()
    except IntegrityError as exc:
        raise SourceError(f"{url} is already a source.") from exc
    return _row(source)


def get_source(session: Session, source_id: int) -> SourceRow | None:
    """Return one source, or None if there is no such id."""
    return rows.read_source(session_reader(session), source_id)


def list_sources(session: Session) -> list[SourceRow]:
    """Return every source with what became of its items, oldest first."""
    return rows.read_sources(session_reader(session))


MIN_POLL_INTERVAL_SECONDS = 60
MAX_POLL_INTERVAL_SECONDS = 7 * 86400


def edit_source(
    session: Session,
    source_id: int,
    *,
    topic: str | None = None,
    clear_topic: bool = False,
    poll_interval_seconds: int | None = None,
) -> SourceRow:
    """Change a source's topic (already checked to exist) or poll interval; return it.

    ``clear_topic`` removes the topic. Raises ``SourceError`` for an interval out of bounds
    or when nothing was asked to change.
    """
    source = _load(session, source_id)
    if topic is None and not clear_topic and poll_interval_seconds is None:
        raise SourceError("Say what to change: a topic, an interval, or both.")
    if poll_interval_seconds is not None:
        low, high = MIN_POLL_INTERVAL_SECONDS, MAX_POLL_INTERVAL_SECONDS
        if not low <= poll_interval_seconds <= high:
            raise SourceError(
                f"The poll interval must be between {low // 60} minute and {high // 86400} "
                f"days, not {poll_interval_seconds} seconds."
            )
        source.poll_interval_seconds = poll_interval_seconds
    if clear_topic:
        source.topic = None
    elif topic is not None:
        source.topic = topic
    session.flush()
    return _row(source, item_health(session, source_id))


def remove_source(session: Session, source_id: int) -> SourceRow:
    """Delete a source; its articles stay in the corpus. Returns what was removed."""
    source = _load(session, source_id)
    row = _row(source, item_health(session, source_id))
    session.delete(source)
    session.flush()
    return row


def pause_source(session: Session, source_id: int, reason: str = "paused by an admin") -> SourceRow:
    """Stop polling a source, recording why.

    A source that is already paused keeps its first reason (often the automatic one, which
    says what failed).
    """
    source = _load(session, source_id)
    if source.status == SourceStatus.PAUSED:
        return _row(source, item_health(session, source_id))
    source.status = SourceStatus.PAUSED
    source.paused_reason = reason
    session.flush()
    return _row(source, item_health(session, source_id))


def already(row: SourceRow, action: str) -> str | None:
    """Say why ``action`` ("pause" or "resume") would change nothing for ``row``, or None.

    The words follow "Source N": "is already paused (paused by an admin)."
    """
    if action == "pause" and row.status == SourceStatus.PAUSED:
        reason = (row.paused_reason or "no reason given").rstrip(".")
        return f"is already paused ({reason})."
    if action == "resume" and row.status == SourceStatus.ACTIVE:
        return "is already active: it is polled as usual."
    return None


def resume_source(session: Session, source_id: int) -> SourceRow:
    """Poll a paused source again, with its failure count reset."""
    source = _load(session, source_id)
    source.status = SourceStatus.ACTIVE
    source.paused_reason = None
    source.consecutive_failures = 0
    session.flush()
    return _row(source, item_health(session, source_id))


def record_poll_success(
    session: Session,
    source_id: int,
    *,
    summary: str,
    etag: str | None = None,
    last_modified: str | None = None,
    kind: str | None = None,
    resolved_url: str | None = None,
    warning: str | None = None,
    now: datetime | None = None,
) -> SourceRow:
    """Record a poll that worked: when, what it found, validators for the next conditional GET.

    ``warning`` (e.g. a malformed feed that still had entries) is kept as ``last_error``.
    """
    source = _load(session, source_id)
    moment = now or utcnow()
    source.last_polled_at = moment
    source.last_success_at = moment
    source.last_poll_summary = summary
    source.last_error = warning
    source.consecutive_failures = 0
    # A validator longer than its column is not kept (a cut one would never match): the next
    # poll is then an ordinary GET.
    if etag is not None:
        source.etag = etag if len(etag) <= Source.etag.type.length else None
    if last_modified is not None:
        fits = len(last_modified) <= Source.last_modified.type.length
        source.last_modified = last_modified if fits else None
    if kind is not None:
        source.kind = kind
    if resolved_url is not None:
        source.resolved_url = resolved_url
    session.flush()
    return _row(source, item_health(session, source_id))


def record_poll_failure(
    session: Session,
    source_id: int,
    reason: str,
    *,
    max_failures: int,
    now: datetime | None = None,
) -> SourceRow:
    """Record a failed poll; after ``max_failures`` in a row the source is paused, saying why."""
    source = _load(session, source_id)
    source.last_polled_at = now or utcnow()
    source.last_error = reason
    source.last_poll_summary = f"poll failed: {reason}"
    source.consecutive_failures = (source.consecutive_failures or 0) + 1
    if source.consecutive_failures >= max_failures and source.status == SourceStatus.ACTIVE:
        source.status = SourceStatus.PAUSED
        source.paused_reason = (
            f"paused after {source.consecutive_failures} failed polls in a row; "
            f"last error: {reason}"
        )
    session.flush()
    return _row(source, item_health(session, source_id))


def due_source_ids(session: Session, now: datetime | None = None) -> list[int]:
    """Return the ids of active sources whose poll interval has passed (or never polled)."""
    moment = now or utcnow()
    rows = session.execute(
        select(Source.id, Source.last_polled_at, Source.poll_interval_seconds)
        .where(Source.status == SourceStatus.ACTIVE)
        .order_by(Source.id)
    ).all()
    due: list[int] = []
    for source_id, last_polled, interval in rows:
        last = as_utc(last_polled)
        if last is None or last + timedelta(seconds=interval) <= moment:
            due.append(int(source_id))
    return due
