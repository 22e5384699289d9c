"""What a user sees when a command fails: one short ephemeral sentence, never a traceback.

Raise ``UserError("sentence")`` from a cog for anything the user can fix. Other exception
types can be given a message with ``register(ExcType, fn)``. Anything unknown is logged
with its traceback and the user is told to try again later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import discord
from discord import app_commands

from bot.limits import CONTENT, cut

log = logging.getLogger(__name__)

FALLBACK = "Something went wrong on our side. Please try again in a minute."


class UserError(Exception):
    """A problem the user can fix; ``str(error)`` is shown to them as is."""


class NotFoundError(UserError):
    """The thing the user asked for does not exist (a topic, a story)."""


class RefusedError(app_commands.CheckFailure):
    """A check refused the user; raise it from an ``app_commands.check`` predicate.

    ``str(error)`` is shown to the user (checks must raise ``CheckFailure`` subclasses,
    or the tree would not route the error to its handler).
    """


_registry: dict[type[BaseException], Callable[[Any], str]] = {}


def register(exc_type: type[BaseException], message: Callable[[Any], str]) -> None:
    """Show ``message(error)`` for errors of ``exc_type`` (e.g. a corpus validation error)."""
    _registry[exc_type] = message


def _missing_permissions(error: app_commands.MissingPermissions) -> str:
    names = ", ".join(
        p.replace("_", " ").replace("guild", "server").title() for p in error.missing_permissions
    )
    return f"You need the {names} permission to use this command."


def user_message(error: BaseException) -> str:
    """Return the sentence to show for ``error``; unknown errors get a generic one."""
    if isinstance(error, app_commands.CommandInvokeError):
        return user_message(error.original)
    if isinstance(error, app_commands.TransformerError):
        if isinstance(error.__cause__, UserError):
            return str(error.__cause__)
        return f"“{error.value}” is not a valid value here."
    if isinstance(error, UserError | RefusedError):
        return str(error)
    for exc_type in type(error).__mro__:
        if exc_type in _registry:
            return _registry[exc_type](error)
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works only in a server, not in direct messages."
    if isinstance(error, app_commands.MissingPermissions):
        return _missing_permissions(error)
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {error.retry_after:.0f} seconds."
    if isinstance(error, app_commands.CheckFailure):
        return "You are not allowed to use this command here."
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return "This command has changed. Please wait a minute and try again."
    return FALLBACK


def is_expected(error: BaseException) -> bool:
    """Return whether ``error`` is a user-side problem (not worth a traceback in the log)."""
    if isinstance(error, app_commands.CommandInvokeError):
        return is_expected(error.original)
    if isinstance(error, UserError | app_commands.CheckFailure | app_commands.TransformerError):
        return True
    return any(t in _registry for t in type(error).__mro__)


PLACEHOLDER = "newsbrief.placeholder"


async def defer(interaction: discord.Interaction[Any], *, ephemeral: bool = False) -> None:
    """Defer (Discord shows "thinking…"); call it first in any command that may take over ~1 s.

    After a public defer the first followup would be public too, so an error would be
    shown to everyone; ``send_ephemeral`` deletes the placeholder first. Call
    ``replied(interaction)`` once the real reply is sent.
    """
    await interaction.response.defer(thinking=True, ephemeral=ephemeral)
    if not ephemeral:
        interaction.extras[PLACEHOLDER] = True


def replied(interaction: discord.Interaction[Any]) -> None:
    """Mark that the deferred reply was sent (the placeholder is no longer a placeholder)."""
    interaction.extras.pop(PLACEHOLDER, None)


async def send_ephemeral(interaction: discord.Interaction[Any], text: str) -> None:
    """Send ``text`` only to the user, whether or not the interaction was answered yet."""
    text = cut(text, CONTENT) or FALLBACK
    if not interaction.response.is_done():
        await interaction.response.send_message(text, ephemeral=True)
        return
    if interaction.extras.pop(PLACEHOLDER, False):
        try:
            await interaction.delete_original_response()
        except discord.HTTPException:
            log.info("could not delete the public placeholder before an error message")
    await interaction.followup.send(text, ephemeral=True)


async def on_app_command_error(
    interaction: discord.Interaction[Any], error: app_commands.AppCommandError
) -> None:
    """Tree error handler: log unexpected errors, tell the user in one ephemeral sentence."""
    command = getattr(interaction.command, "qualified_name", "?")
    if is_expected(error):
        log.info("command /%s refused: %s", command, error)
    else:
        log.error("command /%s failed", command, exc_info=error)
    try:
        await send_ephemeral(interaction, user_message(error))
    except discord.HTTPException:
        log.warning("could not tell the user about the error in /%s", command)
