"""The one definition of a word and its variants."""

from __future__ import annotations

from corpus.words import LETTERS, WORD_CHARS, word_pattern, words


def test_apostrophes_and_hyphens_join_words() -> None:
    """A word keeps its inner apostrophes and hyphens, not its edges or other marks."""
    assert words("China’s Indo-Pacific push -- don't 'quote' S-400 U.S.") == [
        "China’s",
        "Indo-Pacific",
        "push",
        "don't",
        "quote",
        "S-400",
        "U",
        "S",
    ]


def test_underscores_split_words_by_default() -> None:
    """The underscore is no letter unless a caller asks for word characters."""
    assert words("foo_bar") == ["foo", "bar"]
    assert word_pattern(chars=WORD_CHARS).findall("foo_bar don't") == ["foo_bar", "don", "t"]


def test_joiners_are_the_callers() -> None:
    """Dots join when asked, so "U.S." and "172.41" stay whole; one joiner at a time."""
    dotted = word_pattern("’'-.")
    assert dotted.findall("U.S. trade rose 172.41 points.") == [
        "U.S",
        "trade",
        "rose",
        "172.41",
        "points",
    ]
    assert word_pattern("-").findall("x--y") == ["x", "y"]


def test_letters_only() -> None:
    """A letters-only word stops at digits and underscores."""
    assert word_pattern(chars=LETTERS).findall("G7 café_2024 naïve") == ["G", "café", "naïve"]
