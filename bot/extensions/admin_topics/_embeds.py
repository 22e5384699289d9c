"""Pure builders of what ``/topics add|edit|remove`` show, and parsing of their term lists."""

from __future__ import annotations

from bot.limits import Embed
from bot.render.markup import count, plain
from bot.render.pages import COLOUR
from corpus.topics import Topic


def terms(text: str | None) -> list[str]:
    """Split a comma-separated option into terms, dropping blanks and repeats."""
    if not text:
        return []
    return list(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))


def added_embed(topic: Topic, tagged: int | None, *, title: str = "🗂️ Topic added") -> Embed:
    """Return the reply to ``/topics add`` or ``edit``: the rule, and how many articles match."""
    sides = "\n".join(
        f"Side {i}: {', '.join(plain(t) for t in side)}" for i, side in enumerate(topic.sides, 1)
    )
    aliases = f"\nAliases: {', '.join(plain(a) for a in topic.aliases)}" if topic.aliases else ""
    rule = (
        f"An article matches when each side is mentioned at least {topic.min_mentions} times "
        f"and the sides meet in at least {count(topic.min_shared_sentences, 'sentence')}."
    )
    if tagged is None:
        found = "⏳ Tagging the stored articles…"
    else:
        found = f"✅ {count(tagged, 'stored article')} already match."
    return {
        "title": f"{title}: {plain(topic.name)}",
        "description": f"`{topic.slug}`\n{sides}{aliases}\n\n{rule}\n{found}",
        "color": COLOUR,
        "footer": {"text": f"/brief {topic.slug} · new articles are tagged as they arrive"},
    }


def removed_text(topic: Topic, sources_cleared: int) -> str:
    """Return the reply to ``/topics remove``."""
    text = (
        f"Removed the topic `{topic.slug}` ({plain(topic.name)}); its articles stay, "
        "untagged from it."
    )
    if sources_cleared:
        text += f" {count(sources_cleared, 'source')} no longer name a topic."
    return text
