"""Storage of events: term counts, open-event lookup, joining, merging and rebuilding.

The similarity itself is computed by the caller (the worker); these functions only read and
write rows. Every write runs under one lock per database (:func:`lock_events`), so two
workers clustering at once take turns and can neither split an event nor make two of one.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.orm import Session

from corpus.brief_rows import note_changed
from corpus.clock import as_utc, utcnow
from corpus.db import dialect_insert, insert_ignoring
from corpus.tables import (
    CENTROID_FORM,
    Article,
    ArticleStatus,
    Event,
    EventTerm,
    TermCount,
    table_of,
)

__all__ = [
    "CENTROID_FORM",
    "DOCUMENTS_TERM",
    "ClusterInput",
    "OpenEvent",
    "Release",
    "add_to_event",
    "article_input",
    "count_terms",
    "event_articles",
    "event_state",
    "forward_released",
    "live_event_id",
    "lock_events",
    "merge_events",
    "open_events",
    "release_window",
    "set_centroid",
    "sibling_event",
    "start_event",
    "term_frequencies",
]

DOCUMENTS_TERM = ""  # the term_counts row that counts clustered articles
_LOCK_KEY = 0x6E62_6576_656E_74  # "nbevent": any constant shared by every writer
_CHUNK = 500


# The statements run for every clustered article, built once (building costs more than running).
_ARTICLES = table_of(Article)
_EVENTS = table_of(Event)
_EVENT_TERMS = table_of(EventTerm)
_TERM_COUNTS = table_of(TermCount)
_TAKE_LOCK = (
    update(_TERM_COUNTS)
    .where(_TERM_COUNTS.c.term == DOCUMENTS_TERM)
    .values(documents=_TERM_COUNTS.c.documents)
)
_INPUT = select(
    *(
        _ARTICLES.c[name]
        for name in ("id", "title", "text", "published_at", "fetched_at", "event_id", "story_id")
    )
).where(_ARTICLES.c.id == bindparam("article_id"), _ARTICLES.c.status == ArticleStatus.READY)
_SIBLING = (
    select(_ARTICLES.c.event_id)
    .where(
        _ARTICLES.c.story_id == bindparam("story_id"),
        _ARTICLES.c.id != bindparam("article_id"),
        _ARTICLES.c.event_id.is_not(None),
    )
    .order_by(_ARTICLES.c.id)
    .limit(1)
)
_MERGED_INTO = select(_EVENTS.c.id, _EVENTS.c.merged_into).where(
    _EVENTS.c.id == bindparam("event_id")
)
_JOIN_EVENT = (
    update(_ARTICLES)
    .where(_ARTICLES.c.id == bindparam("article_id"))
    .values(event_id=bindparam("event"))
)
# Sets the columns its parameters name besides ``event``.
_UPDATE_EVENT = update(_EVENTS).where(_EVENTS.c.id == bindparam("event"))
_LATEST_TERMS = (
    update(_EVENT_TERMS)
    .where(_EVENT_TERMS.c.event_id == bindparam("event"), _EVENT_TERMS.c.last_at < bindparam("at"))
    .values(last_at=bindparam("at"))
)


def lock_events(session: Session) -> None:
    """Take the clustering lock for this transaction (PostgreSQL: advisory; SQLite: write lock)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_LOCK_KEY)))
    else:
        # Writing first takes SQLite's write lock now, so a second clusterer waits here.
        session.execute(_TAKE_LOCK)


@dataclass(frozen=True, slots=True)
class ClusterInput:
    """What clustering needs to know of an article."""

    id: int
    title: str
    text: str
    at: datetime  # publication date, else fetch date
    event_id: int | None
    story_id: int | None


_INPUT_COLUMNS = (
    Article.id,
    Article.title,
    Article.text,
    Article.published_at,
    Article.fetched_at,
    Article.event_id,
    Article.story_id,
)


def _input(row: Sequence[Any]) -> ClusterInput:
    article_id, title, text, published_at, fetched_at, event_id, story_id = row
    at = as_utc(published_at or fetched_at) or utcnow()
    return ClusterInput(
        id=int(article_id),
        title=title or "",
        text=text or "",
        at=at,
        event_id=event_id,
        story_id=story_id,
    )


def article_input(session: Session, article_id: int) -> ClusterInput | None:
    """Return a ready article's clustering input, or None if it is not ready."""
    row = session.execute(_INPUT, {"article_id": article_id}).first()
    return None if row is None else _input(row)


