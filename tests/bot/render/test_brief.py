"""Tests for the brief embeds: summary, key figures, themes, sources, pages."""

from __future__ import annotations

from dataclasses import replace

from bot import limits
from bot.render import brief as render
from bot.render.markup import by_number
from testing import brief_values as f


def _all_text(pages) -> str:
    parts = []
    for page in pages:
        for embed in page:
            parts.append(embed.get("description", ""))
            parts += [fld["name"] + "\n" + fld["value"] for fld in embed.get("fields", [])]
    return "\n".join(parts)


def test_summary_bullets_cite_sources_as_links():
    """Each bullet ends with [n] citations linking to that source's URL."""
    embed = render.summary_embeds(f.brief())[0]
    assert "• Sentence about story 1. [\\[1\\]](https://outlet1.com/news/1)" in embed["description"]
    assert "[\\[2\\]](https://outlet2.com/news/2)" in embed["description"]


def test_a_headline_links_to_its_first_source():
    """The bold headline is a link to the story's first cited article."""
    brief = f.brief()
    first = brief.stories[0]
    url = by_number(brief.sources)[first.citations[0]].url
    block = render.story_block(first, by_number(brief.sources))
    assert block.startswith(f"**[{first.headline}]({url})** — `#{first.story_id}`")


def test_summary_shows_story_ids_for_the_story_command():
    """Each story shows the id that /story takes."""
    assert "`#2`" in render.summary_embeds(f.brief())[0]["description"]


def test_summary_shows_the_widening_note_first():
    """The composer's note (e.g. the window was widened) comes before the stories."""
    description = render.summary_embeds(f.brief(note="Only 1 story in 7 days."))[0]["description"]
    assert description.startswith("*Only 1 story in 7 days.*")


def test_figure_field_shows_disagreeing_sources_side_by_side():
    """A disagreeing measure lists every value with what it measures and its source."""
    field = render.figure_field(f.TRADE, by_number(f.brief().sources))
    assert "sources disagree" in field["name"]
    first, second = field["value"].split("\n")
    assert first.startswith("• **$108 billion** — bilateral trade, 2020 (outlet1.com")
    assert second.startswith("• **$147 billion** — China–Russia trade, 2021 (outlet2.com")
    assert "(https://outlet2.com/news/2)" in second


def test_figure_field_for_one_value_has_no_disagreement_mark():
    """A measure with one value is shown plainly, with its source."""
    field = render.figure_field(f.GAS, by_number(f.brief().sources))
    assert field["name"] == "Power of Siberia gas volume"
    assert field["value"].startswith("**38 billion cubic meters** (outlet3.com")


def test_figures_embed_says_when_there_are_none():
    """An empty ledger says so rather than sending an empty embed."""
    embeds = render.figure_embeds((), (), title="Key figures")
    assert embeds[0]["description"] == "No figures in these stories."


def test_themes_show_counts():
    """Themes are listed with how many stories carry them."""
    embed = render.themes_embeds(f.brief().themes)[0]
    assert embed["description"] == "**Trade and economy** — 2 stories (`trade-economy`)"


def test_sources_show_title_outlet_date_and_link():
    """A source line has its number, linked title, outlet and date."""
    from bot.render.markup import source_line

    line = source_line(f.source(1))
    assert (
        line == "`[1]` [Headline number 1](https://outlet1.com/news/1) — outlet1.com, 19 Nov 2026"
    )


def test_brief_pages_put_sources_on_their_own_page():
    """The sources start a page of their own, which the Sources button jumps to."""
    pages = render.brief_pages(f.brief())
    assert pages.sources_page == len(pages.pages) - 1
    assert pages.pages[-1][0]["title"] == "🔗 Sources"
    assert pages.pages[0][0]["title"].startswith("📰 Russia–China")


