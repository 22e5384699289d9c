"""``newsbrief console``: type the bot's slash commands in a terminal, no Discord needed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any

from newsbrief.commands.bot import make_resources

# Imported when a command runs, so that building the parser stays light.
if TYPE_CHECKING:
    from corpus.settings import Settings

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
    parser.set_defaults(handler=run)


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


async def _run(resources: Any, commands: Sequence[str] | None) -> None:
    from bot.app import NewsbriefBot
    from bot.console import Console

    bot = NewsbriefBot(resources)
    console = Console(bot)
    await console.start()
    try:
        if commands:
            for line in commands:
                print(await console.handle(line))
            return
        async for line in _typed_lines():
            if line.strip() in ("quit", "exit", "/quit"):
                break
            reply = await console.handle(line)
            if reply:
                print(reply, flush=True)
    finally:
        await bot.close()


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Open the database and run the console over stdin (or the ``-c`` lines)."""
    import asyncio

    from newsbrief.runtime import open_runtime

    runtime = open_runtime(settings)
    try:
        asyncio.run(_run(make_resources(runtime), args.command))
    except KeyboardInterrupt:
        pass
    finally:
        runtime.engine.dispose()
    return 0
