"""Full-text search over the stored articles, results grouped into stories with citations.

SQLite searches an FTS5 table (``articles_fts``) that triggers keep in step with
``articles``; PostgreSQL a generated ``tsvector`` column of ``articles`` with a GIN index.
Both are created by migration 0003 and live outside the models, so
:func:`is_search_index` tells Alembic's autogenerate to leave them alone.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, DateTime, Integer, String, Text, TextClause, bindparam, text
from sqlalchemy.orm import Session

from corpus.brief_values import Bullet, SourceRef, StoryItem
from corpus.clock import as_utc, utcnow
from corpus.tables import ArticleStatus
from corpus.topics import get_topic

FTS_TABLE = "articles_fts"  # spelled out in the SQL below
PG_INDEX = "ix_articles_fts"
PG_COLUMN = "search_vector"  # generated and stored, so ranking never re-parses the texts
PG_CONFIG = "english"
# Title words weigh more than body words in the ranking.
PG_VECTOR = (
    f"setweight(to_tsvector('{PG_CONFIG}', coalesce(title, '')), 'A') || "
    f"setweight(to_tsvector('{PG_CONFIG}', coalesce(text, '')), 'B')"
)
MAX_HITS = 60  # articles read per search; grouped into stories, then paged by the caller
MAX_QUERY = 200
MIN_QUERY = 2
MAX_DAYS = 3650
SNIPPET_WORDS = 30
# Query syntax, not words: a "quoted phrase" or a run of anything but spaces and quotes.
_QUERY_TERM = re.compile(r'"[^"]+"|[^\s"]+')
_SQLITE_TRIGGERS = {
    "articles_fts_insert": (
        "AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
    ),
    "articles_fts_delete": (
        "AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); END"
    ),
    "articles_fts_update": (
        "AFTER UPDATE OF title, text ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
    ),
}


class SearchError(ValueError):
    """A search was refused (empty or overlong query, unknown topic); the message says why."""


@dataclass(frozen=True, slots=True)
class SearchResults:
    """Matching stories, best first, each citing its matching articles in ``sources``."""

    query: str
    topic: str | None
    topic_name: str | None
    days: int | None
    stories: tuple[StoryItem, ...]
    sources: tuple[SourceRef, ...]
    capped: bool = False  # more articles matched than were read


def install_sqlite_search(conn: Connection) -> None:
    """Create the FTS5 table and its triggers (again, if missing) and index every article."""
    conn.exec_driver_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
        "title, text, content='articles', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    for name, body in _SQLITE_TRIGGERS.items():
        conn.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
    conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")


def drop_sqlite_search(conn: Connection) -> None:
    """Drop the FTS5 table and its triggers."""
    for name in _SQLITE_TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    conn.exec_driver_sql("DROP TABLE IF EXISTS articles_fts")


def is_search_index(name: str | None, type_: str) -> bool:
    """Tell whether a schema object is the search index (not in the models, by design)."""
    if not name:
        return False
    if type_ == "table":
        return name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")
    if type_ == "column":
        return name == PG_COLUMN
    return type_ == "index" and name == PG_INDEX


def include_name(name: str | None, type_: str, parent_names: MutableMapping[Any, Any]) -> bool:
    """Alembic ``include_name`` hook: leave the search index out of autogenerate."""
    return not is_search_index(name, type_)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, other: Any) -> bool:
    """Alembic ``include_object`` hook: leave the search index out of autogenerate."""
    return not is_search_index(name, type_)


def _fts_query(query: str) -> str:
    """Turn what a user typed into an FTS5 query: every word or "phrase" must occur."""
    terms = []
    for token in _QUERY_TERM.findall(query):
        words = token.strip('"').replace('"', " ").split()
        if words:
            terms.append('"' + " ".join(words) + '"')
    return " ".join(terms)


def _check(query: str, days: int | None) -> str:
    cleaned = " ".join(query.split())
    if len(cleaned) < MIN_QUERY:
        raise SearchError(f"Type at least {MIN_QUERY} characters to search for.")
    if len(cleaned) > MAX_QUERY:
        raise SearchError(f"A search is at most {MAX_QUERY} characters long.")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise SearchError(f"days must be between 1 and {MAX_DAYS}.")
    return cleaned


def _filters(topic: str | None, since: datetime | None) -> str:
    where = [f"a.status = '{ArticleStatus.READY}'"]
    if topic is not None:
        where.append(
            "EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = a.id AND t.topic = :topic)"
        )
    if since is not None:
        where.append("coalesce(a.published_at, a.fetched_at) >= :since")
    return " AND ".join(where)


# A result's story is its event, as in briefs (``/story`` takes event ids).
_COLUMNS = "a.id, a.event_id AS story_id, a.title, a.url, a.site, a.published_at, a.fetched_at"
_OUTER = "a.id, a.story_id, a.title, a.url, a.site, a.published_at, a.fetched_at"


def _typed(sql: TextClause, params: dict[str, Any]) -> Any:
    """Give the textual query its column and parameter types (dates as the ORM stores them)."""
    if "since" in params:
        sql = sql.bindparams(bindparam("since", type_=DateTime(timezone=True)))
    return sql.columns(
        id=Integer,
        story_id=Integer,
        title=Text,
        url=String,
        site=String,
        published_at=DateTime(timezone=True),
        fetched_at=DateTime(timezone=True),
        snippet=Text,
    )


def _sqlite_hits(session: Session, query: str, where: str, params: dict[str, Any]) -> list[Any]:
    match = _fts_query(query)
    if not match:
        return []
    # Only constants and the filters built from them are spliced in; user input is bound.
    sql = text(
        f"SELECT {_COLUMNS}, snippet(articles_fts, 1, '', '', '…', {SNIPPET_WORDS}) AS snippet "
        "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        f"WHERE articles_fts MATCH :match AND {where} "
        "ORDER BY bm25(articles_fts, 4.0, 1.0), a.id DESC LIMIT :limit"
    )
    return list(session.execute(_typed(sql, params), {**params, "match": match}))


def _postgres_hits(session: Session, query: str, where: str, params: dict[str, Any]) -> list[Any]:
    options = f"MaxWords={SNIPPET_WORDS}, MinWords=12, MaxFragments=1, StartSel='', StopSel=''"
    # Only constants and the filters built from them are spliced in; user input is bound.
    sql = text(
        f"SELECT {_OUTER}, ts_headline('{PG_CONFIG}', coalesce(a.text, ''), a.q, '{options}') "
        f"AS snippet FROM (SELECT {_COLUMNS}, a.text, q, ts_rank(a.{PG_COLUMN}, q) AS rank "
        f"FROM articles a, websearch_to_tsquery('{PG_CONFIG}', :query) q "
        f"WHERE a.{PG_COLUMN} @@ q AND {where} "
        "ORDER BY rank DESC, a.id DESC LIMIT :limit"
        ") a ORDER BY a.rank DESC, a.id DESC"
    )
    return list(session.execute(_typed(sql, params), {**params, "query": query}))


def _date(row: Any) -> tuple[datetime | None, bool]:
    published, fetched = as_utc(row.published_at), as_utc(row.fetched_at)
    return (published, False) if published else (fetched, fetched is not None)


def _group(rows: Sequence[Any]) -> tuple[tuple[StoryItem, ...], tuple[SourceRef, ...]]:
    """Group ranked article hits into stories, best first; number the articles as sources."""
    sources: list[SourceRef] = []
    by_story: dict[int, list[tuple[SourceRef, str]]] = {}
    for row in rows:
        when, fetched = _date(row)
        ref = SourceRef(
            number=len(sources) + 1,
            article_id=row.id,
            title=row.title or row.url,
            outlet=row.site,
            published=when,
            url=row.url,
            date_is_fetched=fetched,
        )
        sources.append(ref)
        key = row.story_id if row.story_id is not None else -row.id
        by_story.setdefault(key, []).append((ref, " ".join((row.snippet or "").split())))
    stories = []
    for key, hits in by_story.items():
        best, snippet = hits[0]
        dated = [(ref.published, ref.date_is_fetched) for ref, _ in hits if ref.published]
        latest = max(dated) if dated else (None, False)
        numbers = tuple(ref.number for ref, _ in hits)
        stories.append(
            StoryItem(
                story_id=max(key, 0),
                headline=best.title,
                bullets=(Bullet(text=snippet or best.title, citations=numbers),),
                citations=numbers,
                outlets=len({ref.outlet or ref.url for ref, _ in hits}),
                latest=latest[0],
                latest_is_fetched=latest[1],
            )
        )
    return tuple(stories), tuple(sources)


def search_articles(
    session: Session,
    query: str,
    *,
    topic: str | None = None,
    days: int | None = None,
    now: datetime | None = None,
    limit: int = MAX_HITS,
) -> SearchResults:
    """Search the analysed articles for ``query``, optionally in one topic and the last days.

    Every word (or "quoted phrase") must occur, in any form the dialect's stemming allows
    (PostgreSQL also reads ``-word`` and ``or``). Raises :class:`SearchError` saying why a
    search is refused.
    """
    cleaned = _check(query, days)
    found = get_topic(session, topic) if topic is not None else None
    if topic is not None and found is None:
        raise SearchError(f"There is no topic {topic!r}; /topics list shows them.")
    since = (now or utcnow()) - timedelta(days=days) if days is not None else None
    params: dict[str, Any] = {"limit": limit + 1}
    if found is not None:
        params["topic"] = found.slug
    if since is not None:
        params["since"] = since
    where = _filters(found.slug if found else None, since)
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        rows = _sqlite_hits(session, cleaned, where, params)
    elif dialect == "postgresql":
        rows = _postgres_hits(session, cleaned, where, params)
    else:
        raise NotImplementedError(f"Search needs SQLite or PostgreSQL, not {dialect!r}.")
    stories, sources = _group(rows[:limit])
    return SearchResults(
        query=cleaned,
        topic=found.slug if found else None,
        topic_name=found.name if found else None,
        days=days,
        stories=stories,
        sources=sources,
        capped=len(rows) > limit,
    )
