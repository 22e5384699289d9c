"""The corpus's tables (SQLAlchemy ORM) and the kinds and statuses stored in them.

The single source of truth for the tables; ``corpus/migrations`` must match it
(``tests/corpus/test_migrations.py`` compares them).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from corpus.clock import utcnow
from corpus.statuses import ArticleStatus as ArticleStatus
from corpus.statuses import SourceKind as SourceKind
from corpus.statuses import SourceStatus as SourceStatus

# The form of an event centroid the worker writes now (see ``Event``); 0 is the form of
# centroids stored before the column existed.
CENTROID_FORM = 1


class Base(DeclarativeBase):
    """Declarative base of every corpus table."""

    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Source(Base):
    """A URL the worker polls for articles: a feed, a sitemap, a page or a site."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str | None] = mapped_column(String(64), default=None)
    # For a site: the feed discovered on it; polling uses it once known.
    resolved_url: Mapped[str | None] = mapped_column(String(2048), default=None)
    status: Mapped[str] = mapped_column(String(16), default=SourceStatus.ACTIVE)
    paused_reason: Mapped[str | None] = mapped_column(Text, default=None)
    poll_interval_seconds: Mapped[int] = mapped_column(Integer, default=900)
    added_by_guild: Mapped[int | None] = mapped_column(BigInteger, default=None)
    added_by_user: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    etag: Mapped[str | None] = mapped_column(String(512), default=None)
    last_modified: Mapped[str | None] = mapped_column(String(128), default=None)
    last_polled_at: Mapped[datetime | None] = mapped_column(default=None)
    last_success_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    last_poll_summary: Mapped[str | None] = mapped_column(Text, default=None)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)

    articles: Mapped[list[Article]] = relationship(back_populates="source")


class Story(Base):
    """A cluster of near-duplicate articles: the same story, syndicated or lightly edited."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    articles: Mapped[list[Article]] = relationship(back_populates="story")


class Event(Base):
    """What several outlets report on: articles clustered by content within a time window.

    ``centroid`` holds the sum of its articles' unit-length TF-IDF vectors (capped to the
    strongest terms); ``centroid_form`` says which form a stored centroid has
    (``CENTROID_FORM`` now, 0 for summed raw term weights written before migration 0006,
    which the worker rebuilds from the event's articles when it next reads them). An event
    absorbed by a merge keeps its row with ``merged_into`` set, so an id shown in an earlier
    brief still leads to the surviving event; so does an event released by a recluster (it
    points to the rebuilt event holding most of its articles, or to itself when none does:
    gone). Rows are never deleted, so SQLite never gives a shown id to another event.
    """

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_last_at", "last_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_at: Mapped[datetime] = mapped_column()
    last_at: Mapped[datetime] = mapped_column()
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    centroid: Mapped[dict[str, Any]] = mapped_column(default=dict)
    centroid_form: Mapped[int] = mapped_column(Integer, default=CENTROID_FORM, server_default="0")
    merged_into: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class EventBrief(Base):
    """A story as a brief shows it, for one topic: kept current as its event changes.

    A brief reads these few small rows instead of every article of the window. ``articles``
    and ``id_sum`` say which articles the row was composed from (the ready articles of the
    topic with a date), ``first_ts`` and ``last_ts`` their earliest and latest dates; a row
    whose event is not in ``stale_event_briefs`` holds exactly its event's articles now, so
    a window from ``first_ts`` to ``last_ts`` or wider holds exactly the row's articles.
    Times are seconds since the epoch (cheap to read in bulk).
    """

    __tablename__ = "event_briefs"
    __table_args__ = (
        # The window's rows by their latest date, with every column a brief ranks by, so
        # ranking never reads a row's (large) body.
        Index(
            "ix_event_briefs_window",
            "topic",
            "last_ts",
            "first_ts",
            "event_id",
            "articles",
            "id_sum",
            "outlets",
            "dated",
            "salience",
            "stamp",
        ),
    )

    topic: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    articles: Mapped[int] = mapped_column(Integer)
    id_sum: Mapped[int] = mapped_column(BigInteger)
    first_ts: Mapped[float] = mapped_column(Double)
    last_ts: Mapped[float] = mapped_column(Double)
    outlets: Mapped[int] = mapped_column(Integer)
    dated: Mapped[bool] = mapped_column(Boolean)
    salience: Mapped[float] = mapped_column(Double)
    stamp: Mapped[str] = mapped_column(String(32))
    body: Mapped[dict[str, Any]] = mapped_column()


class StaleEventBrief(Base):
    """An event whose articles were written since its stored stories were composed.

    Database triggers (migration 0009) add the event of every article inserted, deleted or
    changed in what a story shows (its event, status, dates, outlet, title, address,
    analysis) and of every article tagged or untagged with a topic; recomposing an event's
    stored stories removes it first. So no write can leave a stored story out of date
    unnoticed: a brief composes a stale event from its articles. A migration that rebuilds
    ``articles`` or ``article_topics`` on SQLite (which drops their triggers) creates them again.
    """

    __tablename__ = "stale_event_briefs"

    event_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class EventTerm(Base):
    """A strong term of an event, for finding the open events a new article may join."""

    __tablename__ = "event_terms"
    __table_args__ = (
        Index("ix_event_terms_term_last", "term", "last_at"),
        Index("ix_event_terms_event", "event_id"),
    )

    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    last_at: Mapped[datetime] = mapped_column()


class TermCount(Base):
    """In how many clustered articles a term occurs (document frequency), kept current.

    The row with the empty term counts the clustered articles themselves.
    """

    __tablename__ = "term_counts"

    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    documents: Mapped[int] = mapped_column(Integer, default=0)


class Article(Base):
    """One article, keyed by its canonical URL."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_status_published", "status", "published_at"),
        # Covers the brief's window queries, so they never read article rows (texts) at all.
        Index(
            "ix_articles_brief_window_event",
            "status",
            "published_at",
            "story_id",
            "fetched_at",
            "site",
            "event_id",
            "id",  # PostgreSQL's indexes hold no row id of their own
        ),
        Index("ix_articles_story", "story_id"),
        # An event's (or no event's) articles in a window, without reading an article row.
        Index(
            "ix_articles_event_window",
            "event_id",
            "status",
            "published_at",
            "fetched_at",
            "story_id",
            "site",
            "id",
        ),
        Index("ix_articles_text_hash", "text_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    canonical_url: Mapped[str] = mapped_column(String(2048), unique=True)
    url: Mapped[str] = mapped_column(String(2048))
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), default=None, index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=ArticleStatus.PENDING)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    title: Mapped[str | None] = mapped_column(Text, default=None)
    author: Mapped[str | None] = mapped_column(Text, default=None)
    site: Mapped[str | None] = mapped_column(String(256), default=None)
    language: Mapped[str | None] = mapped_column(String(16), default=None)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    discovered_at: Mapped[datetime] = mapped_column(default=utcnow)
    fetched_at: Mapped[datetime | None] = mapped_column(default=None)
    text: Mapped[str | None] = mapped_column(Text, default=None)
    text_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    minhash: Mapped[list[Any] | None] = mapped_column(default=None)
    duplicate_of: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), default=None
    )
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="SET NULL"), default=None
    )
    # The event the article reports (set by clustering after analysis); versions of one
    # article (its story) share it.
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), default=None
    )

    analysed_at: Mapped[datetime | None] = mapped_column(default=None)
    summary: Mapped[list[Any] | None] = mapped_column(default=None)
    summary_backend: Mapped[str | None] = mapped_column(String(32), default=None)
    themes: Mapped[list[Any] | None] = mapped_column(default=None)
    figures: Mapped[list[Any] | None] = mapped_column(default=None)

    source: Mapped[Source | None] = relationship(back_populates="articles")
    story: Mapped[Story | None] = relationship(back_populates="articles")
    event: Mapped[Event | None] = relationship()
    topics: Mapped[list[ArticleTopic]] = relationship(
        back_populates="article", cascade="all, delete-orphan"
    )


