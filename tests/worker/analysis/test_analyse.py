"""Tests for the combined per-article analysis."""

from __future__ import annotations

from pathlib import Path

from corpus.db import transaction
from corpus.topics import add_topic, validate_topic
from worker.analysis import analyse
from worker.analysis.analyse import make_analyser
from worker.extract import extract_text_document

SEED = Path(__file__).resolve().parents[3] / "corpus" / "samples" / "004_78f9c8f826e79d3a.txt"


def _seed():
    return extract_text_document(SEED.read_text(encoding="utf-8"), None)


def test_seed_analysis_has_summary_themes_figures_and_topic():
    """A seed gets 2–4 summary sentences from its text, themes, figures and russia-china."""
    article = _seed()
    result = analyse(article.title, article.text)
    assert 2 <= len(result.summary) <= 4
    assert all(s in article.text for s in result.summary)
    assert result.summary_backend == "extractive"
    assert "ukraine-war" in {t.theme for t in result.themes}
    assert result.topics == ("russia-china",)
    assert any(f.value == 172_410_000_000 for f in result.figures)
    for figure in result.figures:
        assert article.text[figure.start : figure.end] == figure.text


def test_given_summariser_is_used():
    """A summariser passed in replaces the extractive default."""

    class Fixed:
        def summarise(self, title, text):
            return ["Only this."], "fixed"

    article = _seed()
    result = analyse(article.title, article.text, summariser=Fixed())
    assert result.summary == ("Only this.",)
    assert result.summary_backend == "fixed"


def test_given_topics_replace_shipped_ones():
    """Topics passed in are the ones matched."""
    topic = validate_topic("xi-putin", "Xi and Putin", [["Xi"], ["Putin"]], min_mentions=2)
    article = _seed()
    assert analyse(article.title, article.text, topics=[topic]).topics == ("xi-putin",)
    assert analyse(article.title, article.text, topics=[]).topics == ()


def test_analysis_is_deterministic():
    """Analysing the same article twice gives the same result."""
    article = _seed()
    assert analyse(article.title, article.text) == analyse(article.title, article.text)


def test_bound_analyser_uses_topics_added_by_admins(sessions):
    """The analyser from make_analyser matches a topic added after it was built."""
    analyser = make_analyser(sessions)
    article = _seed()
    assert analyser(article.title, article.text).topics == ("russia-china",)
    with transaction(sessions) as s:
        add_topic(s, "china-us", "China–US", [["China", "Beijing"], ["US", "Washington"]])
    assert analyser(article.title, article.text).topics == ("russia-china", "china-us")
