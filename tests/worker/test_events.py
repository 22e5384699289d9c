"""Event clustering against real storage (SQLite, and PostgreSQL when it answers)."""

from __future__ import annotations

import json
import multiprocessing
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bench.events_eval import scores
from corpus.brief import get_story
from corpus.db import make_engine, make_session_factory, transaction
from corpus.events import CENTROID_FORM, DOCUMENTS_TERM, live_event_id
from corpus.tables import Article, Event, Story, TermCount
from testing.stored_articles import DRILL_REPORT, T0, TRADE_REPORT, add_report
from worker.events import ClusterPolicy, cluster_article, recluster

STREAM = Path(__file__).parent / "events_gold" / "russia_china_stream.jsonl"
POLICY = ClusterPolicy()


def _records() -> list[dict[str, str]]:
    return [json.loads(line) for line in STREAM.read_text("utf-8").splitlines() if line]


def _events(sessions) -> dict[int, int | None]:
    with transaction(sessions) as session:
        rows = session.execute(select(Article.id, Article.event_id)).all()
        return {a: live_event_id(session, e) if e else None for a, e in rows}


def _partition(sessions) -> set[frozenset[int]]:
    groups: dict[int | None, set[int]] = defaultdict(set)
    for article, event in _events(sessions).items():
        groups[event].add(article)
    return {frozenset(g) for g in groups.values()}


def _load_stream(sessions) -> dict[int, str]:
    labels = {}
    for record in _records():
        at = datetime.fromisoformat(record["date"])
        article_id = add_report(
            sessions, record["title"], record["text"], site=record["site"], at=at
        )
        labels[article_id] = record["event"]
    return labels


def test_outlets_reporting_one_event_share_it_and_another_event_stays_apart(sessions) -> None:
    """Two outlets' reports of one event join; a different event starts its own."""
    first = add_report(
        sessions, "China-Russia trade hits record in 2023", TRADE_REPORT, site="tass.com"
    )
    second = add_report(
        sessions,
        "Sino-Russian trade at all-time high on cars and crude",
        TRADE_REPORT.replace("reached", "hit").replace("drove the growth", "led"),
        site="scmp.com",
        at=T0 + timedelta(hours=3),
    )
    drill = add_report(
        sessions, "Chinese, Russian navies drill near Vladivostok", DRILL_REPORT, site="rt.com"
    )
    for article_id in (first, second, drill):
        cluster_article(sessions, article_id, POLICY)
    events = _events(sessions)
    assert events[first] == events[second] is not None
    assert events[drill] not in (None, events[first])


def test_clustering_an_article_again_changes_nothing(sessions) -> None:
    """A redelivered clustering leaves the article in its event and the term counts as they were."""
    article_id = add_report(sessions, "China-Russia trade hits record in 2023", TRADE_REPORT)
    event = cluster_article(sessions, article_id, POLICY)
    with transaction(sessions) as session:
        counts = dict(session.execute(select(TermCount.term, TermCount.documents)).all())
    assert cluster_article(sessions, article_id, POLICY) == event
    with transaction(sessions) as session:
        again = dict(session.execute(select(TermCount.term, TermCount.documents)).all())
        assert session.scalar(select(func.count()).select_from(Event)) == 1
    assert again == counts
    assert counts[DOCUMENTS_TERM] == 1


def test_an_event_idle_longer_than_the_window_is_closed(sessions) -> None:
    """The same words two weeks later start a new event: the old one has closed."""
    old = add_report(sessions, "China-Russia trade hits record", TRADE_REPORT, at=T0)
    new = add_report(
        sessions, "China-Russia trade hits record", TRADE_REPORT, at=T0 + timedelta(days=14)
    )
    first = cluster_article(sessions, old, POLICY)
    second = cluster_article(sessions, new, POLICY)
    assert first is not None and second is not None and first != second


def test_versions_of_one_article_share_its_event(sessions) -> None:
    """A near-duplicate (same story) joins its sibling's event even when the words differ."""
    with transaction(sessions) as session:
        story = Story()
        session.add(story)
        session.flush()
        story_id = story.id
    original = add_report(
        sessions, "China-Russia trade hits record", TRADE_REPORT, story_id=story_id
    )
    copy = add_report(sessions, "Weather in Lisbon", "Sunny all week in Lisbon.", story_id=story_id)
    assert cluster_article(sessions, original, POLICY) == cluster_article(sessions, copy, POLICY)


