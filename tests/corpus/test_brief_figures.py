"""The figure ledger: measure keys, deduplication and disagreements, without a database."""

from __future__ import annotations

from datetime import UTC, datetime

from corpus.brief_figures import (
    STORY_FIGURES,
    FigureLedger,
    base_label,
    content_words,
    figure_groups,
    flow_direction,
    pair_words,
    story_figures,
)
from corpus.brief_values import StoryFigure

DAY = datetime(2026, 11, 1, tzinfo=UTC)


def _fig(value: float, measure: str, unit: str = "USD", kind: str = "money") -> dict[str, object]:
    return {
        "text": f"{value:g}",
        "value": value,
        "unit": unit,
        "kind": kind,
        "measure": measure,
        "sentence": f"Something measured {value:g}.",
    }


def test_content_words_ignore_order_years_and_demonyms() -> None:
    """Word order, years, period words and demonyms do not change the key."""
    assert content_words("China–Russia trade, 2021") == {"china", "russia", "trade"}
    assert content_words("trade between Russia and China over 11 months") == {
        "china",
        "russia",
        "trade",
    }
    assert content_words("Chinese imports of Russian oil") == content_words(
        "Russia's oil imports by China"
    )


def test_bilateral_stands_for_the_topic_pair() -> None:
    """In a two-sided topic, "bilateral" expands to the pair's own words."""
    pair = pair_words("russia-china")
    assert pair == {"russia", "china"}
    assert content_words("bilateral trade, 2020", pair) == {"china", "russia", "trade"}
    assert content_words("bilateral trade, 2020") == {"bilateral", "trade"}
    assert pair_words("arctic") == frozenset()


def test_base_label_drops_period_qualifier_only() -> None:
    """A trailing qualifier with a number goes; a plain comma clause stays."""
    assert base_label("China–Russia trade, 11 months of 2022") == "China–Russia trade"
    assert base_label("oil, gas and coal exports") == "oil, gas and coal exports"


def test_copies_of_one_value_merge_and_cite_all() -> None:
    """The same value for the same measure from three sources is one value citing three."""
    ledger = FigureLedger()
    for n in (1, 2, 3):
        ledger.add([_fig(172.41e9, "China–Russia trade, 2022")], n, DAY)
    (line,) = ledger.lines(10)
    assert not line.disagree
    assert [v.citations for v in line.values] == [(1, 2, 3)]


def test_values_within_tolerance_are_the_same() -> None:
    """Rounding differences (172.41 vs 172.4 billion) are not a disagreement."""
    ledger = FigureLedger()
    ledger.add([_fig(172.41e9, "China–Russia trade")], 1, DAY)
    ledger.add([_fig(172.4e9, "Russia–China trade")], 2, DAY)
    (line,) = ledger.lines(10)
    assert not line.disagree


def test_different_units_never_group() -> None:
    """Amounts in different currencies or kinds stay on separate lines."""
    ledger = FigureLedger()
    ledger.add([_fig(100e9, "China–Russia trade")], 1, DAY)
    ledger.add([_fig(700e9, "China–Russia trade", unit="CNY")], 2, DAY)
    ledger.add([_fig(30, "China–Russia trade", unit="percent", kind="percent")], 3, DAY)
    assert len(ledger.lines(10)) == 3
    assert not any(line.disagree for line in ledger.lines(10))


def test_unrelated_measures_do_not_merge() -> None:
    """Measures sharing one word ("exports") are different figures."""
    ledger = FigureLedger()
    ledger.add([_fig(50e9, "Russian oil exports to China")], 1, DAY)
    ledger.add([_fig(20e9, "Chinese car exports")], 2, DAY)
    assert len(ledger.lines(10)) == 2


def test_figures_without_measure_only_merge_identical_values() -> None:
    """With no measure phrase, only equal values collapse and nothing is a disagreement."""
    ledger = FigureLedger()
    ledger.add([_fig(5.0, ""), _fig(5.0, ""), _fig(9.0, "")], 1, DAY)
    lines = ledger.lines(10)
    assert len(lines) == 2
    assert not any(line.disagree for line in lines)


