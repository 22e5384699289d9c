"""Topics as options of slash commands: the shared ``/topics`` group, lookup, autocomplete.

Extensions import these from here, never from each other's private modules.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from sqlalchemy.orm import Session

from bot import errors, limits
from bot.app import resources_of
from bot.transactions import in_transaction
from corpus.topics import Topic, get_topic, list_topics

TOPICS_GROUP = ("topics", "The topics you can get a brief on")


def known_topic(session: Session, topic: str) -> str:
    """Return the slug of ``topic`` (a slug or an alias), or refuse it."""
    found = get_topic(session, topic)
    if found is None:
        raise errors.UserError(f"There is no topic “{topic}”. /topics list shows them.")
    return found.slug


def topic_matches(topics: list[Topic], current: str) -> list[app_commands.Choice[str]]:
    """Return the topics whose slug, name or an alias contains ``current``, at most 25."""
    needle = current.lower().strip()
    found = [
        app_commands.Choice(name=limits.cut(f"{t.name} ({t.slug})", 100), value=t.slug)
        for t in topics
        if any(needle in text.lower() for text in (t.slug, t.name, *t.aliases))
    ]
    return found[: limits.MAX_CHOICES]


async def topic_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Suggest stored topics as the user types."""
    topics = await in_transaction(resources_of(interaction).sessions, list_topics)
    return topic_matches(topics, current)