def test_an_article_bridging_two_events_merges_them(sessions) -> None:
    """An article very close to two events makes them one; the absorbed id leads to it."""
    trade = add_report(sessions, "China-Russia trade hits record", TRADE_REPORT)
    drill = add_report(sessions, "Navies drill near Vladivostok", DRILL_REPORT)
    policy = replace(POLICY, threshold=0.3, merge_threshold=0.3)
    a = cluster_article(sessions, trade, policy)
    b = cluster_article(sessions, drill, policy)
    assert a != b
    bridge = add_report(
        sessions, "China-Russia trade hits record; navies drill", TRADE_REPORT + " " + DRILL_REPORT
    )
    merged = cluster_article(sessions, bridge, policy)
    assert merged == min(a, b)
    assert set(_events(sessions).values()) == {merged}
    with transaction(sessions) as session:
        story = get_story(session, max(a, b))
    assert story.story_id == merged and len(story.articles) == 3


def test_a_centroid_stored_in_the_old_form_is_rebuilt_from_its_articles(sessions) -> None:
    """An event written before centroid forms existed is rebuilt when read, then joined."""
    first = add_report(
        sessions, "China-Russia trade hits record in 2023", TRADE_REPORT, site="tass.com"
    )
    event = cluster_article(sessions, first, POLICY)
    with transaction(sessions) as session:  # what migration 0006 leaves: form 0, old weights
        session.execute(
            update(Event).where(Event.id == event).values(centroid={"lisbon": 9.0}, centroid_form=0)
        )
    second = add_report(
        sessions,
        "Sino-Russian trade at all-time high on cars and crude",
        TRADE_REPORT.replace("reached", "hit"),
        site="scmp.com",
        at=T0 + timedelta(hours=3),
    )
    assert cluster_article(sessions, second, POLICY) == event
    with transaction(sessions) as session:
        stored = session.get(Event, event)
        assert stored is not None and stored.centroid_form == CENTROID_FORM
        assert "lisbon" not in stored.centroid and stored.article_count == 2


def test_recluster_is_deterministic_and_follows_the_threshold(sessions) -> None:
    """Rebuilding twice gives the same events; a stricter threshold splits them."""
    _load_stream(sessions)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    recluster(sessions, POLICY, now=now)
    first = _partition(sessions)
    recluster(sessions, POLICY, now=now)
    assert _partition(sessions) == first
    strict = replace(POLICY, threshold=0.95)
    report = recluster(sessions, strict, now=now)
    assert report.events == len(_records())
    recluster(sessions, POLICY, now=now)
    assert _partition(sessions) == first


def test_recluster_of_a_window_leaves_older_events_alone(sessions) -> None:
    """``days`` rebuilds only the events active in the window."""
    labels = _load_stream(sessions)
    for article_id in sorted(labels):
        cluster_article(sessions, article_id, POLICY)
    before = _events(sessions)
    report = recluster(sessions, POLICY, days=200, now=datetime(2025, 9, 2, tzinfo=UTC))
    after = _events(sessions)
    old = [a for a, label in labels.items() if label.startswith("trade")]
    assert all(after[a] == before[a] for a in old)
    assert report.articles == len(labels) - len(old)


def test_same_topic_stream_clusters_into_its_events(sessions) -> None:
    """Our own gold: one topic, five events (two trade years, two summits, a drill)."""
    labels = _load_stream(sessions)
    for article_id in sorted(labels):
        cluster_article(sessions, article_id, POLICY)
    events = _events(sessions)
    result = scores(
        {str(a): label for a, label in labels.items()}, {str(a): e for a, e in events.items()}
    )
    assert result["pair_p"] == 1.0  # 2023 and 2024 trade, the two visits: never one event
    assert result["pair_f1"] >= 0.85


def _cluster_in_process(url: str, ids: list[int]) -> None:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    for article_id in ids:
        cluster_article(sessions, article_id, POLICY)
    engine.dispose()


def test_two_processes_clustering_at_once_neither_split_nor_double_an_event(
    sessions, database_url
) -> None:
    """Two worker processes clustering the same stream at once give one event per gold event."""
    labels = _load_stream(sessions)
    ids = sorted(labels)
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_cluster_in_process, args=(database_url, order))
        for order in (ids, list(reversed(ids)))
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    events = _events(sessions)
    assert all(e is not None for e in events.values())
    by_label: dict[str, set[int | None]] = defaultdict(set)
    for article_id, label in labels.items():
        by_label[label].add(events[article_id])
    assert all(len(found) == 1 for found in by_label.values()), by_label
    with transaction(sessions) as session:
        documents = session.scalar(
            select(TermCount.documents).where(TermCount.term == DOCUMENTS_TERM)
        )
    assert documents == len(ids)  # every article counted once, however many clustered it


@pytest.mark.parametrize("text", ["", "   "])
def test_a_title_only_article_is_clustered_by_its_title(sessions, text) -> None:
    """A headline without body still finds its event (at the headline threshold)."""
    first = add_report(sessions, "Putin arrives in Tianjin for SCO summit with Xi", text)
    second = add_report(sessions, "Putin lands in Tianjin for SCO summit hosted by Xi", text)
    assert cluster_article(sessions, first, POLICY) == cluster_article(sessions, second, POLICY)
