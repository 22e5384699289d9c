"""robots.txt: rules honoured, Crawl-delay read, failures mapped, results cached per site."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.settings import Settings
from testing.fetch_settings import make_settings
from testing.local_site import ROBOTS_CRAWL_DELAY, LocalSite, Paths
from worker.errors import PermanentError, TransientError
from worker.fetch import build_fetcher
from worker.fetch.http import SafeFetcher
from worker.fetch.robots import RobotsCache

UA = "newsbrief/0.1 (+https://github.com/newsbrief/newsbrief)"


def make_robots(settings: Settings, **kwargs: float) -> tuple[SafeFetcher, RobotsCache]:
    plain = SafeFetcher(settings, kind="any")
    return plain, RobotsCache(plain, UA, **kwargs)


def test_disallowed_path_is_refused(fetch_settings: Settings, test_site: LocalSite) -> None:
    """A path under Disallow is not allowed; others are."""
    plain, robots = make_robots(fetch_settings)
    with plain:
        assert not robots.allowed(test_site.url(Paths.DISALLOWED))
        assert robots.allowed(test_site.url(test_site.articles[0].path))


def test_crawl_delay_is_read(fetch_settings: Settings, test_site: LocalSite) -> None:
    """The Crawl-delay of the site is reported."""
    plain, robots = make_robots(fetch_settings)
    with plain:
        assert robots.crawl_delay(test_site.url("/")) == float(ROBOTS_CRAWL_DELAY)


def test_robots_is_fetched_once_per_site(fetch_settings: Settings, test_site: LocalSite) -> None:
    """Many checks on one site fetch robots.txt once while the cache is fresh."""
    plain, robots = make_robots(fetch_settings)
    with plain:
        for article in test_site.articles:
            robots.check(test_site.url(article.path))
        robots.crawl_delay(test_site.url("/"))
    assert len(test_site.requests_for(Paths.ROBOTS)) == 1


def test_expired_cache_revalidates_conditionally(
    fetch_settings: Settings, test_site: LocalSite
) -> None:
    """After the TTL robots.txt is asked for again with its ETag, and a 304 keeps the rules."""
    now = [0.0]
    plain = SafeFetcher(fetch_settings, kind="any")
    robots = RobotsCache(plain, UA, ttl=10, clock=lambda: now[0])
    with plain:
        robots.check(test_site.url("/"))
        now[0] = 11.0
        assert not robots.allowed(test_site.url(Paths.DISALLOWED))
    first, second = test_site.requests_for(Paths.ROBOTS)
    assert first.header("If-None-Match") is None
    assert second.header("If-None-Match") is not None and second.status == 304


def test_missing_robots_allows_everything(fetch_settings: Settings, test_site: LocalSite) -> None:
    """A robots.txt that answers 404 allows every path."""
    test_site.remove(Paths.ROBOTS)
    plain, robots = make_robots(fetch_settings)
    with plain:
        assert robots.allowed(test_site.url(Paths.DISALLOWED))
        assert robots.crawl_delay(test_site.url("/")) is None


def test_robots_5xx_disallows_for_now(fetch_settings: Settings, test_site: LocalSite) -> None:
    """A robots.txt that answers 503 means: fetch nothing now, try again later."""
    test_site.add_page(Paths.ROBOTS, "down", status=503, content_type="text/plain")
    plain, robots = make_robots(fetch_settings, error_ttl=300)
    with plain:
        assert not robots.allowed(test_site.url("/"))
        with pytest.raises(TransientError) as caught:
            robots.check(test_site.url("/"))
    assert "robots.txt" in caught.value.reason and "503" in caught.value.reason
    assert caught.value.retry_after is not None and caught.value.retry_after > 0
    assert len(test_site.requests_for(Paths.ROBOTS)) == 1  # the failure is cached too


def test_fetcher_refuses_disallowed_page(tmp_path: Path, test_site: LocalSite) -> None:
    """The wired fetcher refuses a page robots.txt disallows, without requesting it."""
    with build_fetcher(make_settings(tmp_path)) as fetcher:
        with pytest.raises(PermanentError) as caught:
            fetcher.fetch(test_site.url(Paths.DISALLOWED))
    assert "robots.txt" in caught.value.reason and "does not allow" in caught.value.reason
    assert test_site.requests_for(Paths.DISALLOWED) == []


def test_fetcher_checks_robots_on_redirect_hops(tmp_path: Path) -> None:
    """A redirect into a disallowed path is refused at that hop."""
    with LocalSite(crawl_delay=None) as site:
        site.add_redirect("/to-private", Paths.DISALLOWED)
        with build_fetcher(make_settings(tmp_path)) as fetcher:
            with pytest.raises(PermanentError):
                fetcher.fetch(site.url("/to-private"))
        assert [r.path for r in site.requests] == [Paths.ROBOTS, "/to-private"]


def test_crawl_delay_spaces_requests(tmp_path: Path, test_site: LocalSite) -> None:
    """Requests to a site whose robots.txt sets Crawl-delay 2 start at least 2 s apart."""
    with build_fetcher(make_settings(tmp_path, host_min_interval=0.0)) as fetcher:
        for article in test_site.articles[:2]:
            fetcher.fetch(test_site.url(article.path))
    starts = [r.started for r in test_site.requests if r.path != Paths.ROBOTS]
    assert len(starts) == 2
    # A little slack: the first request also paid for opening the connection.
    assert starts[1] - starts[0] >= ROBOTS_CRAWL_DELAY - 0.05


def test_site_without_crawl_delay_reports_none(fetch_settings: Settings) -> None:
    """A robots.txt with rules but no Crawl-delay reports none, and still disallows."""
    with LocalSite(crawl_delay=None) as site:
        plain, robots = make_robots(fetch_settings)
        with plain:
            assert robots.crawl_delay(site.url("/")) is None
            assert not robots.allowed(site.url(Paths.DISALLOWED))


def test_an_unreachable_host_is_blamed_not_its_robots_txt(tmp_path: Path) -> None:
    """A refused connection says the host is unreachable, without robots.txt or "until"."""
    import socket

    from worker.errors import HostUnreachable

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with build_fetcher(make_settings(tmp_path)) as fetcher:
        with pytest.raises(HostUnreachable) as caught:
            fetcher.fetch(f"http://127.0.0.1:{port}/story.html")
    reason = caught.value.reason
    assert reason.startswith("The host 127.0.0.1 is unreachable: it refused the connection")
    assert "robots.txt" not in reason and "until" not in reason
    assert caught.value.retry_after is not None  # still retried later by the worker
