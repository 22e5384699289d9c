"""``newsbrief stories recluster``: rebuild the events of a window from the stored articles."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

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
    """Add the ``stories`` subcommand with ``recluster``."""
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
            "after changing a threshold. The same stored articles give the same events."
        ),
    )
    rebuild.add_argument("--days", type=_days, default=None, metavar="N")
    rebuild.set_defaults(handler=run_recluster)


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
