"""Stored story rows: current after every event change, and briefs equal to a fresh composition."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from corpus.brief import StoryKey, compose_brief, refresh_all_event_briefs
from corpus.db import transaction
from corpus.tables import Article, ArticleStatus, ArticleTopic, EventBrief, StaleEventBrief
from corpus.topics import add_topic as define_topic
from corpus.topics import get_topic, remove_topic, retag_topics
from testing.stored_articles import (
    DRILL_REPORT,
    NOW,
    T0,
    TOPIC,
    TRADE_REPORT,
    add_report,
    add_topic,
    forget_stored_stories,
    insert_scenario,
)
from worker.events import (
    ClusterPolicy,
    cluster_article,
    recluster,
    recompose_due,
    recompose_stale,
)

FIGURE = {
    "text": "$240 billion",
    "value": 240e9,
    "unit": "USD",
    "kind": "money",
    "measure": "China–Russia trade",
    "sentence": TRADE_REPORT.split(". ")[0] + ".",
    "period": "2023",
    "status": "actual",
}


# Every column but the stamp, which is new at each recomposition.
_COMPARED = [c for c in EventBrief.__table__.columns.keys() if c != "stamp"]


def _rows(sessions: sessionmaker[Session]) -> dict[tuple[str, int], dict[str, Any]]:
    with transaction(sessions) as session:
        found = session.execute(select(EventBrief)).scalars()
        return {(r.topic, r.event_id): {c: getattr(r, c) for c in _COMPARED} for r in found}


def _fresh_rows(sessions: sessionmaker[Session]) -> dict[tuple[str, int], dict[str, Any]]:
    """The rows a from-scratch composition gives (computed, then rolled back)."""
    with sessions() as session, session.begin():
        refresh_all_event_briefs(session)
        found = session.execute(select(EventBrief)).scalars()
        rows = {(r.topic, r.event_id): {c: getattr(r, c) for c in _COMPARED} for r in found}
        session.rollback()
    return rows


def _briefs(sessions: sessionmaker[Session], now: datetime, days: int) -> tuple[dict, dict]:
    """The brief with the stored rows, and the brief composed from the articles alone."""
    with sessions() as session, session.begin():
        stored = compose_brief(session, TOPIC, now=now, days=days, max_stories=24).to_dict()
        forget_stored_stories(session)
        fresh = compose_brief(session, TOPIC, now=now, days=days, max_stories=24).to_dict()
        session.rollback()
    return stored, fresh


def _assert_consistent(sessions: sessionmaker[Session], moments: list[datetime]) -> None:
    assert _rows(sessions) == _fresh_rows(sessions)
    with transaction(sessions) as session:  # every write was followed by its recomposition
        assert session.execute(select(StaleEventBrief)).first() is None
    for now in moments:
        for days in (1, 7, 30):
            stored, fresh = _briefs(sessions, now, days)
            assert stored == fresh, (now, days)


def _add(sessions: sessionmaker[Session], title: str, text: str, *, site: str, at: datetime) -> int:
    """A report of the topic, with the trade figure when it tells of it."""
    figures = [FIGURE] if "$240" in text else []
    return add_report(sessions, title, text, site=site, at=at, topics=(TOPIC,), figures=figures)


def test_rows_stay_composed_through_joins_merges_redelivery_and_recluster(sessions) -> None:
    """After every clustering step the rows equal a fresh composition, and so do the briefs."""
    policy = replace(ClusterPolicy(), threshold=0.3, merge_threshold=0.3)
    with transaction(sessions) as session:
        add_topic(session)
    trade = _add(sessions, "China-Russia trade hits record", TRADE_REPORT, site="tass.com", at=T0)
    later = T0 + timedelta(hours=5)
    again = _add(sessions, "Sino-Russian trade at a high", TRADE_REPORT, site="scmp.com", at=later)
    drill = _add(sessions, "Navies drill near Vladivostok", DRILL_REPORT, site="rt.com", at=T0)
    moments = [T0 + timedelta(hours=h) for h in (1, 6, 30)]
    for article_id in (trade, again, drill):  # a start, a join, another start
        cluster_article(sessions, article_id, policy)
        _assert_consistent(sessions, moments)
    # Two outlets' equal figure is one figure of their event's story, citing both.
    stored, _fresh = _briefs(sessions, moments[1], 7)
    figures = [f for s in stored["stories"] for f in s["figures"] if f["text"] == "$240 billion"]
    assert len(figures) == 1 and len(figures[0]["citations"]) == 2
    outlets = {s["number"]: s["outlet"] for s in stored["sources"]}
    assert {outlets[n] for n in figures[0]["citations"]} == {"tass.com", "scmp.com"}
    both = TRADE_REPORT + " " + DRILL_REPORT
    bridge = _add(sessions, "Trade record; navies drill", both, site="bbc.com", at=later)
    cluster_article(sessions, bridge, policy)  # the bridge merges both events
    _assert_consistent(sessions, moments)
    with transaction(sessions) as session:  # the analysis is replaced, then redelivered
        session.execute(
            update(Article).where(Article.id == again).values(summary=["Cars and crude led."])
        )
    cluster_article(sessions, again, policy)
    _assert_consistent(sessions, moments)
    recluster(sessions, ClusterPolicy(), now=T0 + timedelta(days=1))
    _assert_consistent(sessions, moments)
    assert _rows(sessions)


@pytest.mark.parametrize("by_marks", [False, True], ids=["due", "stale-marks"])
def test_due_stories_are_composed_from_articles_until_recomposed_once(
    sessions, by_marks: bool
) -> None:
    """Deferred joins write no row and leave briefs fresh; one recomposition writes them.

    Either of the events in ``due`` or of every event noted stale (what the worker runs).
    """
    policy = replace(ClusterPolicy(), threshold=0.3, merge_threshold=0.3)
    with transaction(sessions) as session:
        add_topic(session)
    later = T0 + timedelta(hours=5)
    reports = [
        _add(sessions, "China-Russia trade hits record", TRADE_REPORT, site="tass.com", at=T0),
        _add(sessions, "Sino-Russian trade at a high", TRADE_REPORT, site="scmp.com", at=later),
        _add(sessions, "Navies drill near Vladivostok", DRILL_REPORT, site="rt.com", at=T0),
        _add(sessions, "Trade; drills", f"{TRADE_REPORT} {DRILL_REPORT}", site="bbc.com", at=later),
    ]
    moments = [T0 + timedelta(hours=h) for h in (1, 6, 30)]
    due: set[int] = set()
    for article_id in reports:  # a start, a join, another start, a merge
        event = cluster_article(sessions, article_id, policy, due=due)
        assert event in due and not _rows(sessions)
        for now in moments:
            stored, fresh = _briefs(sessions, now, 7)
            assert stored == fresh and stored["stories"], now
    if by_marks:
        recompose_stale(sessions)
    else:
        recompose_due(sessions, due)
        assert not due
    _assert_consistent(sessions, moments)


@pytest.fixture
def scenario_rows(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    insert_scenario(sessions)
    with transaction(sessions) as session:
        refresh_all_event_briefs(session)
    return sessions


def test_briefs_from_rows_equal_briefs_from_articles(scenario_rows) -> None:
    """At moments that cut events at the window's edges, both compositions are the same."""
    moments = [NOW + timedelta(hours=h) for h in (-30, -6, -1, 0, 6, 24 * 6, 24 * 8)]
    _assert_consistent(scenario_rows, moments)
    stored, _fresh = _briefs(scenario_rows, NOW, 7)
    assert any(story["figures"] for story in stored["stories"])  # so equality covers them
    with transaction(scenario_rows) as session:
        bodies = [row.body for row in session.execute(select(EventBrief)).scalars()]
    assert any(body["key_figures"] for body in bodies)


