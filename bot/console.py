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
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import shlex
import zlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.enums import AppCommandOptionType

from bot.app import BotResources, NewsbriefBot
from bot.render.text import buttons_of, message_to_text

CONSOLE_USER_ID = 1
CONSOLE_GUILD_ID = 1
CONSOLE_CHANNEL_ID = 1
HELP = (
    "Type a command as in Discord, e.g. /brief russia-china days:30 "
    "(options as name:value; quote values with spaces; topic:rus? suggests). "
    "A number presses that button. 'help' lists the commands, 'quit' leaves."
)
CHANNELS_FILE = "console-channels.json"
_ids = itertools.count(1000)
_CHANNEL_BASE = 10**17  # console channel ids: this plus the name's CRC-32, like a snowflake
_OPTION_WORD = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*):(.*)$", re.DOTALL)
_CHANNEL_MENTION = re.compile(r"<#(\d+)>")
_KIND_WORDS = {
    AppCommandOptionType.integer: "a whole number",
    AppCommandOptionType.number: "a number",
    AppCommandOptionType.boolean: "true or false",
}


class ConsoleInputError(ValueError):
    """The typed line is not a valid command; the message says what to fix."""


@dataclass
class ConsoleUser:
    """The person at the terminal (owner of the machine: every permission)."""

    id: int = CONSOLE_USER_ID
    name: str = "console"
    bot: bool = False

    @property
    def display_name(self) -> str:
        """The name shown for the user."""
        return self.name

    @property
    def mention(self) -> str:
        """The user as a mention."""
        return f"<@{self.id}>"

    @property
    def guild_permissions(self) -> discord.Permissions:
        """Every permission: the console runs on the operator's machine."""
        return discord.Permissions.all()


@dataclass
class ConsoleGuild:
    """The one server the console pretends to be in."""

    id: int = CONSOLE_GUILD_ID
    name: str = "console"


@dataclass(eq=False)
class ConsoleMessage:
    """A message the bot "sent": what it shows and its buttons."""

    content: str | None = None
    embeds: list[dict[str, Any]] = field(default_factory=list)
    view: discord.ui.View | None = None
    ephemeral: bool = False
    id: int = field(default_factory=lambda: next(_ids))
    deleted: bool = False
    files: list[tuple[str, str]] = field(default_factory=list)  # attachments: name, text

    def set(self, content: Any, embeds: Any, embed: Any, view: Any) -> None:
        """Apply the arguments of a send or edit (``MISSING`` leaves a part as it is)."""
        if content is not discord.utils.MISSING:
            self.content = content
        if embed is not discord.utils.MISSING and embed is not None:
            self.embeds = [embed.to_dict()]
        elif embeds is not discord.utils.MISSING:
            self.embeds = [e.to_dict() for e in embeds or []]
        if view is not discord.utils.MISSING:
            self.view = view

    @property
    def components(self) -> list[dict[str, Any]]:
        """The message's component rows, as Discord would receive them."""
        return self.view.to_components() if self.view is not None else []

    def attach(self, file: Any) -> None:
        """Keep an attached ``discord.File`` as its name and text, to show in the terminal."""
        if file is discord.utils.MISSING or file is None:
            return
        data = file.fp.read()
        text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else str(data)
        self.files.append((file.filename, text))

    def to_text(self) -> str:
        """Render the message for the terminal."""
        text = message_to_text(self.content, self.embeds, self.components)
        for name, body in self.files:
            text += f"\n📎 {name}\n{body.rstrip()}"
        return f"{text}\n(only you can see this)" if self.ephemeral else text

    async def edit(
        self,
        *,
        content: Any = discord.utils.MISSING,
        embeds: Any = discord.utils.MISSING,
        embed: Any = discord.utils.MISSING,
        view: Any = discord.utils.MISSING,
    ) -> ConsoleMessage:
        """Change the message, as ``discord.Message.edit`` does."""
        self.set(content, embeds, embed, view)
        return self

    async def delete(self) -> None:
        """Remove the message."""
        self.deleted = True