def test_disagreements_rank_first() -> None:
    """Lines where sources disagree on one period come before single-source figures."""
    ledger = FigureLedger()
    ledger.add([_fig(38e9, "gas volume", unit="m3", kind="quantity")], 1, DAY)
    ledger.add([_fig(147e9, "China–Russia trade, 2021")], 2, DAY)
    ledger.add([_fig(127e9, "Russia–China trade, 2021")], 3, DAY)
    lines = ledger.lines(10)
    assert lines[0].disagree and lines[0].measure == "China–Russia trade"
    assert lines[0].period == "2021"
    assert [v.value for v in lines[0].values] == [147e9, 127e9]


def test_malformed_figures_are_skipped() -> None:
    """A stored figure without a numeric value is ignored, not fatal."""
    ledger = FigureLedger()
    ledger.add([{"text": "lots", "value": "many"}, {"text": "x"}], 1, DAY)
    assert ledger.lines(10) == ()


def test_share_and_increase_are_different_measures() -> None:
    """Measures differing in a head word (share vs increase) are never one line."""
    ledger = FigureLedger(pair=pair_words("russia-china"))
    pct = {"unit": "percent", "kind": "percent"}
    ledger.add([_fig(18, "China share of Russian trade", **pct)], 1, DAY)
    ledger.add([_fig(32, "increase in Sino-Russian trade, the last 11 months", **pct)], 2, DAY)
    ledger.add([_fig(2, "Russia share", **pct)], 3, DAY)
    assert len(ledger.lines(10)) == 3


def test_paraphrased_trade_measures_are_one_measure() -> None:
    """Trade totals phrased differently are one measure: undated ones side by side, dated ones
    as a series by period, never the dated against the undated."""
    ledger = FigureLedger(pair=pair_words("russia-china"))
    ledger.add([_fig(127e9, "China’s trade with Russia")], 1, DAY)
    ledger.add([_fig(108e9, "trade between the two big players")], 2, DAY)
    ledger.add([_fig(147e9, "bilateral trade, 2021")], 3, DAY)
    ledger.add([_fig(172.41e9, "Sino-Russian trade, 11 months of 2022")], 4, DAY)
    undated, series = sorted(ledger.lines(10), key=lambda line: line.series)
    assert undated.disagree and [v.value for v in undated.values] == [127e9, 108e9]
    assert series.series and not series.disagree
    assert [(v.period, v.value) for v in series.values] == [
        ("2021", 147e9),
        ("11 months of 2022", 172.41e9),
    ]


def test_durations_are_not_key_figures() -> None:
    """A duration ("11 months") qualifies other figures and is left out of the ledger."""
    ledger = FigureLedger()
    ledger.add([_fig(11, "last", unit="month", kind="duration")], 1, DAY)
    assert ledger.lines(10) == ()


def test_a_target_is_not_a_reported_total() -> None:
    """A goal ("trade, by 2024") stays apart from the trade totals sources report."""
    ledger = FigureLedger(pair=pair_words("russia-china"))
    ledger.add([_fig(172.41e9, "Sino-Russian trade, the last 11 months")], 1, DAY)
    ledger.add([_fig(200e9, "trade, by 2024")], 2, DAY)
    assert len(ledger.lines(10)) == 2


def test_label_is_the_phrase_most_values_use() -> None:
    """The line is named by the phrase most distinct values use, not by the most copies."""
    ledger = FigureLedger(pair=pair_words("russia-china"))
    for n in range(1, 6):
        ledger.add([_fig(108e9, "trade between the two big players")], n, DAY)
    ledger.add([_fig(147e9, "Sino-Russian trade, 2021")], 6, DAY)
    ledger.add([_fig(172e9, "Sino-Russian trade, 11 months of 2022")], 7, DAY)
    series = next(line for line in ledger.lines(10) if line.series)
    assert series.measure == "Sino-Russian trade"


def test_a_quantity_restated_in_another_unit_is_one_figure() -> None:
    """ "4,300 km (2,672 miles)" in one sentence gives one line, not a second in miles."""
    sentence = "They share a border of 4,300 km (2,672 miles)."
    km = {**_fig(4300, "border of two countries", "km", "quantity"), "sentence": sentence}
    mi = {**_fig(2672, "border of two countries", "mi", "quantity"), "sentence": sentence}
    ledger = FigureLedger()
    ledger.add([km, mi], 1, DAY)
    assert [line.unit for line in ledger.lines(10)] == ["km"]