def test_a_stored_story_is_numbered_from_where_each_brief_has_got_to(scenario_rows) -> None:
    """A story cached at one place in one brief is renumbered right at another place."""
    windows = [(NOW + timedelta(hours=h), days) for h in (-30, 0, 24 * 6) for days in (1, 7, 30)]
    for now, days in [*windows, *reversed(windows)]:  # each story after other stories
        with scenario_rows() as session, session.begin():
            for cap in (1, 2, 24):  # and each story after fewer stories
                stored = compose_brief(session, TOPIC, now=now, days=days, max_stories=cap)
                assert [s.number for s in stored.sources] == list(range(1, len(stored.sources) + 1))
        assert _briefs(scenario_rows, now, days)[0] == _briefs(scenario_rows, now, days)[1]


def test_a_brief_reads_rows_only_while_they_hold_the_window(scenario_rows) -> None:
    """A row is what the brief shows; once its event gains an article, the articles are."""
    with transaction(scenario_rows) as session:
        row = session.execute(select(EventBrief).order_by(EventBrief.event_id)).scalars().first()
        assert row is not None
        body = dict(row.body)
        body["item"] = ["Headline from the row", *body["item"][1:]]
        row.body = body
        event_id = row.event_id
    with transaction(scenario_rows) as session:
        brief = compose_brief(session, TOPIC, now=NOW, days=30, max_stories=24)
        shown = {s.story_id: s.headline for s in brief.stories}
    assert shown[event_id] == "Headline from the row"
    with transaction(scenario_rows) as session:
        first = session.execute(select(Article).where(Article.event_id == event_id)).scalars()
        model = next(iter(first))
        extra = Article(
            canonical_url=model.canonical_url + "-more",
            url=model.url + "-more",
            status=ArticleStatus.READY,
            title=model.title,
            site="another.example",
            published_at=model.published_at,
            fetched_at=model.fetched_at,
            summary=list(model.summary or []),
            event_id=event_id,
        )
        extra.topics = [ArticleTopic(topic=TOPIC)]
        session.add(extra)
    with transaction(scenario_rows) as session:
        brief = compose_brief(session, TOPIC, now=NOW, days=30, max_stories=24)
        shown = {s.story_id: s.headline for s in brief.stories}
    assert shown[event_id] != "Headline from the row"


