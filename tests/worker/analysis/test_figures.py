"""Unit tests for key-figure extraction: each format, each non-figure rule, offsets, measures."""

from __future__ import annotations

import math
import re

import pytest

from corpus.pipeline_values import Figure
from worker.analysis.figures import extract_figures
from worker.analysis.sentences import split_sentences


def only(text: str) -> Figure:
    figures = extract_figures(text)
    assert len(figures) == 1, [f.text for f in figures]
    return figures[0]


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit", "kind"),
    [
        ("Trade totalled $172.41 billion last year.", "$172.41 billion", 172.41e9, "USD", "money"),
        ("The deal was worth 400 billion dollars.", "400 billion dollars", 4e11, "USD", "money"),
        ("It is a US$55 billion project.", "US$55 billion", 55e9, "USD", "money"),
        ("Trade is valued at $ 108 billion.", "$ 108 billion", 108e9, "USD", "money"),
        ("They raised USD 10bn from banks.", "USD 10bn", 10e9, "USD", "money"),
        ("They raised 10 bn dollars from banks.", "10 bn dollars", 10e9, "USD", "money"),
        ("Reserves are $1.2tn now.", "$1.2tn", 1.2e12, "USD", "money"),
        ("The bank lent $5m to the firm.", "$5m", 5e6, "USD", "money"),
        ("Exports reached €3bn in May.", "€3bn", 3e9, "EUR", "money"),
        ("Exports reached 3 billion euros in May.", "3 billion euros", 3e9, "EUR", "money"),
        ("Trade hit 1.5 trillion yuan.", "1.5 trillion yuan", 1.5e12, "CNY", "money"),
        ("Loans rose to RMB 120 billion.", "RMB 120 billion", 120e9, "CNY", "money"),
        ("Revenue was 1.3 trillion roubles.", "1.3 trillion roubles", 1.3e12, "RUB", "money"),
        ("Revenue was 9 trillion rubles.", "9 trillion rubles", 9e12, "RUB", "money"),
        ("The firm paid £19.8 billion.", "£19.8 billion", 19.8e9, "GBP", "money"),
        ("Refiners settled Rs 500 crore of bills.", "Rs 500 crore", 5e9, "INR", "money"),
        ("Japan's Mitsui booked a ¥ 63.9 billion loss.", "¥ 63.9 billion", 63.9e9, "JPY", "money"),
        ("China's exports rose by ¥ 20 billion.", "¥ 20 billion", 20e9, "CNY", "money"),
        ("Brent fell to $76.60 a barrel.", "$76.60 a barrel", 76.6, "USD", "money"),
        ("It cost US $5 billion.", "US $5 billion", 5e9, "USD", "money"),
        ("Banks extended Rmb50bn in credit.", "Rmb50bn", 50e9, "CNY", "money"),
        ("Revenue hit Rbs1.2tn last year.", "Rbs1.2tn", 1.2e12, "RUB", "money"),
        (
            "Gas sold at $300 per 1,000 cubic meters.",
            "$300 per 1,000 cubic meters",
            300,
            "USD",
            "money",
        ),
    ],
)
def test_money_formats(text: str, surface: str, value: float, unit: str, kind: str) -> None:
    """Each way of writing an amount of money gives its value in units and its currency."""
    f = only(text)
    assert (f.text, f.unit, f.kind) == (surface, unit, kind)
    assert math.isclose(f.value, value, rel_tol=1e-12)


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit"),
    [
        ("Trade grew 32 per cent.", "32 per cent", 32, "percent"),
        ("Trade grew 32 percent.", "32 percent", 32, "percent"),
        ("Trade grew 8.2% in May.", "8.2%", 8.2, "percent"),
        ("Inflation eased 1.5 percentage points.", "1.5 percentage points", 1.5, "pp"),
        ("The bank cut rates by 200 basis points.", "200 basis points", 200, "bp"),
        ("Rates rose 25bp.", "25bp", 25, "bp"),
        ("Output shrank -0.8% in November.", "-0.8%", -0.8, "percent"),
        ("Real wage growth was minus 0.5 percent.", "minus 0.5 percent", -0.5, "percent"),
        ("Growth hit 5pc in May.", "5pc", 5, "percent"),
        ("GDP grew 0.1% q/q.", "0.1% q/q", 0.1, "percent"),
    ],
)
def test_percent_formats(text: str, surface: str, value: float, unit: str) -> None:
    """Percentages, percentage points and basis points, with a written sign kept."""
    f = only(text)
    assert (f.text, f.unit, f.kind) == (surface, unit, "percent")
    assert math.isclose(f.value, value)


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit"),
    [
        ("It will carry 38 billion cubic meters of gas.", "38 billion cubic meters", 3.8e10, "m3"),
        ("It will carry 50 bcm of gas.", "50 bcm", 5e10, "m3"),
        ("Imports hit 2.1 million barrels per day.", "2.1 million barrels per day", 2.1e6, "bbl"),
        ("India bought 1.75 million bpd of crude.", "1.75 million bpd", 1.75e6, "bbl"),
        ("They share a 4,200-kilometer border.", "4,200-kilometer", 4200, "km"),
        ("The border is 4,300 kilometers long.", "4,300 kilometers", 4300, "km"),
        ("The route is 1,200 km long.", "1,200 km", 1200, "km"),
        ("The cable is 2,672 miles long.", "2,672 miles", 2672, "mi"),
        ("It shipped 1.2 million tonnes of LNG.", "1.2 million tonnes", 1.2e6, "t"),
        ("The plant covers 3,500 square kilometres.", "3,500 square kilometres", 3500, "km2"),
        ("The reactor has 70 MW of capacity.", "70 MW", 70, "MW"),
        ("It generated 194 GWh last year.", "194 GWh", 194, "GWh"),
        ("The cable would carry 10 billion kWh.", "10 billion kWh", 1e10, "kWh"),
        ("Output was 10.5 mb/d in May.", "10.5 mb/d", 10.5e6, "bbl"),
        ("The bridge is 200m long.", "200m", 200, "m"),
        ("It shipped 500t of grain.", "500t", 500, "t"),
    ],
)
def test_quantity_formats(text: str, surface: str, value: float, unit: str) -> None:
    """Volumes, distances, masses, areas, power and energy, with scale words folded in."""
    f = only(text)
    assert (f.text, f.unit, f.kind) == (surface, unit, "quantity")
    assert math.isclose(f.value, value)


