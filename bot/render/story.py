"""Embeds of one story (``/story id``): every article with its summary, figures and sources."""

from __future__ import annotations

from bot.limits import Embed
from bot.render.brief import figure_embeds, themes_embeds
from bot.render.markup import citation, count, day, link, plain, short
from bot.render.pages import COLOUR, Pages, paged, sources_embeds, text_embeds
from corpus.brief_values import StoryArticle, StoryDetail


def article_block(article: StoryArticle) -> str:
    """Return one article: its citation, outlet, date and linked title, then its summary."""
    ref = article.source
    outlet = plain(ref.outlet) if ref.outlet else "unknown outlet"
    cited = citation(ref.number, {ref.number: ref})
    when = day(ref.published, fetched=ref.date_is_fetched)
    lines = [f"{cited} **{outlet}** · {when} — {link(ref.title or ref.url, ref.url)}"]
    lines += [f"• {plain(sentence)}" for sentence in article.summary]
    if not article.summary:
        lines.append("• (no summary)")
    return "\n".join(lines)


def story_header(detail: StoryDetail) -> Embed:
    """Return the story's header: headline, id, how many outlets and when."""
    span = day(detail.first_seen, fetched=detail.first_seen_is_fetched)
    latest = day(detail.latest, fetched=detail.latest_is_fetched)
    if detail.latest and detail.first_seen and latest != span:
        span = f"{span} – {latest}"
    outlets = count(detail.outlets, "outlet")
    articles = count(len(detail.articles), "article")
    return {
        "title": f"🧵 {short(detail.headline, 250)}",
        "description": f"Story `#{detail.story_id}` · {outlets} · {articles} · {span}",
        "color": COLOUR,
    }


def story_pages(detail: StoryDetail) -> Pages:
    """Return the pages of ``/story``: header, every article's summary, figures, themes, sources."""
    blocks = [article_block(a) for a in detail.articles]
    front = [story_header(detail)]
    front += text_embeds("Articles", blocks, separator="\n\n")
    if detail.figures:
        front += figure_embeds(detail.figures, detail.sources, title="📊 Figures")
    front += themes_embeds(detail.themes)
    return paged(front, sources_embeds(detail.sources))
