"""``newsbrief ingest PATH_OR_URL...``: put files, folders and URLs through the pipeline."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

# Imported when a command runs, so that building the parser stays light.
if TYPE_CHECKING:
    from corpus.settings import Settings


def register(subparsers: Any) -> None:
    """Add the ``ingest`` subcommand."""
    parser = subparsers.add_parser(
        "ingest",
        help="ingest .txt/.html/.jsonl files, folders of them, or URLs",
        description=(
            "Extract, clean, deduplicate, store and analyse articles from files and URLs. "
            ".jsonl files hold one article per line with url, title, date and text or html."
        ),
    )
    parser.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object a line per input: "
        "input, url, article_id, story_id, status, reason",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest every input; exit 1 if any input had a problem (the others are still stored)."""
    from newsbrief.runtime import open_runtime
    from worker.pipeline import ingest_paths
    from worker.wiring import build_stages

    runtime = open_runtime(settings)
    stages = build_stages(settings, runtime.sessions)
    try:
        report = ingest_paths(stages, args.inputs)
    finally:
        stages.close()
        runtime.engine.dispose()
    if args.json:
        for outcome in report.outcomes:
            print(json.dumps(outcome.to_dict(), ensure_ascii=False))
        return 1 if report.problems else 0
    for skipped in report.skipped:
        print(f"skipped: {skipped} (not a .txt, .html or .jsonl file)", file=sys.stderr)
    for problem in report.problems:
        print(f"problem: {problem}", file=sys.stderr)
    print(report.summary())
    return 1 if report.problems else 0