class ConsoleResponse:
    """``interaction.response``: the one initial answer to an interaction."""

    def __init__(self, interaction: ConsoleInteraction) -> None:
        self._interaction = interaction
        self._done = False

    def is_done(self) -> bool:
        """Whether the interaction was answered (or deferred) already."""
        return self._done

    def _answer(self) -> None:
        if self._done:
            raise discord.InteractionResponded(self._interaction)  # type: ignore[arg-type]
        self._done = True

    async def defer(self, *, ephemeral: bool = False, thinking: bool = False) -> None:
        """Acknowledge now, answer later through the followup."""
        self._answer()
        if thinking:
            self._interaction.original = ConsoleMessage(ephemeral=ephemeral)

    async def send_message(
        self,
        content: Any = None,
        *,
        embed: Any = discord.utils.MISSING,
        embeds: Any = discord.utils.MISSING,
        view: Any = discord.utils.MISSING,
        ephemeral: bool = False,
        **_: Any,
    ) -> None:
        """Answer with a message."""
        self._answer()
        message = ConsoleMessage(ephemeral=ephemeral)
        message.set(content, embeds, embed, view)
        self._interaction.original = message
        self._interaction.sent.append(message)

    async def edit_message(
        self,
        *,
        content: Any = discord.utils.MISSING,
        embed: Any = discord.utils.MISSING,
        embeds: Any = discord.utils.MISSING,
        view: Any = discord.utils.MISSING,
        **_: Any,
    ) -> None:
        """Answer a button press by editing the message that holds the button."""
        self._answer()
        target = self._interaction.message
        if target is None:
            raise RuntimeError("edit_message needs a component interaction")
        target.set(content, embeds, embed, view)
        self._interaction.sent.append(target)

    async def autocomplete(self, choices: Iterable[app_commands.Choice[Any]]) -> None:
        """Record autocomplete suggestions."""
        self._answer()
        self._interaction.suggestions = list(choices)


class ConsoleFollowup:
    """``interaction.followup``: messages after the initial answer."""

    def __init__(self, interaction: ConsoleInteraction) -> None:
        self._interaction = interaction

    async def send(
        self,
        content: Any = None,
        *,
        embed: Any = discord.utils.MISSING,
        embeds: Any = discord.utils.MISSING,
        view: Any = discord.utils.MISSING,
        ephemeral: bool = False,
        wait: bool = False,
        file: Any = discord.utils.MISSING,
        **_: Any,
    ) -> ConsoleMessage:
        """Send a message; the first one after a defer replaces the "thinking…" placeholder."""
        original = self._interaction.original
        placeholder = original is not None and not original.embeds and original.content is None
        if original is not None and placeholder and not original.deleted:
            message = original  # Discord turns the placeholder into the first followup
            message.ephemeral = message.ephemeral or ephemeral
        else:
            message = ConsoleMessage(ephemeral=ephemeral)
        message.set(content, embeds, embed, view)
        message.attach(file)
        self._interaction.sent.append(message)
        return message


class ConsoleInteraction:
    """The part of ``discord.Interaction`` our commands and views use, for the console."""

    def __init__(
        self,
        client: NewsbriefBot,
        *,
        user: ConsoleUser | None = None,
        guild: ConsoleGuild | None = None,
        message: ConsoleMessage | None = None,
    ) -> None:
        self.client = client
        self.user = user or ConsoleUser()
        self.guild = guild if guild is not None else ConsoleGuild()
        self.guild_id = self.guild.id if self.guild else None
        self.channel_id = CONSOLE_CHANNEL_ID
        self.permissions = discord.Permissions.all()
        self.app_permissions = discord.Permissions.all()
        self.locale = discord.Locale.british_english
        self.extras: dict[Any, Any] = {}
        self.command: app_commands.Command[Any, ..., Any] | None = None
        self.namespace: Any = None
        self.message = message
        self.original: ConsoleMessage | None = None
        self.sent: list[ConsoleMessage] = []
        self.suggestions: list[app_commands.Choice[Any]] | None = None  # set by autocomplete
        self.failed = False  # the command raised: its reply is the error handler's message
        self.response = ConsoleResponse(self)
        self.followup = ConsoleFollowup(self)

    async def original_response(self) -> ConsoleMessage:
        """Return the message of the initial answer."""
        if self.original is None:
            raise RuntimeError("the interaction was not answered")
        return self.original

    async def edit_original_response(self, **kwargs: Any) -> ConsoleMessage:
        """Edit the message of the initial answer (e.g. fill in a deferred reply)."""
        message = await (await self.original_response()).edit(**kwargs)
        if message not in self.sent:
            self.sent.append(message)
        return message

    async def delete_original_response(self) -> None:
        """Delete the message of the initial answer (e.g. a public placeholder)."""
        if self.original is not None:
            await self.original.delete()


