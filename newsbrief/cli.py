"""Entry point of the ``newsbrief`` command."""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence

from corpus.settings import get_settings
from newsbrief import commands


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser from every module in ``newsbrief.commands``."""
    parser = argparse.ArgumentParser(
        prog="newsbrief", description="Briefs on a running story, from the sources you follow."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug output")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, build settings and run the chosen subcommand."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    return int(handler(args, get_settings()))


if __name__ == "__main__":
    sys.exit(main())
