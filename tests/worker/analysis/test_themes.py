"""Tests for theme tagging: substantive discussion tags, a passing word does not."""

from __future__ import annotations

from corpus.themes import parse_taxonomy
from worker.analysis.themes import score_themes, tag_themes

ENERGY_TEXT = (
    "Gazprom began pumping gas through the new pipeline to northern China on Monday.\n"
    "The pipeline will carry 10 billion cubic metres of natural gas a year.\n"
    "China also raised imports of Russian crude oil to a record in March.\n"
    "Officials said talks on a second gas pipeline would resume next month."
)


def _themes(text):
    return {t.theme for t in tag_themes(text)}


def test_substantive_discussion_is_tagged_with_evidence_terms():
    """An article about gas pipelines and oil is tagged energy, with the terms as evidence."""
    tags = {t.theme: t for t in tag_themes(ENERGY_TEXT)}
    assert "energy" in tags
    evidence = {e.lower() for e in tags["energy"].evidence}
    assert {"pipeline", "natural gas"} & evidence
    assert 0 < tags["energy"].score < 1


def test_single_passing_word_does_not_tag():
    """One sentence naming oil in an article about something else does not tag energy."""
    text = (
        "The two leaders met in Beijing for talks on Tuesday.\n"
        "They discussed the situation on the Korean peninsula and regional security.\n"
        "Oil prices were little changed on the day.\n"
        "The foreign ministers will meet again in the autumn."
    )
    assert "energy" not in _themes(text)


def test_articles_get_several_themes():
    """Tagging is multi-label: sanctions and trade in one article give both themes."""
    text = (
        "Chinese banks have stopped processing payments from Russia after the US threatened "
        "secondary sanctions.\n"
        "Bilateral trade fell 10 percent as importers struggled to pay suppliers.\n"
        "Russian exporters now settle most trade in yuan rather than the dollar.\n"
        "The sanctions have hit banks in both countries, payment agents say."
    )
    assert {"sanctions-finance", "trade-economy"} <= _themes(text)


def test_required_anchor_keeps_generic_words_from_tagging():
    """War words without Ukraine named do not make an article about the war in Ukraine."""
    text = (
        "The war of words between the two companies escalated.\n"
        "An offensive in the advertising market followed.\n"
        "The invasion of cheap imports worried the conflict-weary industry."
    )
    assert "ukraine-war" not in _themes(text)


def test_excluded_phrases_do_not_count():
    """An exclusion ("arms trade") keeps a theme's term from firing on another meaning."""
    taxonomy = parse_taxonomy(
        {
            "defaults": {"min_sentences": 1, "min_score": 1.0},
            "themes": [
                {
                    "slug": "trade",
                    "name": "Trade",
                    "terms": {"trade": 1.0},
                    "exclude": ["arms trade"],
                }
            ],
        }
    )
    assert tag_themes("The arms trade grew.", taxonomy=taxonomy) == []
    assert [t.theme for t in tag_themes("Trade grew.", taxonomy=taxonomy)] == ["trade"]


def test_long_article_needs_a_share_of_sentences():
    """In a long article, two passing sentences are below the density floor."""
    filler = "The weather in the capital was mild and the markets were quiet today.\n" * 80
    text = filler + "Oil exports rose.\nGas exports via the pipeline also rose sharply.\n"
    scores = {s.theme: s for s in score_themes(text)}
    assert len(scores["energy"].sentences) == 2
    assert not scores["energy"].tagged


def test_a_un_vote_reported_in_detail_is_diplomacy_and_multilateral():
    """A resolution, who voted against and who abstained tag diplomacy and the UN forum."""
    text = (
        "The two navies held drills near Vladivostok on Monday.\n"
        "At the UN General Assembly, a resolution on the war passed with 93 votes in favour.\n"
        "China abstained, while Russia voted against.\n"
        "Beijing's envoy said the vote would not help."
    )
    assert {"diplomacy", "multilateral"} <= _themes(text)


def test_selling_and_prices_count_as_trade():
    """Sales, selling and prices are market evidence for trade-economy."""
    text = (
        "Chinese carmakers sold 900,000 vehicles in the Russian market last year.\n"
        "Dealers say prices of Chinese models are rising in a shrinking market.\n"
        "Local brands now sell fewer cars than their Chinese rivals."
    )
    assert "trade-economy" in _themes(text)


def test_indexed_scoring_equals_the_full_scan_on_every_recorded_article(monkeypatch):
    """Scoring with the one-pass term index gives what a full scan per theme gives."""
    from testing.golden_analysis import articles

    texts = [text for _, text in articles().values()]
    indexed = [score_themes(text) for text in texts]
    monkeypatch.setattr("corpus.terms.TermIndex.starts", lambda self, text: None)
    assert [score_themes(text) for text in texts] == indexed