def test_long_brief_pages_keep_every_story():
    """Many stories spread over pages; none is lost and every page is valid."""
    sources = tuple(f.source(n) for n in range(1, 61))
    stories = tuple(f.story(n, (n,), headline="H" * 200) for n in range(1, 61))
    pages = render.brief_pages(f.brief(stories=stories, sources=sources))
    assert len(pages.pages) > 2
    for page in pages.pages:
        assert limits.check_message(page) == []
    text = _all_text(pages.pages)
    assert all(f"`#{n}`" in text for n in range(1, 61))
    assert pages.pages[0][-1]["footer"]["text"].startswith("Page 1/")


def test_figures_pages_cite_only_the_figures_sources():
    """/figures lists only the sources its figures cite."""
    pages = render.figures_pages(f.brief())
    sources = pages.pages[pages.sources_page][0]["description"]
    assert "`[3]`" in sources and "`[1]`" in sources
    assert all("Sentence about" not in _all_text([p]) for p in pages.pages)


def test_markdown_in_titles_is_escaped():
    """Asterisks and brackets from a headline cannot break the formatting or a link."""
    source = f.source(1, title="Big *news* [live]")
    line = render.sources_embeds((source,))[0]["description"]
    assert "[Big \\*news\\* \\[live\\]](https://outlet1.com/news/1)" in line


def test_many_long_figures_are_paged_not_dropped():
    """A long ledger spreads over embeds and pages; every measure is still shown."""
    from dataclasses import replace

    lines = tuple(
        replace(f.TRADE, measure=f"Measure {i} " + "long words " * 20, values=f.TRADE.values * 6)
        for i in range(30)
    )
    pages = render.figures_pages(f.brief(figures=lines))
    names = [fld["name"] for page in pages.pages for e in page for fld in e.get("fields", [])]
    assert all(any(n.startswith(f"⚖️ Measure {i} ") for n in names) for i in range(30))
    for page in pages.pages:
        assert limits.check_message(page) == []


def test_a_huge_title_keeps_its_link():
    """A 3000-character title is shortened inside the link, so the link itself survives."""
    source = f.source(1, title="Very long title. " * 200)
    line = render.sources_embeds((source,))[0]["description"]
    assert line.endswith("](https://outlet1.com/news/1) — outlet1.com, 19 Nov 2026")
    assert len(line) < 400


def test_fetch_dates_read_as_added_and_publication_dates_do_not():
    """An undated article's fetch date shows as "added <date>"; a publication date as is."""
    from bot.render.markup import source_line

    undated = replace(f.story(1, (1,)), latest_is_fetched=True)
    value = replace(f.GAS.values[0], date_is_fetched=True)
    brief = f.brief(
        stories=(undated, f.story(2, (2,))),
        figures=(replace(f.GAS, values=(value,)), f.TRADE),
        sources=(f.source(1, fetched=True), f.source(2), f.source(3)),
    )
    summary = render.summary_embeds(brief)[0]["description"]
    assert "1 outlet · added 20 Nov 2026" in summary
    assert "1 outlet · 20 Nov 2026" in summary
    assert (
        "(outlet3.com, added 20 Nov 2026)"
        in render.figure_field(brief.figures[0], by_number(brief.sources))["value"]
    )
    assert (
        "(outlet1.com, 20 Nov 2026)"
        in render.figure_field(f.TRADE, by_number(brief.sources))["value"]
    )
    assert source_line(brief.sources[0]).endswith("outlet1.com, added 19 Nov 2026")
    assert source_line(brief.sources[1]).endswith("outlet2.com, 18 Nov 2026")


def test_title_says_day_for_a_one_day_window():
    """A one-day brief reads "last day", a longer one "last 7 days"."""
    one_day = replace(f.brief(), window_days=1)
    assert render.summary_embeds(one_day)[0]["title"].endswith("— last day")
    assert render.summary_embeds(f.brief())[0]["title"].endswith("— last 7 days")


def _dated(text: str, value: float, citation: int, period: str, **kw: object):
    return replace(f.figure_value(text, value, citation), period=period, **kw)


