"""Run an app command's checks and callback the way the command tree does, for cog tests."""

from __future__ import annotations

from typing import Any
from unittest.mock import create_autospec

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


def text_channel(
    interaction: Any,
    channel_id: int = 555,
    *,
    can_post: bool = True,
    kind: discord.ChannelType = discord.ChannelType.text,
) -> Any:
    """A channel option as Discord resolves it, backed by the server's (spec'd) channel.

    The server channel is what ``interaction.guild.get_channel`` finds; it says whether the
    bot may post there.
    """
    server_channel = create_autospec(discord.TextChannel, instance=True)
    server_channel.id = channel_id
    server_channel.type = kind
    server_channel.permissions_for.return_value = (
        discord.Permissions.all() if can_post else discord.Permissions(view_channel=True)
    )
    known = interaction.__dict__.setdefault("_channels", {})
    known[channel_id] = server_channel
    interaction.guild.get_channel.side_effect = known.get
    option = create_autospec(app_commands.AppCommandChannel, instance=True)
    option.id = channel_id
    option.mention = f"<#{channel_id}>"
    option.type = kind
    return option