class ChannelDirectory:
    """Stable ids for the channels typed as ``#name``, and the names back for display.

    The id is a checksum of the name, so ``#analysts`` is the same channel in every run;
    the names are kept in ``path`` (when given) so a later run shows them too.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.names: dict[int, str] = {}
        if path is not None:
            try:
                stored = json.loads(path.read_text(encoding="utf-8"))
                self.names = {int(k): str(v) for k, v in stored.items()}
            except (OSError, ValueError, AttributeError):
                self.names = {}

    @staticmethod
    def id_for(name: str) -> int:
        """Return the channel id of ``name`` (the same in every process)."""
        return _CHANNEL_BASE + zlib.crc32(name.lower().encode("utf-8"))

    def channel_id(self, name: str) -> int:
        """Return the id of ``name``, remembering the name for display."""
        channel_id = self.id_for(name)
        if self.names.get(channel_id) != name:
            self.names[channel_id] = name
            self._save()
        return channel_id

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.names, sort_keys=True), encoding="utf-8")
        except OSError:
            pass  # names are a convenience; the ids do not depend on them

    def named(self, text: str) -> str:
        """Replace the mentions of known channels in ``text`` with ``#name``."""

        def name(match: re.Match[str]) -> str:
            known = self.names.get(int(match.group(1)))
            return f"#{known}" if known else match.group(0)

        return _CHANNEL_MENTION.sub(name, text)


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


