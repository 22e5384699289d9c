"""Online event clustering: every analysed article joins the best open event or starts one.

Runs after analysis, in the same process, under the clustering lock of ``corpus.events``:

1. Another version of the same article (its near-duplicate story) already has an event: join it.
2. Otherwise count the article's terms (document frequencies stay current), find the open
   events sharing one of its strongest terms (active within the window), and join the most
   similar one if the similarity reaches the threshold (an article with a body: its mean
   cosine with the event's articles; a headline: its cosine with the event's centroid; either
   scaled by ``exp(-gap / window)``, the gap from the article to the event's dates); an
   article with a body similar enough to several events bridges them, and they merge into
   the oldest (a headline alone never does).
3. Nothing similar enough: start a new event.

Clustering an article that already has an event changes nothing, so a redelivered analysis
task is harmless. :func:`recluster` rebuilds the events of a window from the stored articles,
in date order, with the same rules: the same stored input gives the same grouping. Rebuilt
events get new ids; each released id leads to its successor (the event holding most of its
former articles), as an absorbed id leads to its survivor, so no id ever names another story.
A centroid stored in an older form (before migration 0006) is rebuilt from the event's
articles the first time the event is read again.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy.orm import Session, sessionmaker

from corpus import events as store
from corpus.brief import (
    refresh_changed_event_briefs,
    refresh_event_briefs,
    refresh_stale_event_briefs,
)
from corpus.brief_rows import changed_events
from corpus.clock import utcnow
from corpus.db import transaction
from corpus.settings import Settings
from corpus.topics import list_topics
from worker.analysis.event_terms import (
    EventCandidate,
    added,
    capped,
    choose_event,
    idfs,
    recency,
    top_terms,
    topic_stems,
    unit,
    vectorise,
)

__all__ = [
    "ClusterPolicy",
    "RebuildReport",
    "cluster_article",
    "recluster",
    "recompose_due",
    "recompose_stale",
]

_LOOKUP_TERMS = 10  # strongest terms of an article used to find candidate events
_MAX_CANDIDATES = 40  # open events compared per article
_POSTED_TERMS = 10
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # terms an article adds to its event's lookup list


@dataclass(frozen=True, slots=True)
class ClusterPolicy:
    """Thresholds and window of event clustering."""

    threshold: float = 0.18  # mean cosine with an event's articles
    headline_threshold: float = 0.15  # articles with a title and no body
    merge_threshold: float = 0.35
    window: timedelta = timedelta(days=3)

    @classmethod
    def from_settings(cls, settings: Settings) -> ClusterPolicy:
        """Read the policy from the settings."""
        return cls(
            threshold=settings.worker.event_threshold,
            headline_threshold=settings.worker.event_headline_threshold,
            merge_threshold=settings.worker.event_merge_threshold,
            window=timedelta(days=settings.worker.event_window_days),
        )


def _damped(session: Session) -> frozenset[str]:
    """Return the stems of every followed topic's side terms (they weigh ``TOPIC_WEIGHT``)."""
    terms = tuple(
        sorted({term for topic in list_topics(session) for side in topic.sides for term in side})
    )
    return _stems(terms)


@lru_cache(maxsize=8)
def _stems(terms: tuple[str, ...]) -> frozenset[str]:
    return topic_stems(terms)


def _weights(session: Session, terms: Collection[str]) -> dict[str, float]:
    """Return the current IDF of each term."""
    return idfs(*store.term_frequencies(session, terms), terms)


def _current(session: Session, event: store.OpenEvent, damped: frozenset[str]) -> store.OpenEvent:
    """Return the event with a centroid of the current form, rebuilding an older one.

    The rebuilt centroid sums the unit vectors of the event's articles, oldest first, with
    today's IDF (the IDF each had when it joined is not stored).
    """
    if event.form == store.CENTROID_FORM:
        return event
    vectors = [vectorise(a.title, a.text, damped) for a in store.event_articles(session, event.id)]
    weights = _weights(session, sorted({t for v in vectors for t in v}))
    centroid: dict[str, float] = {}
    for vector in vectors:
        centroid = added(centroid, unit(vector, weights))
    store.set_centroid(session, event.id, centroid)
    return replace(event, centroid=centroid, form=store.CENTROID_FORM)


