"""Idempotent article writes: discover, store extracted text with dedup, enrich, fail.

Every function here may be called again with the same arguments (a task delivered twice)
and then changes nothing. Near-duplicate detection uses the ``lsh_bands`` table; the
signatures and band keys are computed by the caller, so corpus does not depend on worker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from corpus.clock import as_utc, utcnow
from corpus.db import insert_ignoring
from corpus.pipeline_values import Enrichment, ExtractedArticle
from corpus.tables import Article, ArticleStatus, ArticleTopic, LshBand, Story, table_of

Similarity = Callable[[Sequence[int], Sequence[int]], float]

_DEDUP_LOCK_KEY = 0x6E62_6465_6475_70  # any constant shared by every writer ("nbdedup")

# Statuses whose text (or duplicate link) is final: a re-delivered store does nothing.
_SETTLED = (ArticleStatus.STORED, ArticleStatus.READY, ArticleStatus.DUPLICATE)


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """What a pipeline stage needs to know about an article before working on it."""

    id: int
    url: str
    canonical_url: str
    source_id: int | None
    status: str
    error: str | None
    attempts: int
    title: str | None
    text: str | None
    story_id: int | None
    duplicate_of: int | None


@dataclass(frozen=True, slots=True)
class StoreResult:
    """Outcome of ``store_extracted``."""

    article_id: int
    status: str
    story_id: int | None
    duplicate_of: int | None
    near_duplicate_of: int | None = None


def _ref(article: Article) -> ArticleRef:
    return ArticleRef(
        id=article.id,
        url=article.url,
        canonical_url=article.canonical_url,
        source_id=article.source_id,
        status=article.status,
        error=article.error,
        attempts=article.attempts,
        title=article.title,
        text=article.text,
        story_id=article.story_id,
        duplicate_of=article.duplicate_of,
    )


def _load(session: Session, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise LookupError(f"There is no article with id {article_id}.")
    return article


# The pipeline's statements of every article, built once: building a statement costs more
# than running it. Columns are read as columns and written by one UPDATE (no ORM object).
_ARTICLES = table_of(Article)
_BY_ID = _ARTICLES.c.id == bindparam("article_id")
_REF_COLUMNS = tuple(
    _ARTICLES.c[name]
    for name in (
        "id",
        "url",
        "canonical_url",
        "source_id",
        "status",
        "error",
        "attempts",
        "title",
        "text",
        "story_id",
        "duplicate_of",
    )
)
_REF = select(*_REF_COLUMNS).where(_BY_ID)
# Sets the columns its parameters name besides ``article_id``.
_UPDATE = update(_ARTICLES).where(_BY_ID)
_COUNT_ATTEMPT = (
    update(_ARTICLES)
    .where(_BY_ID, _ARTICLES.c.status == ArticleStatus.PENDING)
    .values(attempts=func.coalesce(_ARTICLES.c.attempts, 0) + 1)
)
_TAKE_TURN = update(_ARTICLES).where(_BY_ID).values(attempts=_ARTICLES.c.attempts)
_STORE_STATE = select(
    _ARTICLES.c.status, _ARTICLES.c.story_id, _ARTICLES.c.duplicate_of, _ARTICLES.c.title
).where(_BY_ID)
_LIVE = (ArticleStatus.STORED, ArticleStatus.READY)
_SAME_TEXT = (
    select(_ARTICLES.c.id, _ARTICLES.c.story_id)
    .where(
        _ARTICLES.c.text_hash == bindparam("text_hash"),
        _ARTICLES.c.id != bindparam("article_id"),
        _ARTICLES.c.status.in_(_LIVE),
    )
    .order_by(_ARTICLES.c.id)
    .limit(1)
)
_ENRICHMENT = select(
    *_REF_COLUMNS,
    _ARTICLES.c.summary,
    _ARTICLES.c.themes,
    _ARTICLES.c.figures,
    _ARTICLES.c.summary_backend,
).where(_BY_ID)
_TOPICS = table_of(ArticleTopic)
_TOPICS_OF = select(_TOPICS.c.topic).where(_TOPICS.c.article_id == bindparam("article_id"))
_UNTAG = delete(_TOPICS).where(_TOPICS.c.article_id == bindparam("article_id"))
_STORIES = table_of(Story)
_TOUCH_STORY = (
    update(_STORIES)
    .where(_STORIES.c.id == bindparam("story_id"))
    .values(updated_at=bindparam("now"))
    .returning(_STORIES.c.id)
)
_NEW_STORY = insert(_STORIES).returning(_STORIES.c.id)
_BANDS = table_of(LshBand)
_SHARED_BANDS = (
    select(_BANDS.c.article_id)
    .join(_ARTICLES, _ARTICLES.c.id == _BANDS.c.article_id)
    .where(
        _BANDS.c.band_key.in_(bindparam("band_keys", expanding=True)),
        _BANDS.c.article_id != bindparam("article_id"),
        _ARTICLES.c.status.in_(_LIVE),
    )
    .group_by(_BANDS.c.article_id)
    .order_by(func.count(_BANDS.c.band_key).desc(), _BANDS.c.article_id)
    .limit(bindparam("limit"))
)
_SIGNATURES = (
    select(_ARTICLES.c.id, _ARTICLES.c.minhash, _ARTICLES.c.story_id)
    .where(_ARTICLES.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(_ARTICLES.c.id)
)


_READY_SINCE = (
    select(_ARTICLES.c.id)
    .where(
        _ARTICLES.c.status == ArticleStatus.READY,
        func.coalesce(_ARTICLES.c.published_at, _ARTICLES.c.fetched_at) >= bindparam("since"),
    )
    .order_by(_ARTICLES.c.id)
)


def ready_article_ids(session: Session, since: datetime | None = None) -> list[int]:
    """Return the ids of ready articles dated (published, else fetched) since ``since``."""
    if since is None:
        query = select(_ARTICLES.c.id).where(_ARTICLES.c.status == ArticleStatus.READY)
        return list(session.execute(query.order_by(_ARTICLES.c.id)).scalars())
    return list(session.execute(_READY_SINCE, {"since": since}).scalars())


def get_article(session: Session, article_id: int) -> ArticleRef | None:
    """Return an article's pipeline state, or None if it does not exist."""
    row = session.execute(_REF, {"article_id": article_id}).first()
    return None if row is None else ArticleRef(*row)


