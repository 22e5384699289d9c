"""The Discord application: one ``Bot`` that loads every extension and owns the command tree.

Resources are built by the caller (``newsbrief bot``) and injected; an extension reaches them
as ``bot.resources`` in ``setup(bot)`` / a cog, or ``resources_of(interaction)`` in a callback:

    async def setup(bot: NewsbriefBot) -> None:
        await bot.add_cog(MyCog(bot.resources))

    with bot.resources.sessions() as session: ...          # a SQLAlchemy session
    bot.resources.settings                                 # corpus.settings.Settings
    bot.resources.send_task(jobs.POLL_SOURCE, [source_id])

Every package under ``bot/extensions/`` is an extension and is loaded by ``load_extensions``.
Commands sync on purpose: to ``settings.bot.dev_guild_id`` when set, globally only with
``sync_global=True`` (``newsbrief bot --sync-global``) or the owner-only ``/sync`` command
that exists in the dev guild.
"""

from __future__ import annotations

import logging
import pkgutil
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import discord
from discord import app_commands
from discord.ext import commands
from sqlalchemy.orm import Session, sessionmaker

from bot import extensions as extensions_package
from bot.errors import RefusedError, UserError, on_app_command_error
from corpus.jobs import Job
from corpus.settings import Settings

log = logging.getLogger(__name__)


class TaskSender(Protocol):
    """Send a worker job by its ``corpus.jobs`` record (the bot never imports the worker)."""

    def __call__(self, job: Job, args: Sequence[Any] = ()) -> None:
        """Queue ``job``'s task with positional ``args`` on the job's queue."""


def no_task_sender(job: Job, args: Sequence[Any] = ()) -> None:
    """Refuse to queue: used where no broker is configured (console without Redis)."""
    raise UserError(
        "Background work is not available here: set NEWSBRIEF_REDIS_URL and start the worker."
    )


class UrlChecker(Protocol):
    """Check that a source URL is safe to fetch (injected: the check lives in the worker)."""

    def __call__(self, url: str) -> str:
        """Return ``url`` normalised, or raise ``corpus.sources.SourceError`` saying why not."""


def no_url_checker(url: str) -> str:
    """Refuse every URL: used where the caller wired no URL check."""
    raise UserError("Adding sources is not available here: no URL check is configured.")


@dataclass(frozen=True)
class BotResources:
    """What commands need from the outside world, built once by the caller."""

    settings: Settings
    sessions: sessionmaker[Session]
    send_task: TaskSender = no_task_sender
    check_url: UrlChecker = no_url_checker


def extension_names() -> list[str]:
    """Return the dotted names of every extension package under ``bot/extensions``."""
    return sorted(
        f"{extensions_package.__name__}.{info.name}"
        for info in pkgutil.iter_modules(extensions_package.__path__)
        if info.ispkg
    )


# What the bot needs in a channel and no more: see it, post digests and alerts with embeds,
# and read recent history (delivery checks whether a digest was already posted).
REQUIRED_PERMISSIONS = discord.Permissions(
    view_channel=True, send_messages=True, embed_links=True, read_message_history=True
)
SCOPES = ("bot", "applications.commands")


def invite_url(application_id: int) -> str:
    """Return the URL that adds the bot to a server with exactly the permissions it needs."""
    return discord.utils.oauth_url(application_id, permissions=REQUIRED_PERMISSIONS, scopes=SCOPES)


def default_intents() -> discord.Intents:
    """Return the only gateway intents the bot needs: guilds (channels for delivery)."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


class NewsbriefBot(commands.Bot):
    """The bot: slash commands only, resources injected, extensions loaded in ``setup_hook``."""

    def __init__(
        self,
        resources: BotResources,
        *,
        sync_global: bool = False,
        extensions: Sequence[str] | None = None,
    ) -> None:
        # The bot never joins voice: silence discord.py's warnings about voice libraries.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=default_intents(),
            help_command=None,
            owner_ids=set(resources.settings.bot.owner_ids) or None,
        )
        self.resources = resources
        self.sync_global = sync_global
        self.extension_list = list(extensions) if extensions is not None else extension_names()
        self.tree.error(on_app_command_error)

    async def load_extensions(self) -> None:
        """Load every extension; needs no login (``newsbrief commands`` and the console use it)."""
        for name in self.extension_list:
            if name not in self.extensions:
                await self.load_extension(name)

    async def setup_hook(self) -> None:
        """Load extensions, then sync commands to the dev guild and, if asked, globally."""
        await self.load_extensions()
        if self.application_id is not None:
            log.warning("invite the bot with %s", invite_url(self.application_id))
        guild_id = self.resources.settings.bot.dev_guild_id
        if guild_id is not None:
            guild = discord.Object(id=guild_id)
            self.tree.add_command(sync_command, guild=guild, override=True)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.warning("synced %d commands to dev guild %s", len(synced), guild_id)
        if self.sync_global:
            synced = await self.tree.sync()
            log.warning("synced %d commands globally", len(synced))


def resources_of(interaction: discord.Interaction[Any]) -> BotResources:
    """Return the injected resources of the bot that received ``interaction``."""
    client = interaction.client
    resources = getattr(client, "resources", None)
    if not isinstance(resources, BotResources):
        raise TypeError("the interaction's client carries no BotResources")
    return resources


def shared_group(bot: commands.Bot, name: str, description: str) -> app_commands.Group:
    """Return the top-level group ``name``, creating it the first time (extensions share it).

    ``/topics`` is shared: the brief extension adds ``list``, the topics extension ``add``.
    """
    existing = bot.tree.get_command(name)
    if isinstance(existing, app_commands.Group):
        return existing
    group = app_commands.Group(name=name, description=description)
    bot.tree.add_command(group)
    return group


async def _is_owner(interaction: discord.Interaction[Any]) -> bool:
    client = interaction.client
    if isinstance(client, commands.Bot) and await client.is_owner(interaction.user):
        return True
    raise RefusedError("Only the bot's owner can do that.")


@app_commands.command(name="sync", description="Owner only: publish the commands to every server.")
@app_commands.default_permissions(administrator=True)
@app_commands.check(_is_owner)
async def sync_command(interaction: discord.Interaction[Any]) -> None:
    """Sync the command tree globally (takes up to an hour to reach every server)."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    client = interaction.client
    assert isinstance(client, commands.Bot)
    synced = await client.tree.sync()
    await interaction.followup.send(f"Published {len(synced)} commands globally.", ephemeral=True)
