"""Briefs for everyone: ``/brief``, ``/figures``, ``/story`` and ``/topics list``."""

from __future__ import annotations

from bot.app import NewsbriefBot, shared_group
from bot.extensions.brief._cog import BriefCog, topics_list
from bot.topic_options import TOPICS_GROUP


async def setup(bot: NewsbriefBot) -> None:
    """Add the brief commands and ``list`` under the shared ``/topics`` group."""
    await bot.add_cog(BriefCog(bot.resources))
    shared_group(bot, *TOPICS_GROUP).add_command(topics_list)
