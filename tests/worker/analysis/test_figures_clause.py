"""A clause in a figure's label becomes a noun phrase: object and participle, event, subject."""

from __future__ import annotations

import pytest

from worker.analysis.figures import extract_figures
from worker.analysis.figures_clause import as_noun, gerund, untitled


@pytest.mark.parametrize(
    ("sentence", "surface", "label"),
    [
        # A count of times names the event it counts, between the two who met.
        (
            "Chinese President Xi Jinping and Russian President Putin also have a personal"
            " relationship and have met more than 30 times since 2013.",
            "30 times",
            "meetings between Xi Jinping and Putin",
        ),
        (
            "The two leaders have met more than 40 times since 2013.",
            "40 times",
            "meetings between two leaders",
        ),
        # A counted object is named by what its subject did to it.
        (
            "Bank of China froze about 1,000 accounts over 6 weeks in March and April.",
            "1,000 accounts",
            "accounts frozen by Bank of China",
        ),
        (
            "Bank of China froze about 1,000 accounts over 6 weeks in March and April.",
            "6 weeks",
            "accounts frozen by Bank of China",
        ),
        (
            "China has built 2 Arctic research stations and sent 13 expeditions since 1999.",
            "13 expeditions",
            "expeditions sent by China",
        ),
        (
            "Russia has delivered 4 S-400 battalions to China since 2018, and the two sides"
            " plan to hold 12 joint exercises in 2024.",
            "12 joint exercises",
            "joint exercises planned by two sides",
        ),
        (
            "Russia and China began joint naval drills in the Sea of Japan on Tuesday involving"
            " more than 40 warships and 20 aircraft.",
            "40 warships",
            "warships in joint naval drills",
        ),
        ("The bill passed with 300 votes.", "300 votes", "votes for bill"),
        # A verb after a count names what the counted do, or had done to them.
        (
            "The Moscow Exchange said 3,000 companies now hold yuan accounts.",
            "3,000 companies",
            "companies holding yuan accounts",
        ),
        (
            "Kremlin aide Yuri Ushakov told reporters that about 20 agreements would be signed.",
            "20 agreements",
            "signed agreements",
        ),
        # A verb that only links the subject to the figure goes.
        (
            "During the last 11 months, Sino-Russian trade totalled $172.41 billion.",
            "11 months",
            "Sino-Russian trade",
        ),
    ],
)
def test_clause_becomes_a_noun_phrase(sentence: str, surface: str, label: str) -> None:
    """Real sentences whose labels came out as clauses."""
    by_text = {f.text: f.measure for f in extract_figures(sentence)}
    assert by_text[surface] == label


def test_a_time_word_subject_goes_with_its_verb() -> None:
    """ "Tuesday quadrupled tariffs" says tariffs; the day is the figure's time, not its actor."""
    assert as_noun(["Tuesday", "quadrupled", "tariffs"]) == ["tariffs"]


def test_an_amount_leaves_the_label_and_a_change_verb_with_it() -> None:
    """ "Treasuries fell to USD 797 bn" is a label for Treasuries."""
    assert as_noun(["Treasuries", "fell", "to", "USD", "797", "bn"]) == ["Treasuries"]
    assert as_noun(["currency", "weakening", "further", "10", "per", "cent"]) == [
        "currency",
        "weakening",
    ]


def test_a_number_in_a_name_stays() -> None:
    """The "2" of Power of Siberia 2 is a name, not an amount."""
    words = ["flows", "of", "gas", "via", "Power", "of", "Siberia", "2", "pipeline"]
    assert as_noun(words) == words


def test_a_noun_phrase_is_left_alone() -> None:
    """Participles after their noun or after a possessive are no clause."""
    for words in (
        ["average", "price", "paid", "for", "Russian", "pipeline", "gas"],
        ["company's", "planned", "investment"],
        ["Novatek's", "shipments", "of", "liquefied", "natural", "gas"],
    ):
        assert as_noun(words) == words


