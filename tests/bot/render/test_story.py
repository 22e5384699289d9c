"""Tests for the /story embeds."""

from __future__ import annotations

from dataclasses import replace

from bot import limits
from bot.render.story import story_pages
from testing import brief_values as f


def test_story_header_names_outlets_articles_and_dates():
    """The header gives the story id, outlet and article counts and the date span."""
    header = story_pages(f.story_detail()).pages[0][0]
    assert header["title"] == "🧵 Trade hits a record"
    assert (
        header["description"] == "Story `#7` · 2 outlets · 2 articles · 18 Nov 2026 – 20 Nov 2026"
    )


def test_story_lists_every_article_with_its_summary():
    """Each article appears with its linked citation, outlet and summary bullets."""
    articles = story_pages(f.story_detail()).pages[0][1]["description"]
    assert "[\\[1\\]](https://outlet1.com/news/1) **outlet1.com**" in articles
    assert "• Second outlet's sentence.\n• More." in articles
    assert "— [" in articles and "](https://outlet1.com/news/1)\n" in articles  # linked title


def test_story_pages_are_valid_and_end_with_sources():
    """Every page respects Discord's limits and the last one lists the sources."""
    pages = story_pages(f.story_detail())
    assert all(limits.check_message(p) == [] for p in pages.pages)
    assert pages.pages[pages.sources_page][0]["title"] == "🔗 Sources"


def test_story_shows_fetch_dates_as_added():
    """An article without a publication date, and a span ending on one, say "added"."""
    detail = f.story_detail()
    fetched = replace(detail.articles[1], source=f.source(2, fetched=True))
    detail = replace(detail, articles=(detail.articles[0], fetched), latest_is_fetched=True)
    header, articles = story_pages(detail).pages[0][:2]
    assert header["description"].endswith("· 18 Nov 2026 – added 20 Nov 2026")
    assert "**outlet2.com** · added 18 Nov 2026 —" in articles["description"]
    assert "**outlet1.com** · 19 Nov 2026 —" in articles["description"]
