"""Storage of each story's precomposed brief part (``event_briefs``): read and replaced in bulk.

The composition itself is ``corpus.brief``'s; this module only moves rows. A row is
replaced whole whenever its event changes, so readers never see half of an update.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import JSON, Boolean, bindparam, delete, insert, text
from sqlalchemy.orm import Session

from corpus.tables import EventBrief, StaleEventBrief, table_of

__all__ = [
    "RowHead",
    "bodies",
    "changed_events",
    "clear_stale",
    "note_changed",
    "replace_rows",
    "window_heads",
]

_CHUNK = 500
_CHANGED = "newsbrief.changed_events"  # session.info key: events changed in this transaction


class RowHead(NamedTuple):
    """What ranking needs of a stored story: who it was composed from, its date and outlets."""

    event_id: int
    articles: int
    id_sum: int
    last_ts: float
    outlets: int
    dated: bool
    salience: float
    stamp: str


_HEADS = text(
    "SELECT event_id, articles, id_sum, last_ts, outlets, dated, salience, stamp"
    " FROM event_briefs WHERE topic = :topic AND last_ts >= :start AND first_ts <= :end"
).columns(dated=Boolean)
_BODIES = (
    text("SELECT event_id, body FROM event_briefs WHERE topic = :topic AND event_id IN :events")
    .bindparams(bindparam("events", expanding=True))
    .columns(body=JSON)
)


def window_heads(session: Session, topic: str, start: datetime, end: datetime) -> list[RowHead]:
    """Return the heads of the topic's stored stories with an article in [start, end]."""
    params = {"topic": topic, "start": start.timestamp(), "end": end.timestamp()}
    return [RowHead(*row) for row in session.connection().execute(_HEADS, params)]


def bodies(session: Session, topic: str, event_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Return the stored compositions of the given events in ``topic``."""
    out: dict[int, dict[str, Any]] = {}
    unique = list(dict.fromkeys(event_ids))
    for i in range(0, len(unique), _CHUNK):
        params = {"topic": topic, "events": unique[i : i + _CHUNK]}
        out.update((int(e), b) for e, b in session.connection().execute(_BODIES, params))
    return out


# Built once: they run at every article that joins an event.
_ROWS = table_of(EventBrief)
_DELETE_ROWS = delete(_ROWS).where(_ROWS.c.event_id.in_(bindparam("events", expanding=True)))
_INSERT_ROW = insert(_ROWS)
_STALE = table_of(StaleEventBrief)
_CLEAR_STALE = delete(_STALE).where(_STALE.c.event_id.in_(bindparam("events", expanding=True)))


def replace_rows(
    session: Session, event_ids: Sequence[int], rows: Iterable[dict[str, Any]]
) -> None:
    """Delete every row of ``event_ids`` (all topics) and insert ``rows`` in their place."""
    ids = sorted(set(event_ids))
    for i in range(0, len(ids), _CHUNK):
        session.execute(_DELETE_ROWS, {"events": ids[i : i + _CHUNK]})
    batch = list(rows)
    for i in range(0, len(batch), _CHUNK):
        session.execute(_INSERT_ROW, batch[i : i + _CHUNK])


def clear_stale(session: Session, event_ids: Sequence[int] | None) -> None:
    """Forget that these events (every event: None) are stale, before recomposing them.

    Pending writes are flushed first, so their triggers have noted them. Cleared before the
    articles are read: a write committed by another transaction after this is noted again,
    and one committed before it is read (each statement of PostgreSQL's read committed
    isolation sees every commit made before it; SQLite has one writer at a time).
    """
    session.flush()
    if event_ids is None:
        session.execute(delete(StaleEventBrief))
        return
    ids = sorted(set(event_ids))
    for i in range(0, len(ids), _CHUNK):
        session.execute(_CLEAR_STALE, {"events": ids[i : i + _CHUNK]})


def note_changed(session: Session, *event_ids: int) -> None:
    """Remember that these events changed in this transaction (their rows are recomposed)."""
    session.info.setdefault(_CHANGED, set()).update(event_ids)


def changed_events(session: Session) -> set[int]:
    """Return and forget the events noted as changed in this transaction."""
    found: set[int] = session.info.pop(_CHANGED, set())
    return found
