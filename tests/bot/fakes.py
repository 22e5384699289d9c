"""Spec'd stand-ins for Discord's side of an interaction (the only fakes in the bot tests)."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock, create_autospec

import discord


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
