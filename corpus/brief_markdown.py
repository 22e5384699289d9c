"""A brief as Markdown, for pasting into a report: ``newsbrief brief --markdown`` and ``/brief``.

Headlines and citations are links to the sources; the sources are listed at the end with
their outlet and date. Text from articles is escaped so that it cannot start a heading,
a list or a link of its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from corpus.brief_figures import figure_groups
from corpus.brief_until import window_span
from corpus.brief_values import Brief, FigureLine, SourceRef, StoryFigure

# Escaped brackets cannot open a link or image, so parentheses and "!" may stay as they are.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
MAX_CITATIONS = 6  # per bullet or figure; the rest are counted


def escape(text: str) -> str:
    """Escape Markdown in untrusted text and flatten it to one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _url(url: str) -> str:
    """Return ``url`` safe inside ``(...)`` of a Markdown link."""
    return url.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _link(text: str, url: str) -> str:
    return f"[{escape(text) or escape(url)}]({_url(url)})" if url else escape(text)


def _day(value: datetime | None, *, fetched: bool = False) -> str:
    if value is None:
        return "undated"
    return f"added {value:%Y-%m-%d}" if fetched else f"{value:%Y-%m-%d}"


def _cites(numbers: Sequence[int], sources: Mapping[int, SourceRef]) -> str:
    shown = []
    for n in numbers[:MAX_CITATIONS]:
        ref = sources.get(n)
        shown.append(f"[\\[{n}\\]]({_url(ref.url)})" if ref and ref.url else f"\\[{n}\\]")
    more = f" +{len(numbers) - MAX_CITATIONS} more" if len(numbers) > MAX_CITATIONS else ""
    return "".join(shown) + more


def _span(brief: Brief) -> str:
    span = window_span(brief)
    return f"the {span}" if brief.window_end is None else span


def _figure(line: FigureLine, sources: Mapping[int, SourceRef]) -> list[str]:
    values = line.values
    if not values:
        return []
    if not line.disagree:
        v = values[0]
        cites = _cites(v.citations or (v.citation,), sources)
        return [f"- **{escape(line.measure)}**: {escape(v.text)} {cites}"]
    out = [f"- **{escape(line.measure)}**: the sources give {len(values)} different values"]
    for v in values:
        outlets = {sources[n].outlet for n in (v.citations or (v.citation,)) if n in sources}
        outlet = ", ".join(sorted(escape(o) for o in outlets if o))
        when = _day(v.published, fetched=v.date_is_fetched)
        by = f" ({outlet}, {when})" if outlet else f" ({when})"
        measure = f" — {escape(v.measure)}" if v.measure and v.measure != line.measure else ""
        cites = _cites(v.citations or (v.citation,), sources)
        out.append(f"  - {escape(v.text)}{measure}{by} {cites}")
    return out


def _story_figure(group: Sequence[StoryFigure], sources: Mapping[int, SourceRef]) -> str:
    """One of a story's figures as a list item: a disagreement's values side by side."""
    values = " · ".join(f"**{escape(f.text)}** {_cites(f.citations, sources)}" for f in group)
    what = escape(group[0].what)
    if group[0].disagree:
        what = f"{what}: sources differ" if what else "sources differ"
        return f"- ⚖️ {values} — {what}"
    return f"- 📊 {values} — {what}" if what else f"- 📊 {values}"


def brief_markdown(brief: Brief) -> str:
    """Return the brief as a Markdown document: stories, key figures, themes, sources."""
    sources = {s.number: s for s in brief.sources}
    theme = ""
    if brief.theme:
        names = {t.theme: t.name for t in brief.themes}
        theme = f" · {escape(names.get(brief.theme, brief.theme))}"
    lines = [
        f"# {escape(brief.topic_name)} — {_span(brief)}{theme}",
        "",
        f"*Brief from {_day(brief.since)} to {_day(brief.generated_at)}; "
        f"{len(brief.stories)} {'story' if len(brief.stories) == 1 else 'stories'}, "
        f"{len(brief.sources)} {'source' if len(brief.sources) == 1 else 'sources'}.*",
    ]
    if brief.note:
        lines += ["", f"> {escape(brief.note)}"]
    lines += ["", "## Stories", ""]
    for i, story in enumerate(brief.stories, 1):
        first = next((sources[n] for n in story.citations if n in sources), None)
        headline = _link(story.headline, first.url) if first else escape(story.headline)
        when = _day(story.latest, fetched=story.latest_is_fetched)
        outlets = f"{story.outlets} outlet{'s' if story.outlets != 1 else ''}"
        lines.append(f"### {i}. {headline}")
        lines.append("")
        lines.append(f"*{outlets} · {when} · story {story.story_id}*")
        lines.append("")
        for b in story.bullets:
            added = f"*{escape(b.added_by)} adds:* " if b.added_by else ""
            lines.append(f"- {added}{escape(b.text)} {_cites(b.citations, sources)}".rstrip())
        lines += [_story_figure(group, sources) for group in figure_groups(story.figures)]
        lines.append("")
    if not brief.stories:
        lines += ["No stories to show.", ""]
    if brief.figures:
        lines += ["## Key figures", ""]
        for line in brief.figures:
            lines += _figure(line, sources)
        lines.append("")
    if brief.themes:
        lines += ["## Themes", ""]
        lines += [f"- {escape(t.name)} ({t.count})" for t in brief.themes]
        lines.append("")
    if brief.sources:
        lines += ["## Sources", ""]
        for ref in brief.sources:
            when = _day(ref.published, fetched=ref.date_is_fetched)
            outlet = escape(ref.outlet) if ref.outlet else "unknown outlet"
            lines.append(f"{ref.number}. {_link(ref.title, ref.url)} — {outlet}, {when}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def markdown_filename(brief: Brief) -> str:
    """Return a file name for the brief, e.g. ``russia-china-brief-2026-11-27.md``."""
    return f"{brief.topic}-brief-{brief.generated_at:%Y-%m-%d}.md"
