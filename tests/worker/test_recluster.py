"""Story ids across ``recluster``: never reused, each leading to its rebuilt event."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from corpus import events as store
from corpus.brief import compose_brief, get_story
from corpus.db import transaction
from corpus.event_list import list_events
from corpus.tables import Article, Event
from testing.stored_articles import DRILL_REPORT, T0, TOPIC, TRADE_REPORT, add_report, add_topic
from worker.events import ClusterPolicy, cluster_article, recluster

STREAM = Path(__file__).parent / "events_gold" / "russia_china_stream.jsonl"
POLICY = ClusterPolicy()
STRICT = replace(POLICY, threshold=0.95)  # every article of the stream alone
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _groups(sessions: sessionmaker[Session]) -> dict[int, frozenset[int]]:
    """Each live event's articles, by event id."""
    found: dict[int, set[int]] = defaultdict(set)
    with transaction(sessions) as session:
        for article_id, event_id in session.execute(select(Article.id, Article.event_id)):
            if event_id is not None:
                live = store.live_event_id(session, event_id)
                assert live is not None
                found[live].add(article_id)
    return {e: frozenset(a) for e, a in found.items()}


def _shown(sessions: sessionmaker[Session], story_id: int) -> tuple[int, frozenset[int]]:
    """What ``/story story_id`` shows: the event's id and its article ids."""
    with transaction(sessions) as session:
        story = get_story(session, story_id)
    return story.story_id, frozenset(a.source.article_id for a in story.articles)


def _trade_and_drill(sessions: sessionmaker[Session]) -> tuple[int, int, int]:
    """Two trade reports and a drill report, clustered out of date order; their ids."""
    trade = add_report(
        sessions,
        "China-Russia trade hits record in 2023",
        TRADE_REPORT,
        site="tass.com",
        at=T0 + timedelta(hours=5),
        topics=(TOPIC,),
    )
    again = add_report(
        sessions,
        "Sino-Russian trade at all-time high on cars and crude",
        TRADE_REPORT.replace("reached", "hit"),
        site="scmp.com",
        at=T0 + timedelta(hours=6),
        topics=(TOPIC,),
    )
    drill = add_report(
        sessions,
        "Chinese, Russian navies drill near Vladivostok",
        DRILL_REPORT,
        site="rt.com",
        at=T0,
        topics=(TOPIC,),
    )
    for article_id in (trade, again, drill):  # the trade event gets the lower id
        cluster_article(sessions, article_id, POLICY)
    return trade, again, drill


def test_an_id_shown_before_a_recluster_shows_the_same_articles_after(sessions) -> None:
    """Rebuilt in date order, the events get new ids; each old id leads to its own articles."""
    with transaction(sessions) as session:
        add_topic(session)
    _trade_and_drill(sessions)
    before = _groups(sessions)
    assert len(before) == 2
    recluster(sessions, POLICY, now=T0 + timedelta(days=1))
    after = _groups(sessions)
    assert set(after.values()) == set(before.values())
    assert not set(after) & set(before)  # no id of a released event is given to another
    for old_id, articles in before.items():
        new_id, shown = _shown(sessions, old_id)
        assert shown == articles and after[new_id] == articles


def test_stories_list_and_the_brief_show_each_event_once_after_a_recluster(sessions) -> None:
    """Released rows are no stories: the list and the brief show each rebuilt event once."""
    with transaction(sessions) as session:
        add_topic(session)
    _trade_and_drill(sessions)
    released = set(_groups(sessions))
    recluster(sessions, POLICY, now=T0 + timedelta(days=1))
    live = _groups(sessions)
    with transaction(sessions) as session:
        listed = [e.story_id for e in list_events(session)]
        brief = compose_brief(session, TOPIC, now=T0 + timedelta(days=1), days=7)
        in_brief = [s.story_id for s in brief.stories]
        counted = session.scalars(select(Event.id).where(Event.merged_into.is_(None))).all()
    assert sorted(listed) == sorted(live)
    assert sorted(in_brief) == sorted(live)
    assert sorted(counted) == sorted(live)
    assert not released & set(listed)


def test_a_split_event_leads_to_the_part_holding_most_of_its_articles(sessions) -> None:
    """Plurality wins, the lowest id breaks a tie, merged ids follow, an empty one is gone."""
    ids = [add_report(sessions, f"Report {n}", f"Text {n}.", at=T0) for n in range(7)]
    a1, a2, a3, a4, a5, a6, a7 = ids
    with transaction(sessions) as session:
        split = store.start_event(session, a1, T0, {}, [])
        for article_id in (a2, a3):
            store.add_to_event(session, store.event_state(session, split), article_id, T0, {}, [])
        absorbed = store.start_event(session, a4, T0, {}, [])
        store.merge_events(session, split, [absorbed], {})
        tied = store.start_event(session, a5, T0, {}, [])
        store.add_to_event(session, store.event_state(session, tied), a6, T0, {}, [])
        emptied = store.start_event(session, a7, T0, {}, [])
    with transaction(sessions) as session:
        release = store.release_window(session, T0 - timedelta(days=1))
        assert sorted(release.former) == sorted([split, tied, emptied])
        minority = store.start_event(session, a3, T0, {}, [])  # the lower new id
        plurality = store.start_event(session, a1, T0, {}, [])
        for article_id in (a2, a4):
            store.add_to_event(
                session, store.event_state(session, plurality), article_id, T0, {}, []
            )
        first = store.start_event(session, a6, T0, {}, [])
        second = store.start_event(session, a5, T0, {}, [])
        assert min(minority, plurality, first, second) > emptied  # fresh ids
        forwarded = store.forward_released(session, release.former)
        assert forwarded == {split: plurality, tied: first}
        assert store.live_event_id(session, split) == plurality
        assert store.live_event_id(session, absorbed) == plurality
        assert store.live_event_id(session, tied) == first != second
        assert store.live_event_id(session, emptied) is None
        assert session.get(Event, emptied) is not None  # kept, so its id is not reused
        assert store.start_event(session, a7, T0, {}, []) > second


def test_ids_from_reclusters_in_a_row_all_lead_to_the_current_events(sessions) -> None:
    """Pointers chain: ids shown before two reclusters still lead to their articles' events."""
    for line in STREAM.read_text("utf-8").splitlines():
        record = json.loads(line)
        at = datetime.fromisoformat(record["date"])
        add_report(sessions, record["title"], record["text"], site=record["site"], at=at)
    recluster(sessions, POLICY, now=NOW)
    first = _groups(sessions)
    recluster(sessions, STRICT, now=NOW)
    alone = _groups(sessions)
    assert all(len(articles) == 1 for articles in alone.values())
    recluster(sessions, POLICY, now=NOW)
    last = _groups(sessions)
    assert set(last.values()) == set(first.values())
    assert not (set(first) & set(alone)) and not (set(alone) & set(last))
    assert not set(first) & set(last)
    for old_id, articles in first.items():  # via one of its articles' single events
        new_id, shown = _shown(sessions, old_id)
        assert shown == articles and last[new_id] == articles
    for old_id, articles in alone.items():
        new_id, shown = _shown(sessions, old_id)
        assert articles <= shown and last[new_id] == shown