def test_rate_is_noted_in_the_measure() -> None:
    """A per-day rate stays in the measure so daily and yearly volumes are not confused."""
    f = only("Russian crude exports to China rose to 2.1 million barrels per day.")
    assert "per day" in f.measure


def test_rate_after_what_is_measured_is_noted() -> None:
    """ "9.5 million barrels of oil per day" keeps its surface and notes the daily rate."""
    f = only("Russia pumped 9.5 million barrels of oil per day in 2023.")
    assert (f.text, f.unit) == ("9.5 million barrels", "bbl")
    assert "per day" in f.measure


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit", "kind"),
    [
        ("They have met more than 30 times since 2013.", "30 times", 30, "count", "count"),
        ("Russia sent 10,000 troops to the border.", "10,000 troops", 10000, "count", "count"),
        ("It sent 10,000 Russian troops.", "10,000 Russian troops", 10000, "count", "count"),
        ("The group has 2 countries.", "2 countries", 2, "count", "count"),
        ("The drills used 60 aircraft.", "60 aircraft", 60, "count", "count"),
        ("It delivered 4 S-400 battalions.", "4 S-400 battalions", 4, "count", "count"),
        ("The US has 11 aircraft carriers.", "11 aircraft carriers", 11, "count", "count"),
        ("About 300 troops came.", "300 troops", 300, "count", "count"),
        ("About 1.5 million people left.", "1.5 million people", 1.5e6, "count", "count"),
        ("Trade totalled more in the last 11 months.", "11 months", 11, "month", "duration"),
        ("Ties grew fast in the past 10 years.", "10 years", 10, "year", "duration"),
        ("They held 5-day drills.", "5-day", 5, "day", "duration"),
        ("Bombers stayed airborne for 8 hours.", "8 hours", 8, "hour", "duration"),
        ("The ice shrank over 4 decades.", "4 decades", 40, "year", "duration"),
    ],
)
def test_counts_and_durations(text: str, surface: str, value: float, unit: str, kind: str) -> None:
    """A digit-written number with a countable noun or a time unit is a count or a duration."""
    f = only(text)
    assert (f.text, f.unit, f.kind) == (surface, unit, kind)
    assert math.isclose(f.value, value)


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit"),
    [
        (
            "They agreed on thirty-eight billion cubic meters a year.",
            "thirty-eight billion cubic meters a year",
            3.8e10,
            "m3",
        ),
        (
            "Trade could reach two hundred billion dollars.",
            "two hundred billion dollars",
            2e11,
            "USD",
        ),
        ("A billion dollars was lent.", "A billion dollars", 1e9, "USD"),
        ("Growth was five per cent.", "five per cent", 5, "percent"),
    ],
)
def test_spelt_out_money_percent_and_quantities(
    text: str, surface: str, value: float, unit: str
) -> None:
    """Money, percentages and quantities may be written in words; their value is still read."""
    f = only(text)
    assert (f.text, f.unit) == (surface, unit)
    assert math.isclose(f.value, value)


