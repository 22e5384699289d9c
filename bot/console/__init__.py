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
(``#name`` ids), ``parse`` (the line parser) and ``repl`` (the loop that runs lines and
renders replies). The names are re-exported here.
"""

from bot.console.channels import ChannelDirectory
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
from bot.console.parse import ConsoleInputError, Parsed, find_command, parse_line
from bot.console.repl import CHANNELS_FILE, HELP, Console, render_reply, reply_text, run_console

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