def test_money_restated_in_another_currency_keeps_both() -> None:
    """ "1.76 trillion yuan ($240 billion)" keeps both, as each currency compares across sources."""
    sentence = "Trade reached 1.76 trillion yuan ($240 billion)."
    cny = {**_fig(1.76e12, "China–Russia trade", "CNY"), "sentence": sentence}
    usd = {**_fig(240e9, "China–Russia trade", "USD"), "sentence": sentence}
    ledger = FigureLedger()
    ledger.add([cny, usd], 1, DAY)
    assert sorted(line.unit for line in ledger.lines(10)) == ["CNY", "USD"]


def _new(
    text: str,
    value: float,
    measure: str,
    period: str,
    status: str = "actual",
    unit: str = "USD",
    kind: str = "money",
) -> dict[str, object]:
    """A figure as the extractor stores it now: the period and status in their own fields."""
    return {
        "text": text,
        "value": value,
        "unit": unit,
        "kind": kind,
        "measure": measure,
        "sentence": f"Trade was {text}.",
        "period": period,
        "status": status,
    }


def test_same_measure_different_periods_is_a_series() -> None:
    """2022, 2023 and 2024 totals from three outlets are a time series, oldest first."""
    ledger = FigureLedger(pair=pair_words("russia-china"))
    ledger.add([_new("$244.81 billion", 244.81e9, "China–Russia trade", "2024")], 1, DAY)
    ledger.add([_new("$190 billion", 190e9, "bilateral trade", "2022")], 2, DAY)
    ledger.add([_new("$240.11 billion", 240.11e9, "Russia–China trade", "2023")], 3, DAY)
    (line,) = ledger.lines(10)
    assert line.series and not line.disagree
    assert [(v.period, v.text) for v in line.values] == [
        ("2022", "$190 billion"),
        ("2023", "$240.11 billion"),
        ("2024", "$244.81 billion"),
    ]


def test_different_measures_in_one_unit_never_compare() -> None:
    """90% (share settled in roubles and yuan) and 18% (China's share of trade) are two lines."""
    ledger = FigureLedger(pair=pair_words("russia-china"))
    pct = {"unit": "percent", "kind": "percent"}
    ledger.add([_new("90%", 90, "share of trade settled in roubles and yuan", "", **pct)], 1, DAY)
    ledger.add([_new("18%", 18, "China's share of Russian trade", "", **pct)], 2, DAY)
    lines = ledger.lines(10)
    assert len(lines) == 2 and not any(line.disagree for line in lines)


def test_rounded_values_agree_with_the_spread() -> None:
    """$244.81bn and $245 billion for 2024 agree: one value, both sources, with the spread."""
    ledger = FigureLedger(pair=pair_words("russia-china"))
    ledger.add([_new("$245 billion", 245e9, "China–Russia trade", "2024")], 1, DAY)
    ledger.add([_new("$244.81bn", 244.81e9, "bilateral trade", "2024")], 2, DAY)
    (line,) = ledger.lines(10)
    assert line.agree and not line.disagree and line.period == "2024"
    (value,) = line.values
    assert value.text == "$244.81bn"  # the more precise spelling is shown
    assert set(value.texts) == {"$245 billion", "$244.81bn"}
    assert (value.low, value.high) == (244.81e9, 245e9)
    assert value.citations == (1, 2)


def test_different_values_for_one_period_disagree() -> None:
    """$240 billion and $244.81 billion for 2024 are beyond rounding: a disagreement."""
    ledger = FigureLedger(pair=pair_words("russia-china"))
    ledger.add([_new("$240 billion", 240e9, "China–Russia trade", "2024")], 1, DAY)
    ledger.add([_new("$244.81 billion", 244.81e9, "bilateral trade", "2024")], 2, DAY)
    (line,) = ledger.lines(10)
    assert line.disagree and not line.agree


def test_a_target_is_never_compared_with_an_actual() -> None:
    """A 2030 target and a 2024 total of one measure are separate lines, neither disagreeing."""
    ledger = FigureLedger(pair=pair_words("russia-china"))
    ledger.add([_new("$300 billion", 300e9, "China–Russia trade", "by 2030", "target")], 1, DAY)
    ledger.add([_new("$244.81 billion", 244.81e9, "bilateral trade", "2024")], 2, DAY)
    ledger.add([_new("$250 billion", 250e9, "bilateral trade", "by 2030", "forecast")], 3, DAY)
    lines = ledger.lines(10)
    assert sorted(line.status for line in lines) == ["actual", "forecast", "target"]
    assert not any(line.disagree or line.series for line in lines)