@pytest.mark.parametrize(
    "text",
    [
        "Two countries met for one hour.",
        "They signed a thirty-year deal.",
        "A mile of road was built in an hour.",
        "One of the sides left; one-third stayed.",
    ],
)
def test_spelt_out_counts_and_durations_are_not_figures(text: str) -> None:
    """Counts and durations must be digit-written; "a"/"an" alone is not a number."""
    assert extract_figures(text) == []


def test_two_counts_can_share_one_noun() -> None:
    """ "2 Tu-95MS and 2 H-6K bombers" is two counts of bombers."""
    figures = extract_figures("They flew 2 Tu-95MS and 2 H-6K bombers.")
    assert [(f.text, f.value, f.kind) for f in figures] == [
        ("2 Tu-95MS", 2, "count"),
        ("2 H-6K bombers", 2, "count"),
    ]
    assert "bombers" in figures[0].measure


def test_range_is_one_figure_with_its_lower_bound() -> None:
    """ "5-7%" is one figure: the lower bound as value and the range noted in the measure."""
    f = only("Economists expect trade to grow 5-7% this year.")
    assert (f.text, f.value, f.unit) == ("5-7%", 5, "percent")
    assert "range 5–7" in f.measure


def test_range_of_billions_is_noted_in_its_scale() -> None:
    """ "$13-15 billion" notes its range as "13–15 billion", not in raw digits."""
    f = only("The pipeline needs a price that covers a capital cost of $13-15 billion.")
    assert (f.text, f.value, f.unit) == ("$13-15 billion", 13e9, "USD")
    assert "range 13–15 billion" in f.measure and "000" not in f.measure


def test_from_to_gives_two_figures() -> None:
    """ "from 10 to 15 percent" is two values, the first taking the unit of the second."""
    figures = extract_figures("The share rose from 10 to 15 percent.")
    assert [(f.text, f.value, f.unit) for f in figures] == [
        ("10", 10, "percent"),
        ("15 percent", 15, "percent"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "It was signed in 2014 and renewed in February 2023.",
        "Posted 2023/01/29 | Economy",
        "Posted 29.01.2023 at noon.",
        "Russia supplies the S-400 system and Su-35 fighters.",
        "Tu-95 and J-20 aircraft flew; COVID-19 rules ended.",
        "Huawei will build a 5G network.",
        "They marked the 70th anniversary in the 21st century.",
        "1. Shipping",
        "B. Economic Synergy",
        "See page 12 and section 4 for details.",
        "The talks started at 10:30 local time and ended at 3 p.m.",
        "Call +7 495 719-30-01 for comment.",
        "Two countries and one third of members agreed.",
        "He said it twice; a third of trade is in yuan.",
        "On August 8, 2019, the 2019 International Army Games began.",
        "On March 7 he arrived, and on February 28 he left.",
        "3.2 Research stations",
        "Its Arctic LNG 2 holdings were written down.",
        "The 2016 US presidential elections soured ties.",
        "Trade grew 2.5 times faster than GDP.",
        "Border clashes in the 1960s and the 1990s reforms.",
        "A 70-year-old man attended.",
        "He is 71 years old.",
        "Boeing 737 jets were grounded.",
        "Temperatures fell to -30 degrees.",
        "The G20 met on 9/11 with 24/7 coverage.",
        "China is Russia's No. 1 partner under Section 301 rules.",
    ],
)
def test_not_figures(text: str) -> None:
    """Years, dates, model names, ordinals, numbering, pages, times, phones and words are not."""
    assert extract_figures(text) == []


