"""Feeds, sitemaps and feed discovery: parsed safely, capped, loops detected."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta

import pytest

from testing.hostile_xml import billion_laughs, external_entity
from testing.local_site import FeedItem, Paths
from worker.errors import PermanentError
from worker.feeds import (
    COMMON_FEED_PATHS,
    Item,
    Kind,
    Listing,
    feed_candidates,
    feed_links,
    maybe_gunzip,
    parse_feed,
    parse_sitemap,
    sniff,
)
from worker.pipeline import walk_sitemaps

BILLION_LAUGHS = billion_laughs("https://example.com/a")
EXTERNAL_ENTITY = external_entity("https://example.com/a")

MALFORMED_WITH_ENTRIES = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>News & views</title>
<item><title>First</title><link>https://example.com/1</link></item>
<item><title>Second</title><link>/2</link></item>
</channel>
"""


def _rss(count: int) -> bytes:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    items = "".join(
        f"<item><title>n{i}</title><link>https://example.com/{i}</link>"
        f"<pubDate>{(start + timedelta(minutes=i)).strftime('%a, %d %b %Y %H:%M:%S +0000')}"
        "</pubDate></item>"
        for i in range(count)
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    return f"{head}{items}</channel></rss>".encode()


def test_billion_laughs_is_refused_unexpanded():
    """A billion-laughs feed is refused with a reason, without expanding its entities."""
    with pytest.raises(PermanentError, match="declares XML entities"):
        parse_feed(BILLION_LAUGHS, "https://example.com/feed")


def test_billion_laughs_sitemap_is_refused():
    """The same attack in a sitemap is refused too."""
    sitemap = BILLION_LAUGHS.replace(b"<rss version", b"<urlset x").replace(b"</rss>", b"")
    with pytest.raises(PermanentError, match="entities"):
        parse_sitemap(sitemap, "https://example.com/sitemap.xml")


def test_external_entity_is_refused():
    """A feed declaring an external entity is refused, the file never read."""
    with pytest.raises(PermanentError) as caught:
        parse_feed(EXTERNAL_ENTITY, "https://example.com/feed")
    assert "root:" not in caught.value.reason
    assert "external" in caught.value.reason


def test_malformed_feed_with_entries_is_read_with_warning():
    """A malformed feed that still has entries is read, and the problem is reported."""
    listing = parse_feed(MALFORMED_WITH_ENTRIES, "https://example.com/feed")
    assert [i.url for i in listing.items] == ["https://example.com/1", "https://example.com/2"]
    assert listing.warning is not None
    assert "malformed" in listing.warning


def test_garbage_is_not_a_feed():
    """Bytes that are no feed at all are refused with a reason."""
    with pytest.raises(PermanentError, match=r"not an RSS or Atom feed|could not be read"):
        parse_feed(b"hello, world", "https://example.com/feed")


def test_huge_feed_is_capped_to_newest():
    """A 50,000-item feed yields only the newest 1000 items."""
    listing = parse_feed(_rss(50_000), "https://example.com/feed")
    assert listing.total == 50_000
    assert len(listing.items) == 1000
    assert listing.items[0].url == "https://example.com/49999"
    assert {i.url for i in listing.items} == {
        f"https://example.com/{i}" for i in range(49_000, 50_000)
    }


def test_site_rss_and_atom_list_every_article(test_site):
    """The test site's RSS and Atom feeds list the same article URLs with dates."""
    import httpx

    rss = parse_feed(httpx.get(test_site.url(Paths.RSS)).content, test_site.url(Paths.RSS))
    atom = parse_feed(httpx.get(test_site.url(Paths.ATOM)).content, test_site.url(Paths.ATOM))
    expected = {test_site.url(a.path) for a in test_site.articles}
    assert {i.url for i in rss.items} == expected
    assert {i.url for i in atom.items} == expected
    assert all(i.published is not None for i in rss.items + atom.items)
    assert rss.warning is None


def test_news_sitemap_and_index(test_site):
    """News sitemaps give titles and dates; an index lists its child sitemaps."""
    import httpx

    news = parse_sitemap(httpx.get(test_site.url(Paths.NEWS_SITEMAP)).content, test_site.url("/"))
    assert news.kind == Kind.SITEMAP
    assert {i.title for i in news.items} == {a.title for a in test_site.articles}
    index = parse_sitemap(httpx.get(test_site.url(Paths.SITEMAP_INDEX)).content, test_site.url("/"))
    assert index.kind == Kind.SITEMAP_INDEX
    assert [i.url for i in index.items] == [
        test_site.url(Paths.SITEMAP),
        test_site.url(Paths.NEWS_SITEMAP),
    ]


def test_gzipped_sitemap_is_read_and_bomb_refused():
    """A .xml.gz sitemap is inflated; one that inflates past the cap is refused."""
    body = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://e.com/1</loc></url></urlset>'
    listing = parse_sitemap(gzip.compress(body), "https://e.com/s.xml.gz")
    assert [i.url for i in listing.items] == ["https://e.com/1"]
    with pytest.raises(PermanentError, match="inflates"):
        maybe_gunzip(gzip.compress(b"\0" * 100_000), 1000)


def test_sitemap_index_pointing_to_itself_stops():
    """A sitemap index that lists itself is read once and the loop reported."""
    url = "https://e.com/sitemap_index.xml"
    index = Listing(Kind.SITEMAP_INDEX, (Item(url),), 1)
    reads: list[str] = []

    def read(child: str) -> Listing:
        reads.append(child)
        return index

    items, total, warnings = walk_sitemaps(index, url, read)
    assert (items, total, reads) == ((), 0, [])
    assert any("loop" in w for w in warnings)


def test_sitemap_index_cycle_and_depth_are_bounded():
    """Indexes pointing at each other, or nested deeply, end without endless reading."""
    reads: list[str] = []

    def read(child: str) -> Listing:
        reads.append(child)
        n = int(child.rsplit("/", 1)[-1])
        return Listing(
            Kind.SITEMAP_INDEX, (Item(f"https://e.com/{n + 1}"), Item("https://e.com/0")), 2
        )

    first = Listing(Kind.SITEMAP_INDEX, (Item("https://e.com/1"),), 1)
    items, _, warnings = walk_sitemaps(first, "https://e.com/0", read)
    assert items == ()
    assert len(reads) <= 3
    assert any("deeper" in w for w in warnings)


def test_sniff_tells_kinds_apart():
    """Content sniffing tells feeds, sitemaps, indexes and HTML apart."""
    assert sniff(_rss(1)) == Kind.FEED
    assert sniff(b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">') == Kind.FEED
    assert sniff(b'<?xml version="1.0"?><urlset xmlns="x">') == Kind.SITEMAP
    assert sniff(b'<?xml version="1.0"?><sitemapindex xmlns="x">') == Kind.SITEMAP_INDEX
    assert sniff(b"<!DOCTYPE html><html><body>x</body></html>", "text/html") == Kind.HTML


def test_feed_discovery_from_home_page(test_site):
    """A home page's rel=alternate feeds come first, then the common feed paths."""
    import httpx

    home = httpx.get(test_site.url("/")).text
    links = feed_links(home, test_site.url("/"))
    assert set(links) == {test_site.url(Paths.RSS), test_site.url(Paths.ATOM)}
    candidates = feed_candidates(home, test_site.url("/"))
    assert candidates[: len(links)] == links
    assert test_site.url(COMMON_FEED_PATHS[0]) in candidates


def test_feed_items_relative_links_are_resolved(test_site):
    """Relative links in a feed are made absolute against the feed URL."""
    test_site.set_feed("/relative.xml", [FeedItem("R", "relative/story")], kind="atom")
    import httpx

    listing = parse_feed(
        httpx.get(test_site.url("/relative.xml")).content, test_site.url("/relative.xml")
    )
    assert [i.url for i in listing.items] == [test_site.url("/relative/story")]
