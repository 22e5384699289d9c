"""The local test site itself: content, conditional GET, programmability and the request log."""

from __future__ import annotations

import html
import socket

import feedparser
import httpx

from testing.local_site import FeedItem, LocalSite, Paths


def test_serves_every_seed_article_in_page_chrome(test_site: LocalSite) -> None:
    """Each seed article is a page with its title, a canonical link, sidebar and comment form."""
    assert len(test_site.articles) == 5
    for article in test_site.articles:
        page = httpx.get(test_site.url(article.path)).text
        assert f'<link rel="canonical" href="{test_site.url(article.path)}">' in page
        assert "<h2>Latest</h2>" in page and "Leave a Reply" in page
        assert all(html.escape(p) in page for p in article.paragraphs)


def test_feeds_list_every_article(test_site: LocalSite) -> None:
    """The RSS and Atom feeds both list the five articles with absolute links."""
    for path in (Paths.RSS, Paths.ATOM):
        parsed = feedparser.parse(httpx.get(test_site.url(path)).content)
        links = {entry.link for entry in parsed.entries}
        assert links == {test_site.url(a.path) for a in test_site.articles}


def test_conditional_get_answers_304(test_site: LocalSite) -> None:
    """ETag and Last-Modified validators each produce a 304."""
    first = httpx.get(test_site.url(Paths.RSS))
    by_etag = httpx.get(test_site.url(Paths.RSS), headers={"If-None-Match": first.headers["etag"]})
    by_date = httpx.get(
        test_site.url(Paths.RSS), headers={"If-Modified-Since": first.headers["last-modified"]}
    )
    assert (by_etag.status_code, by_date.status_code) == (304, 304)


def test_new_article_changes_the_feed_validators(test_site: LocalSite) -> None:
    """Publishing an article changes the feed, so old validators no longer match."""
    first = httpx.get(test_site.url(Paths.RSS))
    test_site.add_article("Fresh news", ["A new paragraph about trade."])
    again = httpx.get(test_site.url(Paths.RSS), headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 200 and b"Fresh news" in again.content


def test_add_page_and_set_feed_at_runtime(test_site: LocalSite) -> None:
    """Pages and feeds added at runtime are served."""
    test_site.add_page("/extra", "<p>hi</p>", status=503, headers={"Retry-After": "7"})
    test_site.set_feed("/other.xml", [FeedItem("One", "/news/one")], kind="atom")
    extra = httpx.get(test_site.url("/extra"))
    assert (extra.status_code, extra.headers["retry-after"]) == (503, "7")
    parsed = feedparser.parse(httpx.get(test_site.url("/other.xml")).content)
    assert [e.link for e in parsed.entries] == [test_site.url("/news/one")]


def test_request_log_records_path_headers_and_status(test_site: LocalSite) -> None:
    """Each request is logged with its headers and the status answered."""
    httpx.get(test_site.url(Paths.GONE), headers={"User-Agent": "probe/1"})
    [record] = test_site.requests_for(Paths.GONE)
    assert (record.header("user-agent"), record.status) == ("probe/1", 410)


def test_close_releases_the_port() -> None:
    """After close the port accepts no connections."""
    site = LocalSite().start()
    port = site.port
    site.close()
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