def test_signed_amounts_keep_their_sign() -> None:
    """ "-$5bn" is a negative amount and "(+8%)" a positive percentage."""
    figures = extract_figures("Losses hit -$5bn while sales rose (+8%).")
    assert [(f.text, f.value) for f in figures] == [("-$5bn", -5e9), ("+8%", 8.0)]


def test_dash_between_two_amounts_gives_both() -> None:
    """ "$1.5bn-$2bn" gives both amounts, not a model-name-like "-$2bn"."""
    figures = extract_figures("Costs of $1.5bn-$2bn are expected.")
    assert [(f.text, f.value) for f in figures] == [("$1.5bn", 1.5e9), ("$2bn", 2e9)]


def test_figures_never_overlap() -> None:
    """A number inside a figure's rate ("per 1,000 cubic meters") is not a figure of its own."""
    figures = extract_figures("Gas sold at $300 per 1,000 cubic meters, up 5%.")
    assert [f.text for f in figures] == ["$300 per 1,000 cubic meters", "5%"]


def test_offsets_point_at_the_surface_text() -> None:
    """Every figure's start/end slice the text back to its surface form."""
    text = (
        "Header\n\nTrade hit $147 billion in 2021, up 32 per cent.\nThey share a 4,200-km border."
    )
    figures = extract_figures(text)
    assert len(figures) == 3
    for f in figures:
        assert text[f.start : f.end] == f.text


def test_figure_carries_its_sentence() -> None:
    """The sentence holding a figure is returned with it."""
    text = "Ties are old. Trade hit $147 billion in 2021. Talks go on."
    f = only(text)
    assert f.sentence == "Trade hit $147 billion in 2021."


def test_sentences_of_another_text_fall_back_to_the_line() -> None:
    """Sentences whose offsets do not fit the text are not trusted: the figure's line is used."""
    text = "Trade hit $147 billion in 2021.\nTalks go on."
    wrong = split_sentences("Something else entirely, much longer than the text itself.")
    f = extract_figures(text, wrong)[0]
    assert f.sentence == "Trade hit $147 billion in 2021."


def test_given_sentences_are_used() -> None:
    """Passing the splitter's sentences gives the same figures as letting it split."""
    text = "Trade hit $147 billion in 2021. Exports rose 8.2% in May."
    assert extract_figures(text, split_sentences(text)) == extract_figures(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("China’s trade with Russia has reached 127 billion dollars.", "trade with Russia"),
        ("China is Russia’s partner, with bilateral trade reaching $147 billion in 2021.", "trade"),
        ("The pipeline worth 400 billion dollars was signed.", "pipeline value"),
        ("They established a $1 billion fund to support research.", "fund"),
        ("China accounts for 18 per cent of Russian trade.", "share of Russian trade"),
        ("The two countries share a 4,200-kilometer border.", "border"),
        ("The value of the deals signed during the visit was $20 billion.", "value of the deals"),
        (
            "Trade between China and Russia rose 26.3% last year.",
            "increase in trade between China and Russia",
        ),
        (
            "It means a 37% increase in annual bilateral trade.",
            "increase in annual bilateral trade",
        ),
        ("China imported $409.37 million worth of natural gas.", "natural gas"),
        ("The volume can eventually reach 38 billion cubic meters.", "volume"),
        ("Trade between the two countries was $108 billion.", "bilateral trade"),
        ("They pledged to lift two-way trade above the $240 billion reached.", "two-way trade"),
        ("The new route, due in 2027, will add 10 billion cubic metres.", "route supply"),
        ("A city of 10 million people lies near the border.", "city"),
    ],
)
def test_measure_comes_from_grammatical_cues(text: str, expected: str) -> None:
    """The measure names the subject, owner or modified noun of the figure."""
    figures = extract_figures(text)
    money_or_rate = [f for f in figures if f.kind != "duration"]
    assert expected in money_or_rate[-1].measure


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("China is Russia’s partner, with bilateral trade reaching $147 billion in 2021.", "2021"),
        ("During the last 11 months, trade totalled $172.41 billion.", "last 11 months"),
        ("Trade fell 5.1% in January-July 2025 to $122.4 billion.", "Jan–Jul 2025"),
        ("Exports reached 31 bcm in the first half of 2024.", "H1 2024"),
        ("In the first 11 months of the year, trade was $220 billion.", "Jan–Nov"),
        ("The yuan's share reached 39.1% as of October.", "as of Oct"),
        ("As of July 1, investors had put $13.4 billion into the region.", "as of 1 Jul"),
        ("They aim to lift trade to $300 billion by 2030.", "by 2030"),
        ("Russia supplied 77% of China's arms imports between 2019 and 2023.", "2019–2023"),
        ("In December alone, trade totalled $22.3 billion.", "Dec"),
        ("The 1,080-metre bridge opened in 2022.", ""),
        ("Trade fell 8.4% year-on-year in January and February to $36.8 billion.", "Jan–Feb"),
        ("Two-way trade fell 8.4 per cent from a year earlier to $36.8 billion.", ""),
        ("Shipments fell 12.1 per cent, a steeper fall than in December.", ""),
    ],
)
def test_period_is_read_from_the_sentence(text: str, period: str) -> None:
    """The period the figure is for comes out as a field in one short form, not in the measure."""
    figures = [f for f in extract_figures(text) if f.kind != "duration"]
    assert figures[-1].period == period
    assert period == "" or period not in figures[-1].measure


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Trade rose 1.9% to $244.81 billion in 2024.", "actual"),
        ("They have set a goal of lifting trade to $300 billion by 2030.", "target"),
        ("Analysts expect trade to total about $235 billion in 2025.", "forecast"),
        ("The pipeline is designed to carry 50 bcm of gas a year.", "plan"),
        ("The ministry forecasts $320 per 1,000 cubic meters in 2025, down from $334.", "actual"),
    ],
)
def test_status_says_fact_forecast_target_or_plan(text: str, status: str) -> None:
    """The last figure of each sentence gets the status its sentence gives it."""
    assert extract_figures(text)[-1].status == status