def test_relative_periods_are_made_absolute_with_the_article_date() -> None:
    """ "last year" in a 2025 article and "2024" in another are the same period."""
    jan = datetime(2025, 1, 13, tzinfo=UTC)
    ledger = FigureLedger(pair=pair_words("russia-china"))
    ledger.add([_new("$244.81 billion", 244.81e9, "China–Russia trade", "last year")], 1, jan)
    ledger.add([_new("$244.8 billion", 244.8e9, "bilateral trade", "2024")], 2, DAY)
    ledger.add([_new("$22.3 billion", 22.3e9, "China–Russia trade", "Dec")], 3, jan)
    yearly, monthly = sorted(ledger.lines(10), key=lambda line: len(line.values[0].citations) == 1)
    assert (yearly.period, yearly.values[0].citations, yearly.agree) == ("2024", (1, 2), True)
    assert monthly.period == "Dec 2024"  # a month and a year are not one series
    as_of = FigureLedger()
    as_of.add([_new("39.1%", 39.1, "yuan share", "as of Oct", unit="percent")], 1, jan)
    assert as_of.lines(10)[0].period == "as of Oct 2024"


def test_the_ledger_spreads_over_articles() -> None:
    """One article's ten figures do not fill the section: at most three each, in turn."""
    ledger = FigureLedger()
    words = "oil gas coal grain timber cars steel wheat pork fish".split()
    many = [_new(f"${n} billion", n * 1e9, f"{w} exports", "2024") for n, w in enumerate(words, 1)]
    ledger.add(many, 1, DAY)
    ledger.add([_new("$7 trillion", 7e12, "something else", "2024")], 2, DAY)
    lines = ledger.lines(10)
    owners = [line.values[0].citation for line in lines]
    assert owners.count(1) == 3 and owners.count(2) == 1
    assert owners[:2] == [1, 2]
    assert len(ledger.lines(None, per_article=None)) == 11


def test_old_rows_without_period_still_load() -> None:
    """A stored figure from before periods existed reads its period from the measure."""
    ledger = FigureLedger()
    ledger.add([_fig(147e9, "China–Russia trade, 2021")], 1, DAY)
    ledger.add([_fig(200e9, "trade, by 2024")], 2, DAY)
    lines = {line.status: line for line in ledger.lines(10)}
    assert lines["actual"].period == "2021" and lines["actual"].measure == "China–Russia trade"
    assert lines["target"].period == "by 2024"


def test_no_space_after_a_currency_sign_in_values() -> None:
    """ "$ 108 billion" as an article wrote it is "$108 billion" in every brief."""
    ledger = FigureLedger()
    ledger.add([{**_fig(108e9, "bilateral trade"), "text": "$ 108 billion"}], 1, DAY)
    (line,) = ledger.lines(10)
    assert line.values[0].text == "$108 billion"


def _story_fig(
    text: str, value: float, measure: str, period: str = "2024", **more: object
) -> dict[str, object]:
    return {
        "text": text,
        "value": value,
        "unit": more.get("unit", "USD"),
        "kind": more.get("kind", "money"),
        "measure": measure,
        "sentence": more.get("sentence", f"It stood at {text}."),
        "period": period,
        "status": more.get("status", "actual"),
    }


def _story(*articles: tuple[int, str, str, list[dict[str, object]]]) -> tuple[StoryFigure, ...]:
    """The figures of a story of (citation, outlet, copy group, figures) articles."""
    ledger = FigureLedger()
    for number, _outlet, _copies, figures in articles:
        ledger.add(figures, number, DAY)
    reports = {number: (outlet, copies) for number, outlet, copies, _ in articles}
    return story_figures(ledger, reports, said=[])


def test_a_story_figure_merges_agreeing_values_citing_both_sources() -> None:
    """Two outlets giving one value within rounding make one figure citing both."""
    found = _story(
        (1, "tass.com", "a", [_story_fig("$244.81 billion", 244.81e9, "China–Russia trade")]),
        (2, "scmp.com", "b", [_story_fig("$245 billion", 245e9, "China–Russia trade")]),
    )
    assert len(found) == 1
    assert found[0].citations == (1, 2) and found[0].text == "$244.81 billion"
    assert (found[0].measure, found[0].period, found[0].status) == (
        "China–Russia trade",
        "2024",
        "actual",
    )


