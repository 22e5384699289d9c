"""Read queries over the stored corpus, shaped for brief composition.

Each query touches only indexed filters (status, published date, article topic) and
returns plain rows with just the columns the caller needs, so a brief over a large
corpus never loads article texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, DateTime, and_, bindparam, exists, func, or_, select, text
from sqlalchemy.orm import Session

from corpus.clock import as_utc
from corpus.tables import Article, ArticleStatus, ArticleTopic, table_of

# Bound-parameter lists stay well below every backend's limit.
_CHUNK = 500


class Candidate(NamedTuple):
    """A ready article in a brief's window: just enough to group and rank stories.

    ``date`` is when the article appeared (its publication date, else when it was fetched)
    as the database returns it: naive UTC on SQLite. A tuple, because a 90-day window on a
    large corpus holds tens of thousands of them; call :func:`corpus.clock.as_utc` on the few kept.
    """

    id: int
    story_id: int | None
    date: datetime | None
    site: str | None
    event_id: int | None = None
    dated: bool = True  # False: ``date`` is only when the article was fetched


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """The stored analysis of one article: what a brief shows and cites."""

    id: int
    story_id: int | None
    event_id: int | None
    title: str | None
    site: str | None
    url: str
    published_at: datetime | None
    fetched_at: datetime | None
    summary: tuple[str, ...]
    themes: tuple[dict[str, Any], ...]
    figures: tuple[dict[str, Any], ...]

    @property
    def date(self) -> datetime | None:
        """When the article appeared: its publication date, else when it was fetched."""
        return self.published_at or self.fetched_at

    @property
    def date_is_fetched(self) -> bool:
        """Tell whether :attr:`date` is only the fetch date (no publication date is known)."""
        return self.published_at is None and self.fetched_at is not None


def _in_topic(topic: str) -> ColumnElement[bool]:
    return exists().where(ArticleTopic.article_id == Article.id, ArticleTopic.topic == topic)


def _new_since(since: datetime) -> ColumnElement[bool]:
    """Match articles fetched after ``since``; with no fetch time, by their publication."""
    return or_(
        Article.fetched_at > since,
        and_(Article.fetched_at.is_(None), Article.published_at > since),
    )


def _fetched_by(until: datetime, now: datetime) -> ColumnElement[bool]:
    """Match articles fetched at or before ``until``; with no fetch time, as if fetched ``now``."""
    by_until = Article.fetched_at <= until
    return or_(by_until, Article.fetched_at.is_(None)) if now <= until else by_until


_CANDIDATE_COLUMNS = (
    Article.id,
    Article.story_id,
    Article.published_at,
    Article.fetched_at,
    Article.site,
    Article.event_id,
)


def candidates(rows: Iterable[Any]) -> list[Candidate]:
    """Read rows of (id, story id, published, fetched, site, event id) as candidates."""
    return [
        Candidate(row[0], row[1], row[2] or row[3], row[4], row[5], row[2] is not None)
        for row in rows
    ]


def window_candidates(
    session: Session,
    topic: str,
    start: datetime,
    end: datetime,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Candidate]:
    """Return ready articles of ``topic`` dated in [start, end], optionally new since ``since``.

    ``until`` keeps only articles fetched at or before it; one with no fetch time counts as
    fetched at ``end``.

    Dated and undated articles are two queries so each is one range scan of the
    (status, published_at) index; an OR of both would make the planner scan every ready row.
    """
    dated = Article.published_at.between(start, end)
    undated = and_(Article.published_at.is_(None), Article.fetched_at.between(start, end))
    out: list[Candidate] = []
    for when in (dated, undated):
        query = select(*_CANDIDATE_COLUMNS).where(
            Article.status == ArticleStatus.READY, when, _in_topic(topic)
        )
        if since is not None:
            query = query.where(_new_since(since))
        if until is not None:
            query = query.where(_fetched_by(until, end))
        out += candidates(session.connection().execute(query).all())
    return out


class EventCount(NamedTuple):
    """How many ready articles of an event a window holds, and the sum of their ids."""

    articles: int
    id_sum: int


# The window's articles counted per event (what a brief's stored stories are checked
# against), written once as SQL. Dated and undated articles are two SELECTs so each is one
# range scan (see window_candidates).
_IN_TOPIC_SQL = (
    "EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = a.id AND t.topic = :topic)"
)
_DATED_SQL = "a.published_at BETWEEN :start AND :end"
_UNDATED_SQL = "a.published_at IS NULL AND a.fetched_at BETWEEN :start AND :end"
_WINDOW_PARAMS = (
    bindparam("start", type_=DateTime(timezone=True)),
    bindparam("end", type_=DateTime(timezone=True)),
)


def _both_halves(select_sql: str, where: str = "", group: str = "") -> str:
    return " UNION ALL ".join(
        f"{select_sql} FROM articles a WHERE a.status = :ready AND {when}"
        f" AND {_IN_TOPIC_SQL}{where}{group}"
        for when in (_DATED_SQL, _UNDATED_SQL)
    )


_EVENT_COUNTS = text(
    _both_halves("SELECT a.event_id, count(*), sum(a.id)", group=" GROUP BY a.event_id")
).bindparams(*_WINDOW_PARAMS)


def window_event_counts(
    session: Session, topic: str, start: datetime, end: datetime
) -> dict[int | None, EventCount]:
    """Count the ready articles of ``topic`` dated in [start, end] per event (None: in none)."""
    out: dict[int | None, EventCount] = {}
    params = {"ready": str(ArticleStatus.READY), "topic": topic, "start": start, "end": end}
    for event_id, n, id_sum in session.connection().execute(_EVENT_COUNTS, params):
        before = out.get(event_id, EventCount(0, 0))
        out[event_id] = EventCount(before.articles + int(n), before.id_sum + int(id_sum))
    return out


_ARTICLES = table_of(Article)
_TOPICS = table_of(ArticleTopic)
# Built once: a stored story is recomposed at every article that joins its event.
_EVENT_MEMBERS = (
    select(*(_ARTICLES.c[c.key] for c in _CANDIDATE_COLUMNS), _TOPICS.c.topic)
    .join(_TOPICS, _TOPICS.c.article_id == _ARTICLES.c.id)
    .where(
        _ARTICLES.c.event_id.in_(bindparam("events", expanding=True)),
        _ARTICLES.c.status == ArticleStatus.READY,
        func.coalesce(_ARTICLES.c.published_at, _ARTICLES.c.fetched_at).is_not(None),
    )
    .order_by(_ARTICLES.c.id)
)


def event_members(
    session: Session, event_ids: Sequence[int]
) -> dict[tuple[str, int], list[Candidate]]:
    """Return each (topic, event)'s ready articles that have a date, as window candidates."""
    out: dict[tuple[str, int], list[Candidate]] = {}
    ids = sorted(set(event_ids))
    for i in range(0, len(ids), _CHUNK):
        params = {"events": ids[i : i + _CHUNK]}
        rows = session.connection().execute(_EVENT_MEMBERS, params).all()
        for row, candidate in zip(rows, candidates(rows), strict=True):
            out.setdefault((row[6], int(candidate.event_id or 0)), []).append(candidate)
    return out


