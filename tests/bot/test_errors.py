"""Tests for bot.errors: short user-facing messages, never a traceback."""

from __future__ import annotations

from unittest.mock import AsyncMock, MagicMock, create_autospec

import discord
from discord import app_commands

from bot import errors


def _command() -> app_commands.Command:
    async def cb(interaction: discord.Interaction) -> None:
        """A command."""

    return app_commands.Command(name="x", description="x", callback=cb)


def _interaction(*, responded: bool) -> MagicMock:
    """A spec'd interaction whose initial response was already sent when ``responded``."""
    interaction = create_autospec(discord.Interaction, instance=True)
    interaction.command = None
    interaction.response = MagicMock()
    interaction.response.is_done.return_value = responded
    interaction.response.send_message = AsyncMock()
    interaction.followup = MagicMock()
    interaction.followup.send = AsyncMock()
    return interaction


def test_user_error_inside_invoke_error_is_shown():
    """A UserError raised by a callback reaches the user as its sentence."""
    error = app_commands.CommandInvokeError(_command(), errors.UserError("Pick a topic."))
    assert errors.user_message(error) == "Pick a topic."


def test_unknown_error_gets_a_generic_sentence():
    """An unexpected exception never shows its text."""
    error = app_commands.CommandInvokeError(_command(), RuntimeError("secret path /etc"))
    assert errors.user_message(error) == errors.FALLBACK


def test_missing_permission_names_it_in_words():
    """A missing permission is named the way Discord's UI names it."""
    error = app_commands.MissingPermissions(["manage_guild"])
    expected = "You need the Manage Server permission to use this command."
    assert errors.user_message(error) == expected


def test_registered_type_uses_its_message():
    """A registered exception type is shown through its message function."""

    class Refused(Exception):
        reason = "That address is private."

    errors.register(Refused, lambda e: e.reason)
    assert errors.user_message(Refused()) == "That address is private."


async def test_handler_answers_ephemerally_before_response():
    """The tree handler sends one ephemeral message when nothing was sent yet."""
    interaction = _interaction(responded=False)
    error = app_commands.CommandInvokeError(_command(), errors.NotFoundError("No story 7."))
    await errors.on_app_command_error(interaction, error)
    interaction.response.send_message.assert_awaited_once_with("No story 7.", ephemeral=True)


async def test_handler_uses_followup_after_defer():
    """After a defer the handler answers through the followup webhook."""
    interaction = _interaction(responded=True)
    await errors.on_app_command_error(interaction, app_commands.NoPrivateMessage())
    interaction.followup.send.assert_awaited_once()
    assert interaction.followup.send.await_args.kwargs["ephemeral"] is True


async def test_long_messages_are_cut_to_discords_content_limit():
    """An error sentence longer than 2000 characters is shortened at a word boundary."""
    interaction = _interaction(responded=False)
    long = "Valid topics: " + ", ".join(f"topic-{i}" for i in range(400)) + "."
    await errors.send_ephemeral(interaction, long)
    sent = interaction.response.send_message.await_args.args[0]
    assert len(sent) <= 2000 and sent.endswith("…")
