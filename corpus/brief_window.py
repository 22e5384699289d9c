"""Rank a brief window's stored stories in the database: a page of small rows, no counting.

A stored story (``event_briefs``) whose event is not noted stale holds exactly its event's
articles (``corpus.tables.StaleEventBrief``), so one whose earliest and latest dates lie in
the window holds exactly the window's articles of its event: the query reads the window's
rows from one index by their latest date and sorts those by an SQL spelling of the brief's
score, without counting a single article. Only the events whose row crosses the window's
edge, the stale events and the articles in no event are read from the articles (one query
over an index led by the event id). The order is then checked in Python with the brief's
own score: SQL's floating point may differ from Python's in the last digits, so the page is
fetched with a margin and fetched again, larger, whenever the margin cannot rule out a row
left below it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import DateTime, TextClause, bindparam, text
from sqlalchemy.orm import Session

from corpus import queries
from corpus.brief_rows import RowHead
from corpus.queries import Candidate
from corpus.tables import ArticleStatus

__all__ = ["HALF_LIFE_HOURS", "UNDATED_RECENCY", "WindowRank", "rank_window"]

HALF_LIFE_HOURS = 48.0
UNDATED_RECENCY = 0.25  # weight of recency when no article of a story gave its date
_MARGIN = 8  # rows fetched beyond those needed, so a near tie rarely needs a second query
_EPSILON = 1e-6  # far above any difference between SQL's and Python's score of one row

# kind 1: the row's articles all lie in the window; 2: the row crosses the window's edge;
# 3: one row of totals (exact rows, their articles); 4: a stale event (its rows left out).
_EXACT, _CUT, _TOTALS, _STALE = 1, 2, 3, 4
_SCORE = (
    "3 * (CASE WHEN dated THEN 1.0 ELSE :undated END)"
    " * exp(-:decay * (CASE WHEN :now_ts > last_ts THEN :now_ts - last_ts ELSE 0 END))"
    " + ln(1 + CAST(outlets AS DOUBLE PRECISION)) * :inv_ln2"
)
_COLUMNS = "kind, event_id, articles, id_sum, last_ts, outlets, dated, salience, stamp"


def _nulls(n: int) -> str:
    return ", ".join(["NULL"] * n)


def _rank(floor: str) -> TextClause:
    """Return the ranking query, with ``floor`` as a condition on the exact rows' scores.

    It reads the rows with an article in the window: one range scan of
    ix_event_briefs_window per use of r (materialising r costs more than scanning its few
    hundred index entries again). Every score is at least 0, so the first fetch has no
    floor: one score per row less.
    """
    return text(
        "WITH r AS NOT MATERIALIZED (SELECT b.event_id, b.articles, b.id_sum, b.last_ts,"
        " b.outlets, b.dated, b.salience, b.stamp,"
        f" CASE WHEN b.first_ts >= :start_ts AND b.last_ts <= :end_ts THEN {_EXACT}"
        f" ELSE {_CUT} END AS kind"
        " FROM event_briefs b WHERE b.topic = :topic AND b.last_ts >= :start_ts"
        " AND b.first_ts <= :end_ts AND NOT EXISTS"
        " (SELECT 1 FROM stale_event_briefs s WHERE s.event_id = b.event_id))"
        f" SELECT * FROM (SELECT {_COLUMNS}, {_SCORE} AS score FROM r WHERE kind = {_EXACT}"
        f"{floor} ORDER BY score DESC, event_id DESC LIMIT :limit) AS top"
        f" UNION ALL SELECT {_COLUMNS}, NULL FROM r WHERE kind = {_CUT}"
        f" UNION ALL SELECT {_TOTALS}, count(*), sum(articles), {_nulls(7)}"
        f" FROM r WHERE kind = {_EXACT}"
        f" UNION ALL SELECT {_STALE}, event_id, {_nulls(8)} FROM stale_event_briefs"
    )


_RANK = _rank("")
_RANK_ABOVE = _rank(f" AND {_SCORE} >= :floor")
# The window's ready articles of the topic in the events to compose from (their row crosses
# the window's edge, or they are stale: both listed by the ranking query, so the events are
# those its snapshot saw) and in no event: each half one range scan of
# ix_articles_event_window per event. The events are one parameter (a JSON list on SQLite, an
# array on PostgreSQL), so the statement's text never changes with their number. The topic
# is looked up per article as a scalar subquery: PostgreSQL turns an EXISTS into a hash join
# over every article of the topic.
_IN_TOPIC = (
    "(SELECT 1 FROM article_topics t WHERE t.article_id = a.id AND t.topic = :topic) IS NOT NULL"
)
_EVENTS_IN = {
    "sqlite": "a.event_id IN (SELECT value FROM json_each(:events))",
    "postgresql": "a.event_id = ANY(CAST(:events AS INTEGER[]))",
}


def _members(events_in: str) -> Any:
    return (
        text(
            " UNION ALL ".join(
                "SELECT a.id, a.story_id, a.published_at, a.fetched_at, a.site, a.event_id"
                f" FROM articles a WHERE {which} AND a.status = :ready AND {when} AND {_IN_TOPIC}"
                for which in (events_in, "a.event_id IS NULL")
                for when in (
                    "a.published_at BETWEEN :start AND :end",
                    "a.published_at IS NULL AND a.fetched_at BETWEEN :start AND :end",
                )
            )
        )
        .bindparams(
            bindparam("start", type_=DateTime(timezone=True)),
            bindparam("end", type_=DateTime(timezone=True)),
        )
        .columns(published_at=DateTime(timezone=True), fetched_at=DateTime(timezone=True))
    )


_MEMBERS = {dialect: _members(events_in) for dialect, events_in in _EVENTS_IN.items()}

_CUSTOM_PLANS = text("SET LOCAL plan_cache_mode = force_custom_plan")


class WindowRank(NamedTuple):
    """The window's events as a brief over it needs them.

    ``best`` are the best ``need`` stored stories that hold exactly the window's articles,
    best first by the brief's score (event id descending on ties); ``exact`` how many such
    stories the window holds in all. ``cut`` are the stored stories crossing the window's
    edge, ``members`` the window's articles of those, of stale events and of no event (to
    compose from), ``articles`` the window's count.
    """

    best: list[RowHead]
    exact: int
    cut: list[RowHead]
    members: list[Candidate]
    articles: int


def _head(row: Any) -> RowHead:
    return RowHead(
        int(row[1]),
        int(row[2]),
        int(row[3]),
        float(row[4]),
        int(row[5]),
        bool(row[6]),
        float(row[7]),
        str(row[8]),
    )


def rank_window(
    session: Session,
    topic: str,
    start: datetime,
    end: datetime,
    need: int,
    score: Callable[[RowHead], float],
) -> WindowRank:
    """Rank the stored stories of ``topic`` in [start, end] by ``score`` at ``end``.

    ``score`` is the brief's own score of a stored story; the database orders by an SQL
    spelling of it that may differ only in the last digits, and the page is fetched again
    with more rows whenever that difference could change which ``need`` rows are best.
    """
    params = {
        "topic": topic,
        "start_ts": start.timestamp(),
        "end_ts": end.timestamp(),
        "now_ts": end.timestamp(),
        "undated": UNDATED_RECENCY,
        "decay": math.log(2) / (HALF_LIFE_HOURS * 3600),
        "inv_ln2": 1 / math.log(2),
    }
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        # psycopg prepares a statement run often; PostgreSQL's generic plan for _MEMBERS,
        # blind to how narrow the window is, hash-joins every article of the window.
        session.execute(_CUSTOM_PLANS)
    rows = _rank_rows(session, params, -math.inf, need + _MARGIN)
    totals = next(r for r in rows if r[0] == _TOTALS)
    exact = int(totals[1] or 0)
    ranked = _ranked(rows, score)
    if not _settled(ranked, need, exact, rows):
        # Every row whose score can reach the ``need``-th fetched one's, at most once more.
        rows = _rank_rows(session, params, ranked[need - 1][0] - 2 * _EPSILON, exact)
        ranked = _ranked(rows, score)
    cut = [_head(r) for r in rows if r[0] == _CUT]
    events = [h.event_id for h in cut] + [int(r[1]) for r in rows if r[0] == _STALE]
    window = {
        "topic": topic,
        "ready": str(ArticleStatus.READY),
        "start": start,
        "end": end,
        "events": events if dialect == "postgresql" else json.dumps(events),
    }
    members = queries.candidates(session.connection().execute(_MEMBERS[dialect], window).all())
    return WindowRank(
        best=[h for _score, h in ranked[: max(need, 0)]],
        exact=exact,
        cut=cut,
        members=members,
        articles=int(totals[2] or 0) + len(members),
    )


def _rank_rows(session: Session, params: dict[str, Any], floor: float, limit: int) -> list[Any]:
    """Return the ranked exact rows (SQL score >= ``floor``), the others, the totals."""
    if floor < 0:
        bound = {**params, "limit": max(limit, 1)}
        return list(session.connection().execute(_RANK, bound).all())
    bound = {**params, "floor": floor, "limit": max(limit, 1)}
    return list(session.connection().execute(_RANK_ABOVE, bound).all())


def _ranked(rows: list[Any], score: Callable[[RowHead], float]) -> list[tuple[float, RowHead]]:
    heads = (_head(r) for r in rows if r[0] == _EXACT)
    return sorted(((score(h), h) for h in heads), key=lambda t: (-t[0], -t[1].event_id))


def _settled(ranked: list[tuple[float, RowHead]], need: int, exact: int, rows: list[Any]) -> bool:
    """Tell whether no exact row left out of ``rows`` can rank among the best ``need``.

    Left-out rows score at most the lowest fetched SQL score, so at most ``_EPSILON`` above
    it by the brief's own score: the ``need``-th fetched row must be above that.
    """
    if len(ranked) >= exact or need <= 0:
        return True
    if len(ranked) < need:
        return False
    lowest = min(float(r[9]) for r in rows if r[0] == _EXACT)
    return ranked[need - 1][0] > lowest + _EPSILON