def _place(
    session: Session, article: store.ClusterInput, policy: ClusterPolicy, *, count: bool
) -> int:
    damped = _damped(session)
    vector = vectorise(article.title, article.text, damped)
    counts = store.count_terms if count else store.term_frequencies
    weights = idfs(*counts(session, vector), vector)
    sibling = store.sibling_event(session, article)
    lookup = top_terms(vector, weights, _LOOKUP_TERMS)
    posted = lookup[:_POSTED_TERMS]
    # What the article adds to its event: its unit vector with the IDF of this moment.
    contribution = unit(vector, weights)
    if sibling is not None:
        event = _current(session, store.event_state(session, sibling), damped)
        centroid = added(event.centroid, contribution)
        store.add_to_event(session, event, article.id, article.at, centroid, posted)
        return sibling
    found = [
        _current(session, c, damped)
        for c in store.open_events(
            session, lookup, article.at, policy.window, limit=_MAX_CANDIDATES
        )
    ]
    headline_only = not article.text.strip() or article.text.strip() == article.title.strip()
    choice = choose_event(
        contribution,
        [
            EventCandidate(
                c.id,
                c.centroid,
                c.members,
                recency(article.at, c.first_at, c.last_at, policy.window),
            )
            for c in found
        ],
        headline=headline_only,
        threshold=policy.headline_threshold if headline_only else policy.threshold,
        # A headline is too little evidence to bridge two events: short texts reach high
        # cosines by chance, so only an article with a body merges events.
        merge_threshold=math.inf if headline_only else policy.merge_threshold,
    )
    if choice.join is None:
        return store.start_event(session, article.id, article.at, capped(contribution), posted)
    events = {c.id: c for c in found}
    joined = (choice.join, *choice.merge)
    survivor = min(joined)  # a merge keeps the oldest event's id
    total: dict[str, float] = {}
    for event_id in joined:
        total = added(total, events[event_id].centroid)
    total = added(total, contribution)
    store.add_to_event(session, events[survivor], article.id, article.at, total, posted)
    store.merge_events(session, survivor, [i for i in joined if i != survivor], total)
    return survivor


def cluster_article(
    sessions: sessionmaker[Session],
    article_id: int,
    policy: ClusterPolicy,
    *,
    due: set[int] | None = None,
) -> int | None:
    """Put a ready article into an event; return the event id (None if it is not ready).

    The stored stories of the events it changes are recomposed in the same transaction; given
    ``due``, those events are added to it instead, for :func:`recompose_due` to recompose
    once after a batch (till then the stale marks have briefs compose them from articles).
    """
    with transaction(sessions) as session:
        store.lock_events(session)
        article = store.article_input(session, article_id)
        if article is None:
            return None
        if article.event_id is not None:
            live = store.live_event_id(session, article.event_id) or article.event_id
            _stories_changed(session, {live}, due)  # its analysis may have been replaced
            return live
        event_id = _place(session, article, policy, count=True)
        _stories_changed(session, changed_events(session), due)
        return event_id


def _stories_changed(session: Session, events: set[int], due: set[int] | None) -> None:
    if due is None:
        refresh_event_briefs(session, events)
    else:
        due.update(events)


def recompose_due(sessions: sessionmaker[Session], due: set[int]) -> None:
    """Recompose the stored stories of the events in ``due`` (see :func:`cluster_article`).

    Each event is composed once, from its articles as they are now, and ``due`` is emptied.
    """
    if due:
        with transaction(sessions) as session:
            refresh_event_briefs(session, due)
        due.clear()


def recompose_stale(sessions: sessionmaker[Session]) -> None:
    """Recompose the stored stories of every event noted stale, in one transaction.

    What the worker runs after joins it deferred: the stale marks name every event whose
    story changed (and others' changes too), whichever process made the change. Under the
    clustering lock, as a join's own composition was, so two never rewrite one event at once.
    """
    with transaction(sessions) as session:
        store.lock_events(session)
        refresh_stale_event_briefs(session)


@dataclass(frozen=True, slots=True)
class RebuildReport:
    """What :func:`recluster` did."""

    articles: int
    events: int
    since: datetime


def recluster(
    sessions: sessionmaker[Session],
    policy: ClusterPolicy,
    *,
    days: int | None = None,
    now: datetime | None = None,
) -> RebuildReport:
    """Rebuild the events active in the last ``days`` (every event when None) from the articles."""
    now = now or utcnow()
    since = now - timedelta(days=days) if days is not None else _EPOCH
    with transaction(sessions) as session:
        store.lock_events(session)
        release = store.release_window(session, since)
        counted = release.counted
        made: set[int] = set()
        for article_id in release.articles:
            article = store.article_input(session, article_id)
            if article is None:
                continue
            made.add(_place(session, article, policy, count=article_id not in counted))
        store.forward_released(session, release.former)
        live = {store.live_event_id(session, e) for e in made}
        refresh_changed_event_briefs(session)
    return RebuildReport(articles=len(release.articles), events=len(live - {None}), since=since)
