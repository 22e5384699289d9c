"""``/search``: full-text search over the stored articles, answered as stories with sources."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import errors
from bot.app import BotResources
from bot.extensions.search._embeds import search_pages
from bot.pager import send_pages
from bot.topic_options import topic_autocomplete
from bot.transactions import in_transaction
from corpus.search import MAX_DAYS, MAX_QUERY, SearchError, search_articles


class SearchCog(commands.Cog):
    """``/search``: read-only, open to everyone."""

    def __init__(self, resources: BotResources) -> None:
        self.resources = resources
        errors.register(SearchError, str)  # worded as sentences for the user

    @app_commands.command(name="search")
    @app_commands.describe(
        query='Words that must all occur; "quote a phrase"',
        topic="Only articles about this topic",
        days="Only articles of the last N days",
    )
    @app_commands.autocomplete(topic=topic_autocomplete)
    async def search(
        self,
        interaction: discord.Interaction[Any],
        query: app_commands.Range[str, 1, MAX_QUERY],
        topic: str | None = None,
        days: app_commands.Range[int, 1, MAX_DAYS] | None = None,
    ) -> None:
        """Search the stored articles: matching stories with their sources."""
        await errors.defer(interaction)
        results = await in_transaction(
            self.resources.sessions, search_articles, query, topic=topic, days=days
        )
        await send_pages(interaction, search_pages(results))
