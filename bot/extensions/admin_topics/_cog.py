"""``/topics add``: an admin defines a new topic; stored articles are tagged with it at once."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from sqlalchemy.orm import Session

from bot import errors
from bot.app import BotResources, resources_of
from bot.common import in_transaction
from bot.extensions.admin_topics import _embeds
from bot.pager import to_discord
from corpus import topics
from corpus.topics import Topic, TopicError

errors.register(TopicError, str)  # worded as sentences for the admin


def _add(
    session: Session,
    slug: str,
    name: str,
    sides: list[list[str]],
    aliases: list[str],
    min_mentions: int,
    guild_id: int | None,
    user_id: int,
) -> Topic:
    return topics.add_topic(
        session,
        slug.strip().lower(),
        name,
        sides,
        aliases=aliases,
        min_mentions=min_mentions,
        added_by_guild=guild_id,
        added_by_user=user_id,
    )


@app_commands.command(name="add")
@app_commands.describe(
    slug="Short name to type, lower-case with hyphens, e.g. india-china",
    name="Display name, e.g. India–China relations",
    side_a="Terms naming the first party, comma-separated: India, Indian, New Delhi, Modi",
    side_b="Terms naming the second party, comma-separated: China, Chinese, Beijing, Xi",
    aliases="Other names people type for it, comma-separated",
    min_mentions="How often each side must be mentioned in an article (default 3)",
)
@app_commands.guild_only()
@app_commands.checks.has_permissions(manage_guild=True)
async def topics_add(
    interaction: discord.Interaction[Any],
    slug: app_commands.Range[str, 1, 64],
    name: app_commands.Range[str, 1, 128],
    side_a: app_commands.Range[str, 1, 1000],
    side_b: app_commands.Range[str, 1, 1000],
    aliases: app_commands.Range[str, 1, 500] | None = None,
    min_mentions: app_commands.Range[int, 1, 20] = topics.DEFAULT_MIN_MENTIONS,
) -> None:
    """Admins: add a topic people can get briefs and digests on."""
    resources: BotResources = resources_of(interaction)
    sides = [s for s in (_embeds.terms(side_a), _embeds.terms(side_b)) if s]
    await errors.defer(interaction, ephemeral=True)
    topic = await in_transaction(
        resources.sessions,
        _add,
        slug,
        name,
        sides,
        _embeds.terms(aliases),
        min_mentions,
        interaction.guild_id,
        interaction.user.id,
    )
    await interaction.edit_original_response(embeds=to_discord([_embeds.added_embed(topic, None)]))
    errors.replied(interaction)
    tagged = await in_transaction(resources.sessions, topics.retag_topics, topic)
    await interaction.edit_original_response(
        embeds=to_discord([_embeds.added_embed(topic, tagged)])
    )
