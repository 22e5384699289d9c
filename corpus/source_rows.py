"""Sources as plain rows, read with plain SQL that SQLite and PostgreSQL both run.

Listing sources is the command people run most, so reading them needs neither the ORM nor
SQLAlchemy: a :data:`Reader` runs a query and returns its rows, either through a session
(``corpus.db.session_reader``) or through the standard library's ``sqlite3``
(``corpus.plain_sqlite``). The queries use ``:name`` parameters, which both understand;
``corpus.topic_rows`` reads topics the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from corpus.clock import as_utc, utcnow
from corpus.statuses import ArticleStatus

# Items of a source that failed in a row (newest first) before the source is unhealthy; a
# source whose every item failed, with none left to fetch, is unhealthy whatever its size.
FAILING_ITEMS_IN_A_ROW = 3
RECENT_FAILURES_SHOWN = 3
KEPT = (ArticleStatus.STORED, ArticleStatus.READY, ArticleStatus.DUPLICATE)

Reader = Callable[[str, Mapping[str, Any]], Sequence[Sequence[Any]]]
"""Runs one query with ``:name`` parameters and returns every row."""


@dataclass(frozen=True, slots=True)
class ItemHealth:
    """What became of a source's items: kept, failed, still to fetch, and the latest failures.

    ``failing_streak`` counts the newest finished items that failed in a row;
    ``last_kept_id`` is the newest item that was kept (0 when none was).
    """

    stored: int = 0
    failed: int = 0
    pending: int = 0
    failing_streak: int = 0
    recent_failures: tuple[str, ...] = ()
    last_kept_id: int = 0

    @property
    def failing(self) -> bool:
        """True when the newest items failed in a row, or every item failed and none is left."""
        if self.failing_streak >= FAILING_ITEMS_IN_A_ROW:
            return True
        return self.failed > 0 and self.stored == 0 and self.pending == 0


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A source as plain data, with what became of its items, for listing and display."""

    id: int
    url: str
    kind: str
    topic: str | None
    status: str
    paused_reason: str | None
    resolved_url: str | None
    poll_interval_seconds: int
    added_by_guild: int | None
    added_by_user: int | None
    created_at: datetime
    last_polled_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    last_poll_summary: str | None
    consecutive_failures: int
    etag: str | None
    last_modified: str | None
    article_count: int
    items: ItemHealth = field(default_factory=ItemHealth)

    @property
    def items_failing(self) -> bool:
        """True when the source's items keep failing although its polls work."""
        return self.items.failing


# The columns of ``sources`` in the order of ``SourceRow``'s fields up to ``last_modified``.
_COLUMNS = (
    "id, url, kind, topic, status, paused_reason, resolved_url, poll_interval_seconds, "
    "added_by_guild, added_by_user, created_at, last_polled_at, last_success_at, last_error, "
    "last_poll_summary, consecutive_failures, etag, last_modified"
)
_KEPT_LIST = ", ".join(f"'{status}'" for status in KEPT)


def _moment(value: Any) -> datetime | None:
    # SQLite hands back stored times as text, PostgreSQL as datetimes.
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return as_utc(value)


def status_counts(read: Reader, source_id: int | None = None) -> dict[int, dict[str, int]]:
    """Count each source's items by status (one source's, when ``source_id`` is given)."""
    where = "source_id IS NOT NULL"
    if source_id is not None:
        where = "source_id = :source_id"
    counts: dict[int, dict[str, int]] = {}
    for sid, status, n in read(
        f"SELECT source_id, status, COUNT(*) FROM articles WHERE {where} "  # noqa: S608 - fixed text
        "GROUP BY source_id, status",
        {"source_id": source_id},
    ):
        if sid is not None:
            counts.setdefault(int(sid), {})[status] = int(n)
    return counts


def item_health(read: Reader, source_id: int, counts: dict[str, int] | None = None) -> ItemHealth:
    """Return what became of one source's items (``counts`` by status, if already read)."""
    if counts is None:
        counts = status_counts(read, source_id).get(source_id, {})
    failed = counts.get(ArticleStatus.FAILED, 0)
    stored = sum(counts.get(status, 0) for status in KEPT)
    pending = counts.get(ArticleStatus.PENDING, 0)
    streak = 0
    reasons: list[str] = []
    last_kept = 0
    if failed:
        newest = read(
            "SELECT status, error FROM articles WHERE source_id = :source_id "
            "AND status != :pending ORDER BY id DESC LIMIT :limit",
            {
                "source_id": source_id,
                "pending": str(ArticleStatus.PENDING),
                "limit": max(FAILING_ITEMS_IN_A_ROW, RECENT_FAILURES_SHOWN),
            },
        )
        for status, error in newest:
            if status != ArticleStatus.FAILED:
                break
            streak += 1
            if len(reasons) < RECENT_FAILURES_SHOWN and error and error not in reasons:
                reasons.append(error)
        if stored:
            kept = read(
                "SELECT MAX(id) FROM articles WHERE source_id = :source_id "  # noqa: S608 - fixed text
                f"AND status IN ({_KEPT_LIST})",
                {"source_id": source_id},
            )
            last_kept = int(kept[0][0] or 0) if kept else 0
    return ItemHealth(stored, failed, pending, streak, tuple(reasons), last_kept)


def _source_row(values: Sequence[Any], items: ItemHealth) -> SourceRow:
    (sid, url, kind, topic, status, paused_reason, resolved_url, interval) = values[:8]
    (guild, user, created, polled, success, error, summary, failures, etag, modified) = values[8:]
    return SourceRow(
        id=sid,
        url=url,
        kind=kind,
        topic=topic,
        status=status,
        paused_reason=paused_reason,
        resolved_url=resolved_url,
        poll_interval_seconds=interval,
        added_by_guild=guild,
        added_by_user=user,
        created_at=_moment(created) or utcnow(),
        last_polled_at=_moment(polled),
        last_success_at=_moment(success),
        last_error=error,
        last_poll_summary=summary,
        consecutive_failures=failures,
        etag=etag,
        last_modified=modified,
        article_count=items.stored + items.failed + items.pending,
        items=items,
    )


def read_source(read: Reader, source_id: int) -> SourceRow | None:
    """Return one source with what became of its items, or None if there is no such id."""
    found = read(
        f"SELECT {_COLUMNS} FROM sources WHERE id = :source_id",  # noqa: S608 - fixed text
        {"source_id": source_id},
    )
    if not found:
        return None
    return _source_row(found[0], item_health(read, source_id))


def read_sources(read: Reader) -> list[SourceRow]:
    """Return every source with what became of its items, oldest first."""
    counts = status_counts(read)
    return [
        _source_row(values, item_health(read, int(values[0]), counts.get(int(values[0]), {})))
        for values in read(f"SELECT {_COLUMNS} FROM sources ORDER BY id", {})  # noqa: S608
    ]
