"""Embeds from lines of text, packed in order into numbered pages within Discord's limits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot import limits
from bot.limits import Embed
from bot.render.markup import source_line
from corpus.brief_values import SourceRef

COLOUR = 0x2B6CB0
# Room kept free in each description for the page footer and the other embeds of a page.
DESCRIPTION_ROOM = 3800


def text_embeds(
    title: str, lines: Sequence[str], *, footer: str | None = None, separator: str = "\n"
) -> list[Embed]:
    """Return one embed per chunk of ``lines``; the title is repeated with (n/N) when split."""
    chunks = limits.chunk_lines(lines, DESCRIPTION_ROOM, separator=separator)
    embeds: list[Embed] = []
    for i, chunk in enumerate(chunks, 1):
        suffix = f" ({i}/{len(chunks)})" if len(chunks) > 1 else ""
        embed: Embed = {"title": limits.cut(title, limits.TITLE - len(suffix)) + suffix}
        embed.update({"description": chunk, "color": COLOUR})
        if footer:
            embed["footer"] = {"text": footer}
        embeds.append(embed)
    return embeds


def pack(embeds: Sequence[Embed], *, budget: int = limits.EMBED_TOTAL - 200) -> list[list[Embed]]:
    """Pack embeds in order into pages within the per-message limits.

    ``budget`` keeps room for the page footer added afterwards.
    """
    pages: list[list[Embed]] = []
    page: list[Embed] = []
    for embed in embeds:
        fitted = limits.fit_embed(embed, budget)
        full = len(page) >= limits.EMBEDS_PER_MESSAGE
        if page and (full or limits.message_size([*page, fitted]) > budget):
            pages.append(page)
            page = []
        page.append(fitted)
    if page:
        pages.append(page)
    return pages


def number_pages(pages: Sequence[list[Embed]]) -> list[list[Embed]]:
    """Add "Page i/N" to the footer of each page's last embed, then fit each page."""
    total = len(pages)
    out: list[list[Embed]] = []
    for i, page in enumerate(pages, 1):
        embeds = [dict(e) for e in page]
        if total > 1 and embeds:
            last = embeds[-1]
            old = (last.get("footer") or {}).get("text")
            text = f"Page {i}/{total}" + (f" · {old}" if old else "")
            last["footer"] = {"text": text}
        out.append(limits.fit_message(embeds))
    return out


@dataclass(frozen=True)
class Pages:
    """A reply split into pages; ``sources_page`` is where the source list starts (or None)."""

    pages: list[list[Embed]]
    sources_page: int | None = None


def sources_embeds(sources: Sequence[SourceRef]) -> list[Embed]:
    """Return the source list: number, linked title, outlet and date."""
    if not sources:
        return []
    return text_embeds("🔗 Sources", [source_line(s) for s in sources])


def paged(front: Sequence[Embed], sources: Sequence[Embed]) -> Pages:
    """Pack ``front`` into pages, then ``sources`` starting on a page of their own."""
    pages = pack(front)
    start = len(pages) if sources else None
    pages += pack(sources)
    return Pages(pages=number_pages(pages), sources_page=start)
