"""``newsbrief demo``: ingest the shipped corpus offline and show ``/brief`` as the bot replies."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from corpus.shipped import SAMPLES_DIR
from newsbrief.commands.bot import make_resources

# Imported when a command runs, so that building the parser stays light.
if TYPE_CHECKING:
    from corpus.settings import Settings

DEFAULT_COMMAND = "/brief russia-china"


def register(subparsers: Any) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="ingest the shipped articles and print /brief russia-china (offline)",
        description=(
            "Run the shipped sample articles through the real pipeline (extract, clean, "
            "deduplicate, analyse, store) into the configured database, then print the "
            "reply the bot gives to a command, rendered for the terminal."
        ),
    )
    parser.add_argument(
        "--command",
        default=DEFAULT_COMMAND,
        help=f"the slash command to show afterwards (default: {DEFAULT_COMMAND!r})",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest the samples in-process, then render the command's reply through the console."""
    from bot.console import render_reply
    from newsbrief.runtime import open_runtime
    from worker.pipeline import ingest_paths
    from worker.wiring import build_stages

    runtime = open_runtime(settings)
    print(f"Database: {runtime.engine.url.render_as_string(hide_password=True)}")
    stages = build_stages(settings, runtime.sessions)
    try:
        report = ingest_paths(stages, [str(SAMPLES_DIR)])
    finally:
        stages.close()
    for problem in report.problems:
        print(f"problem: {problem}")
    print(f"Ingested the shipped corpus: {report.summary()}")
    print()
    print(f"> {args.command}")
    try:
        print(render_reply(make_resources(runtime), args.command))
    finally:
        runtime.engine.dispose()
    return 1 if report.problems else 0
