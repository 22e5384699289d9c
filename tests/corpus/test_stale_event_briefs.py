"""Every write that may outdate a stored story notes its event stale; recomposing forgets it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from corpus.brief import refresh_all_event_briefs, refresh_event_briefs
from corpus.db import transaction
from corpus.tables import (
    Article,
    ArticleStatus,
    ArticleTopic,
    Event,
    EventBrief,
    StaleEventBrief,
    Story,
)
from testing.stored_articles import NOW, TOPIC, add_article, add_topic


def _stale(sessions: sessionmaker[Session]) -> set[int]:
    with transaction(sessions) as session:
        return set(session.execute(select(StaleEventBrief.event_id)).scalars())


def _two_events(sessions: sessionmaker[Session]) -> tuple[int, int, int, int]:
    """Two events of one article each, stored and recomposed: (article, event) twice."""
    with transaction(sessions) as session:
        add_topic(session)
        made = []
        for n in range(2):
            story = Story()
            session.add(story)
            made.append(
                add_article(
                    session,
                    key=f"a{n}",
                    site="tass.com",
                    title=f"Moscow and Beijing, report {n}",
                    published=NOW - timedelta(hours=n),
                    story=story,
                    summary=["Moscow and Beijing signed a gas deal."],
                )
            )
        session.flush()
        ids = (made[0].id, int(made[0].event_id or 0), made[1].id, int(made[1].event_id or 0))
    with transaction(sessions) as session:
        refresh_all_event_briefs(session)
    return ids


Write = Callable[[Session, int, int], None]
_WRITES: dict[str, Write] = {
    "re-dated": lambda s, a, _e: s.execute(
        update(Article).where(Article.id == a).values(published_at=NOW - timedelta(days=3))
    ),
    "fetched again": lambda s, a, _e: s.execute(
        update(Article).where(Article.id == a).values(fetched_at=NOW)
    ),
    "no longer ready": lambda s, a, _e: s.execute(
        update(Article).where(Article.id == a).values(status=ArticleStatus.STORED)
    ),
    "another outlet": lambda s, a, _e: s.execute(
        update(Article).where(Article.id == a).values(site="rt.com")
    ),
    "retitled": lambda s, a, _e: s.execute(
        update(Article).where(Article.id == a).values(title="Another title")
    ),
    "re-analysed": lambda s, a, _e: s.execute(
        update(Article)
        .where(Article.id == a)
        .values(summary=["Another sentence."], themes=[], figures=[])
    ),
    "untagged": lambda s, a, _e: s.execute(
        delete(ArticleTopic).where(ArticleTopic.article_id == a)
    ),
    "tagged": lambda s, a, _e: s.execute(
        insert(ArticleTopic).values(article_id=a, topic="another-topic")
    ),
    "retagged": lambda s, a, _e: s.execute(
        update(ArticleTopic).where(ArticleTopic.article_id == a).values(topic="another-topic")
    ),
    "deleted": lambda s, a, _e: s.execute(delete(Article).where(Article.id == a)),
}


@pytest.mark.parametrize("write", list(_WRITES))
def test_a_write_to_an_events_article_notes_the_event_stale(sessions, write) -> None:
    """Dates, readiness, outlet, title, analysis, tags, deletion: each outdates a story."""
    first, event, _second, other = _two_events(sessions)
    assert _stale(sessions) == set()
    with transaction(sessions) as session:
        _WRITES[write](session, first, event)
    assert _stale(sessions) == {event}
    with transaction(sessions) as session:
        refresh_event_briefs(session, [other])
    assert _stale(sessions) == {event}, "recomposing another event forgets only that one"
    with transaction(sessions) as session:
        refresh_event_briefs(session, [event])
    assert _stale(sessions) == set()


def test_moving_an_article_notes_both_events_and_a_new_article_its_own(sessions) -> None:
    """An article leaving one event for another outdates both; one inserted, its event."""
    first, event, _second, other = _two_events(sessions)
    with transaction(sessions) as session:
        session.execute(update(Article).where(Article.id == first).values(event_id=other))
    assert _stale(sessions) == {event, other}
    with transaction(sessions) as session:
        refresh_all_event_briefs(session)
        fresh = Event(first_at=NOW, last_at=NOW)
        session.add(fresh)
        session.flush()
        session.execute(update(Article).where(Article.id == first).values(event_id=None))
        session.execute(
            insert(Article).values(
                canonical_url="https://x/1", url="https://x/1", event_id=fresh.id
            )
        )
    assert _stale(sessions) == {other, fresh.id}


def test_writes_that_change_no_story_note_nothing(sessions) -> None:
    """Attempts, errors and unclustered articles leave every stored story trusted."""
    first, _event, _second, _other = _two_events(sessions)
    with transaction(sessions) as session:
        session.execute(
            update(Article).where(Article.id == first).values(attempts=3, error="a retry")
        )
        session.execute(
            insert(Article).values(canonical_url="https://x/2", url="https://x/2", title="Alone")
        )
    assert _stale(sessions) == set()


def test_recomposing_forgets_marks_made_earlier_in_the_same_transaction(sessions) -> None:
    """Clustering writes, then recomposes in one transaction: nothing is left stale."""
    first, event, _second, _other = _two_events(sessions)
    with transaction(sessions) as session:
        article = session.get(Article, first)
        assert article is not None
        article.title = "Retitled, not flushed yet"
        refresh_event_briefs(session, [event])
    assert _stale(sessions) == set()
    with transaction(sessions) as session:
        refresh_event_briefs(session, [event])
        session.execute(update(Article).where(Article.id == first).values(title="After"))
    assert _stale(sessions) == {event}, "a write after the recomposition stays noted"


def test_the_migration_recomposes_every_row_and_installs_the_triggers(engine, sessions) -> None:
    """Rows outdated before 0009 (no trigger saw the write) are composed again; then noted."""
    from alembic import command

    from corpus.db import alembic_config

    first, event, _second, other = _two_events(sessions)
    command.downgrade(alembic_config(engine), "0008")
    with transaction(sessions) as session:  # unnoticed: no trigger yet
        session.execute(update(Article).where(Article.id == first).values(event_id=other))
    command.upgrade(alembic_config(engine), "head")
    assert _stale(sessions) == set()
    with transaction(sessions) as session:
        rows = {
            (r.event_id, r.articles)
            for r in session.execute(select(EventBrief).where(EventBrief.topic == TOPIC)).scalars()
        }
    assert rows == {(other, 2)}, "the emptied event lost its row, the other holds both"
    with transaction(sessions) as session:
        session.execute(update(Article).where(Article.id == first).values(event_id=event))
    assert _stale(sessions) == {event, other}


def test_retagging_and_removing_a_topic_leave_no_event_stale(sessions) -> None:
    """The tags a retag or a removal writes are followed by their events' recomposition."""
    from corpus.topics import add_topic as define_topic
    from corpus.topics import remove_topic, retag_topics

    _two_events(sessions)
    with transaction(sessions) as session:
        sides = [["Moscow"], ["Beijing"]]
        topic = define_topic(
            session, "gas-deals", "Gas deals", sides, min_mentions=1, min_shared_sentences=1
        )
        retag_topics(session, topic)
        tagged = session.execute(select(EventBrief).where(EventBrief.topic == "gas-deals"))
        assert len(tagged.all()) == 2
    assert _stale(sessions) == set()
    with transaction(sessions) as session:
        remove_topic(session, "gas-deals")
    assert _stale(sessions) == set()