def test_the_same_period_is_carried_over() -> None:
    """ "over the same period" is the period of the figure before."""
    a, b = extract_figures(
        "China imported 108.5 million tonnes of crude in 2024. Saudi shipments fell to "
        "78.6 million tonnes over the same period."
    )
    assert a.period == b.period == "2024"


def test_a_change_against_the_same_period_takes_the_period_before() -> None:
    """ "Compared with the same period last year, trade fell 8.4%" is for the period before."""
    level, change = extract_figures(
        "Trade in January-February 2026 was $36.81 billion. Compared with the same period "
        "last year, the trade turnover decreased by 8.4%."
    )
    assert change.period == level.period == "Jan–Feb 2026"


def test_a_goal_exceeded_is_not_the_figure_status() -> None:
    """ "$244.8 billion, exceeding the $200 billion target" is an actual beside a target."""
    actual, goal = extract_figures(
        "In 2024 trade hit an all-time high of $244.8 billion, exceeding the $200 billion "
        "target set by the leaders."
    )
    assert (actual.status, goal.status) == ("actual", "target")
    assert actual.measure == "trade"


def test_a_change_is_tied_to_what_changed_and_its_base() -> None:
    """ "In July, trade was $18.9 billion, up 1.3% from June" is July's increase from June."""
    level, change = extract_figures("In July alone, trade was $18.9 billion, up 1.3% from June.")
    assert change.measure == "increase in trade from Jun"
    assert change.period == level.period == "Jul"
    fell = only("Chinese exports to Russia declined 7.6% in January-July.")
    assert fell.measure == "fall in Chinese exports to Russia"


def test_conversion_in_brackets_shares_the_measure() -> None:
    """ "4,300 kilometers (2,672 miles)" gives two figures that measure the same thing."""
    a, b = extract_figures("They have a border of 4,300 kilometers (2,672 miles).")
    assert a.measure == b.measure
    assert "border" in a.measure


def test_restatement_after_a_comma_shares_the_measure() -> None:
    """ "107 million tonnes last year, about 2.14 million barrels a day" is one measure twice."""
    a, b = extract_figures(
        "Oil exports to China grew to 107 million tonnes last year, about 2.14 million bpd."
    )
    assert "exports" in a.measure
    assert b.measure.startswith(a.measure.split(",")[0])


def test_measure_is_never_empty() -> None:
    """A figure with no grammatical cue still gets a measure from its sentence."""
    f = only("Yes: 30 times.")
    assert f.measure.strip()


