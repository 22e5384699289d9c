"""The console: type slash commands in a terminal and see the bot's reply as text.

It runs the real command code: the line is parsed into the registered
``app_commands.Command`` and its options, checked and transformed by discord.py as on
Discord, and the command's callback gets a ``ConsoleInteraction`` — an adapter with the
small surface our cogs use (``response.defer / send_message / edit_message``,
``followup.send``, ``user``, ``guild``, ``extras``, ``client``). Errors go through the
tree's error handler. Buttons become numbered choices: typing the number presses the
button through the view's own ``interaction_check`` and callback.

Supported option types: string, integer, number, boolean, and channel (a channel id or
``#name``; annotate channel options as ``app_commands.AppCommandChannel``). A ``#name`` gets
the same id in every run (a checksum of the name), and the names are remembered in the data
directory so that replies show ``#name`` where Discord would show the channel.

One job a module: ``interaction`` (the stand-ins for Discord's objects), ``channels``
(``#name`` ids), ``parse`` (the line parser), ``repl`` (the loop that runs lines and
renders replies) and ``plain`` (the lines answered without discord.py, for a quick start).
The names are re-exported here, each imported when first used, so that ``bot.console.plain``
loads without discord.py.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.console.channels import (
        CHANNELS_FILE,
        ChannelDirectory,
    )
    from bot.console.interaction import (
        CONSOLE_CHANNEL_ID,
        CONSOLE_GUILD_ID,
        CONSOLE_USER_ID,
        ConsoleFollowup,
        ConsoleGuild,
        ConsoleInteraction,
        ConsoleMessage,
        ConsoleResponse,
        ConsoleUser,
    )
    from bot.console.parse import (
        ConsoleInputError,
        Parsed,
        find_command,
        parse_line,
    )
    from bot.console.repl import (
        HELP,
        Console,
        render_reply,
        reply_text,
        run_console,
    )

_HOMES = {
    "ChannelDirectory": "bot.console.channels",
    "CHANNELS_FILE": "bot.console.channels",
    "CONSOLE_CHANNEL_ID": "bot.console.interaction",
    "CONSOLE_GUILD_ID": "bot.console.interaction",
    "CONSOLE_USER_ID": "bot.console.interaction",
    "ConsoleFollowup": "bot.console.interaction",
    "ConsoleGuild": "bot.console.interaction",
    "ConsoleInteraction": "bot.console.interaction",
    "ConsoleMessage": "bot.console.interaction",
    "ConsoleResponse": "bot.console.interaction",
    "ConsoleUser": "bot.console.interaction",
    "ConsoleInputError": "bot.console.parse",
    "Parsed": "bot.console.parse",
    "find_command": "bot.console.parse",
    "parse_line": "bot.console.parse",
    "HELP": "bot.console.repl",
    "Console": "bot.console.repl",
    "render_reply": "bot.console.repl",
    "reply_text": "bot.console.repl",
    "run_console": "bot.console.repl",
}
__all__ = [
    "CHANNELS_FILE",
    "CONSOLE_CHANNEL_ID",
    "CONSOLE_GUILD_ID",
    "CONSOLE_USER_ID",
    "HELP",
    "ChannelDirectory",
    "Console",
    "ConsoleFollowup",
    "ConsoleGuild",
    "ConsoleInputError",
    "ConsoleInteraction",
    "ConsoleMessage",
    "ConsoleResponse",
    "ConsoleUser",
    "Parsed",
    "find_command",
    "parse_line",
    "render_reply",
    "reply_text",
    "run_console",
]


def __getattr__(name: str) -> Any:
    """Import a re-exported name from its module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