def test_story_figures_compare_like_for_like_only() -> None:
    """A forecast is not merged with nor set against an actual of the same measure."""
    found = _story(
        (1, "tass.com", "a", [_story_fig("$240 billion", 240e9, "China–Russia trade")]),
        (
            2,
            "scmp.com",
            "b",
            [_story_fig("$300 billion", 300e9, "China–Russia trade", status="forecast")],
        ),
    )
    assert {(f.text, f.status, f.citations) for f in found} == {
        ("$240 billion", "actual", (1,)),
        ("$300 billion", "forecast", (2,)),
    }
    assert not any(f.disagree for f in found)


def test_figures_several_outlets_give_come_first_and_copies_count_once() -> None:
    """A value two outlets report beats one that three syndicated copies repeat."""
    # Money comes before counts, so only the count of independent reports puts "12 ships" first.
    copied = _story_fig("$5 billion", 5e9, "arms deal value")
    shared = _story_fig("12 ships", 12, "ships in the drill", unit="", kind="count")
    found = _story(
        (1, "tass.com", "wire", [copied]),
        (2, "rt.com", "wire", [copied]),
        (3, "globaltimes.cn", "wire", [copied]),
        (4, "scmp.com", "own-1", [shared]),
        (5, "bbc.com", "own-2", [shared]),
    )
    assert [f.text for f in found] == ["12 ships", "$5 billion"]
    assert found[0].citations == (4, 5) and found[1].citations == (1, 2, 3)


def test_story_figures_keep_to_the_limit_and_show_a_disagreement_whole() -> None:
    """At most ``limit`` figures; a disagreement shows both values or neither."""
    figures = [
        _story_fig(f"{n} units", n, f"measure {word}", unit="", kind="count")
        for n, word in ((1, "alpha"), (2, "beta"), (3, "gamma"), (4, "delta"))
    ]
    found = _story((1, "tass.com", "a", figures))
    assert len(found) == STORY_FIGURES
    disagreeing = _story(
        (1, "tass.com", "a", [_story_fig("$240 billion", 240e9, "China–Russia trade")]),
        (2, "scmp.com", "b", [_story_fig("$190 billion", 190e9, "China–Russia trade")]),
    )
    assert sorted(f.text for f in disagreeing) == ["$190 billion", "$240 billion"]
    assert all(f.disagree for f in disagreeing)
    ledger = FigureLedger()
    ledger.add([_story_fig("$240 billion", 240e9, "China–Russia trade")], 1, DAY)
    ledger.add([_story_fig("$190 billion", 190e9, "China–Russia trade")], 2, DAY)
    assert story_figures(ledger, {}, said=[], limit=1) == ()


def test_figure_groups_put_a_disagreements_values_together() -> None:
    """Disagreeing values of one measure form one group; other figures stand alone."""
    disagreeing = _story(
        (1, "tass.com", "a", [_story_fig("$240 billion", 240e9, "China–Russia trade")]),
        (2, "scmp.com", "b", [_story_fig("$190 billion", 190e9, "China–Russia trade")]),
        (
            3,
            "rt.com",
            "c",
            [_story_fig("12 ships", 12, "ships in the drill", unit="", kind="count")],
        ),
    )
    groups = figure_groups(disagreeing)
    assert [len(g) for g in groups] == [2, 1]


def test_background_figures_come_after_what_the_story_adds() -> None:
    """A 2024 total three outlets repeat in a 2026 story ranks after the story's own figure."""
    background = _story_fig("$245 billion", 245e9, "bilateral trade", period="2024")
    found = _story(
        (1, "reuters.com", "a", [background]),
        (2, "ft.com", "b", [background]),
        (3, "tass.com", "c", [background, _story_fig("2 banks", 2, "banks", "", kind="count")]),
    )
    assert [f.text for f in found] == ["2 banks", "$245 billion"]
    recent = _story(
        (1, "reuters.com", "a", [_story_fig("$228 billion", 228e9, "trade", period="2025")]),
        (2, "tass.com", "b", [_story_fig("2 banks", 2, "banks", "", kind="count")]),
    )
    assert [f.text for f in recent] == ["$228 billion", "2 banks"]  # last year's is news


