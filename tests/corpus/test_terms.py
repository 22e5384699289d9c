"""Tests for term patterns shared by themes and topics."""

from __future__ import annotations

import re
import string
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.terms import TermIndex, TermMatcher


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


def _indexed(terms, text):
    matcher = TermMatcher(terms)
    starts = TermIndex([matcher.heads()]).starts(text)
    assert starts is not None
    return matcher.find(text, starts[0])


def test_indexed_matching_finds_what_the_full_scan_finds():
    """Trying terms only where their heads occur gives the full scan's matches."""
    terms = ["trade", "bilateral trade", "US", "U.S.", "sanction*", "Sino-Russian", "Xi Jinping"]
    text = "Bilateral  trade; US-China TRADE, u.s. sanctioned Sino—Russian ties. Xi\nJinping, us."
    assert _indexed(terms, text) == TermMatcher(terms).find(text)
    assert [t for t, _, _ in _indexed(terms, text)] == [
        "bilateral trade",
        "US",
        "trade",
        "sanction*",
        "Sino-Russian",
        "Xi Jinping",
    ]


def test_index_declines_text_that_lower_casing_would_misread():
    """A dotted capital I or a Kelvin sign matches "i"/"k" in ``re`` but not after lower()."""
    index = TermIndex([TermMatcher(["kilo", "istanbul"]).heads()])
    assert index.starts("\u0130stanbul") is None
    assert index.starts("\u212ailo") is None
    assert index.starts("Istanbul kilo") == [[0, 9]]


def test_lower_casing_agrees_with_case_insensitive_re_on_every_character():
    """Every character ``re`` matches case-insensitively to a head character lowers to it.

    This is what lets the index look for heads in the lower-cased text; the four
    characters the index declines are the only exceptions.
    """
    alphabet = string.ascii_lowercase + string.digits + ".’'“”$&"
    any_head = re.compile(f"(?i)[{re.escape(alphabet)}]")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char in "\u0130\u0131\u017f\u212a" or not any_head.fullmatch(char):
            continue
        for head in alphabet:
            if re.fullmatch(f"(?i:{re.escape(head)})", char):
                assert char.lower() == head, (hex(code), head)


_PIECES = ["trade", "Trade", "TRADE", "US", "us", "U.S.", "sanctions", "Sino", "-", "–", "Russian"]
_PIECES += ["arms trade", "oil", "Oil", "gas", "pipeline", " ", "  ", "\n", ".", "x", "’s", "İ"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_indexed_matching_equals_the_full_scan_on_any_text(text):
    """On any mix of terms, cases, dashes and spaces, the index changes no match."""
    terms = ["trade", "arms trade", "US", "U.S.", "sanction*", "Sino-Russian", "oil", "gas*"]
    matcher = TermMatcher(terms)
    starts = TermIndex([matcher.heads()]).starts(text)
    if starts is None:
        assert "İ" in text
        return
    assert matcher.find(text, starts[0]) == matcher.find(text)
    assert matcher.count(text, starts[0]) == matcher.count(text)
