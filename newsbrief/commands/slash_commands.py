"""``newsbrief commands``: the slash commands the bot registers, built without logging in."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

# Imported when a command runs, so that building the parser stays light.
if TYPE_CHECKING:
    from corpus.settings import Settings


def register(subparsers: Any) -> None:
    """Add the ``commands`` subcommand."""
    parser = subparsers.add_parser(
        "commands",
        help="print the slash commands the bot registers",
        description="Build the command tree (no token, no network) and print it.",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the payloads sent to Discord on sync"
    )
    parser.set_defaults(handler=run)


async def command_payloads(settings: Settings) -> list[dict[str, Any]]:
    """Load every extension into a bot that never logs in; return the global command payloads."""
    from sqlalchemy.orm import sessionmaker

    from bot.app import BotResources, NewsbriefBot
    from bot.payloads import commands_payload

    # No command runs, so the session factory is never bound to a database.
    bot = NewsbriefBot(BotResources(settings=settings, sessions=sessionmaker()))
    try:
        await bot.load_extensions()
        return commands_payload(bot.tree)
    finally:
        await bot.close()


def _outline(payloads: list[dict[str, Any]]) -> str:
    lines = []
    for command in payloads:
        subs = [o for o in command.get("options", []) if o["type"] in (1, 2)]
        for sub in subs or [None]:
            name = command["name"] + (f" {sub['name']}" if sub else "")
            options = (sub or command).get("options", [])
            shown = " ".join(o["name"] if o.get("required") else f"[{o['name']}]" for o in options)
            lines.append(f"/{name} {shown}".rstrip())
            lines.append(f"    {(sub or command)['description']}")
    return "\n".join(lines)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the commands as JSON payloads or as a readable outline."""
    import asyncio

    payloads = asyncio.run(command_payloads(settings))
    if args.json:
        print(json.dumps(payloads, ensure_ascii=False, indent=2))
    else:
        print(_outline(payloads))
    return 0
