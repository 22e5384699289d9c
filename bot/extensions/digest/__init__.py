"""Scheduled digests: ``/digest set|off|status|preview`` and the outbox delivery loop."""

from __future__ import annotations

from bot.app import NewsbriefBot
from bot.extensions.digest._cog import DigestCog, delivery_loop


async def setup(bot: NewsbriefBot) -> None:
    """Add the ``/digest`` group; delivery starts when the bot is connected."""
    await bot.add_cog(DigestCog(bot.resources, delivery_loop(bot, bot.resources)))