def test_a_list_of_counts_keeps_each_its_own_measure() -> None:
    """ "10,000 troops, 60 aircraft" are two counts, not one count restated."""
    figures = extract_figures("More than 10,000 troops, 60 aircraft and 13 warships took part.")
    assert [f.text for f in figures] == ["10,000 troops", "60 aircraft", "13 warships"]
    assert "aircraft" in figures[1].measure
    assert "troops" not in figures[1].measure


def test_a_conversion_in_other_units_keeps_the_measure_before_it() -> None:
    """ "4,300 kilometres (2,672 miles)" measure the same thing."""
    first, second = extract_figures("The two countries share a border of 4,300 km (2,672 miles).")
    assert second.measure == first.measure


def test_the_date_of_a_statement_does_not_date_the_figure() -> None:
    """ "said in a talk in March that … 4,300 km" is not a March border length."""
    text = (
        "The analyst, a former diplomat who follows the region closely, pointed out in a talk "
        "in March that the two countries share a border of 4,300 km."
    )
    assert "March" not in only(text).measure
    assert only(text).period == ""


def test_a_period_after_that_still_qualifies_the_figure() -> None:
    """ "38 bcm a year that the line will deliver from 2025" keeps its period."""
    text = "It adds to the 38 bcm a year that the first pipeline is due to deliver from 2025."
    assert only(text).period == "from 2025"


def test_over_a_span_of_time_is_not_a_comparison() -> None:
    """ "$45 billion over its lifetime" does not measure "over lifetime"."""
    assert "lifetime" not in only("The deal is worth $45 billion over its lifetime.").measure


def test_an_appositive_worth_names_what_is_worth_it() -> None:
    """ "The contract, worth $3 billion, …" measures the contract's value."""
    assert only("The contract, worth $3 billion, was signed in May.").measure == "contract value"


def test_an_adverb_after_a_quantity_is_not_what_it_measures() -> None:
    """ "sail 1,800 nautical miles together" measures the sailing, not "together"."""
    measure = only("The ships will sail about 1,800 nautical miles together.").measure
    assert "together" not in measure
    assert "ships" in measure


def test_a_count_after_with_names_the_verb_not_with() -> None:
    """ "The bill passed with 300 votes" measures votes for the bill."""
    assert only("The bill passed with 300 votes.").measure == "votes for bill"


def test_a_length_after_stretch_is_not_a_distance_from_its_start() -> None:
    """ "would stretch 2,000 km from Sakhalin" is the pipeline's length."""
    text = "The new pipeline would stretch 2,000 km from Sakhalin to Heilongjiang."
    assert only(text).measure == "new pipeline length"


def test_up_a_percentage_from_a_year_is_the_change_in_the_figure_before() -> None:
    """ "shipped 22.7 bcm last year, up 45% from 2022" is an increase from 2022."""
    text = "Russia shipped 22.7 bcm to China last year, up 45% from 2022, Gazprom said."
    shipped, change = extract_figures(text)
    assert change.measure.startswith("increase in ")
    assert shipped.measure.split(",")[0] in change.measure
    assert change.measure.endswith("from 2022")


def test_an_earlier_value_keeps_its_own_period() -> None:
    """ "$240 billion in 2023, up from $190 billion in 2022": the earlier one is 2022's."""
    now, before = extract_figures(
        "Trade reached $240 billion in 2023, up from $190 billion in 2022."
    )
    assert now.period == "2023"
    assert before.period == "2022"
    assert before.measure == now.measure == "trade"


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        (
            "About 30% of payments from Russia were delayed or returned in May.",
            "share of payments from Russia delayed or returned",
        ),
        (
            "Gazprom sold gas to China at $200 per 1,000 cubic meters in 2024.",
            "price of gas to China per 1,000 cubic meters",
        ),
        (
            "China-Russia trade surplus in Russia's favour widened to $14 billion in 2024.",
            "China-Russia trade surplus in Russia's favour",
        ),
        ("Trade was virtually flat at $21.3 billion in November.", "trade"),
        ("Trade rose in November, with December alone totalling $22.3 billion.", "trade"),
        (
            "China imported 108.5 million tonnes of Russian crude.",
            "China's imports of Russian crude",
        ),
        ("Exports to China fell 23.8% y/y.", "fall in exports to China year on year"),
    ],
)
def test_measures_an_analyst_can_quote(text: str, measure: str) -> None:
    """Labels like "virtually flat" or "December alone" give way to what is measured."""
    assert extract_figures(text)[-1].measure == measure


