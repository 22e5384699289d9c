"""Stand-ins for the Discord objects a command touches: user, guild, message, interaction.

``ConsoleInteraction`` has the small surface our cogs use (``response.defer /
send_message / edit_message``, ``followup.send``, ``user``, ``guild``, ``extras``,
``client``); the messages it sends are kept to be rendered as text.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.render.text import message_to_text

if TYPE_CHECKING:
    from bot.app import NewsbriefBot

CONSOLE_USER_ID = 1
CONSOLE_GUILD_ID = 1
CONSOLE_CHANNEL_ID = 1
_ids = itertools.count(1000)


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
