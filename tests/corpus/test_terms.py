"""Tests for term patterns shared by themes and topics."""

from __future__ import annotations

from corpus.terms import TermMatcher


def _found(terms, text):
    return [t for t, _, _ in TermMatcher(terms).find(text)]


def test_lower_case_terms_match_any_case_and_plurals():
    """ "pipeline" matches "Pipelines"."""
    assert _found(["pipeline"], "Pipelines and a pipeline") == ["pipeline", "pipeline"]


def test_capitalised_terms_match_exactly():
    """ "US" and "Xi" do not fire on "us" or inside other words."""
    assert _found(["US", "Xi"], "Let us see Xiamen; the US and Mr. Xi agreed.") == ["US", "Xi"]


def test_prefix_terms_match_word_starts():
    """ "sanction*" matches "sanctions" and "sanctioned" but not "unsanctioned"."""
    assert _found(["sanction*"], "sanctions, sanctioned, unsanctioned") == [
        "sanction*",
        "sanction*",
    ]


def test_hyphenated_names_split_into_both_parts():
    """ "Sino-Russian" names both sides, with any dash."""
    assert _found(["Sino", "Russian"], "Sino–Russian ties") == ["Sino", "Russian"]


def test_longest_phrase_wins():
    """A phrase is one match, not its words again."""
    assert _found(["Xi", "Xi Jinping"], "Xi Jinping spoke") == ["Xi Jinping"]


def test_each_match_names_the_term_that_matched():
    """With many equally long terms, every match is reported under its own term."""
    terms = [f"w{i:03d}x" for i in range(300)]
    text = " ".join(reversed(terms))
    found = TermMatcher(terms).find(text)
    assert len(found) == len(terms)
    for term, start, end in found:
        assert text[start:end] == term
