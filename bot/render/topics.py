"""What ``/topics list`` shows: every topic's name, the slug to type and its aliases."""

from __future__ import annotations

from collections.abc import Sequence

from bot.render.markup import plain
from bot.render.pages import Pages, paged, text_embeds
from corpus.topic_rules import Topic

NO_TOPICS = "No topics yet. An admin can add one with /topics add."


def topic_lines(topics: Sequence[Topic]) -> list[str]:
    """Return one line per topic: its name, the slug to type and its aliases."""
    lines = []
    for topic in topics:
        aliases = f" (also {plain(', '.join(topic.aliases))})" if topic.aliases else ""
        lines.append(f"**{plain(topic.name)}** — `{topic.slug}`{aliases}")
    return lines


def topics_pages(topics: Sequence[Topic]) -> Pages:
    """Return the reply to ``/topics list``, in pages."""
    lines = topic_lines(topics) or [NO_TOPICS]
    return paged(text_embeds("🗂️ Topics", lines, footer="Use /brief TOPIC for a brief"), [])
