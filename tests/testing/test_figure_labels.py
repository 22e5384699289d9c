"""The strict label check: clause-like, time-led, amount-carrying, long or dangling labels fail."""

from __future__ import annotations

import pytest

from corpus.pipeline_values import Figure
from testing.figure_labels import finite_verbs, label_problems


def _figure(measure: str, text: str = "30 times") -> Figure:
    return Figure(text, 30.0, "times", "count", measure, "", 0, len(text))


@pytest.mark.parametrize(
    "label",
    [
        "Sino-Russian trade totalled",
        "Economists warn",
        "Tuesday quadrupled tariffs",
        "Treasuries fell to USD 797 bn",
        "companies hold",
        "container ship make",
        "countries joined",
        "H-6K bombers flew joint patrol lasting",
        "MW capacity generated",
        "below Brent benchmark",
        "Bank of China froze 1,000 accounts",
        "Chinese President Xi Jinping and Russian President Putin met",
        "currency weakening further 10 per cent",
        "crews trained with 1,400 Chinese personnel",
        "Xi and Putin have met",
        "share of the trade settled in",
        "meetings over 30 times",
        "warships (year's group includes)",
        "vessels (It add)",
        "we estimate",
        "it",
    ],
)
def test_poor_labels_fail(label: str) -> None:
    """Each label users called badly labelled fails the check."""
    assert label_problems(_figure(label))


@pytest.mark.parametrize(
    "label",
    [
        "Sino-Russian trade",
        "US tariffs",
        "China's holdings of US Treasuries",
        "meetings between Xi and Putin",
        "accounts frozen by Bank of China",
        "average price paid by Chinese refiners",
        "China's planned investment",
        "Russia's gas price for China per 1,000 cubic meters",
        "proposed Gazprom route length",
        "growth of China–Russia trade year on year",
        "troops taking part",
        "Gazprom's planned pipeline exports to China per year",
    ],
)
def test_noun_phrases_pass(label: str) -> None:
    """Short noun phrases, participles after their noun included, pass."""
    assert label_problems(_figure(label)) == []


def test_a_participle_before_a_preposition_is_not_finite() -> None:
    """ "gas shipped to China" is a noun phrase; "Russia shipped gas" is a clause."""
    assert finite_verbs("gas shipped to China") == []
    assert finite_verbs("Russia shipped gas") == ["shipped"]
