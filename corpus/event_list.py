"""Events as lists of their articles: ``newsbrief stories list`` and ``ingest --json``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from corpus.clock import as_utc
from corpus.tables import Article, ArticleStatus, ArticleTopic

_CHUNK = 500


def article_events(session: Session, article_ids: Sequence[int]) -> dict[int, int | None]:
    """Return the event each of the given articles is in (None when it is in none)."""
    out: dict[int, int | None] = {}
    unique = list(dict.fromkeys(article_ids))
    for i in range(0, len(unique), _CHUNK):
        query = select(Article.id, Article.event_id).where(Article.id.in_(unique[i : i + _CHUNK]))
        out.update({int(a): (int(e) if e is not None else None) for a, e in session.execute(query)})
    return out


@dataclass(frozen=True, slots=True)
class EventArticle:
    """One ready article of a listed event; ``date_is_fetched`` when it gave no date."""

    id: int
    url: str
    title: str | None
    site: str | None
    date: datetime | None
    date_is_fetched: bool


@dataclass(frozen=True, slots=True)
class ListedEvent:
    """An event (the story id briefs show) with its ready articles, oldest first."""

    story_id: int
    articles: tuple[EventArticle, ...]

    @property
    def latest(self) -> datetime | None:
        """The date of its newest article (publication, else fetch)."""
        return max((a.date for a in self.articles if a.date), default=None)

    @property
    def outlets(self) -> int:
        """How many outlets reported it; an article with no site counts alone."""
        return len({a.site or f"#{a.id}" for a in self.articles})

    def to_dict(self) -> dict[str, Any]:
        """Return the event as a JSON object."""
        latest = self.latest
        return {
            "story_id": self.story_id,
            "outlets": self.outlets,
            "latest": latest.isoformat() if latest else None,
            "article_ids": [a.id for a in self.articles],
            "urls": [a.url for a in self.articles],
            "articles": [
                {
                    "id": a.id,
                    "url": a.url,
                    "title": a.title,
                    "site": a.site,
                    "date": a.date.isoformat() if a.date else None,
                    "date_is_fetched": a.date_is_fetched,
                }
                for a in self.articles
            ],
        }


def list_events(
    session: Session,
    *,
    topic: str | None = None,
    days: int | None = None,
    until: datetime | None = None,
) -> list[ListedEvent]:
    """Return the events with a ready article dated in the window, newest first.

    An article's date is its publication date, else its fetch time. The window is the
    ``days`` before ``until`` (now when not given); with neither, every event. Only the
    articles of ``topic`` count when it is given; every article of a listed event is listed.
    """
    date = func.coalesce(Article.published_at, Article.fetched_at)
    wanted = select(Article.event_id).where(
        Article.status == ArticleStatus.READY, Article.event_id.is_not(None)
    )
    if topic is not None:
        wanted = wanted.where(
            exists().where(ArticleTopic.article_id == Article.id, ArticleTopic.topic == topic)
        )
    end = as_utc(until)
    if end is not None:
        wanted = wanted.where(date <= end)
    if days is not None:
        wanted = wanted.where(date >= (end or datetime.now(UTC)) - timedelta(days=days))
    rows = session.execute(
        select(
            Article.event_id,
            Article.id,
            Article.url,
            Article.title,
            Article.site,
            Article.published_at,
            Article.fetched_at,
        )
        .where(Article.status == ArticleStatus.READY, Article.event_id.in_(wanted.distinct()))
        .order_by(Article.event_id, date, Article.id)
    ).all()
    grouped: dict[int, list[EventArticle]] = {}
    for event_id, article_id, url, title, site, published, fetched in rows:
        # event_id is never None here: the query keeps only the articles of listed events
        when = as_utc(published) or as_utc(fetched)
        grouped.setdefault(int(event_id or 0), []).append(
            EventArticle(int(article_id), url, title, site, when, published is None)
        )
    events = [ListedEvent(event_id, tuple(articles)) for event_id, articles in grouped.items()]
    events.sort(key=lambda e: (e.latest.timestamp() if e.latest else 0.0, e.story_id), reverse=True)
    return events
