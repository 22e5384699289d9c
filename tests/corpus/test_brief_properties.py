"""Properties of every composed brief, over many generated corpora (hypothesis, on SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session, sessionmaker

from corpus.brief import MAX_BULLETS, compose_brief
from corpus.db import make_engine, make_session_factory, migrate
from corpus.tables import Article, ArticleTopic, Story
from testing.stored_articles import NOW, TOPIC, add_article, fig, theme

SITES = ["tass.com", "scmp.com", "rt.com", "reuters.com", "dw.com"]
THEMES = ["trade-economy", "energy", "diplomacy", "military-security"]
MEASURES = ["China–Russia trade", "bilateral trade, 2021", "gas exports to China", "border"]

article_st = st.fixed_dictionaries(
    {
        "story": st.integers(0, 5) | st.none(),
        "site": st.sampled_from(SITES),
        "hours_ago": st.floats(0, 24 * 30),
        "themes": st.lists(st.sampled_from(THEMES), max_size=3, unique=True),
        "figures": st.lists(
            st.tuples(st.sampled_from(MEASURES), st.sampled_from([108e9, 127e9, 147e9, 172.41e9])),
            max_size=3,
        ),
        "sentences": st.lists(
            st.sampled_from(
                [
                    "Trade between China and Russia reached a record high this year.",
                    "Moscow and Beijing signed a new gas supply agreement on Tuesday.",
                    "The two navies held joint drills in the Sea of Japan.",
                    "Officials said the talks would continue next month in Beijing.",
                ]
            ),
            min_size=0,
            max_size=3,
            unique=True,
        ),
    }
)


@pytest.fixture(scope="module")
def corpus_sessions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    path = tmp_path_factory.mktemp("brief-props") / "corpus.sqlite3"
    engine: Engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    yield make_session_factory(engine)
    engine.dispose()


def _fill(sessions: sessionmaker[Session], articles: list[dict[str, object]]) -> None:
    with sessions() as session, session.begin():
        for table in (ArticleTopic, Article, Story):
            session.execute(delete(table))
        stories = {n: Story() for n in range(6)}
        session.add_all(stories.values())
        for i, a in enumerate(articles):
            sentences = list(a["sentences"])  # type: ignore[call-overload]
            add_article(
                session,
                key=f"a{i}",
                site=str(a["site"]),
                title=f"Story {a['story']} as told by {a['site']}",
                published=NOW - timedelta(hours=float(a["hours_ago"])),  # type: ignore[arg-type]
                story=stories[a["story"]] if a["story"] is not None else None,  # type: ignore[index]
                summary=sentences,
                themes=[theme(t) for t in a["themes"]],  # type: ignore[attr-defined]
                figures=[
                    fig(f"${v / 1e9:g} billion", v, m, sentence=f"It was ${v / 1e9:g} billion.")
                    for m, v in a["figures"]  # type: ignore[attr-defined]
                ],
            )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    articles=st.lists(article_st, max_size=14),
    days=st.integers(1, 30),
    max_stories=st.integers(1, 8),
    with_theme=st.sampled_from([None, *THEMES]),
)
def test_every_brief_is_consistent(
    corpus_sessions, articles, days, max_stories, with_theme
) -> None:
    """Any corpus gives a brief whose citations, stories, figures and themes agree."""
    _fill(corpus_sessions, articles)
    with corpus_sessions() as session:
        brief = compose_brief(
            session, TOPIC, days=days, now=NOW, max_stories=max_stories, theme=with_theme
        )
    numbers = [s.number for s in brief.sources]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len({s.article_id for s in brief.sources}) == len(numbers)
    assert len(brief.stories) <= max_stories
    assert len({s.story_id for s in brief.stories}) == len(brief.stories)
    for story in brief.stories:
        assert story.citations and set(story.citations) <= set(numbers)
        assert 1 <= len(story.bullets) <= MAX_BULLETS
        for bullet in story.bullets:
            assert bullet.text and set(bullet.citations) <= set(story.citations)
        if with_theme:
            assert with_theme in story.themes
    for line in brief.figures:
        assert line.values
        assert line.disagree == (len(line.values) > 1)
        assert len({v.value for v in line.values}) == len(line.values)
        for value in line.values:
            assert value.citation in value.citations
            assert set(value.citations) <= set(numbers)
    assert sum(1 for t in brief.themes) == len({t.theme for t in brief.themes})
    assert all(0 < t.count <= len(brief.stories) for t in brief.themes)
    if articles and not brief.stories:
        assert brief.note
    if brief.widened:
        assert brief.note and "back to" in brief.note
