"""Admins add topics: ``/topics add`` (``/topics list`` comes with the brief extension)."""

from __future__ import annotations

from bot.app import NewsbriefBot, shared_group
from bot.common import TOPICS_GROUP
from bot.extensions.admin_topics._cog import topics_add


async def setup(bot: NewsbriefBot) -> None:
    """Add ``add`` under the shared ``/topics`` group."""
    shared_group(bot, *TOPICS_GROUP).add_command(topics_add)