def recent_candidates(
    session: Session, topic: str, end: datetime, *, limit: int, until: datetime | None = None
) -> list[Candidate]:
    """Return the ``limit`` most recent ready articles of ``topic`` up to ``end``.

    An article with no publication date counts by its fetch time, as in the window, so a
    brief widened past a short window still sees the undated articles inside it.
    ``until`` keeps only articles fetched at or before it, as in :func:`window_candidates`.
    """
    dated = (Article.published_at <= end, Article.published_at.desc())
    undated = (
        and_(Article.published_at.is_(None), Article.fetched_at <= end),
        Article.fetched_at.desc(),
    )
    out: list[Candidate] = []
    for when, order in (dated, undated):
        query = select(*_CANDIDATE_COLUMNS).where(
            Article.status == ArticleStatus.READY, when, _in_topic(topic)
        )
        if until is not None:
            query = query.where(_fetched_by(until, end))
        query = query.order_by(order).limit(limit)
        out += candidates(session.connection().execute(query).all())
    out.sort(key=lambda c: c.date or datetime.min, reverse=True)
    return out[:limit]


def article_themes(session: Session, ids: Sequence[int]) -> dict[int, frozenset[str]]:
    """Return the theme slugs stored for each of the given articles."""
    out: dict[int, frozenset[str]] = {}
    unique = list(dict.fromkeys(ids))
    for i in range(0, len(unique), _CHUNK):
        query = select(Article.id, Article.themes).where(Article.id.in_(unique[i : i + _CHUNK]))
        for article_id, themes in session.execute(query):
            out[article_id] = frozenset(
                str(t.get("theme")) for t in (themes or []) if isinstance(t, dict)
            )
    return out