class Console:
    """Runs typed lines through the bot's command tree and renders every reply as text."""

    def __init__(
        self,
        bot: NewsbriefBot,
        *,
        user: ConsoleUser | None = None,
        progress: Callable[[str], None] | None = None,
        progress_after: float = 2.0,
        channels: ChannelDirectory | None = None,
    ) -> None:
        self.bot = bot
        self.user = user or ConsoleUser()
        self.channels = channels if channels is not None else ChannelDirectory(_channels_file(bot))
        self.failures = 0  # lines that failed: refused input, or a command that answered an error
        self.last: ConsoleMessage | None = None  # the latest message with buttons
        # A command still running after ``progress_after`` seconds has what it has sent so far
        # shown through ``progress`` (as Discord shows an edited reply while the work goes on).
        self.progress = progress
        self.progress_after = progress_after

    async def start(self) -> None:
        """Load the extensions (no login, no network)."""
        await self.bot.load_extensions()

    async def invoke(self, line: str, *, user: ConsoleUser | None = None) -> ConsoleInteraction:
        """Run one command line as a slash command; return the interaction with its replies."""
        interaction = ConsoleInteraction(self.bot, user=user or self.user)
        tree = self.bot.tree
        parsed = parse_line(tree, line, self.bot, self.channels)
        interaction.command = parsed.command
        interaction.namespace = app_commands.Namespace.__new__(app_commands.Namespace)
        interaction.namespace.__dict__.update(parsed.values)
        if parsed.focused is not None:
            focused = parsed.focused
            # The tree's own autocomplete entry point, as for a real autocomplete interaction.
            run = lambda: parsed.command._invoke_autocomplete(  # noqa: E731
                interaction,  # type: ignore[arg-type]
                focused,
                interaction.namespace,
            )
        else:
            run = lambda: self._call(interaction, parsed)  # noqa: E731
        await self._reporting_progress(interaction, self._guarded(interaction, run))
        return interaction

    async def _reporting_progress(
        self, interaction: ConsoleInteraction, work: Awaitable[None]
    ) -> None:
        task = asyncio.ensure_future(work)
        shown: set[str] = set()
        while not task.done():
            await asyncio.wait({task}, timeout=self.progress_after)
            sent = [m for m in dict.fromkeys(interaction.sent) if not m.deleted]
            if task.done() or self.progress is None or not sent:
                continue
            text = "\n\n".join(m.to_text() for m in sent) + "\n(still working…)"
            text = self.channels.named(text)
            if text not in shown:
                shown.add(text)
                self.progress(text)
        await task

    async def _call(self, interaction: ConsoleInteraction, parsed: Parsed) -> None:
        tree = self.bot.tree
        if not await tree.interaction_check(interaction):  # type: ignore[arg-type]
            return
        # The same entry point the tree uses for a real interaction: checks, transforms, call.
        await parsed.command._invoke_with_namespace(interaction, interaction.namespace)  # type: ignore[arg-type]

    async def _guarded(
        self, interaction: ConsoleInteraction, run: Callable[[], Awaitable[None]]
    ) -> None:
        try:
            await run()
        except app_commands.AppCommandError as error:
            interaction.failed = True
            await self.bot.tree.on_error(interaction, error)  # type: ignore[arg-type]
        except Exception as exc:
            interaction.failed = True
            wrapped = app_commands.CommandInvokeError(interaction.command, exc)  # type: ignore[arg-type]
            await self.bot.tree.on_error(interaction, wrapped)  # type: ignore[arg-type]

    async def press(self, number: int, *, user: ConsoleUser | None = None) -> ConsoleInteraction:
        """Press button ``number`` (1-based) of the latest message that has buttons."""
        message = self.last
        view = message.view if message else None
        if message is None or view is None:
            raise ConsoleInputError("There are no buttons to press.")
        items = [i for i in view.children if isinstance(i, discord.ui.Button)]
        shown = buttons_of(view.to_components())
        if not 1 <= number <= len(items):
            raise ConsoleInputError(f"Choose a button from 1 to {len(items)}.")
        item = items[number - 1]
        if shown[number - 1].get("disabled"):
            raise ConsoleInputError(f"“{item.label}” is disabled here.")
        interaction = ConsoleInteraction(self.bot, user=user or self.user, message=message)
        if await view.interaction_check(interaction):  # type: ignore[arg-type]
            await item.callback(interaction)  # type: ignore[arg-type]
        return interaction

    def render(self, interaction: ConsoleInteraction) -> str:
        """Render what the interaction sent, remembering the latest message with buttons."""
        shown = [m for m in dict.fromkeys(interaction.sent) if not m.deleted]
        for message in shown:
            if message.view is not None:
                self.last = message
        if interaction.suggestions is not None:
            found = [f"{c.name}  →  {c.value}" for c in interaction.suggestions]
            return "\n".join(found) or "(no suggestions)"
        return self.channels.named("\n\n".join(m.to_text() for m in shown)) or "(no reply)"

    async def handle(self, line: str) -> str:
        """Run one typed line (a command, a button number, help) and return the text to show."""
        text = line.strip()
        if not text:
            return ""
        try:
            if text.isdigit():
                interaction = await self.press(int(text))
            elif text in ("help", "/help", "?"):
                return self.help()
            else:
                interaction = await self.invoke(text)
        except ConsoleInputError as exc:
            self.failures += 1
            return str(exc)
        if interaction.failed:
            self.failures += 1
        return self.render(interaction)

    def help(self) -> str:
        """List every command with its options."""
        lines = [HELP, ""]
        for command in sorted(self.bot.tree.walk_commands(), key=lambda c: c.qualified_name):
            if isinstance(command, app_commands.Group):
                continue
            options = " ".join(
                p.display_name if p.required else f"[{p.display_name}]" for p in command.parameters
            )
            lines.append(f"/{command.qualified_name} {options}".rstrip())
            lines.append(f"    {command.description}")
        return "\n".join(lines)


def _channels_file(bot: NewsbriefBot) -> Path | None:
    resources = getattr(bot, "resources", None)
    settings = getattr(resources, "settings", None)
    data_dir = getattr(settings, "data_dir", None)
    return Path(data_dir) / CHANNELS_FILE if data_dir is not None else None


async def run_console(
    bot: NewsbriefBot, lines: Iterable[str], write: Callable[[str], None]
) -> None:
    """Feed ``lines`` to a console over ``bot`` and ``write`` each reply (stops at 'quit')."""
    console = Console(bot, progress=write)
    await console.start()
    for line in lines:
        if line.strip() in ("quit", "exit", "/quit"):
            break
        reply = await console.handle(line)
        if reply:
            write(reply)


async def reply_text(bot: NewsbriefBot, line: str) -> str:
    """Return the console rendering of one command line."""
    console = Console(bot)
    await console.start()
    try:
        return await console.handle(line)
    finally:
        await bot.close()


def render_reply(resources: BotResources, line: str) -> str:
    """Run one command line on a fresh bot and return the reply as text (for ``newsbrief demo``).

    Call it outside a running event loop: ``print(render_reply(res, "/brief russia-china"))``.
    """
    return asyncio.run(reply_text(NewsbriefBot(resources), line))
