"""Embeds of a topic brief: summary, key figures, themes and sources."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence

from bot import limits
from bot.limits import Embed
from bot.render.markup import by_number, citations, count, day, link, plain, short
from bot.render.pages import COLOUR, DESCRIPTION_ROOM, Pages, paged, sources_embeds, text_embeds
from corpus.brief_figures import figure_groups, value_text
from corpus.brief_until import window_span
from corpus.brief_values import Brief, FigureLine, SourceRef, StoryFigure, StoryItem, ThemeCount

FIGURE_FIELDS_PER_EMBED = 12  # a phone shows about this many before the embed feels endless
# A story's figure line: its value and what it measures are cut to these, so the line stays
# short beside the bullets whatever the article wrote.
STORY_VALUE_ROOM = 80
STORY_MEASURE_ROOM = 160


def _title(brief: Brief) -> str:
    names = {t.theme: t.name for t in brief.themes}
    theme = f" · {plain(names.get(brief.theme, brief.theme))}" if brief.theme else ""
    return f"{plain(brief.topic_name)} — {window_span(brief)}{theme}"


def story_block(story: StoryItem, sources: Mapping[int, SourceRef]) -> str:
    """Return one story: bold headline linked to its first source, its id, then its bullets."""
    when = day(story.latest, fetched=story.latest_is_fetched)
    meta = f"{count(story.outlets, 'outlet')} · {when}"
    first = next((sources[n] for n in story.citations if n in sources), None)
    headline = link(story.headline or first.url, first.url) if first else short(story.headline)
    lines = [f"**{headline}** — `#{story.story_id}` · {meta}"]
    for bullet in story.bullets:
        cited = citations(bullet.citations, sources)
        said = plain(bullet.text)
        if bullet.added_by:
            said = f"*{plain(bullet.added_by)} adds:* {said}"
        lines.append(f"• {said} {cited}".rstrip())
    lines += [story_figure_line(group, sources) for group in figure_groups(story.figures)]
    return "\n".join(lines)


def story_figure_line(group: Sequence[StoryFigure], sources: Mapping[int, SourceRef]) -> str:
    """Return one of a story's figures (a disagreement's values together) with citations."""
    values = " · ".join(
        f"**{short(value_text(f.text), STORY_VALUE_ROOM)}** {citations(f.citations, sources)}"
        for f in group
    )
    what = short(group[0].what, STORY_MEASURE_ROOM)
    if group[0].disagree:
        what = f"{what}: sources differ" if what else "sources differ"
        return f"⚖️ {values} — {what}"
    return f"📊 {values} — {what}" if what else f"📊 {values}"


def summary_embeds(brief: Brief) -> list[Embed]:
    """Return the summary: story bullets with [n] citations linking to the sources."""
    sources = by_number(brief.sources)
    blocks = [story_block(s, sources) for s in brief.stories]
    if brief.note:
        blocks.insert(0, f"*{plain(brief.note)}*")
    if not blocks:
        blocks = ["No stories to show."]
    if brief.more_stories:
        more = count(brief.more_stories, "more story", "more stories")
        blocks.append(f"*…and {more}: narrow with days or theme.*")
    footer = (
        f"{count(len(brief.stories), 'story', 'stories')} · "
        f"{count(len(brief.sources), 'source')} · since {day(brief.since)} · "
        "/story ID for one story in full"
    )
    return text_embeds(f"📰 {_title(brief)}", blocks, footer=footer, separator="\n\n")


_STATUS_TAGS = {"forecast": "forecast", "target": "target", "plan": "plan"}


def figure_value_line(
    line: FigureLine, index: int, sources: Mapping[int, SourceRef], *, with_measure: bool
) -> str:
    """Return one source's value: the figure, what it measures, its date and citations."""
    value = line.values[index]
    cited = citations(value.citations or (value.citation,), sources)
    outlets = {sources[n].outlet for n in (value.citations or (value.citation,)) if n in sources}
    outlet = ", ".join(sorted(plain(o) for o in outlets if o))
    measure = value.measure or line.measure
    what = f" — {plain(measure)}" if with_measure and measure else ""
    when = day(value.published, fetched=value.date_is_fetched)
    by = f" ({outlet}, {when})" if outlet else f" ({when})"
    period = f"`{plain(value.period)}` " if line.series and value.period else ""
    others = [value_text(t) for t in value.texts if t != value.text]
    agree = f" ≈ {plain(' ≈ '.join(others))}" if others else ""
    return f"{period}**{plain(value_text(value.text))}**{agree}{what}{by} {cited}".rstrip()


def figure_name(line: FigureLine) -> str:
    """Return a line's heading: the measure, its period and status, and how sources compare."""
    name = short(line.measure, 200) or "Figure"
    if line.period and not line.series:
        name = f"{name} · {plain(line.period)}"
    tag = _STATUS_TAGS.get(line.status)
    if tag:
        name = f"{name} ({tag})"
    if line.disagree:
        return f"⚖️ {name} — sources disagree"
    if line.series:
        return f"📈 {name} — by period"
    if line.agree:
        sources = len({c for v in line.values for c in (v.citations or (v.citation,))})
        return f"{name} — {sources} sources agree"
    return name


