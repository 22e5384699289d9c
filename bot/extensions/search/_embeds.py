"""Pure builders of what ``/search`` shows: matching stories with citations, then sources."""

from __future__ import annotations

from bot.render.brief import story_block
from bot.render.markup import by_number, count, plain
from bot.render.pages import Pages, paged, sources_embeds, text_embeds
from corpus.search import SearchResults


def _what(results: SearchResults) -> str:
    where = f" in {plain(results.topic_name)}" if results.topic_name else ""
    days = results.days
    when = (
        "" if days is None else (" in the last day" if days == 1 else f" in the last {days} days")
    )
    return f"“{plain(results.query)}”{where}{when}"


def search_pages(results: SearchResults) -> Pages:
    """Return the ``/search`` reply: one block per matching story, paged, then the sources."""
    sources = by_number(results.sources)
    blocks = [story_block(story, sources) for story in results.stories]
    if not blocks:
        blocks = [
            f"Nothing matches {_what(results)}. Every word must occur; try fewer words, "
            "another spelling, or a longer window."
        ]
    more = " · only the best matches are shown" if results.capped else ""
    footer = (
        f"{count(len(results.stories), 'story', 'stories')} · "
        f"{count(len(results.sources), 'article')}{more} · /story ID for one story in full"
    )
    embeds = text_embeds(f"🔎 {_what(results)}", blocks, footer=footer, separator="\n\n")
    return paged(embeds, sources_embeds(results.sources))
