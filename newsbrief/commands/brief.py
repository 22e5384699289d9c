"""``newsbrief brief TOPIC``: the topic brief as terminal text, JSON or Discord payloads."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from datetime import datetime
from typing import TYPE_CHECKING, Any

from corpus.defaults import DEFAULT_DAYS, MAX_DAYS, MIN_DAYS
from newsbrief.until_option import until_value

# Imported when a command runs, so that building the parser stays light.
if TYPE_CHECKING:
    from corpus.brief_values import Brief, FigureLine, StoryFigure
    from corpus.settings import Settings

WIDTH = 100


def register(subparsers: Any) -> None:
    """Add the ``brief`` subcommand."""
    parser = subparsers.add_parser(
        "brief",
        help="print the brief of a topic from the stored articles",
        description="Compose the brief of TOPIC from the stored, analysed articles.",
    )
    parser.add_argument("topic", metavar="TOPIC", help="topic slug, e.g. russia-china")
    parser.add_argument(
        "--days",
        type=int,
        default=DEFAULT_DAYS,
        metavar="N",
        help=f"window in days, {MIN_DAYS}–{MAX_DAYS} (default {DEFAULT_DAYS})",
    )
    parser.add_argument("--theme", metavar="T", help="only stories carrying this theme slug")
    parser.add_argument(
        "--until",
        type=until_value,
        metavar="DATE",
        help="brief the window ending on this past day (YYYY-MM-DD, UTC) instead of now",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the composed brief as JSON")
    output.add_argument(
        "--markdown",
        action="store_true",
        help="print the brief as Markdown, with linked headlines and citations, for a report",
    )
    output.add_argument(
        "--discord-json",
        action="store_true",
        help="print the message payloads /brief would send to Discord",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Compose the brief and print it in the chosen form; exit 2 on a bad topic or window."""
    if not MIN_DAYS <= args.days <= MAX_DAYS:
        print(
            f"--days must be between {MIN_DAYS} and {MAX_DAYS}, not {args.days}.", file=sys.stderr
        )
        return 2
    from corpus.brief import BriefError, compose_brief
    from corpus.brief_until import ending_at
    from newsbrief.runtime import open_runtime

    end = args.until
    runtime = open_runtime(settings)
    try:
        with runtime.sessions() as session:
            brief = compose_brief(session, args.topic, days=args.days, theme=args.theme, now=end)
            brief = ending_at(brief, end)
    except BriefError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        runtime.engine.dispose()
    if args.json:
        print(json.dumps(brief.to_dict(), ensure_ascii=False, indent=2))
    elif args.markdown:
        from corpus.brief_markdown import brief_markdown

        print(brief_markdown(brief), end="")
    elif args.discord_json:
        from bot.payloads import brief_message_payloads  # the bot is only needed for this form

        print(json.dumps(brief_message_payloads(brief), ensure_ascii=False, indent=2))
    else:
        print(render_text(brief))
    return 0


def _day(value: datetime | None, *, fetched: bool = False) -> str:
    """Return the date as 2026-11-20, or ``added 2026-11-20`` when it is only a fetch date."""
    if value is None:
        return "undated"
    return f"added {value:%Y-%m-%d}" if fetched else f"{value:%Y-%m-%d}"


def _cites(numbers: tuple[int, ...] | list[int], limit: int = 6) -> str:
    shown = "".join(f"[{n}]" for n in numbers[:limit])
    return shown + (f" +{len(numbers) - limit} more" if len(numbers) > limit else "")


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first or indent]


def _figure_lines(line: FigureLine, brief: Brief) -> list[str]:
    outlets = {s.number: s.outlet or "" for s in brief.sources}
    head = line.measure
    if line.period and not line.series:
        head += f", {line.period}"
    if line.status != "actual":
        head += f" ({line.status})"
    if line.series:
        steps = " → ".join(
            f"{v.period} {v.text} {_cites(v.citations or (v.citation,))}" for v in line.values
        )
        return _wrap(f"{head}, by period: {steps}", "    ", "  ")
    if line.disagree:
        head += f" — {len(line.values)} different values from the sources:"
        out = _wrap(head, "    ", "  ")
        width = max(len(v.text) for v in line.values)
        for v in line.values:
            where = f"{_cites(v.citations or (v.citation,))} {outlets.get(v.citation, '')}"
            qualifier = f"  ({v.measure})" if v.measure and v.measure != line.measure else ""
            when = _day(v.published, fetched=v.date_is_fetched)
            out += _wrap(
                f"{v.text.ljust(width)}  {when}  {where}{qualifier}",
                "      ",
                "    • ",
            )
        return out
    v = line.values[0]
    return _wrap(f"{head}: {v.text} {_cites(v.citations or (v.citation,))}", "    ", "  ")


def _story_figure(group: tuple[StoryFigure, ...]) -> list[str]:
    """One of a story's figures under its bullets: a disagreement's values side by side."""
    values = " · ".join(f"{f.text} {_cites(f.citations)}".rstrip() for f in group)
    said = f"{values} — {group[0].what}" if group[0].what else values
    first = "    Figures differ: " if group[0].disagree else "    Figure: "
    return _wrap(said, "        ", first)


def more(n: int, noun: str, plural: str | None = None) -> str:
    """Say ``N more <noun>`` with the right number."""
    return f"{n} more {noun if n == 1 else plural or noun + 's'}"


def render_text(brief: Brief) -> str:
    """Lay the brief out as terminal text: bullets with [n], figures, themes, sources."""
    from corpus.brief_figures import figure_groups

    days = brief.window_days
    span = "the last day" if days == 1 else f"the last {days} days"
    title = f"{brief.topic_name} — brief of {span}"
    if brief.theme:
        title += f", theme {brief.theme}"
    lines = [title, f"From {_day(brief.since)} to {_day(brief.generated_at)}."]
    if brief.note:
        lines += _wrap(f"Note: {brief.note}", "      ", "")
    lines.append("")
    lines.append("STORIES")
    for i, story in enumerate(brief.stories, 1):
        when = _day(story.latest, fetched=story.latest_is_fetched)
        meta = f"{story.outlets} outlet{'s' if story.outlets != 1 else ''}, {when}"
        lines += _wrap(f"{story.headline}  ({meta}; story {story.story_id})", "    ", f"{i:>2}. ")
        for bullet in story.bullets:
            said = f"{bullet.added_by} adds: {bullet.text}" if bullet.added_by else bullet.text
            lines += _wrap(f"{said} {_cites(bullet.citations)}", "      ", "    • ")
        for group in figure_groups(story.figures):
            lines += _story_figure(group)
    if not brief.stories:
        lines.append("  (none)")
    if brief.more_stories:
        lines.append(f"  …and {more(brief.more_stories, 'story', 'stories')}.")
    if brief.figures:
        lines += ["", "KEY FIGURES"]
        for line in brief.figures:
            lines += _figure_lines(line, brief)
        if brief.more_figures:
            lines.append(f"  …and {more(brief.more_figures, 'figure group')} (see /figures).")
    if brief.themes:
        lines += ["", "THEMES"]
        lines += _wrap(" · ".join(f"{t.name} {t.count}" for t in brief.themes), "  ", "  ")
    if brief.sources:
        lines += ["", "SOURCES"]
        for src in brief.sources:
            label = f"[{src.number}]"
            when = _day(src.published, fetched=src.date_is_fetched)
            lines += _wrap(
                f"{src.title} — {src.outlet or 'unknown outlet'}, {when}",
                " " * (len(label) + 1),
                f"{label} ",
            )
            lines.append(" " * (len(label) + 1) + src.url)
    return "\n".join(lines)