def event_articles(session: Session, event_id: int) -> list[ClusterInput]:
    """Return the clustering input of an event's articles, oldest id first."""
    rows = session.execute(
        select(*_INPUT_COLUMNS).where(Article.event_id == event_id).order_by(Article.id)
    )
    return [_input(row) for row in rows]


_TERMS = table_of(TermCount)
_FREQUENCIES = select(_TERMS.c.term, _TERMS.c.documents).where(
    _TERMS.c.term.in_(bindparam("terms", expanding=True))
)


def count_terms(session: Session, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
    """Count one more clustered article, containing each of ``terms`` once.

    Returns the counts as they now are, what :func:`term_frequencies` would return for
    ``terms``, read back from the same statement.
    """
    # Sorted, so that concurrent writers take the rows' locks in the same order.
    wanted = sorted({*terms, DOCUMENTS_TERM})
    rows: Iterable[Sequence[Any]]
    if session.get_bind().dialect.name == "sqlite":
        # One short statement SQLite prepares once, the terms passed as one JSON array: a
        # VALUES list of a few hundred rows would be prepared anew for every article.
        rows = session.connection().execute(_COUNT_SQLITE, {"terms": json.dumps(wanted)})
    else:
        rows = session.execute(
            _count_statement(session), [{"term": t, "documents": 1} for t in wanted]
        )
    found = {str(t): int(n) for t, n in rows}
    return found.pop(DOCUMENTS_TERM, 0), found


# Every count goes up by one: the terms are distinct and the article is counted once.
_COUNT_SQLITE = text(
    "INSERT INTO term_counts (term, documents) SELECT value, 1 FROM json_each(:terms) WHERE true"
    " ON CONFLICT (term) DO UPDATE SET documents = term_counts.documents + excluded.documents"
    " RETURNING term, documents"
)


def _count_statement(session: Session) -> Any:
    """Return the upsert that adds each row's ``documents`` to its term's count (PostgreSQL)."""
    stmt = dialect_insert(session, _TERMS)
    stmt = stmt.on_conflict_do_update(
        index_elements=["term"],
        set_={"documents": _TERMS.c.documents + stmt.excluded.documents},
    ).returning(_TERMS.c.term, _TERMS.c.documents)
    # Many rows through one statement compiled once and cached (SQLAlchemy batches them into
    # VALUES lists), where a VALUES list built here would be compiled anew for every article.
    return stmt


def term_frequencies(session: Session, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
    """Return ``(clustered articles, {term: articles containing it})`` for ``terms``."""
    wanted = sorted(set(terms) | {DOCUMENTS_TERM})
    found: dict[str, int] = {}
    for i in range(0, len(wanted), _CHUNK):
        rows = session.execute(_FREQUENCIES, {"terms": wanted[i : i + _CHUNK]})
        found.update((str(t), int(n)) for t, n in rows)
    return found.pop(DOCUMENTS_TERM, 0), found


@dataclass(frozen=True, slots=True)
class OpenEvent:
    """An event as read in this transaction: centroid, the centroid's form, articles, dates."""

    id: int
    centroid: dict[str, float]
    members: int
    form: int
    first_at: datetime
    last_at: datetime


def _centroid(stored: Mapping[str, Any] | None) -> dict[str, float]:
    return {str(t): float(w) for t, w in (stored or {}).items()}


_STATE_COLUMNS = (
    Event.id,
    Event.centroid,
    Event.article_count,
    Event.centroid_form,
    Event.first_at,
    Event.last_at,
)


_STATE = select(*(_EVENTS.c[c.key] for c in _STATE_COLUMNS)).where(
    _EVENTS.c.id == bindparam("event_id")
)


def _state(row: Sequence[Any]) -> OpenEvent:
    event_id, centroid, members, form, first_at, last_at = row
    return OpenEvent(
        int(event_id),
        _centroid(centroid),
        int(members or 0),
        int(form),
        as_utc(first_at),
        as_utc(last_at),
    )


def open_events(
    session: Session, terms: Sequence[str], at: datetime, window: timedelta, *, limit: int
) -> list[OpenEvent]:
    """Events active within ``window`` of ``at`` sharing one of ``terms``, most shared first."""
    if not terms:
        return []
    shared = func.count(EventTerm.term)
    ids = list(
        session.execute(
            select(EventTerm.event_id)
            .where(EventTerm.term.in_(list(terms)), EventTerm.last_at >= at - window)
            .group_by(EventTerm.event_id)
            .order_by(shared.desc(), func.max(EventTerm.last_at).desc(), EventTerm.event_id)
            .limit(limit)
        ).scalars()
    )
    if not ids:
        return []
    rows = session.execute(
        select(*_STATE_COLUMNS)
        .where(
            Event.id.in_(ids),
            Event.merged_into.is_(None),
            Event.first_at <= at + window,
            Event.last_at >= at - window,
        )
        .order_by(Event.id)
    )
    return [_state(row) for row in rows]


def event_state(session: Session, event_id: int) -> OpenEvent:
    """Return an event's centroid, its form, article count and dates (LookupError if none)."""
    row = session.execute(_STATE, {"event_id": event_id}).first()
    if row is None:
        raise LookupError(f"There is no event {event_id}.")
    return _state(row)


def set_centroid(session: Session, event_id: int, centroid: dict[str, float]) -> None:
    """Store an event's centroid rebuilt in the current form (``CENTROID_FORM``)."""
    session.execute(
        update(Event)
        .where(Event.id == event_id)
        .values(centroid=centroid, centroid_form=CENTROID_FORM)
    )


def sibling_event(session: Session, article: ClusterInput) -> int | None:
    """Return the event of another version of the article (its near-duplicate story), if any."""
    if article.story_id is None:
        return None
    found = session.execute(
        _SIBLING, {"story_id": article.story_id, "article_id": article.id}
    ).scalar_one_or_none()
    return live_event_id(session, found) if found is not None else None


def live_event_id(session: Session, event_id: int) -> int | None:
    """Follow merges from ``event_id`` to the event that absorbed it (None if it is gone)."""
    seen: set[int] = set()
    current: int | None = event_id
    while current is not None and current not in seen:
        seen.add(current)
        row = session.execute(_MERGED_INTO, {"event_id": current}).first()
        if row is None:
            return None
        if row[1] is None:
            return int(row[0])
        current = int(row[1])
    return None


def _touch_terms(session: Session, event_id: int, terms: Sequence[str], at: datetime) -> None:
    """Record ``terms`` as the event's and move every term of the event to its latest date."""
    if terms:
        # One cached statement for many rows; sorted, so concurrent writers lock in one order.
        session.execute(
            insert_ignoring(session, _EVENT_TERMS, ("term", "event_id")),
            [{"term": t, "event_id": event_id, "last_at": at} for t in sorted(set(terms))],
        )
    session.execute(_LATEST_TERMS, {"event": event_id, "at": at})


def start_event(
    session: Session,
    article_id: int,
    at: datetime,
    centroid: dict[str, float],
    terms: Sequence[str],
) -> int:
    """Create an event holding one article; return its id."""
    event_id = int(
        session.execute(
            insert(Event)
            .values(first_at=at, last_at=at, article_count=1, centroid=centroid)
            .returning(Event.id)
        ).scalar_one()
    )
    _touch_terms(session, event_id, terms, at)
    session.execute(_JOIN_EVENT, {"article_id": article_id, "event": event_id})
    note_changed(session, event_id)
    return event_id


def add_to_event(
    session: Session,
    event: OpenEvent,
    article_id: int,
    at: datetime,
    centroid: dict[str, float],
    terms: Sequence[str],
) -> None:
    """Put an article into an event, with the event's new centroid and the article's terms.

    ``event`` is the event as read in this transaction (its count and dates are updated).
    """
    latest = max(event.last_at, at)
    session.execute(
        _UPDATE_EVENT,
        {
            "event": event.id,
            "centroid": centroid,
            "centroid_form": CENTROID_FORM,
            "article_count": event.members + 1,
            "first_at": min(event.first_at, at),
            "last_at": latest,
            "updated_at": utcnow(),
        },
    )
    _touch_terms(session, event.id, terms, latest)
    session.execute(_JOIN_EVENT, {"article_id": article_id, "event": event.id})
    note_changed(session, event.id)


def merge_events(
    session: Session, survivor: int, absorbed: Sequence[int], centroid: dict[str, float]
) -> None:
    """Move the articles and terms of ``absorbed`` events into ``survivor``."""
    if not absorbed:
        return
    target = session.get(Event, survivor)
    if target is None:
        raise LookupError(f"There is no event {survivor}.")
    for event_id in absorbed:
        gone = session.get(Event, event_id)
        if gone is None or gone.id == survivor:
            continue
        target.first_at = min(as_utc(target.first_at), as_utc(gone.first_at))
        target.last_at = max(as_utc(target.last_at), as_utc(gone.last_at))
        target.article_count = (target.article_count or 0) + (gone.article_count or 0)
        terms = list(
            session.execute(select(EventTerm.term).where(EventTerm.event_id == gone.id)).scalars()
        )
        session.execute(delete(EventTerm).where(EventTerm.event_id == gone.id))
        session.flush()
        _touch_terms(session, survivor, terms, as_utc(target.last_at))
        session.execute(
            update(Article).where(Article.event_id == gone.id).values(event_id=survivor)
        )
        session.execute(
            update(Event).where(Event.merged_into == gone.id).values(merged_into=survivor)
        )
        gone.merged_into = survivor
        gone.article_count = 0
        gone.centroid = {}
        note_changed(session, survivor, gone.id)
    target.centroid = centroid
    target.centroid_form = CENTROID_FORM
    target.updated_at = utcnow()
    session.flush()


@dataclass(frozen=True, slots=True)
class Release:
    """What :func:`release_window` undid: the articles to cluster again and who held them."""

    articles: list[int]  # ordered by date, then id
    former: dict[int, list[int]]  # each released event's articles

    @property
    def counted(self) -> set[int]:
        """The articles already in the term counts: those that were in a released event."""
        return {a for held in self.former.values() for a in held}


def release_window(session: Session, since: datetime) -> Release:
    """Undo the events active since ``since``; return their articles to cluster again, in order.

    The articles to cluster are those of the released events (already in the term counts)
    and the ready articles dated since ``since`` that are in no event (from before events
    existed; not counted yet). A released event keeps its row, emptied and pointing to
    itself (gone), so its id is never given to another event; :func:`forward_released`
    points it to its successor once the articles are clustered again.
    """
    released = list(
        session.execute(
            select(Event.id).where(Event.last_at >= since, Event.merged_into.is_(None))
        ).scalars()
    )
    former: dict[int, list[int]] = {}
    for i in range(0, len(released), _CHUNK):
        members = session.execute(
            select(Article.event_id, Article.id)
            .where(Article.event_id.in_(released[i : i + _CHUNK]))
            .order_by(Article.id)
        )
        for event_id, article_id in members:
            if event_id is not None:  # always: the query keeps only released events' articles
                former.setdefault(int(event_id), []).append(int(article_id))
    when = func.coalesce(Article.published_at, Article.fetched_at)
    unclustered = set(
        session.execute(
            select(Article.id).where(
                Article.status == ArticleStatus.READY,
                Article.event_id.is_(None),
                or_(when >= since, when.is_(None)),
            )
        ).scalars()
    )
    note_changed(session, *released)
    for i in range(0, len(released), _CHUNK):
        chunk = released[i : i + _CHUNK]
        session.execute(update(Article).where(Article.event_id.in_(chunk)).values(event_id=None))
        session.execute(delete(EventTerm).where(EventTerm.event_id.in_(chunk)))
        session.execute(
            update(Event)
            .where(Event.id.in_(chunk))
            .values(merged_into=Event.id, article_count=0, centroid={})
        )
    session.flush()
    dated: list[tuple[datetime, int]] = []
    id_list = sorted(unclustered.union(*former.values()))
    for i in range(0, len(id_list), _CHUNK):
        rows = session.execute(
            select(Article.id, when).where(Article.id.in_(id_list[i : i + _CHUNK]))
        )
        dated += [(as_utc(d) or utcnow(), int(a)) for a, d in rows]
    dated.sort()
    return Release([a for _d, a in dated], former)


def forward_released(session: Session, former: Mapping[int, Sequence[int]]) -> dict[int, int]:
    """Point each released event, and the rows merged into it, to its successor.

    A released event's successor is the live event now holding the most of its former
    articles (the lowest id on a tie); one whose articles are in no event stays gone.
    Returns ``{released id: successor id}``.
    """
    wanted = sorted({a for held in former.values() for a in held})
    now_in: dict[int, int] = {}
    for i in range(0, len(wanted), _CHUNK):
        rows = session.execute(
            select(Article.id, Article.event_id).where(
                Article.id.in_(wanted[i : i + _CHUNK]), Article.event_id.is_not(None)
            )
        )
        now_in.update((int(a), int(e)) for a, e in rows if e is not None)
    live: dict[int, int | None] = {}
    for event_id in sorted(set(now_in.values())):
        live[event_id] = live_event_id(session, event_id)
    successors: dict[int, int] = {}
    for released, held in former.items():
        votes = Counter(e for a in held if a in now_in and (e := live[now_in[a]]) is not None)
        if votes:
            successors[released] = min(votes, key=lambda e: (-votes[e], e))
    by_successor: dict[int, list[int]] = {}
    for released, successor in sorted(successors.items()):
        by_successor.setdefault(successor, []).append(released)
    for successor, ids in by_successor.items():
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            session.execute(
                update(Event)
                .where(or_(Event.id.in_(chunk), Event.merged_into.in_(chunk)))
                .values(merged_into=successor)
            )
    session.flush()
    return successors
