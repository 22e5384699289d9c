"""A wire dateline at the start of a sentence is cut; a sentence without one is left alone."""

from __future__ import annotations

import pytest

from corpus.datelines import without_dateline


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("WASHINGTON, March 10 (Reuters) - The U.S. Treasury acted.", "The U.S. Treasury acted."),
        ("March 11 (Interfax) - The share of the yuan rose.", "The share of the yuan rose."),
        ("BEIJING (AP) — Chinese leader Xi Jinping spoke.", "Chinese leader Xi Jinping spoke."),
        ("NEW YORK, Sept. 3 - stocks fell.", "Stocks fell."),
        ("MOSCOW – Russia said it would reply.", "Russia said it would reply."),
    ],
)
def test_datelines_are_cut(sentence: str, expected: str) -> None:
    """City, day and agency in front of a dash go, and the sentence starts with a capital."""
    assert without_dateline(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "US - China trade rose 5% in May.",  # two capitals and a dash: no city
        "March 3 - a date alone is no dateline.",
        "Trade rose, officials in BEIJING said - again.",
        "A - B is how the route runs.",
        "-",
    ],
)
def test_sentences_without_a_dateline_stay(sentence: str) -> None:
    """A sentence that only opens with capitals, a day or a dash is unchanged."""
    assert without_dateline(sentence) == sentence
