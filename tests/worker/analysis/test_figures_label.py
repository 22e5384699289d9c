"""A figure's label is a noun phrase: no reporting verb in front, no bare verb at the end."""

from __future__ import annotations

import pytest

from worker.analysis.figures import extract_figures
from worker.analysis.figures_label import as_noun_phrase


@pytest.mark.parametrize(
    ("sentence", "surface", "label"),
    [
        # A reporting verb and its subject give way to what is reported.
        (
            "Mongolia's prime minister welcomed the deal, saying transit fees would bring in"
            " $1 billion a year.",
            "$1 billion a year",
            "transit fees per year",
        ),
        (
            "Analysts at Sberbank CIB expect bilateral trade to total about $235 billion in 2025,"
            " below last year's record.",
            "$235 billion",
            "bilateral trade",
        ),
        (
            "The measures cover about $18 billion of imports, including solar cells, batteries,"
            " steel and medical products.",
            "$18 billion",
            "imports",
        ),
        # A leading verb gives way to its object.
        (
            "More than 10,000 troops, 300 armoured vehicles and 60 aircraft, including Su-35 and"
            " J-20 fighters and Tu-95 bombers, took part in the 5-day drills, which covered an"
            " area 1,200 km long.",
            "1,200 km",
            "area",
        ),
        (
            "Russian businesses are turning to smaller regional banks along the border, to netting"
            " schemes and to payment agents in third countries, which add fees of up to 5 percent.",
            "5 percent",
            "fees",
        ),
        # A trailing bare verb becomes the noun of what it measures.
        (
            "A 2,000-mile undersea cable would carry 10 billion kWh a year.",
            "10 billion kWh a year",
            "undersea cable capacity per year",
        ),
        (
            "The deal covers a line that would carry 50 bcm a year.",
            "50 bcm a year",
            "line capacity per year",
        ),
        (
            "Gazprom has also proposed a 6,000 km route that could move 25 bcm per year, while the"
            " Altai project would add 30 billion cubic meters.",
            "25 bcm per year",
            "route capacity per year",
        ),
        (
            "The Far Eastern route, due in 2027, will add 10 billion cubic metres annually.",
            "10 billion cubic metres annually",
            "Far Eastern route supply per year",
        ),
        (
            "A high-speed rail line of 770 km between Moscow and Kazan, costing 1.7 trillion"
            " rubles, has been delayed by at least 2 years.",
            "1.7 trillion rubles",
            "cost of high-speed rail line",
        ),
        # A label does not end on a function word.
        (
            "Brent crude futures traded near $64 a barrel on Monday.",
            "$64 a barrel",
            "Brent crude futures price per barrel",
        ),
        (
            "The warships sailed some 7,000 nautical miles during the joint patrol in the Pacific,"
            " the ministry said.",
            "7,000 nautical miles",
            "warships sailed",
        ),
        # A count's verb is no label: "troops took" says nothing.
        (
            "The two navies have held 12 joint exercises since 2012, and about 3,000 troops took"
            " part in the Northern/Interaction drills this year.",
            "3,000 troops",
            "troops taking part",
        ),
        (
            "About 10,000 Russian troops and 2,000 Chinese personnel are taking part in the 7-day"
            " exercise.",
            "2,000 Chinese personnel",
            "Chinese personnel taking part",
        ),
        # An intended action is named as the plan.
        (
            "The company plans to invest 1.6 trillion rubles in 2026, down from 1.7 trillion"
            " rubles this year.",
            "1.6 trillion rubles",
            "company's planned investment",
        ),
        (
            "Russia plans to spend 13.5 trillion rubles on defense in 2025, about 32% of all"
            " federal spending.",
            "13.5 trillion rubles",
            "Russia's planned spending",
        ),
    ],
)
def test_label_is_a_noun_phrase(sentence: str, surface: str, label: str) -> None:
    """Real sentences whose labels came out framed by a verb."""
    by_text = {f.text: f.measure for f in extract_figures(sentence)}
    assert by_text[surface] == label


@pytest.mark.parametrize(
    "words",
    [
        ["Economists", "warn"],  # nothing reported after the verb: keep what there is
        ["company", "plans", "to", "expand"],
        ["exports", "to", "China"],
        ["Forecast", "growth"],
        ["carry"],
    ],
)
def test_noun_phrase_is_left_alone_without_a_frame_to_drop(words: list[str]) -> None:
    """Nothing is dropped when the words after a verb are no noun phrase, or no verb frames them."""
    assert as_noun_phrase(words) == words


def test_reporting_verb_and_determiner_are_dropped() -> None:
    """ "saying that the fees" → fees."""
    assert as_noun_phrase(["saying", "that", "the", "fees"]) == ["fees"]


@pytest.mark.parametrize(
    ("sentence", "surface", "label"),
    [
        # A pronoun subject names no one: the deed stands for it.
        (
            "It would also extend the price cap regime on Russian oil and add 40 vessels of the"
            ' "shadow fleet" of ageing tankers to the list of ships barred from EU ports.',
            "40 vessels",
            "added vessels",
        ),
        # "we estimate at" frames the figure; the noun before it is the measure.
        (
            "Gazprom needs a price that covers a capital cost we estimate at $13-15 billion for"
            " the Russian and Mongolian sections alone.",
            "$13-15 billion",
            "capital cost (range 13–15 billion)",
        ),
        # What a relative clause is about is the noun before the place it is in.
        (
            "Traders said the gas was sold at a steep discount to spot prices in Asia, which have"
            " averaged around $11 per million British thermal units this month.",
            "$11 per million British thermal units",
            "spot prices in Asia per MMBtu",
        ),
    ],
)
def test_a_pronoun_subject_leaves_the_label(sentence: str, surface: str, label: str) -> None:
    """Labels that held "It add" or "we estimate", or only the place of a price."""
    by_text = {f.text: f.measure for f in extract_figures(sentence)}
    assert by_text[surface] == label


def test_a_pronoun_label_takes_the_measure_it_stands_for() -> None:
    """ "In 2024 it reached $244.8 billion" measures what the figure before in its unit did."""
    text = (
        "In 2025, the trade turnover between the two countries amounted to $228.1 billion."
        " In 2024 it reached a record $244.8 billion."
    )
    labels = [f.measure for f in extract_figures(text)]
    assert labels == ["bilateral trade turnover", "bilateral trade turnover"]


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("We estimate 40 vessels sail under flags of convenience.", "vessels"),
        ("We counted 40 vessels in the port.", "vessels"),
        ("They sent 40 vessels to Ningbo.", "sent vessels"),
    ],
)
def test_a_pronoun_subject_leaves_a_count(sentence: str, label: str) -> None:
    """A count after "We estimate" is of the noun alone; after another verb, of its deed."""
    assert [f.measure for f in extract_figures(sentence)] == [label]


def test_a_plural_owner_takes_an_apostrophe_alone() -> None:
    """ "Chinese carmakers took 51 percent" → Chinese carmakers' share, not carmakers's."""
    text = "Chinese carmakers took 51 percent of Russia's new-car market."
    assert extract_figures(text)[0].measure == "Chinese carmakers' share of Russia's new-car market"