class ArticleTopic(Base):
    """Which topics an article is substantively about (set by analysis)."""

    __tablename__ = "article_topics"
    __table_args__ = (Index("ix_article_topics_topic", "topic", "article_id"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(64), primary_key=True)

    article: Mapped[Article] = relationship(back_populates="topics")


class LshBand(Base):
    """One MinHash LSH band of an article, for finding near-duplicates in the database."""

    __tablename__ = "lsh_bands"
    __table_args__ = (Index("ix_lsh_bands_key", "band_key"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    band_key: Mapped[str] = mapped_column(String(64), primary_key=True)


class TopicRecord(Base):
    """A topic added by an admin; shipped topics live in ``corpus/data/topics.yaml``."""

    __tablename__ = "topics"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    definition: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by_guild: Mapped[int | None] = mapped_column(BigInteger, default=None)
    added_by_user: Mapped[int | None] = mapped_column(BigInteger, default=None)


class DigestSchedule(Base):
    """A channel's scheduled digest of one topic."""

    __tablename__ = "digest_schedules"
    __table_args__ = (UniqueConstraint("guild_id", "channel_id", "topic"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    topic: Mapped[str] = mapped_column(String(64))
    time_of_day: Mapped[str] = mapped_column(String(5))  # "HH:MM" in ``timezone``
    timezone: Mapped[str] = mapped_column(String(64))
    frequency: Mapped[str] = mapped_column(String(8), default="daily")  # daily | weekly
    enabled: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # End of the period covered by the last digest composed for this schedule.
    last_period_end: Mapped[datetime | None] = mapped_column(default=None)
    # When it was turned off (None while on); /digest status forgets it a week later.
    disabled_at: Mapped[datetime | None] = mapped_column(default=None)


class OutboxStatus(StrEnum):
    """Delivery state of an outbox message."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # permanent: channel gone or no permission; reason in ``last_error``


class OutboxMessage(Base):
    """A message waiting for the bot to post it; ``key`` makes composition exactly-once."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status", "status", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(256), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # digest | alert
    guild_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)


class AlertChannel(Base):
    """Where a guild's admins want to hear about sources that were paused."""

    __tablename__ = "alert_channels"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    channel_id: Mapped[int] = mapped_column(BigInteger)


class LlmCall(Base):
    """Cache and daily cap bookkeeping for the optional LLM summary backend."""

    __tablename__ = "llm_calls"

    text_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = mapped_column(String(128), primary_key=True)
    called_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    summary: Mapped[list[Any] | None] = mapped_column(default=None)
    rejected_reason: Mapped[str | None] = mapped_column(Text, default=None)


def table_of(model: type[Base]) -> Table:
    """Return a model's table, typed as a ``Table`` (``__table__`` is typed as any FromClause)."""
    return cast(Table, model.__table__)
