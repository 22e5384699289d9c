"""Entry point of the ``newsbrief`` command.

Building the parser imports every command module, so those modules import only the
standard library at the top; each command imports what it needs when it runs, and
``newsbrief --help`` starts at once. ``tests/newsbrief/test_cli_imports.py`` keeps it so.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsbrief import commands

if TYPE_CHECKING:
    from pydantic import ValidationError


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
    try:
        code = _main(argv)
        sys.stdout.flush()  # here, where a closed pipe can still be caught
        return code
    except BrokenPipeError:
        # The reader stopped early (``newsbrief brief X | head``): no traceback for that.
        # Python's own advice: point stdout at devnull so the flush at exit fails no more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _main(argv: Sequence[str] | None) -> int:
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
    quick = getattr(args, "quick", None)
    if quick is not None:
        # A command that can answer from plain settings and storage does, when they are plain.
        from corpus.location import plain_location

        location = plain_location()
        if location is not None:
            code = quick(args, location)
            if code is not None:
                return int(code)
    from pydantic import ValidationError

    from corpus.settings import get_settings
    from newsbrief.runtime import StorageUnavailable

    try:
        settings = get_settings()
    except ValidationError as exc:
        for problem in settings_problems(exc):
            print(f"newsbrief: {problem}", file=sys.stderr)
        return 2
    try:
        return int(handler(args, settings))
    except StorageUnavailable as exc:
        print(f"newsbrief: {exc.reason}", file=sys.stderr)
        return 2


def settings_problems(exc: ValidationError) -> list[str]:
    """Name each invalid ``NEWSBRIEF_`` variable and what is wrong with it, one line each."""
    from corpus.settings import Settings

    prefix = str(Settings.model_config.get("env_prefix", ""))
    problems = []
    for error in exc.errors():
        name = prefix + "__".join(str(part).upper() for part in error["loc"])
        # The value is not echoed: it may be a token or a password.
        problems.append(f"{name} is invalid: {error['msg']}. Fix it in the environment or .env.")
    return problems


if __name__ == "__main__":
    sys.exit(main())
