"""``/topics add|edit|remove``: admins define, change and remove topics; articles are retagged.

``/topics`` is shared with ``/topics list`` (open to everyone), and Discord applies default
permissions only to top-level commands; so each admin subcommand is guild-only, carries
``default_permissions(manage_guild)`` for when it is synced on its own, and checks Manage
Server on our side whatever the server's settings let through.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from sqlalchemy.orm import Session

from bot import errors
from bot.app import BotResources, resources_of
from bot.extensions.admin_topics import _embeds
from bot.pager import to_discord
from bot.topic_options import topic_autocomplete
from bot.transactions import in_transaction
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


def _edit(
    session: Session,
    slug: str,
    name: str | None,
    side_a: list[str],
    side_b: list[str],
    aliases: list[str] | None,
    min_mentions: int | None,
) -> Topic:
    """Apply an edit; a side not given keeps its terms."""
    sides: list[list[str]] | None = None
    if side_a or side_b:
        current = topics.get_topic(session, slug)
        old = [list(side) for side in current.sides] if current is not None else []
        first = side_a or (old[0] if old else [])
        second = side_b or (old[1] if len(old) > 1 else [])
        sides = [side for side in (first, second, *old[2:]) if side]
    return topics.edit_topic(
        session, slug, name=name, sides=sides, aliases=aliases, min_mentions=min_mentions
    )


@app_commands.command(name="edit")
@app_commands.describe(
    topic="The topic to change (one added with /topics add)",
    name="New display name",
    side_a="New terms for the first party, comma-separated",
    side_b="New terms for the second party, comma-separated",
    aliases="New other names, comma-separated (replaces the old ones)",
    min_mentions="How often each side must be mentioned in an article",
)
@app_commands.autocomplete(topic=topic_autocomplete)
@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
@app_commands.checks.has_permissions(manage_guild=True)
async def topics_edit(
    interaction: discord.Interaction[Any],
    topic: app_commands.Range[str, 1, 64],
    name: app_commands.Range[str, 1, 128] | None = None,
    side_a: app_commands.Range[str, 1, 1000] | None = None,
    side_b: app_commands.Range[str, 1, 1000] | None = None,
    aliases: app_commands.Range[str, 1, 500] | None = None,
    min_mentions: app_commands.Range[int, 1, 20] | None = None,
) -> None:
    """Admins: change a topic you added; stored articles are retagged."""
    resources: BotResources = resources_of(interaction)
    await errors.defer(interaction, ephemeral=True)
    changed = await in_transaction(
        resources.sessions,
        _edit,
        topic,
        name,
        _embeds.terms(side_a),
        _embeds.terms(side_b),
        _embeds.terms(aliases) if aliases is not None else None,
        min_mentions,
    )
    title = "🗂️ Topic changed"
    await interaction.edit_original_response(
        embeds=to_discord([_embeds.added_embed(changed, None, title=title)])
    )
    errors.replied(interaction)
    tagged = await in_transaction(resources.sessions, topics.retag_topics, changed)
    await interaction.edit_original_response(
        embeds=to_discord([_embeds.added_embed(changed, tagged, title=title)])
    )


@app_commands.command(name="remove")
@app_commands.describe(topic="The topic to remove (one added with /topics add)")
@app_commands.autocomplete(topic=topic_autocomplete)
@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
@app_commands.checks.has_permissions(manage_guild=True)
async def topics_remove(
    interaction: discord.Interaction[Any], topic: app_commands.Range[str, 1, 64]
) -> None:
    """Admins: remove a topic you added and its article tags (the articles stay)."""
    resources: BotResources = resources_of(interaction)
    await errors.defer(interaction, ephemeral=True)
    removed, sources_cleared = await in_transaction(resources.sessions, topics.remove_topic, topic)
    await errors.send_ephemeral(interaction, _embeds.removed_text(removed, sources_cleared))