def test_a_year_before_to_is_not_a_range() -> None:
    """ "in January-July 2025 to $122.4 billion" is a year, then the figure with its currency."""
    (f,) = [
        f
        for f in extract_figures("Trade fell in January-July 2025 to $122.4 billion.")
        if f.kind == "money"
    ]
    assert (f.text, f.value, f.unit) == ("$122.4 billion", 122.4e9, "USD")
    assert (
        only("Coal exports slid in the first half of 2025 to 43.2 million tonnes.").value == 43.2e6
    )


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        ("Russia shipped 22.7 bcm to China last year.", "Russia's shipments to China"),
        (
            "The Moscow Exchange traded 3.2 trillion roubles' worth of yuan.",
            "Moscow Exchange's yuan trading",
        ),
        (
            "Chinese refiners paid an average of $76.60 a barrel.",
            "average price paid by Chinese refiners per barrel",
        ),
        (
            "Analysts put the cost of the Mongolian section at $12 billion.",
            "cost of the Mongolian section",
        ),
        ("China accounts for 18 per cent of Russian trade.", "China's share of Russian trade"),
    ],
)
def test_flows_prices_costs_and_shares_are_named(text: str, measure: str) -> None:
    """A verb of flow, a price paid, a cost put at, a share accounted for: each names itself."""
    assert extract_figures(text)[-1].measure == measure


def _figure_texts() -> list[str]:
    from bench.drills.content import varied_article
    from bench.extraction_data import fundus_pages
    from corpus.shipped import sample_paths

    texts = [path.read_text(encoding="utf-8") for path in sample_paths()]
    texts += ["\n\n".join(varied_article(number).paragraphs) for number in range(12)]
    return texts + [page.expected for page in fundus_pages()]


def _same_spans(pattern: re.Pattern[str], lookahead: str, texts: list[str]) -> int:
    """Assert ``pattern`` matches as it does without ``lookahead``; return the matches."""
    assert lookahead in pattern.pattern
    plain = re.compile(pattern.pattern.replace(lookahead, "", 1), pattern.flags)
    spans = 0
    for text in texts:
        found = [m.span() for m in pattern.finditer(text)]
        assert found == [m.span() for m in plain.finditer(text)]
        spans += len(found)
    return spans


def test_number_word_lookahead_changes_no_match() -> None:
    """Number words match where they did before the first-letter lookahead turned words away."""
    from worker.analysis import figures_words

    lookahead = f"(?=[{figures_words._FIRST_LETTERS}])"
    words = [*figures_words._UNITS, *figures_words._TENS, "a", "an", "hundred", "and"]
    made = " ".join(f"{w} {w.upper()} {w.title()}-{w} x{w} hundred {w}" for w in words) + " "
    spans = _same_spans(figures_words.WORD_NUMBER, lookahead, [*_figure_texts(), made])
    assert spans > 1000  # the texts hold number words to compare on


def test_mask_lookahead_changes_no_match() -> None:
    """Phone numbers and numeric dates are masked where they were before the lookahead."""
    from worker.analysis import figures

    made = "Call +7 (495) 123-45-67 or (495) 123 45 67 on 2024/01/29, 29.01.24 at 10:15:30, ٣:٤٥."
    spans = _same_spans(figures._MASKS, r"(?=[+(\d])", [*_figure_texts(), made])
    assert spans >= 5  # the texts hold masked spans to compare on


@pytest.mark.parametrize(
    ("text", "figure", "measure"),
    [
        ("It beat the $200 billion target set by the leaders.", "$200 billion", "target"),
        ("The 2,600-km pipeline would cross Mongolia.", "2,600-km", "pipeline length"),
        ("They share a 4,200-kilometer border.", "4,200-kilometer", "border"),
        ("A key rate of more than 16% made car loans unaffordable.", "16%", "key rate"),
        ("It needs the backing of the 27 member states.", "27 member states", "member states"),
        ("It said the ruling has no effect on 125 substances.", "125 substances", "substances"),
        ("The Mercers gave $5 million to the group.", "$5 million", "Mercers donations"),
    ],
)
def test_a_label_keeps_to_the_noun_phrase(text: str, figure: str, measure: str) -> None:
    """Participles, pronoun owners and "member states" do not leak into the label."""
    (found,) = [f for f in extract_figures(text) if f.text == figure]
    assert found.measure.split(" (")[0] == measure
