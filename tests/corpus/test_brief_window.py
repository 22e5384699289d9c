"""The window ranked in SQL: the same stories, order and counts as ranking in Python."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from corpus import brief_rows, brief_window, queries
from corpus.brief import (
    _microseconds,
    _stored_score,
    compose_brief,
    refresh_all_event_briefs,
    refresh_stale_event_briefs,
)
from corpus.db import transaction
from corpus.tables import Article, ArticleTopic, StaleEventBrief, Story
from testing.stored_articles import NOW, TOPIC, add_article, add_topic, forget_stored_stories

SITES = ["tass.com", "scmp.com", "rt.com", "reuters.com", "dw.com", "bbc.com"]
SENTENCES = [
    "Trade between China and Russia reached a record high this year.",
    "Moscow and Beijing signed a new gas supply agreement on Tuesday.",
    "The two navies held joint drills in the Sea of Japan.",
    "Officials said the talks would continue next month in Beijing.",
]
SEEDS = [1, 2, 3]


def _fill(sessions: sessionmaker[Session], seed: int) -> None:
    """Events of 1–5 outlets around NOW, dates on the hour (many exact ties), some undated."""
    rng = random.Random(seed)
    with transaction(sessions) as session:
        add_topic(session)
        for n in range(60):
            story: Story | None = Story() if rng.random() < 0.85 else None
            if story is not None:
                session.add(story)
            copies = rng.randint(1, 5) if story is not None else 1
            base = NOW - timedelta(hours=rng.randint(-12, 24 * 9))
            for i in range(copies):
                when = base + timedelta(hours=rng.choice([0, 0, 1, 6, 30]))
                undated = rng.random() < 0.1
                add_article(
                    session,
                    key=f"s{seed}-{n}-{i}",
                    site=rng.choice(SITES),
                    title=f"Story {n} told by outlet {i}",
                    published=None if undated else when,
                    fetched=when + timedelta(minutes=rng.randint(0, 90)),
                    story=story,
                    summary=rng.sample(SENTENCES, rng.randint(1, 3)),
                )
        for n in range(12):  # wide events: some cross both edges of a window, none inside
            story = Story()
            session.add(story)
            base = NOW - timedelta(hours=rng.randint(-24, 24 * 8))
            for i, hours in enumerate(rng.sample([-60, -40, -20, 0, 20, 40, 60], 2)):
                add_article(
                    session,
                    key=f"w{seed}-{n}-{i}",
                    site=rng.choice(SITES),
                    title=f"Wide story {n} told by outlet {i}",
                    published=base + timedelta(hours=hours),
                    story=story,
                    summary=rng.sample(SENTENCES, 2),
                )
    with transaction(sessions) as session:
        refresh_all_event_briefs(session)


MOMENTS = [NOW + timedelta(hours=h, minutes=m) for h, m in ((0, 0), (-7, 30), (-30, 0), (6, 5))]


@pytest.mark.parametrize("seed", SEEDS)
def test_briefs_ranked_in_sql_equal_briefs_ranked_in_python(sessions, seed) -> None:
    """With the rows the database ranks; without them every story is ranked in Python."""
    _fill(sessions, seed)
    for now in MOMENTS:
        for days, most in ((1, 3), (7, 5), (7, 24), (30, 8)):
            with sessions() as session, session.begin():
                stored = compose_brief(session, TOPIC, now=now, days=days, max_stories=most)
                forget_stored_stories(session)
                fresh = compose_brief(session, TOPIC, now=now, days=days, max_stories=most)
                session.rollback()
            assert stored.to_dict() == fresh.to_dict(), (seed, now, days, most)


def _outdate(sessions: sessionmaker[Session], seed: int) -> None:
    """Write to some events' articles without recomposing their stored stories."""
    rng = random.Random(seed)
    with transaction(sessions) as session:
        articles = list(
            session.execute(select(Article).where(Article.event_id.is_not(None))).scalars()
        )
        events = sorted({int(a.event_id or 0) for a in articles})
        for article in rng.sample(articles, 12):
            change = rng.randrange(5)
            if change == 0:  # into another event
                article.event_id = rng.choice(events)
            elif change == 1:  # out of every event
                article.event_id = None
            elif change == 2:  # re-dated, often across a window's edge
                article.published_at = NOW - timedelta(hours=rng.randint(-12, 24 * 9))
            elif change == 3:  # untagged
                session.execute(delete(ArticleTopic).where(ArticleTopic.article_id == article.id))
            else:  # another outlet, so another outlet count
                article.site = f"{rng.choice(SITES)}.example"