def test_a_series_reads_oldest_to_newest_and_is_not_a_disagreement():
    """Values of one measure for several periods read as a time series with each period."""
    line = replace(
        f.TRADE,
        values=(
            _dated("$190 billion", 190e9, 1, "2022"),
            _dated("$240.11 billion", 240.11e9, 2, "2023"),
        ),
        disagree=False,
        series=True,
    )
    field = render.figure_field(line, by_number(f.brief().sources))
    assert "disagree" not in field["name"] and "by period" in field["name"]
    trend, first, second = field["value"].split("\n")
    assert second.startswith("• `2023` **$240.11 billion**")
    assert trend == "2022 $190 billion → 2023 $240.11 billion"
    assert first.startswith("• `2022` **$190 billion** (outlet1.com")


def test_agreeing_sources_show_the_spread_and_the_period():
    """Rounded values that agree show both spellings; the period and a target tag are named."""
    value = _dated("$244.81bn", 244.81e9, 1, "2024", texts=("$244.81bn", "$245 billion"))
    value = replace(value, citations=(1, 2))
    line = replace(f.TRADE, values=(value,), disagree=False, agree=True, period="2024")
    field = render.figure_field(line, by_number(f.brief().sources))
    assert field["name"] == "China–Russia trade · 2024 — 2 sources agree"
    assert field["value"].startswith("**$244.81bn** ≈ $245 billion (outlet1.com, outlet2.com")
    target = replace(f.GAS, status="target", period="by 2030")
    name = render.figure_field(target, by_number(f.brief().sources))["name"]
    assert name == "Power of Siberia gas volume · by 2030 (target)"


def test_no_space_after_a_currency_sign():
    """ "$ 108 billion" as an article wrote it is shown "$108 billion"."""
    line = replace(f.GAS, values=(f.figure_value("$ 108 billion", 108e9, 1),))
    field = render.figure_field(line, by_number(f.brief().sources))
    assert field["value"].startswith("**$108 billion**")


def _figured_brief():
    """Story 1 with an agreed figure citing [1][2] and a disagreement; story 2 with none."""
    figures = (
        f.story_figure("$245 billion", 245e9, (1, 2)),
        f.story_figure("$190 billion", 190e9, (1,), period="2022", disagree=True),
        f.story_figure("$200 billion", 200e9, (2,), period="2022", disagree=True),
    )
    return f.brief(stories=(f.story(1, (1, 2), figures=figures), f.story(2, (3,))))


def test_a_story_shows_its_figures_under_its_bullets_with_linked_citations():
    """Each figure: value, what it measures and period, citations linking to its sources."""
    brief = _figured_brief()
    sources = by_number(brief.sources)
    block = render.story_block(brief.stories[0], sources)
    one = "📊 **$245 billion** [\\[1\\]](https://outlet1.com/news/1)[\\[2\\]](https://outlet2.com/news/2)"
    assert f"{one} — China–Russia trade, 2024" in block.splitlines()
    assert block.index("• Sentence about story 1.") < block.index("📊")
    assert "— China–Russia trade, 2022: sources differ" in block
    differ = next(line for line in block.splitlines() if line.startswith("⚖️"))
    assert "**$190 billion** [\\[1\\]]" in differ and "**$200 billion** [\\[2\\]]" in differ
    assert "📊" not in render.story_block(brief.stories[1], sources)


def test_story_figures_in_the_summary_stay_within_discords_limits():
    """Huge figure texts and measures are cut so every summary embed fits."""
    huge = f.story_figure("9" * 3000, 1.0, (1, 2), measure="very long measure " * 300)
    stories = tuple(f.story(n, (1, 2), figures=(huge,) * 3) for n in range(1, 25))
    embeds = render.summary_embeds(f.brief(stories=stories))
    assert limits.check_message(embeds[:1]) == []
    assert all(limits.size(e["description"]) <= limits.DESCRIPTION for e in embeds)
    line = next(x for x in embeds[0]["description"].splitlines() if x.startswith("📊"))
    assert limits.size(line) < render.STORY_VALUE_ROOM + render.STORY_MEASURE_ROOM + 200
