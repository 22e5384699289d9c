"""``newsbrief console``: type the bot's slash commands in a terminal, no Discord needed."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any

from newsbrief.commands.bot import make_resources

# Imported when a command runs, so that building the parser stays light.
if TYPE_CHECKING:
    from corpus.location import Location
    from corpus.settings import Settings
    from newsbrief.runtime import Runtime

PROMPT = "newsbrief> "


def register(subparsers: Any) -> None:
    """Add the ``console`` subcommand."""
    parser = subparsers.add_parser(
        "console",
        help="type the bot's slash commands in the terminal",
        description=(
            "Type slash commands as in Discord (e.g. /brief russia-china days:30) and see "
            "the bot's reply as text. Numbers press buttons; 'help' lists commands."
        ),
    )
    parser.add_argument(
        "-c",
        "--command",
        action="append",
        metavar="LINE",
        help="run this line and exit (repeatable), e.g. -c '/brief russia-china'",
    )
    parser.set_defaults(handler=run, quick=quick_run)


async def _typed_lines() -> AsyncIterator[str]:
    import asyncio

    interactive = sys.stdin.isatty()
    if interactive:
        import readline  # noqa: F401 - gives input() line editing and history

        print("Type /help for the commands, quit to leave.")
    while True:
        try:
            line = await asyncio.to_thread(input, PROMPT if interactive else "")
        except EOFError:
            return
        yield line


def _show(text: str) -> None:
    print(text, flush=True)


async def _run(resources: Any, commands: Sequence[str] | None) -> int:
    """Run the lines; return how many failed (refused input or an error reply)."""
    from bot.app import NewsbriefBot
    from bot.console import Console

    bot = NewsbriefBot(resources)
    # Progress is shown as on Discord, where an edited reply shows while the work goes on.
    console = Console(bot, progress=_show)
    await console.start()
    try:
        if commands:
            for line in commands:
                _show(await console.handle(line))
            return console.failures
        async for line in _typed_lines():
            if line.strip() in ("quit", "exit", "/quit"):
                break
            reply = await console.handle(line)
            if reply:
                _show(reply)
        return 0
    finally:
        await bot.close()


def console_resources(runtime: Runtime) -> Any:
    """Return the bot's resources for the console.

    Without a broker (embedded mode) no worker may be running, so the console runs the
    worker's tasks itself: ``/sources add`` then shows what its first poll found.
    """
    resources = make_resources(runtime)
    if runtime.settings.redis_url:
        return resources
    from newsbrief.embedded import EmbeddedTaskSender

    sender = EmbeddedTaskSender(runtime.settings, runtime.sessions)
    return dataclasses.replace(resources, send_task=sender)


def quick_run(args: argparse.Namespace, location: Location) -> int | None:
    """Answer the ``-c`` lines straight from an SQLite file at the newest schema, if they can be.

    None when a line needs the bot (``bot.console.plain`` says which lines do not) or the
    corpus is anywhere else: ``run`` does it then.
    """
    if not args.command:
        return None
    from bot.console.plain import answerable, plain_reply

    if not all(answerable(line) for line in args.command):
        return None
    import sqlite3

    from bot.console.channels import CHANNELS_FILE, ChannelDirectory
    from corpus.plain_sqlite import read_at_head

    channels = ChannelDirectory(location.data_dir / CHANNELS_FILE)
    # A stored topic that does not validate raises ValueError: the bot words that error.
    replies = read_at_head(
        location.effective_database_url,
        lambda read: [plain_reply(line, read, channels) for line in args.command],
        (sqlite3.Error, ValueError),
    )
    if replies is None:
        return None
    if any(reply is None for reply in replies):
        return None
    for reply in replies:
        _show(str(reply))
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Open the database and run the console over stdin (or the ``-c`` lines).

    With ``-c`` the exit status is 1 when a line failed (refused, or answered with an error).
    """
    import asyncio

    from newsbrief.runtime import open_runtime

    runtime = open_runtime(settings)
    resources = console_resources(runtime)
    failures = 0
    try:
        failures = asyncio.run(_run(resources, args.command))
    except KeyboardInterrupt:
        pass
    finally:
        close = getattr(resources.send_task, "close", None)
        if close is not None:
            close()
        runtime.engine.dispose()
    return 1 if failures else 0
