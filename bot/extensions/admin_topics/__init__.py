"""Admins manage topics: ``/topics add|edit|remove`` (``list`` comes with the brief)."""

from __future__ import annotations

from bot.app import NewsbriefBot, shared_group
from bot.extensions.admin_topics._cog import topics_add, topics_edit, topics_remove
from bot.topic_options import TOPICS_GROUP


async def setup(bot: NewsbriefBot) -> None:
    """Add ``add``, ``edit`` and ``remove`` under the shared ``/topics`` group."""
    group = shared_group(bot, *TOPICS_GROUP)
    group.add_command(topics_add)
    group.add_command(topics_edit)
    group.add_command(topics_remove)