def test_titles_and_verb_forms() -> None:
    """Titles before names go; -ing forms are made from past and present forms."""
    assert untitled(["Chinese", "President", "Xi", "Jinping"]) == ["Xi", "Jinping"]
    assert [gerund(v) for v in ("hold", "joined", "operated", "carried", "makes")] == [
        "holding",
        "joining",
        "operating",
        "carrying",
        "making",
    ]


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        (
            "The two leaders, who have met more than 40 times, held talks.",
            "meetings between two leaders",
        ),
        ("They have met 12 times this year.", "meetings"),
    ],
)
def test_times_after_a_relative_or_a_pronoun(sentence: str, label: str) -> None:
    """A relative clause takes the noun before it; a pronoun subject names no one."""
    figure = next(f for f in extract_figures(sentence) if f.text.endswith("times"))
    assert figure.measure == label


@pytest.mark.parametrize(
    ("sentence", "surface", "label"),
    [
        # A common word opening the sentence is lower-cased wherever it lands in the label.
        (
            "Bilateral trade reached a record $245 billion in 2024 before falling about 7% in"
            " 2025 to roughly $228 billion, customs data shows.",
            "7%",
            "fall in bilateral trade",
        ),
        # The level a subjectless change reached measures what changed.
        (
            "Bilateral trade reached a record $245 billion in 2024 before falling about 7% in"
            " 2025 to roughly $228 billion, customs data shows.",
            "$228 billion",
            "bilateral trade",
        ),
        # "rose to X in January from Y": Y is the earlier value of the same measure.
        (
            "The share of the Chinese yuan in payments for Russian exports rose to 42.3% in"
            " January from 39.6% in December, according to data.",
            "39.6%",
            "share of the Chinese yuan",
        ),
        (
            "Total agricultural exports from Russia to China amounted to $1.3 billion in the"
            " first two months.",
            "$1.3 billion",
            "total agricultural exports",
        ),
        (
            "Two-way trade fell 8.4 per cent from a year earlier.",
            "8.4 per cent",
            "fall in two-way trade",
        ),
    ],
)
def test_opening_words_and_earlier_values(sentence: str, surface: str, label: str) -> None:
    """Labels that kept "Bilateral" capitalised or read a base value as a clause."""
    by_text = {f.text: f.measure for f in extract_figures(sentence)}
    assert by_text[surface] == label


def test_a_proper_noun_opening_keeps_its_capital() -> None:
    """ "Russian exports" is a proper adjective, not a word capitalised by its place."""
    labels = [f.measure for f in extract_figures("Russian exports rose 5% in March.")]
    assert labels == ["increase in Russian exports"]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # The text writes "oil" in lower case elsewhere: its capital was the sentence's.
        (
            "Oil and gas revenues fell 24 percent from a year earlier. Exports of oil slowed.",
            "fall in oil and gas revenues",
        ),
        # A name is never written in lower case, so it keeps its capital.
        ("Gazprom exports fell 24 percent from a year earlier.", "fall in Gazprom exports"),
    ],
)
def test_an_opening_capital_goes_when_the_text_writes_the_word_lower(text: str, label: str) -> None:
    """A sentence's first word in a label is lower-cased on the text's own evidence."""
    assert extract_figures(text)[0].measure == label


def test_an_aside_before_the_verb_leaves_its_subject() -> None:
    """ "imports from Russia, mostly crude oil, coal and gas, slipped 5.3% to $20.9 billion"."""
    text = (
        "Chinese exports to Russia dropped 12.1% to $15.9 billion, while imports from Russia,"
        " mostly crude oil, coal and gas, slipped 5.3% to $20.9 billion."
    )
    labels = {f.text: f.measure for f in extract_figures(text)}
    assert labels["5.3%"] == "fall in imports from Russia"
    assert labels["$20.9 billion"] == "imports from Russia"
