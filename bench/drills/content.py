"""Varied article pages and feeds built from the shipped seeds, served by the local test site.

Each generated article takes one seed's paragraphs, one long paragraph of another seed (at a
varying place) and a lead sentence of its own (a place, a day and figures drawn from the
article's number), so every text is distinct while many share a story with their seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from testing.local_site import FeedItem, LocalSite, SiteArticle, load_seed_articles

CITIES = (
    "Moscow Beijing Vladivostok Harbin Shanghai Novosibirsk Kazan Urumqi Irkutsk Khabarovsk "
    "Guangzhou Yekaterinburg Dalian Omsk Chengdu Murmansk Tianjin Blagoveshchensk"
).split()
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
GOODS = "crude oil|liquefied gas|coal|wheat|soybeans|timber|machinery|cars|fertiliser".split("|")
BASE_TIME = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Feed:
    """One feed of the generated site: its path and the articles it lists."""

    path: str
    articles: tuple[SiteArticle, ...]


def lead_sentence(number: int) -> str:
    """A sentence unique to article ``number``: a place, a day, a good and figures."""
    rng = random.Random(number)
    city = CITIES[number % len(CITIES)]
    return (
        f"Officials in {city} said on {DAYS[number % 7]} that shipments of "
        f"{rng.choice(GOODS)} rose by {number % 97 + 1}.{number % 10} per cent to "
        f"{1000 + number * 7:,} tonnes in the period covered by report number {number}."
    )


def varied_article(number: int, *, prefix: str = "/news/gen") -> SiteArticle:
    """Article ``number``: a seed's paragraphs, varied, with a lead sentence of its own."""
    seeds = _seeds()
    seed = seeds[number % len(seeds)]
    other = seeds[(number // len(seeds) + 1 + number) % len(seeds)]
    body = list(seed.paragraphs)
    borrowed = max(other.paragraphs, key=lambda p: (len(p) > 200, -abs(len(p) - 300 - number % 7)))
    body.insert(min(2 + number % 3, len(body)), borrowed)
    body.insert(0, lead_sentence(number))
    return SiteArticle(
        path=f"{prefix}-{number:06d}",
        title=f"{seed.title} ({CITIES[number % len(CITIES)]} report {number})",
        paragraphs=tuple(body),
        author=seed.author,
        published=BASE_TIME + timedelta(minutes=number),
        summary=body[0][:200],
    )


def _seeds() -> list[SiteArticle]:
    global _SEEDS
    if _SEEDS is None:
        _SEEDS = load_seed_articles()
    return _SEEDS


_SEEDS: list[SiteArticle] | None = None


def feed_items(site: LocalSite, articles: tuple[SiteArticle, ...]) -> list[FeedItem]:
    """Feed items for ``articles``, newest first, with absolute links as guids."""
    ordered = sorted(articles, key=lambda a: a.published, reverse=True)
    return [
        FeedItem(a.title, a.path, a.published, a.summary, a.author, guid=site.url(a.path))
        for a in ordered
    ]


def publish(site: LocalSite, article: SiteArticle) -> None:
    """Serve one article page (without listing it in the site's built-in feeds)."""
    site.add_page(article.path, site.render_article(article))


def publish_feed(site: LocalSite, feed: Feed) -> None:
    """Serve every article of ``feed`` and the RSS document listing them."""
    for article in feed.articles:
        publish(site, article)
    site.set_feed(feed.path, feed_items(site, feed.articles))


def make_feeds(
    site: LocalSite, feeds: int, items: int, *, first: int = 0, name: str = "feed"
) -> list[Feed]:
    """Publish ``feeds`` RSS feeds of ``items`` distinct articles each; return them."""
    out = []
    number = first
    for index in range(feeds):
        articles = []
        for _ in range(items):
            articles.append(varied_article(number))
            number += 1
        feed = Feed(f"/{name}/{index:04d}.xml", tuple(articles))
        publish_feed(site, feed)
        out.append(feed)
    return out


def add_to_feed(site: LocalSite, feed: Feed, number: int) -> tuple[Feed, SiteArticle]:
    """Publish a new article ``number`` at the top of ``feed``; return the new feed."""
    article = varied_article(number)
    article = SiteArticle(
        article.path,
        article.title,
        article.paragraphs,
        article.author,
        datetime.now(UTC).replace(microsecond=0),
        article.summary,
    )
    grown = Feed(feed.path, (article, *feed.articles))
    publish(site, article)
    site.set_feed(feed.path, feed_items(site, grown.articles))
    return grown, article
