"""What several extensions share: the session helper, the ``/topics`` group and topic lookups.

Extensions import these from here, never from each other's private modules.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands
from sqlalchemy.orm import Session, sessionmaker

from bot import errors, limits
from bot.app import resources_of
from corpus.db import transaction
from corpus.topics import Topic, get_topic, list_topics

T = TypeVar("T")
TOPICS_GROUP = ("topics", "The topics you can get a brief on")
MAX_CHOICES = 25  # Discord shows at most 25 choices
# Story and source ids are 32-bit INTEGER columns: a larger number could not be looked up.
MAX_ROW_ID = 2**31 - 1


async def in_transaction(
    sessions: sessionmaker[Session], fn: Callable[..., T], *args: Any, **kwargs: Any
) -> T:
    """Run ``fn(session, *args, **kwargs)`` in one transaction in a worker thread.

    The transaction commits unless ``fn`` raises; the thread keeps the event loop free.
    """

    def work() -> T:
        with transaction(sessions) as session:
            return fn(session, *args, **kwargs)

    return await asyncio.to_thread(work)


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
    return found[:MAX_CHOICES]


async def topic_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Suggest stored topics as the user types."""
    topics = await in_transaction(resources_of(interaction).sessions, list_topics)
    return topic_matches(topics, current)
