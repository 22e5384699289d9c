"""Rank a brief window's stored stories in the database: one query, a page of small rows.

The query counts the window's ready articles of the topic per event, joins each event's
stored row (``event_briefs``) and sorts the rows that hold exactly the window's articles by
an SQL spelling of the brief's score, so a brief reads only the best few rows plus those of
the events it must compose from their articles. The order is then checked in Python with the
brief's own score: SQL's floating point may differ from Python's in the last digits, so the
page is fetched with a margin and fetched again, larger, whenever the margin cannot rule out
a row left below it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.orm import Session

from corpus.brief_rows import RowHead
from corpus.tables import ArticleStatus

__all__ = ["HALF_LIFE_HOURS", "UNDATED_RECENCY", "WindowRank", "rank_window"]

HALF_LIFE_HOURS = 48.0
UNDATED_RECENCY = 0.25  # weight of recency when no article of a story gave its date
_MARGIN = 8  # rows fetched beyond those needed, so a near tie rarely needs a second query
_EPSILON = 1e-6  # far above any difference between SQL's and Python's score of one row

# Ready articles of the topic in [start, end] (dated by publication, else by fetch time);
# each half is one range scan of ix_articles_brief_window_event. The topic is looked up per
# article as a scalar subquery: PostgreSQL would turn an EXISTS into a hash join over every
# article of the topic, many times slower than the window's few thousand index probes.
_IN_TOPIC = (
    "(SELECT 1 FROM article_topics t WHERE t.article_id = a.id AND t.topic = :topic) IS NOT NULL"
)
_HALVES = " UNION ALL ".join(
    f"SELECT a.event_id, a.id FROM articles a WHERE a.status = :ready AND {when} AND {_IN_TOPIC}"
    for when in (
        "a.published_at BETWEEN :start AND :end",
        "a.published_at IS NULL AND a.fetched_at BETWEEN :start AND :end",
    )
)
# kind 0: compose from the articles (no row, a row older than the window's articles, or no
# event); 1: the row holds exactly the window's articles; 2: the row holds more (cut by
# the window's edge). The last SELECT is one row of totals: articles, exact rows.
_EXACT, _COMPOSE, _CUT, _TOTALS = 1, 0, 2, 3
_SCORE = (
    "3 * (CASE WHEN dated THEN 1.0 ELSE :undated END)"
    " * exp(-:decay * (CASE WHEN :now_ts > last_ts THEN :now_ts - last_ts ELSE 0 END))"
    " + ln(1 + CAST(outlets AS DOUBLE PRECISION)) * :inv_ln2"
)
_COLUMNS = "kind, event_id, n, s, articles, id_sum, last_ts, outlets, dated, salience, stamp"
_RANK = text(
    f"WITH w(event_id, id) AS ({_HALVES}),"
    " c AS (SELECT event_id, count(*) AS n, sum(id) AS s FROM w GROUP BY event_id),"
    " j AS (SELECT c.event_id, c.n, c.s, b.articles, b.id_sum, b.last_ts, b.outlets,"
    " b.dated, b.salience, b.stamp,"
    f" CASE WHEN b.event_id IS NULL OR c.n > b.articles THEN {_COMPOSE}"
    f" WHEN c.n = b.articles AND c.s = b.id_sum THEN {_EXACT} ELSE {_CUT} END AS kind"
    " FROM c LEFT JOIN event_briefs b ON b.topic = :topic AND b.event_id = c.event_id"
    " AND b.last_ts >= :start_ts AND b.first_ts <= :end_ts)"
    f" SELECT * FROM (SELECT {_COLUMNS}, {_SCORE} AS score FROM j WHERE kind = {_EXACT}"
    f" AND {_SCORE} >= :floor ORDER BY score DESC, event_id DESC LIMIT :limit) AS top"
    f" UNION ALL SELECT {_COLUMNS}, NULL FROM j WHERE kind <> {_EXACT}"
    f" UNION ALL SELECT {_TOTALS}, NULL, sum(n), NULL,"
    f" count(CASE WHEN kind = {_EXACT} THEN 1 END), NULL, NULL, NULL, NULL, NULL, NULL, NULL"
    " FROM j"
).bindparams(
    bindparam("start", type_=DateTime(timezone=True)),
    bindparam("end", type_=DateTime(timezone=True)),
)


class WindowRank(NamedTuple):
    """The window's events as a brief over it needs them.

    ``best`` are the best ``need`` stored stories that hold exactly the window's articles,
    best first by the brief's score (event id descending on ties); ``exact`` how many such
    stories the window holds in all. ``cut`` are stored stories holding more articles than
    the window, ``composed`` the events to compose from their articles, ``unclustered``
    whether ready articles in no event lie in the window, ``articles`` the window's count.
    """

    best: list[RowHead]
    exact: int
    cut: list[RowHead]
    composed: list[int]
    unclustered: bool
    articles: int


def _head(row: Any) -> RowHead:
    return RowHead(
        int(row[1]),
        int(row[4]),
        int(row[5]),
        float(row[6]),
        int(row[7]),
        bool(row[8]),
        float(row[9]),
        str(row[10]),
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
        "ready": str(ArticleStatus.READY),
        "topic": topic,
        "start": start,
        "end": end,
        "start_ts": start.timestamp(),
        "end_ts": end.timestamp(),
        "now_ts": end.timestamp(),
        "undated": UNDATED_RECENCY,
        "decay": math.log(2) / (HALF_LIFE_HOURS * 3600),
        "inv_ln2": 1 / math.log(2),
    }
    rows = _rank_rows(session, params, -math.inf, need + _MARGIN)
    exact = int(rows[-1][4] or 0)
    ranked = _ranked(rows, score)
    if not _settled(ranked, need, exact, rows):
        # Every row whose score can reach the ``need``-th fetched one's, at most once more.
        rows = _rank_rows(session, params, ranked[need - 1][0] - 2 * _EPSILON, exact)
        ranked = _ranked(rows, score)
    return WindowRank(
        best=[h for _score, h in ranked[: max(need, 0)]],
        exact=exact,
        cut=[_head(r) for r in rows if r[0] == _CUT],
        composed=[int(r[1]) for r in rows if r[0] == _COMPOSE and r[1] is not None],
        unclustered=any(r[0] == _COMPOSE and r[1] is None for r in rows),
        articles=int(rows[-1][2] or 0),
    )


def _rank_rows(session: Session, params: dict[str, Any], floor: float, limit: int) -> list[Any]:
    """Return the ranked exact rows (SQL score >= ``floor``), then the others, then totals."""
    bound = {**params, "floor": max(floor, -1.0), "limit": max(limit, 1)}
    rows = session.connection().execute(_RANK, bound).all()
    return sorted(rows, key=lambda r: r[0] == _TOTALS)  # UNION ALL keeps no order


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
    lowest = min(float(r[11]) for r in rows if r[0] == _EXACT)
    return ranked[need - 1][0] > lowest + _EPSILON
