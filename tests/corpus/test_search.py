"""Full-text search on SQLite (FTS5) and PostgreSQL: ranked hits grouped into stories."""

from __future__ import annotations

import pytest

from corpus.db import transaction
from corpus.search import SearchError, search_articles
from corpus.tables import Article
from testing.stored_articles import NOW, TOPIC, insert_scenario


@pytest.fixture
def scenario(sessions):
    return insert_scenario(sessions)


def _search(sessions, query: str, **kwargs):
    with sessions() as session:
        return search_articles(session, query, now=NOW, **kwargs)


def test_a_word_finds_its_story_with_every_matching_article_cited(sessions, scenario) -> None:
    """ "pipeline" finds the gas story; its articles are cited and listed as sources."""
    found = _search(sessions, "pipeline")
    assert found.stories
    story = found.stories[0]
    assert story.story_id == scenario.stories["gas"]
    assert "pipeline" in story.bullets[0].text.lower()
    cited = {found.sources[n - 1].article_id for n in story.citations}
    assert cited and all(isinstance(i, int) for i in cited)
    assert all(ref.url.startswith("https://") for ref in found.sources)


def test_every_word_must_occur_and_stemming_or_case_does_not_matter(sessions, scenario) -> None:
    """Two words narrow the search; upper case still matches."""
    assert _search(sessions, "NAVAL exercise").stories
    assert not _search(sessions, "naval pipeline zebra").stories


def test_a_syndicated_story_is_one_result_citing_each_outlet(sessions, scenario) -> None:
    """Three outlets of one trade report group into one story with three citations or more."""
    found = _search(sessions, "sanctions")
    trade = [s for s in found.stories if s.story_id == scenario.stories["trade"]]
    assert len(trade) == 1 and len(trade[0].citations) >= 3 and trade[0].outlets >= 3


def test_days_and_topic_narrow_the_search(sessions, scenario) -> None:
    """ "route" finds the 40-day-old story and another topic's article; the filters drop both."""
    wide = {s.story_id for s in _search(sessions, "route").stories}
    assert scenario.stories["old"] in wide and len(wide) == 2
    assert not _search(sessions, "route", days=30, topic=TOPIC).stories
    in_window = {s.story_id for s in _search(sessions, "route", days=30).stories}
    assert scenario.stories["old"] not in in_window and len(in_window) == 1  # the other topic
    recent = {s.story_id for s in _search(sessions, "route", topic=TOPIC).stories}
    assert recent == {scenario.stories["old"]}
    with pytest.raises(SearchError, match="no topic 'atlantis'"):
        _search(sessions, "trade", topic="atlantis")


def test_quotes_and_operators_cannot_break_the_query(sessions, scenario) -> None:
    """Stray quotes, stars and parentheses are searched as words, never a syntax error."""
    for query in ('"unclosed', "gas*", "(a OR", "NEAR(", "--x", "gas AND", "a'b"):
        _search(sessions, query)


def test_too_short_a_query_is_refused(sessions) -> None:
    """One character is refused with what to do."""
    with pytest.raises(SearchError, match="at least 2 characters"):
        _search(sessions, " a ")


def test_new_and_changed_articles_are_found_at_once(sessions, scenario) -> None:
    """The index follows inserts, updates and deletes."""
    with transaction(sessions) as session:
        article = session.get(Article, scenario.articles["trade-tass.com"])
        article.title = "Zanzibar cloves"
    assert (
        _search(sessions, "zanzibar").sources[0].article_id == scenario.articles["trade-tass.com"]
    )
    with transaction(sessions) as session:
        session.delete(session.get(Article, scenario.articles["trade-tass.com"]))
    assert not _search(sessions, "zanzibar").stories
