"""Run an app command's checks and callback the way the command tree does, for cog tests."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands


def command_of(cog: commands.GroupCog, name: str) -> app_commands.Command[Any, ..., Any]:
    """Return the subcommand ``name`` of a group cog."""
    found = cog.app_command.get_command(name)
    assert isinstance(found, app_commands.Command), name
    return found


async def invoke(
    command: app_commands.Command[Any, ..., Any],
    interaction: Any,
    binding: Any = None,
    **options: Any,
) -> None:
    """Run the command's checks (raising what the tree would), then its callback."""
    for check in command.checks:
        if not await discord.utils.maybe_coroutine(check, interaction):
            raise app_commands.CheckFailure(f"check {check!r} refused")
    if binding is None:
        await command.callback(interaction, **options)  # type: ignore[call-arg]
    else:
        await command.callback(binding, interaction, **options)  # type: ignore[call-arg]


def admin_interaction(interaction: Any, *, admin: bool = True) -> Any:
    """Give a fake interaction resolved permissions (Manage Server or not) and a guild."""
    interaction.permissions = discord.Permissions(manage_guild=admin, send_messages=True)
    interaction.channel_id = 321
    return interaction


def text_channel(channel_id: int = 555, *, can_post: bool = True) -> Any:
    """A spec'd text channel where the bot can (or cannot) post."""
    from unittest.mock import create_autospec

    channel = create_autospec(discord.TextChannel, instance=True)
    channel.id = channel_id
    channel.mention = f"<#{channel_id}>"
    channel.permissions_for.return_value = (
        discord.Permissions.all() if can_post else discord.Permissions(view_channel=True)
    )
    return channel
