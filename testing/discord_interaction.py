"""Spec'd stand-ins for Discord's side of an interaction, and running a command as the tree does.

``fake_interaction`` is an autospec'd ``discord.Interaction``; ``admin_interaction`` and
``text_channel`` give it permissions and channel options; ``command_of`` and ``invoke`` run an
app command's checks and callback the way the command tree does, for cog tests.
"""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock, create_autospec

import discord
from discord import app_commands
from discord.ext import commands


def fake_interaction(client: Any = None, *, user_id: int = 42, guild_id: int | None = 7) -> Any:
    """An autospec'd ``discord.Interaction`` with autospec'd response and followup."""
    interaction = create_autospec(discord.Interaction, instance=True)
    interaction.client = client
    interaction.user = create_autospec(discord.Member, instance=True)
    interaction.user.id = user_id
    interaction.guild_id = guild_id
    interaction.command = None
    interaction.extras = {}
    response = create_autospec(discord.InteractionResponse, instance=True)
    done = {"value": False}

    def _mark(*_: Any, **__: Any) -> None:
        done["value"] = True

    for name in ("defer", "send_message", "edit_message"):
        getattr(response, name).side_effect = _mark
    response.is_done.side_effect = lambda: done["value"]
    interaction.response = response
    interaction.followup = create_autospec(discord.Webhook, instance=True)
    interaction.followup.send = AsyncMock(return_value=create_autospec(discord.WebhookMessage))
    return interaction


def sent_embeds(call: Any) -> list[dict[str, Any]]:
    """The embeds (as dicts) of one recorded send/edit call."""
    return [e.to_dict() for e in call.kwargs.get("embeds", [])]


def command_of(cog: commands.GroupCog, name: str) -> app_commands.Command[Any, ..., Any]:
    """Return the subcommand ``name`` of a group cog."""
    group = cog.app_command
    assert group is not None, cog
    found = group.get_command(name)
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
        await command.callback(binding, interaction, **options)


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
