"""Full-text search for everyone: ``/search``."""

from __future__ import annotations

from bot.app import NewsbriefBot
from bot.extensions.search._cog import SearchCog


async def setup(bot: NewsbriefBot) -> None:
    """Add ``/search``."""
    await bot.add_cog(SearchCog(bot.resources))