def test_retagging_and_removing_a_topic_recompose_its_rows(scenario_rows) -> None:
    """Retagging a topic's articles recomposes its rows; removing a topic drops them."""
    with transaction(scenario_rows) as session:
        session.execute(delete(ArticleTopic).where(ArticleTopic.topic == TOPIC))
    assert _rows(scenario_rows) != _fresh_rows(scenario_rows)
    with transaction(scenario_rows) as session:
        topic = get_topic(session, TOPIC)
        assert topic is not None
        assert retag_topics(session, topic)
    assert _rows(scenario_rows) == _fresh_rows(scenario_rows)
    with transaction(scenario_rows) as session:
        define_topic(session, "drills", "Drills", [["warships"], ["exercise"]])
        session.add(ArticleTopic(article_id=_any_article(session), topic="drills"))
        refresh_all_event_briefs(session)
    assert any(topic == "drills" for topic, _event in _rows(scenario_rows))
    with transaction(scenario_rows) as session:
        remove_topic(session, "drills")
    assert not any(topic == "drills" for topic, _event in _rows(scenario_rows))


def _any_article(session: Session) -> int:
    return int(session.execute(select(Article.id).where(Article.event_id.is_not(None))).scalar())


def test_a_story_key_says_what_it_is_and_reads_back_from_its_shown_id() -> None:
    """An event's story shows the event id, a lone article's its negated id; both read back."""
    for key in (StoryKey.event(12), StoryKey.alone(7)):
        assert StoryKey.of_shown(key.shown) == key
    assert StoryKey.event(12).shown == 12 and StoryKey.alone(7).shown == -7
    assert StoryKey.alone(7).event_id is None


def test_the_recompose_migration_rewrites_rows_composed_by_older_code(engine, sessions) -> None:
    """Migration 0008 composes every stored story again, as the brief now composes it."""
    from alembic import command

    from corpus.db import alembic_config

    insert_scenario(sessions)
    with transaction(sessions) as session:
        for row in session.execute(select(EventBrief)).scalars():
            row.body = {**row.body, "headline": "As an older composition wrote it"}
    assert _rows(sessions) != _fresh_rows(sessions)
    command.downgrade(alembic_config(engine), "0007")
    command.upgrade(alembic_config(engine), "head")
    rows = _rows(sessions)
    assert rows and rows == _fresh_rows(sessions)


def test_the_migration_backfills_a_row_for_every_story(engine, sessions) -> None:
    """Upgrading a corpus stored before the table composes every event's rows."""
    from alembic import command

    from corpus.db import alembic_config

    # Stored with today's models, then taken back to before the table (which drops it).
    insert_scenario(sessions)
    command.downgrade(alembic_config(engine), "0004")
    command.upgrade(alembic_config(engine), "head")
    rows = _rows(sessions)
    assert rows and rows == _fresh_rows(sessions)


def _with_datelines(body: dict[str, Any]) -> dict[str, Any]:
    item = list(body["item"])
    item[1] = [[f"BEIJING (Reuters) - {text}", *rest] for text, *rest in item[1]]
    return {**body, "item": item}


def _figures_reversed(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "key_figures": list(reversed(body["key_figures"]))}


@pytest.mark.parametrize(
    ("before", "older_body"),
    [
        pytest.param("0010", _with_datelines, id="0011-bullets-without-datelines"),
        pytest.param("0011", _figures_reversed, id="0012-story-figures-news-first"),
    ],
)
def test_a_recompose_migration_rewrites_what_older_code_stored(
    engine, sessions, before: str, older_body: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    """A migration that changes how stories compose rewrites rows older code stored."""
    from alembic import command

    from corpus.db import alembic_config

    insert_scenario(sessions)
    with transaction(sessions) as session:
        for row in session.execute(select(EventBrief)).scalars():
            row.body = older_body(row.body)
    assert _rows(sessions) != _fresh_rows(sessions)
    command.downgrade(alembic_config(engine), before)
    command.upgrade(alembic_config(engine), "head")
    rows = _rows(sessions)
    assert rows and rows == _fresh_rows(sessions)


def test_the_figures_migration_gives_rows_of_older_code_their_figures(engine, sessions) -> None:
    """Migration 0010 recomposes rows written before stories had figures, figures included."""
    from alembic import command

    from corpus.db import alembic_config

    insert_scenario(sessions)
    with transaction(sessions) as session:
        for row in session.execute(select(EventBrief)).scalars():
            row.body = {k: v for k, v in row.body.items() if k != "key_figures"}
    assert _rows(sessions) != _fresh_rows(sessions)
    command.downgrade(alembic_config(engine), "0009")
    command.upgrade(alembic_config(engine), "head")
    rows = _rows(sessions)
    assert rows and rows == _fresh_rows(sessions)
    assert any(row["body"]["key_figures"] for row in rows.values())