def count_window(session: Session, topic: str, start: datetime, end: datetime) -> int:
    """Count the ready articles of ``topic`` dated in [start, end] (a cheap baseline query)."""
    dated = Article.published_at.between(start, end)
    undated = and_(Article.published_at.is_(None), Article.fetched_at.between(start, end))
    total = 0
    for when in (dated, undated):
        query = select(func.count()).where(
            Article.status == ArticleStatus.READY, when, _in_topic(topic)
        )
        total += int(session.execute(query).scalar_one())
    return total


_DETAIL_COLUMNS = (
    Article.id,
    Article.story_id,
    Article.event_id,
    Article.title,
    Article.site,
    Article.canonical_url,
    Article.published_at,
    Article.fetched_at,
    Article.summary,
    Article.themes,
    Article.figures,
)


def _detail(row: Any) -> ArticleRow:
    return ArticleRow(
        id=row[0],
        story_id=row[1],
        event_id=row[2],
        title=row[3],
        site=row[4],
        url=row[5],
        published_at=as_utc(row[6]),
        fetched_at=as_utc(row[7]),
        summary=tuple(str(s) for s in (row[8] or []) if s),
        themes=tuple(t for t in (row[9] or []) if isinstance(t, dict)),
        figures=tuple(f for f in (row[10] or []) if isinstance(f, dict)),
    )


_DETAILS = select(*(_ARTICLES.c[c.key] for c in _DETAIL_COLUMNS)).where(
    _ARTICLES.c.id.in_(bindparam("ids", expanding=True))
)


def load_articles(session: Session, ids: Sequence[int]) -> dict[int, ArticleRow]:
    """Load the stored analysis of the given articles, keyed by id."""
    out: dict[int, ArticleRow] = {}
    unique = list(dict.fromkeys(ids))
    for i in range(0, len(unique), _CHUNK):
        for row in session.execute(_DETAILS, {"ids": unique[i : i + _CHUNK]}):
            out[row[0]] = _detail(row)
    return out


def event_articles(session: Session, event_id: int) -> list[ArticleRow]:
    """Every ready article of an event, oldest first."""
    query = (
        select(*_DETAIL_COLUMNS)
        .where(Article.event_id == event_id, Article.status == ArticleStatus.READY)
        .order_by(Article.published_at, Article.id)
    )
    return [_detail(row) for row in session.execute(query)]


def ready_article(session: Session, article_id: int) -> ArticleRow | None:
    """One ready article by id, or None."""
    query = select(*_DETAIL_COLUMNS).where(
        Article.id == article_id, Article.status == ArticleStatus.READY
    )
    row = session.execute(query).first()
    return _detail(row) if row is not None else None
