"""``newsbrief bot``: run the Discord bot with ``NEWSBRIEF_DISCORD_TOKEN``."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING, Any

# Imported when a command runs, so that building the parser stays light.
if TYPE_CHECKING:
    from corpus.settings import Settings
    from newsbrief.runtime import Runtime

NOT_CONFIGURED = (
    "NEWSBRIEF_DISCORD_TOKEN is not set. Create an application at "
    "https://discord.com/developers/applications, copy its bot token (Bot → Reset Token) "
    "and export it, e.g. NEWSBRIEF_DISCORD_TOKEN=... newsbrief bot. "
    "To try the commands without Discord, run: newsbrief console"
)


def register(subparsers: Any) -> None:
    """Add the ``bot`` subcommand."""
    parser = subparsers.add_parser(
        "bot",
        help="run the Discord bot",
        description=(
            "Run the Discord bot. Commands sync to NEWSBRIEF_DEV_GUILD_ID when set; "
            "--sync-global publishes them to every server (takes up to an hour)."
        ),
    )
    parser.add_argument(
        "--sync-global", action="store_true", help="publish the commands globally at start-up"
    )
    parser.set_defaults(handler=run)


def make_resources(runtime: Runtime) -> Any:
    """Build the bot's resources: settings, sessions, task sender, URL check for sources.

    The task sender is Celery when a broker is configured; the URL check is the worker's.
    """
    from bot.app import BotResources
    from bot.task_senders import make_task_sender
    from newsbrief.url_check import source_url_checker

    settings = runtime.settings
    sender = make_task_sender(settings.redis_url)
    return BotResources(
        settings=settings,
        sessions=runtime.sessions,
        send_task=sender,
        check_url=source_url_checker(settings),
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Start the bot; exit 2 with a clear message when the token is missing."""
    if (
        settings.bot.discord_token is None
        or not settings.bot.discord_token.get_secret_value().strip()
    ):
        print(NOT_CONFIGURED, file=sys.stderr)
        return 2
    from bot.app import NewsbriefBot
    from newsbrief.runtime import open_runtime

    runtime = open_runtime(settings)
    resources = make_resources(runtime)
    bot = NewsbriefBot(resources, sync_global=args.sync_global)
    try:
        bot.run(
            settings.bot.discord_token.get_secret_value(),
            log_handler=None,  # the CLI configured logging already
            log_level=logging.INFO,
        )
    finally:
        close = getattr(resources.send_task, "close", None)
        if close is not None:
            close()
        runtime.engine.dispose()
    return 0