_BY_CANONICAL_URL = select(_ARTICLES.c.id).where(
    _ARTICLES.c.canonical_url == bindparam("canonical_url")
)


_DISCOVER: dict[str, Any] = {}  # per dialect


def _discover(session: Session) -> Any:
    """Return the INSERT of a discovered URL that returns its id (none if already there)."""
    dialect = session.get_bind().dialect.name
    stmt = _DISCOVER.get(dialect)
    if stmt is None:
        stmt = insert_ignoring(session, _ARTICLES, ("canonical_url",)).returning(_ARTICLES.c.id)
        _DISCOVER[dialect] = stmt
    return stmt


def discover(
    session: Session, canonical_url: str, url: str, source_id: int | None
) -> tuple[int, bool]:
    """Record a discovered article URL; return ``(article_id, is_new)``.

    The canonical URL is unique; a concurrent insert by another worker is not an error.
    """
    values = {
        "canonical_url": canonical_url,
        "url": url,
        "source_id": source_id,
        "status": ArticleStatus.PENDING,
        "attempts": 0,
        "discovered_at": utcnow(),
    }
    inserted = session.execute(_discover(session), values).scalar_one_or_none()
    if inserted is not None:
        return int(inserted), True
    existing = session.execute(_BY_CANONICAL_URL, {"canonical_url": canonical_url}).scalar_one()
    return int(existing), False


