"""Canonical URLs: every spelling of one page gives one key."""

from __future__ import annotations

import pytest

from worker.canonical import canonical_url, same_site, site_name


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://example.com/news/story?utm_source=rss&utm_medium=feed&utm_campaign=x",
            "https://example.com/news/story",
        ),
        ("https://example.com/news/story?fbclid=IwAR0abc", "https://example.com/news/story"),
        ("https://example.com/news/story?gclid=xyz&mc_cid=1", "https://example.com/news/story"),
    ],
)
def test_tracking_parameters_are_dropped(url: str, expected: str) -> None:
    """utm_*, fbclid, gclid and newsletter ids do not make a new article."""
    assert canonical_url(url) == expected


def test_meaningful_query_parameters_are_kept_and_sorted() -> None:
    """Parameters that select content stay, in a stable order."""
    assert canonical_url("https://example.com/article?page=2&id=42&utm_source=x") == (
        "https://example.com/article?id=42&page=2"
    )


def test_fragment_is_dropped() -> None:
    """'#comments' points into the same page."""
    assert canonical_url("https://example.com/a/story#comments") == "https://example.com/a/story"


def test_scheme_and_host_are_lowercased_but_path_is_not() -> None:
    """Host names are case-insensitive, paths are not."""
    assert canonical_url("HTTPS://News.Example.COM/World/Story") == (
        "https://news.example.com/World/Story"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://example.com:80/story", "http://example.com/story"),
        ("https://example.com:443/story", "https://example.com/story"),
        ("https://example.com:8443/story", "https://example.com:8443/story"),
    ],
)
def test_default_port_is_stripped(url: str, expected: str) -> None:
    """Only the scheme's default port is removed."""
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/a/story",
        "https://example.com/a/story/",
        "https://example.com/a//story",
        "https://example.com/a/./b/../story",
        "https://example.com/a/story/?utm_term=x",
    ],
)
def test_trailing_slash_and_dot_segments_are_normalised(url: str) -> None:
    """Slash variants of one path give one key."""
    assert canonical_url(url) == "https://example.com/a/story"


def test_site_root_is_written_with_a_slash() -> None:
    """'https://example.com' and 'https://example.com/' are the same page."""
    assert canonical_url("https://example.com") == canonical_url("https://example.com/")
    assert canonical_url("https://example.com") == "https://example.com/"


def test_canonical_url_is_idempotent() -> None:
    """Normalising a canonical URL again changes nothing."""
    once = canonical_url("HTTP://Example.com:80/x/y/?b=2&a=1&utm_source=z#top")
    assert canonical_url(once) == once


@pytest.mark.parametrize("url", ["ftp://example.com/file", "not a url", "https://", "mailto:a@b.c"])
def test_non_web_address_is_refused(url: str) -> None:
    """Only http(s) URLs with a host have a canonical form; the error says why."""
    with pytest.raises(ValueError, match="not a web address"):
        canonical_url(url)


def test_same_site_treats_subdomains_as_one_site() -> None:
    """www and news subdomains of one registered domain are one site; others are not."""
    assert same_site("https://www.bbc.co.uk/a", "https://news.bbc.co.uk/b")
    assert not same_site("https://bbc.co.uk/a", "https://cnn.com/a")
    assert site_name("https://www.bbc.co.uk/news") == "bbc.co.uk"