def test_values_without_a_period_years_apart_do_not_disagree() -> None:
    """127 and 108 billion, named without a period in reports years apart, are not a dispute."""
    ledger = FigureLedger()
    ledger.add([_new("$127 billion", 127e9, "trade", "")], 1, datetime(2023, 1, 29, tzinfo=UTC))
    ledger.add([_new("$108 billion", 108e9, "trade", "")], 2, DAY)
    ledger.add([_new("$110 billion", 110e9, "trade", "")], 3, DAY, date_is_fetched=True)
    assert not any(line.disagree for line in ledger.lines(10))
    ledger.add([_new("$100 billion", 100e9, "trade", "")], 4, datetime(2026, 6, 1, tzinfo=UTC))
    (dispute,) = [line for line in ledger.lines(10) if line.disagree]
    assert {v.citation for v in dispute.values} == {2, 4}


def test_one_value_for_one_period_worded_differently_is_one_figure() -> None:
    """42.3% for Jan as "share of the Chinese yuan" and "yuan's share of export payments"."""
    ledger = FigureLedger(pair=pair_words("russia-china"))
    pct = {"unit": "percent", "kind": "percent"}
    ledger.add([_new("42.3%", 42.3, "yuan's share of export settlements", "2022", **pct)], 1, DAY)
    ledger.add([_new("42.3%", 42.3, "share of the Chinese yuan", "Jan 2026", **pct)], 2, DAY)
    ledger.add([_new("42.3%", 42.3, "yuan's share of export payments", "Jan 2026", **pct)], 3, DAY)
    ledger.add([_new("42.3%", 42.3, "share of rail freight", "Jan 2026", **pct)], 4, DAY)
    cited = sorted(v.citations for line in ledger.lines(10) for v in line.values)
    assert cited == [(1,), (2, 3), (4,)]


def test_roubles_and_rubles_are_one_word() -> None:
    """The two spellings of the currency name one measure."""
    assert content_words("share of roubles") == content_words("ruble share")


def test_flows_in_opposite_directions_are_different_measures() -> None:
    """Deliveries from Russia to China and Chinese deliveries to Russia never compare."""
    assert flow_direction("deliveries from Russia to China") == ("russia", "china")
    assert flow_direction("fall in Chinese exports to Russia") == ("china", "russia")
    assert flow_direction("China's imports of Russian crude") == ("", "china")
    ledger = FigureLedger(pair=pair_words("russia-china"))
    ledger.add([_new("$20.89 billion", 20.89e9, "deliveries from Russia to China", "2026")], 1, DAY)
    ledger.add([_new("$15.9 billion", 15.9e9, "Chinese deliveries to Russia", "2026")], 2, DAY)
    ledger.add([_new("$15.92 billion", 15.92e9, "deliveries from China to Russia", "2026")], 3, DAY)
    lines = ledger.lines(10)
    assert not any(line.disagree for line in lines)
    assert sorted(len(line.values[0].citations) for line in lines) == [1, 2]


def test_an_article_does_not_disagree_with_itself() -> None:
    """Two different values one article gives for one measure and period are two lines."""
    ledger = FigureLedger()
    ledger.add(
        [_new("$3 billion", 3e9, "fund", "2025"), _new("$5 billion", 5e9, "fund", "2025")], 1, DAY
    )
    ledger.add([_new("$4 billion", 4e9, "fund", "2025")], 2, DAY)
    lines = ledger.lines(10)
    assert len(lines) == 2
    assert all({v.citation for v in line.values} != {1} or not line.disagree for line in lines)


def test_a_value_naming_no_period_takes_the_period_of_the_same_value() -> None:
    """ "fell 12.1 per cent" beside "12.1% in January-February" of the same week is that figure."""
    ledger = FigureLedger(pair=pair_words("russia-china"))
    pct = {"unit": "percent", "kind": "percent"}
    ledger.add([_new("12.1%", 12.1, "fall in exports to Russia", "Jan–Feb 2026", **pct)], 1, DAY)
    ledger.add([_new("12.1 per cent", 12.1, "fall in exports to Russia", "", **pct)], 2, DAY)
    (line,) = ledger.lines(10)
    assert (line.period, line.values[0].citations) == ("Jan–Feb 2026", (1, 2))


def test_a_range_value_is_not_labelled_with_its_range_again() -> None:
    """ "$13-15 billion — capital cost", not "… capital cost (range 13–15 billion)"."""
    ledger = FigureLedger()
    ledger.add([_new("$13-15 billion", 14e9, "capital cost (range 13–15 billion)", "")], 1, DAY)
    ledger.add([_new("$5 billion", 5e9, "loan (range 4–6 billion)", "")], 2, DAY)
    assert sorted(line.measure for line in ledger.lines(10)) == [
        "capital cost",
        "loan (range 4–6 billion)",
    ]