def pending_ids(
    session: Session,
    article_ids: Iterable[int],
    *,
    older_than: timedelta,
    now: datetime | None = None,
) -> list[int]:
    """Of ``article_ids``, those still pending and discovered more than ``older_than`` ago.

    A poll re-queues these: their fetch task was lost (e.g. the worker died before sending it).
    """
    ids = list(article_ids)
    if not ids:
        return []
    cutoff = (now or utcnow()) - older_than
    rows = session.execute(
        select(Article.id, Article.discovered_at).where(
            Article.id.in_(ids), Article.status == ArticleStatus.PENDING
        )
    ).all()
    return sorted(int(i) for i, found in rows if (as_utc(found) or cutoff) < cutoff)


def stale_pending_of_source(
    session: Session, source_id: int, *, older_than: timedelta, now: datetime | None = None
) -> list[int]:
    """Ids of ``source_id``'s articles still pending and discovered more than ``older_than`` ago.

    Their fetch task was lost even though the feed may never list them as new again (a poll
    answered 304 after the worker died between committing the poll and queueing the fetches).
    """
    cutoff = (now or utcnow()) - older_than
    rows = session.execute(
        select(Article.id, Article.discovered_at).where(
            Article.source_id == source_id, Article.status == ArticleStatus.PENDING
        )
    ).all()
    return sorted(int(i) for i, found in rows if (as_utc(found) or cutoff) < cutoff)


def unanalysed_ids(
    session: Session, *, older_than: timedelta, now: datetime | None = None, limit: int = 100
) -> list[int]:
    """Return stored articles fetched more than ``older_than`` ago and still not analysed.

    Their analysis task was lost (e.g. the broker was down when it was sent). Articles whose
    analysis failed with a recorded error are not returned: retrying would fail again.
    """
    cutoff = (now or utcnow()) - older_than
    rows = session.execute(
        select(Article.id, Article.fetched_at)
        .where(Article.status == ArticleStatus.STORED, Article.error.is_(None))
        .order_by(Article.id)
    ).all()
    return [int(i) for i, fetched in rows if (as_utc(fetched) or cutoff) < cutoff][:limit]


def signature_similarity(first: Sequence[int], second: Sequence[int]) -> float:
    """Estimate Jaccard similarity from two MinHash signatures of equal length."""
    if not first or len(first) != len(second):
        return 0.0
    same = sum(1 for a, b in zip(first, second, strict=True) if a == b)
    return same / len(first)


# Candidates sharing the most bands are the likeliest near-duplicates; a big story's copies all
# share bands, and any one of them leads to the same story, so looking at the top few suffices.
MAX_NEAR_DUPLICATE_CANDIDATES = 64


class _Near(NamedTuple):
    id: int
    story_id: int | None


def _nearest(
    session: Session,
    article_id: int,
    minhash: Sequence[int],
    band_keys: Sequence[str],
    threshold: float,
    similarity: Similarity,
) -> _Near | None:
    if not band_keys:
        return None
    ranked = session.execute(
        _SHARED_BANDS,
        {
            "band_keys": list(band_keys),
            "article_id": article_id,
            "limit": MAX_NEAR_DUPLICATE_CANDIDATES,
        },
    ).scalars()
    candidate_ids = sorted(ranked)
    if not candidate_ids:
        return None
    signatures = session.execute(_SIGNATURES, {"ids": candidate_ids}).all()
    best: _Near | None = None
    best_score = threshold
    mine = list(minhash)
    for candidate_id, signature, story_id in signatures:
        if not signature:
            continue
        score = similarity(mine, list(signature))
        if score >= best_score and (best is None or score > best_score):
            best, best_score = _Near(int(candidate_id), story_id), score
    return best


def _story_of(session: Session, near: _Near | None) -> int:
    """Return the story an article joins (its near-duplicate's, else a new one), touched now."""
    if near is not None and near.story_id is not None:
        touched = session.execute(
            _TOUCH_STORY, {"story_id": near.story_id, "now": utcnow()}
        ).scalar_one_or_none()
        if touched is not None:
            return int(touched)
    story_id = int(session.execute(_NEW_STORY).scalar_one())
    if near is not None and near.story_id is None:
        session.execute(_UPDATE, {"article_id": near.id, "story_id": story_id})
    return story_id


