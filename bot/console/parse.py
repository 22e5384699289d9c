"""The console's line parser: ``/command [sub] [value ...] [name:value ...]`` to a command.

Option values are converted and checked as Discord's client would (choices, types, ranges);
a channel option takes a channel id or ``#name``.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from discord import app_commands
from discord.enums import AppCommandOptionType

from bot.console.channels import ChannelDirectory
from bot.console.interaction import CONSOLE_GUILD_ID

if TYPE_CHECKING:
    from bot.app import NewsbriefBot

_OPTION_WORD = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*):(.*)$", re.DOTALL)
_KIND_WORDS = {
    AppCommandOptionType.integer: "a whole number",
    AppCommandOptionType.number: "a number",
    AppCommandOptionType.boolean: "true or false",
}


class ConsoleInputError(ValueError):
    """The typed line is not a valid command; the message says what to fix."""


@dataclass
class Parsed:
    """A typed line resolved to a command and its raw option values."""

    command: app_commands.Command[Any, ..., Any]
    values: dict[str, Any]
    focused: str | None = None  # an option typed as ``name:text?`` asks for its suggestions


def find_command(tree: app_commands.CommandTree[Any], words: list[str]) -> tuple[Any, list[str]]:
    """Resolve ``/group sub ...`` to the registered command; return it and the rest."""
    if not words:
        raise ConsoleInputError("Type a command after the slash, e.g. /brief russia-china.")
    found: Any = tree.get_command(words[0].lower())
    used = 1
    while isinstance(found, app_commands.Group):
        if used >= len(words):
            subs = ", ".join(c.name for c in found.commands)
            raise ConsoleInputError(f"/{found.qualified_name} needs a subcommand: {subs}.")
        sub = found.get_command(words[used].lower())
        if sub is None:
            subs = ", ".join(c.name for c in found.commands)
            raise ConsoleInputError(f"/{found.qualified_name} has no {words[used]!r}; try {subs}.")
        found, used = sub, used + 1
    if found is None:
        names = ", ".join(f"/{c.name}" for c in tree.get_commands())
        raise ConsoleInputError(f"There is no /{words[0]}. Commands: {names}.")
    return found, words[used:]


def _convert(
    param: app_commands.Parameter,
    text: str,
    client: NewsbriefBot,
    channels: ChannelDirectory | None = None,
) -> Any:
    """Convert typed text to the option's type and check it as Discord's client would."""
    name = param.display_name
    if param.choices:
        for choice in param.choices:
            if text == str(choice.value) or text.lower() == choice.name.lower():
                return choice.value
        allowed = ", ".join(str(c.value) for c in param.choices)
        raise ConsoleInputError(f"{name} must be one of: {allowed}.")
    kind = param.type
    try:
        value: Any
        if kind is AppCommandOptionType.integer:
            value = int(text)
        elif kind is AppCommandOptionType.number:
            value = float(text)
        elif kind is AppCommandOptionType.boolean:
            if text.lower() not in ("true", "false", "yes", "no"):
                raise ValueError(text)
            value = text.lower() in ("true", "yes")
        elif kind is AppCommandOptionType.channel:
            return _channel(text, client, channels or ChannelDirectory())
        elif kind is AppCommandOptionType.string:
            value = text
        else:
            raise ConsoleInputError(f"{name}: the console cannot give {kind.name} options.")
    except ValueError:
        wanted = _KIND_WORDS.get(kind, kind.name)
        raise ConsoleInputError(f"{name} must be {wanted}, not {text!r}.") from None
    low, high = param.min_value, param.max_value
    if isinstance(value, str):
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            raise ConsoleInputError(f"{name} must be {low}–{high} characters long.")
    elif (low is not None and value < low) or (high is not None and value > high):
        raise ConsoleInputError(f"{name} must be between {low} and {high}.")
    return value


def _channel(
    text: str, client: NewsbriefBot, channels: ChannelDirectory
) -> app_commands.AppCommandChannel:
    raw = text.strip().removeprefix("<#").removesuffix(">").lstrip("#")
    channel_id = int(raw) if raw.isdigit() else channels.channel_id(raw)
    data: Any = {"id": channel_id, "name": raw, "type": 0, "permissions": "0"}
    return app_commands.AppCommandChannel(
        state=client._connection, data=data, guild_id=CONSOLE_GUILD_ID
    )


def _options_text(command: app_commands.Command[Any, ..., Any]) -> str:
    names = [p.display_name for p in command.parameters]
    return ", ".join(names) if names else "none"


def parse_line(
    tree: app_commands.CommandTree[Any],
    line: str,
    client: NewsbriefBot,
    channels: ChannelDirectory | None = None,
) -> Parsed:
    """Parse ``/command [sub] [value ...] [name:value ...]`` into a command and option values.

    Values without a name fill the options in order, as a convenience. An option name the
    command does not have, or an option given twice, is refused naming the valid options
    (``https://…`` and ``08:00`` are values, not names). A value ending in ``?`` on an
    autocomplete option asks for suggestions instead of running the command.
    """
    try:
        words = shlex.split(line.strip().removeprefix("/"))
    except ValueError as exc:
        raise ConsoleInputError(f"Could not read the line: {exc}.") from None
    command, rest = find_command(tree, words)
    params = {p.display_name: p for p in command.parameters}
    order = [p.display_name for p in command.parameters]
    values: dict[str, Any] = {}
    focused: str | None = None
    where = f"/{command.qualified_name}"
    for word in rest:
        named = _OPTION_WORD.match(word)
        if named and not named.group(2).startswith("//"):
            key, text = named.group(1), named.group(2)
            if key not in params:
                raise ConsoleInputError(
                    f"{where} has no option {key!r}; its options are: {_options_text(command)}."
                )
            if key in values:
                raise ConsoleInputError(
                    f"{where}: {key} is given twice; give each option once "
                    f"(its options are: {_options_text(command)})."
                )
        else:
            remaining = [n for n in order if n not in values]
            if not remaining:
                raise ConsoleInputError(
                    f"Too many values: {word!r} has no option left to fill "
                    f"({where} takes: {_options_text(command)})."
                )
            key, text = remaining[0], word
        if text.endswith("?") and params[key].autocomplete:
            values[key], focused = text[:-1], key
            continue
        values[key] = _convert(params[key], text, client, channels)
    if focused is not None:
        return Parsed(command=command, values=values, focused=focused)
    missing = [
        p.display_name for p in command.parameters if p.required and p.display_name not in values
    ]
    if missing:
        raise ConsoleInputError(f"{where} needs {', '.join(missing)}.")
    return Parsed(command=command, values=values)