def figure_field(line: FigureLine, sources: Mapping[int, SourceRef]) -> dict[str, object]:
    """Return a field for one measure; disagreeing values are listed side by side."""
    values = [
        figure_value_line(line, i, sources, with_measure=line.disagree)
        for i in range(len(line.values))
    ]
    prefix = "• " if len(values) > 1 else ""
    lines = [prefix + v for v in values]
    if line.series:
        trend = " → ".join(f"{v.period} {value_text(v.text)}".strip() for v in line.values)
        lines.insert(0, plain(trend))
    value = limits.fit_lines(lines, limits.FIELD_VALUE)
    name = limits.cut(figure_name(line), limits.FIELD_NAME)
    return {"name": name, "value": value or "…", "inline": False}


def figure_embeds(
    figures: Sequence[FigureLine], sources: Sequence[SourceRef], *, title: str
) -> list[Embed]:
    """Return the key-figures ledger: one field per measure, several embeds when long."""
    index = by_number(sources)
    fields = [figure_field(line, index) for line in figures]
    if not fields:
        return [{"title": title, "description": "No figures in these stories.", "color": COLOUR}]
    chunks = _field_chunks(fields)
    embeds: list[Embed] = []
    for n, chunk in enumerate(chunks, 1):
        suffix = f" ({n}/{len(chunks)})" if len(chunks) > 1 else ""
        embeds.append({"title": title + suffix, "fields": chunk, "color": COLOUR})
    return embeds


def _field_chunks(fields: Sequence[dict[str, object]]) -> list[list[dict[str, object]]]:
    """Split fields into embeds of at most 12 fields and about 3800 characters (paged, not cut)."""
    chunks: list[list[dict[str, object]]] = []
    current: list[dict[str, object]] = []
    used = 0
    for field in fields:
        name = limits.cut(str(field["name"]), limits.FIELD_NAME) or "…"
        sized = {**field, "name": name}
        size = limits.size(name) + limits.size(str(field["value"]))
        full = len(current) >= FIGURE_FIELDS_PER_EMBED or used + size > DESCRIPTION_ROOM
        if current and full:
            chunks.append(current)
            current, used = [], 0
        current.append(sized)
        used += size
    if current:
        chunks.append(current)
    return chunks


def theme_lines(themes: Sequence[ThemeCount]) -> list[str]:
    """Return one line per theme with its story count, most frequent first."""
    return [
        f"**{plain(t.name)}** — {count(t.count, 'story', 'stories')} (`{t.theme}`)" for t in themes
    ]


def themes_embeds(themes: Sequence[ThemeCount]) -> list[Embed]:
    """Return the themes with counts (nothing when the brief has no themes)."""
    if not themes:
        return []
    return text_embeds("🏷️ Themes", theme_lines(themes))


def shown(brief: Brief) -> tuple[object, ...]:
    """Everything of a brief its pages show: all but when it was made and its extras.

    The window's start is shown as a day only, so the day is all that counts of it.
    """
    since = brief.since
    return (
        brief.topic,
        brief.topic_name,
        brief.window_days,
        brief.theme,
        (since.year, since.month, since.day, since.tzinfo),
        brief.stories,
        brief.figures,
        brief.themes,
        brief.sources,
        brief.widened,
        brief.note,
        brief.more_stories,
        brief.more_figures,
    )


# Briefs of one window asked for a few seconds apart show the same pages: rendered once,
# kept as JSON so every caller gets its own copy. The key is everything the pages show.
_RENDERED: OrderedDict[tuple[object, ...], tuple[str, int | None]] = OrderedDict()
_RENDERED_SIZE = 32
_RENDERED_LOCK = threading.Lock()


def brief_pages(brief: Brief) -> Pages:
    """Return the pages of ``/brief``: summary, figures, themes, then the sources."""
    key = shown(brief)
    with _RENDERED_LOCK:
        known = _RENDERED.get(key)
        if known is not None:
            _RENDERED.move_to_end(key)
    if known is not None:
        return Pages(pages=json.loads(known[0]), sources_page=known[1])
    pages = _brief_pages(brief)
    with _RENDERED_LOCK:
        _RENDERED[key] = (json.dumps(pages.pages), pages.sources_page)
        while len(_RENDERED) > _RENDERED_SIZE:
            _RENDERED.popitem(last=False)
    return pages


def _brief_pages(brief: Brief) -> Pages:
    front = summary_embeds(brief)
    front += figure_embeds(brief.figures, brief.sources, title="📊 Key figures")
    if brief.more_figures:
        more = count(brief.more_figures, "more figure line")
        front.append({"description": f"*…and {more}: /figures shows them all.*", "color": COLOUR})
    front += themes_embeds(brief.themes)
    return paged(front, sources_embeds(brief.sources))


def figures_pages(brief: Brief) -> Pages:
    """Return the pages of ``/figures``: the figure ledger alone, then its sources."""
    cited = {
        n for line in brief.figures for v in line.values for n in (v.citations or (v.citation,))
    }
    title = f"📊 Key figures — {_title(brief)}"
    front = figure_embeds(brief.figures, brief.sources, title=title)
    if brief.note:
        front[0] = {**front[0], "description": f"*{plain(brief.note)}*"}
    return paged(front, sources_embeds([s for s in brief.sources if s.number in cited]))