def _serialise_dedup(session: Session, article_id: int) -> None:
    """Make concurrent stores take turns, so two copies stored at once still find each other.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: writing first takes the database's
    write lock now (waiting out others), instead of failing later when a read turns into a write.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_DEDUP_LOCK_KEY)))
    else:
        session.execute(_TAKE_TURN, {"article_id": article_id})


def _clip(value: str | None, length: int) -> str | None:
    """Return ``value`` cut to ``length`` characters (None stays None)."""
    return value if value is None or len(value) <= length else value[:length].rstrip()


def store_extracted(
    session: Session,
    article_id: int,
    extracted: ExtractedArticle,
    text_hash: str,
    minhash: Sequence[int],
    band_keys: Sequence[str],
    threshold: float,
    similarity: Similarity = signature_similarity,
) -> StoreResult:
    """Store an extracted article, deduplicated.

    Identical text to a stored article: status ``duplicate`` with ``duplicate_of``, no text kept.
    Otherwise the text is stored; an article sharing an LSH band with similarity at least
    ``threshold`` puts it into that article's story, else it starts a new story.
    """
    _serialise_dedup(session, article_id)
    current = session.execute(_STORE_STATE, {"article_id": article_id}).first()
    if current is None:
        raise LookupError(f"There is no article with id {article_id}.")
    if current.status in _SETTLED:
        return StoreResult(article_id, current.status, current.story_id, current.duplicate_of)

    original = session.execute(
        _SAME_TEXT, {"text_hash": text_hash, "article_id": article_id}
    ).first()
    values = _described(current.title, extracted, text_hash)
    if original is not None:
        values.update(
            status=ArticleStatus.DUPLICATE,
            duplicate_of=original.id,
            story_id=original.story_id,
            text=None,
        )
        _write(session, article_id, values)
        return StoreResult(article_id, ArticleStatus.DUPLICATE, original.story_id, original.id)

    near = _nearest(session, article_id, minhash, band_keys, threshold, similarity)
    story_id = _story_of(session, near)
    values.update(
        text=extracted.text,
        minhash=[int(value) for value in minhash],
        story_id=story_id,
        status=ArticleStatus.STORED,
    )
    _write(session, article_id, values)
    if band_keys:
        # Many rows through one cached statement (executemany), not a VALUES list per article.
        session.execute(
            insert_ignoring(session, _BANDS, ("article_id", "band_key")),
            [{"article_id": article_id, "band_key": key} for key in dict.fromkeys(band_keys)],
        )
    return StoreResult(
        article_id, ArticleStatus.STORED, story_id, None, near.id if near is not None else None
    )


def _write(session: Session, article_id: int, values: dict[str, Any]) -> None:
    """Write an article's columns in one UPDATE (no ORM object to load and flush)."""
    session.execute(_UPDATE, {"article_id": article_id, **values})


def _described(title: str | None, extracted: ExtractedArticle, text_hash: str) -> dict[str, Any]:
    """Return what every stored version records: metadata, fetch time and text hash."""
    # A page declares its metadata at any length: a site name is cut to fit, while a language
    # tag too long to be one is dropped.
    language = extracted.language
    fits = _clip(language, Article.language.type.length) == language
    return {
        "title": extracted.title or title,
        "author": extracted.author,
        "site": _clip(extracted.site, Article.site.type.length),
        "language": language if fits else None,
        "published_at": extracted.published,
        "fetched_at": utcnow(),
        "text_hash": text_hash,
        "error": None,
    }


