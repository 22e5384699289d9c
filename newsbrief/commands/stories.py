"""``newsbrief stories``: list the events, rebuild those of a window, or analyse them again."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from newsbrief.until_option import until_value

if TYPE_CHECKING:
    from corpus.settings import Settings


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of days") from None
    if days < 1:
        raise argparse.ArgumentTypeError("--days must be 1 or more")
    return days


def register(subparsers: Any) -> None:
    """Add the ``stories`` subcommand with ``recluster``, ``reanalyse`` and ``list``."""
    parser = subparsers.add_parser(
        "stories",
        help="maintain stories (events)",
        description="Stories are events: what different outlets wrote about the same thing.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    rebuild = actions.add_parser(
        "recluster",
        help="rebuild the events of a window from the stored articles",
        description=(
            "Rebuild every event active in the last N days (all events without --days) from the "
            "stored articles, in date order, with the current NEWSBRIEF_EVENT_* settings — e.g. "
            "after changing a threshold. The same stored articles give the same events; "
            "rebuilt events get new ids, and an old story id leads to the event holding "
            "most of its articles."
        ),
    )
    rebuild.add_argument("--days", type=_days, default=None, metavar="N")
    rebuild.set_defaults(handler=run_recluster)
    again = actions.add_parser(
        "reanalyse",
        help="analyse the stored articles again with the current rules",
        description=(
            "Run the analyser again on the stored text of every ready article dated in the "
            "last N days (all without --days): summaries, themes, key figures and topics as "
            "the current rules make them, e.g. after an upgrade improved them. The stories of "
            "changed articles are composed again; events are left as they are. An article the "
            "analyser fails on keeps its earlier analysis and is listed."
        ),
    )
    again.add_argument("--days", type=_days, default=None, metavar="N")
    again.set_defaults(handler=run_reanalyse)
    listing = actions.add_parser(
        "list",
        help="list the events with their articles",
        description=(
            "List every event with a ready article dated in the window (publication date, "
            "else fetch time), newest first, with its article ids and URLs."
        ),
    )
    listing.add_argument("--topic", metavar="T", help="only articles of this topic slug")
    listing.add_argument("--days", type=_days, default=None, metavar="N")
    listing.add_argument(
        "--until", type=until_value, metavar="DATE", help="window ending on this past day"
    )
    listing.add_argument("--json", action="store_true", help="one JSON object a line per event")
    listing.set_defaults(handler=run_list)


def run_recluster(args: argparse.Namespace, settings: Settings) -> int:
    """Rebuild the events and say how many articles and events there are now."""
    from newsbrief.runtime import open_runtime
    from worker.events import ClusterPolicy, recluster

    runtime = open_runtime(settings)
    try:
        report = recluster(runtime.sessions, ClusterPolicy.from_settings(settings), days=args.days)
    finally:
        runtime.engine.dispose()
    window = f"the last {args.days} days" if args.days else "all stored articles"
    events = "1 event" if report.events == 1 else f"{report.events} events"
    articles = "1 article" if report.articles == 1 else f"{report.articles} articles"
    print(f"Reclustered {window}: {articles} in {events}.", file=sys.stdout)
    return 0


def run_reanalyse(args: argparse.Namespace, settings: Settings) -> int:
    """Analyse the window's articles again, with progress on stderr; exit 1 if any failed."""
    from newsbrief.runtime import open_runtime
    from worker.pipeline.reanalyse import reanalyse
    from worker.wiring import build_stages

    def progress(done: int, total: int) -> None:
        print(f"… {done}/{total} articles", file=sys.stderr)

    runtime = open_runtime(settings)
    stages = build_stages(settings, runtime.sessions)
    try:
        report = reanalyse(stages, days=args.days, progress=progress)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        stages.close()
        runtime.engine.dispose()
    window = f"the last {args.days} days" if args.days else "all stored articles"
    print(f"Reanalysed {window}: {report.summary()}.")
    for article_id, reason in report.failed:
        print(f"  article {article_id}: {reason}", file=sys.stderr)
    return 1 if report.failed else 0


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print each event of the window with its articles; exit 2 on a bad date or topic."""
    from corpus.event_list import list_events
    from corpus.topics import get_topic
    from newsbrief.runtime import open_runtime

    until = args.until
    runtime = open_runtime(settings)
    try:
        with runtime.sessions() as session:
            if args.topic is not None and get_topic(session, args.topic) is None:
                unknown = f"Unknown topic {args.topic!r}; see `newsbrief topics list`."
                print(unknown, file=sys.stderr)
                return 2
            events = list_events(session, topic=args.topic, days=args.days, until=until)
    finally:
        runtime.engine.dispose()
    for event in events:
        if args.json:
            print(json.dumps(event.to_dict(), ensure_ascii=False))
            continue
        latest = f"{event.latest:%Y-%m-%d}" if event.latest else "undated"
        outlets = "1 outlet" if event.outlets == 1 else f"{event.outlets} outlets"
        print(f"story {event.story_id} · {outlets} · {latest}")
        for a in event.articles:
            when = "undated" if a.date is None else f"{a.date:%Y-%m-%d}"
            if a.date_is_fetched and a.date is not None:
                when = f"added {when}"
            print(f"  {a.id:>6}  {when}  {a.title or '(no title)'}  {a.url}")
    if not events and not args.json:
        print("No events in this window.")
    return 0
