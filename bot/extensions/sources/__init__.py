"""Admins manage the sources the worker polls: ``/sources add|list|remove|pause|resume|alerts``."""

from __future__ import annotations

from bot.app import NewsbriefBot
from bot.extensions.sources._cog import SourcesCog


async def setup(bot: NewsbriefBot) -> None:
    """Add the ``/sources`` group."""
    await bot.add_cog(SourcesCog(bot.resources))