def mark_failed(session: Session, article_id: int, reason: str) -> ArticleRef:
    """Record a permanent failure with its reason; a settled article is left as it is."""
    article = _load(session, article_id)
    if article.status in _SETTLED:
        return _ref(article)
    if article.status == ArticleStatus.FAILED and article.error == reason:
        return _ref(article)
    article.status = ArticleStatus.FAILED
    article.error = reason
    session.flush()
    return _ref(article)


def begin_attempt(session: Session, article_id: int) -> ArticleRef | None:
    """Count a fetch attempt of a pending article before it starts; None if no such article.

    Counting first means an attempt that never reports back (its worker was killed, e.g. by
    a page that crashes it) still counts, so such a page cannot be retried forever.
    """
    session.execute(_COUNT_ATTEMPT, {"article_id": article_id})
    return get_article(session, article_id)


def record_attempt(session: Session, article_id: int, reason: str) -> ArticleRef:
    """Record why a fetch attempt failed transiently (it will be retried); status unchanged."""
    article = _load(session, article_id)
    if article.status == ArticleStatus.PENDING and article.error != reason:
        article.error = reason
        session.flush()
    return _ref(article)


def record_analysis_error(session: Session, article_id: int, reason: str) -> ArticleRef:
    """Record why a stored article could not be analysed; it stays stored, text kept."""
    article = _load(session, article_id)
    if article.status == ArticleStatus.STORED and article.error != reason:
        article.error = reason
        session.flush()
    return _ref(article)


def mark_ready(session: Session, article_id: int) -> ArticleRef:
    """Mark a stored article ready for briefs (no analysis available); others are unchanged."""
    article = _load(session, article_id)
    if article.status == ArticleStatus.STORED:
        article.status = ArticleStatus.READY
        article.analysed_at = utcnow()
        session.flush()
    return _ref(article)


def _plain(values: Iterable[Any]) -> list[Any]:
    return [asdict(value) for value in values]


def store_enrichment(session: Session, article_id: int, enrichment: Enrichment) -> ArticleRef:
    """Store an article's analysis (replacing an older one) and mark it ready.

    Storing the same enrichment again changes nothing; a duplicate or failed article is skipped.
    """
    return _store_enrichment(session, article_id, enrichment)[0]


def replace_enrichment(session: Session, article_id: int, enrichment: Enrichment) -> bool:
    """Store a new analysis of a stored or ready article; tell whether it differs from the old."""
    return _store_enrichment(session, article_id, enrichment)[1]


def _store_enrichment(
    session: Session, article_id: int, enrichment: Enrichment
) -> tuple[ArticleRef, bool]:
    row = session.execute(_ENRICHMENT, {"article_id": article_id}).first()
    if row is None:
        raise LookupError(f"There is no article with id {article_id}.")
    ref = ArticleRef(*row[: len(_REF_COLUMNS)])
    if ref.status not in (ArticleStatus.STORED, ArticleStatus.READY):
        return ref, False
    summary = list(enrichment.summary)
    themes = _plain(enrichment.themes)
    for theme in themes:
        theme["evidence"] = list(theme["evidence"])
    figures = _plain(enrichment.figures)
    topics = sorted(set(enrichment.topics))
    if ref.status == ArticleStatus.READY:
        current_topics = sorted(session.execute(_TOPICS_OF, {"article_id": article_id}).scalars())
        if (row.summary, row.themes, row.figures, row.summary_backend, current_topics) == (
            summary,
            themes,
            figures,
            enrichment.summary_backend,
            topics,
        ):
            return ref, False
    _write(
        session,
        article_id,
        {
            "summary": summary,
            "themes": themes,
            "figures": figures,
            "summary_backend": enrichment.summary_backend,
            "analysed_at": utcnow(),
            "status": ArticleStatus.READY,
        },
    )
    session.execute(_UNTAG, {"article_id": article_id})
    if topics:
        session.execute(
            insert_ignoring(session, _TOPICS, ("article_id", "topic")),
            [{"article_id": article_id, "topic": topic} for topic in topics],
        )
    return replace(ref, status=ArticleStatus.READY), True