@pytest.mark.parametrize("seed", SEEDS)
def test_briefs_compose_outdated_stories_from_their_articles(sessions, seed) -> None:
    """Rows left out of date by writes not followed by a recomposition are never shown."""
    _fill(sessions, seed)
    _outdate(sessions, seed)
    with transaction(sessions) as session:
        assert session.execute(select(StaleEventBrief)).first() is not None
    for now in MOMENTS:
        for days, most in ((1, 3), (7, 5), (7, 24), (30, 8)):
            with sessions() as session, session.begin():
                stored = compose_brief(session, TOPIC, now=now, days=days, max_stories=most)
                forget_stored_stories(session)
                fresh = compose_brief(session, TOPIC, now=now, days=days, max_stories=most)
                session.rollback()
            assert stored.to_dict() == fresh.to_dict(), (seed, now, days, most)


def _window_stories(session: Session, start: datetime, end: datetime) -> int:
    """Count the window's stories from its articles: each event once, each lone article once."""
    keys = {
        (c.event_id, None) if c.event_id is not None else (None, c.id)
        for c in queries.window_candidates(session, TOPIC, start, end)
    }
    return len(keys)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("outdated", [False, True])
def test_more_stories_counts_every_story_of_the_window_not_shown(sessions, seed, outdated) -> None:
    """The "…and N more" line is the window's story count less those shown, at every cap."""
    _fill(sessions, seed)
    if outdated:
        _outdate(sessions, seed)
    with transaction(sessions) as session:
        for now in MOMENTS:
            total = _window_stories(session, now - timedelta(days=7), now)
            for most in (1, 4, 24, 200):
                brief = compose_brief(session, TOPIC, now=now, days=7, max_stories=most)
                if brief.widened:
                    continue
                assert len(brief.stories) == min(most, total)
                assert brief.more_stories == total - len(brief.stories)


def _python_best(session: Session, start: datetime, end: datetime, need: int) -> list[int]:
    """The best exact rows as ranking every row of the window in Python finds them."""
    counts = queries.window_event_counts(session, TOPIC, start, end)
    now_us = _microseconds(end)
    exact = [
        head
        for head in brief_rows.window_heads(session, TOPIC, start, end)
        if counts.get(head.event_id) == (head.articles, head.id_sum)
    ]
    exact.sort(key=lambda h: (-_stored_score(h, now_us), -h.event_id))
    return [h.event_id for h in exact[:need]]


@pytest.mark.parametrize(("margin", "epsilon"), [(8, 1e-6), (0, 1e-6), (0, 10.0)])
def test_the_page_of_best_rows_is_exact_even_when_fetched_again(
    sessions, monkeypatch, margin, epsilon
) -> None:
    """No margin (ties at the page's end) or a huge tolerance forces the second fetch."""
    monkeypatch.setattr(brief_window, "_MARGIN", margin)
    monkeypatch.setattr(brief_window, "_EPSILON", epsilon)
    _fill(sessions, 4)
    with transaction(sessions) as session:
        for now in MOMENTS:
            start = now - timedelta(days=7)

            def score(head: brief_rows.RowHead, now_us: int = _microseconds(now)) -> float:
                return _stored_score(head, now_us)

            for need in (1, 3, 10, 100):
                ranked = brief_window.rank_window(session, TOPIC, start, now, need, score)
                assert [h.event_id for h in ranked.best] == _python_best(session, start, now, need)
                counts = queries.window_event_counts(session, TOPIC, start, now)
                assert ranked.articles == sum(c.articles for c in counts.values())
                alone = [m for m in ranked.members if m.event_id is None]
                assert len(alone) == counts.get(None, queries.EventCount(0, 0)).articles


@pytest.mark.parametrize("seed", SEEDS)
def test_events_stale_when_ranked_are_composed_though_recomposed_before_their_articles_are_read(
    sessions, seed, monkeypatch
) -> None:
    """The articles read are those of the events the ranking query saw to compose from."""
    _fill(sessions, seed)
    _outdate(sessions, seed)
    rank_rows = brief_window._rank_rows

    def then_recompose(*args: object, **kwargs: object) -> list[object]:
        rows = rank_rows(*args, **kwargs)  # type: ignore[arg-type]
        with transaction(sessions) as other:  # another transaction commits in between
            refresh_stale_event_briefs(other)
        return rows

    for now in MOMENTS:
        for days, most in ((1, 3), (7, 5), (7, 24), (30, 8)):
            with transaction(sessions) as session:
                forget_stored_stories(session)  # every event stale
            with monkeypatch.context() as patched:
                patched.setattr(brief_window, "_rank_rows", then_recompose)
                with transaction(sessions) as session:
                    raced = compose_brief(session, TOPIC, now=now, days=days, max_stories=most)
            with transaction(sessions) as session:
                settled = compose_brief(session, TOPIC, now=now, days=days, max_stories=most)
            assert raced.to_dict() == settled.to_dict(), (seed, now, days, most)
