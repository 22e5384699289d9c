"""``newsbrief search QUERY``: full-text search over the stored articles, as stories."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

# Imported when a command runs, so that building the parser stays light.
if TYPE_CHECKING:
    from corpus.search import SearchResults
    from corpus.settings import Settings

WIDTH = 100


def register(subparsers: Any) -> None:
    """Add the ``search`` subcommand."""
    parser = subparsers.add_parser(
        "search",
        help="search the stored articles (every word must occur)",
        description=(
            'Search the analysed articles for QUERY: every word, or "quoted phrase", must occur. '
            "Matching articles are grouped into stories, best first, each citing its sources."
        ),
    )
    parser.add_argument("query", metavar="QUERY", nargs="+", help="words to search for")
    parser.add_argument("--topic", metavar="T", help="only articles about this topic")
    parser.add_argument("--days", metavar="N", type=int, help="only articles of the last N days")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.set_defaults(handler=run)


def render_text(results: SearchResults) -> str:
    """Lay the results out as terminal text: stories with [n], then the numbered sources."""
    where = f" in {results.topic_name}" if results.topic_name else ""
    days = results.days
    when = (
        "" if days is None else (" in the last day" if days == 1 else f" in the last {days} days")
    )
    n = len(results.stories)
    lines = [f"Search “{results.query}”{where}{when}: {n} {'story' if n == 1 else 'stories'}", ""]
    for i, story in enumerate(results.stories, 1):
        cites = "".join(f"[{n}]" for n in story.citations)
        lines += textwrap.wrap(
            f"{story.headline} {cites} (story {story.story_id})",
            WIDTH,
            initial_indent=f"{i:>2}. ",
            subsequent_indent="    ",
        )
        for bullet in story.bullets:
            lines += textwrap.wrap(
                bullet.text, WIDTH, initial_indent="    … ", subsequent_indent="      "
            )
    if not results.stories:
        lines.append("Nothing matches. Every word must occur; try fewer words or another spelling.")
    if results.sources:
        lines += ["", "SOURCES"]
        for ref in results.sources:
            when_ = f"{ref.published:%Y-%m-%d}" if ref.published else "undated"
            lines.append(f"[{ref.number}] {ref.title} — {ref.outlet or 'unknown outlet'}, {when_}")
            lines.append(" " * (len(str(ref.number)) + 3) + ref.url)
    if results.capped:
        lines += ["", "Only the best matches are shown; add words, --topic or --days to narrow."]
    return "\n".join(lines)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Search and print the results; exit 2 when the search is refused, 1 when nothing matches."""
    from corpus.search import SearchError, search_articles
    from newsbrief.runtime import open_runtime

    runtime = open_runtime(settings)
    try:
        with runtime.sessions() as session:
            results = search_articles(
                session, " ".join(args.query), topic=args.topic, days=args.days
            )
    except SearchError as exc:
        print(f"newsbrief search: {exc}", file=sys.stderr)
        return 2
    finally:
        runtime.engine.dispose()
    if args.json:
        data = asdict(results)
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(render_text(results))
    return 0 if results.stories else 1
