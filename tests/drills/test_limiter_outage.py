"""Regression: while our own Redis is down, robots.txt of a site is not remembered as unreadable."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

from corpus.settings import Settings
from testing.local_site import LocalSite
from testing.redis_server import RedisServer
from worker.errors import TransientError
from worker.fetch import build_fetcher
from worker.fetch.politeness import RedisLimiter

pytestmark = pytest.mark.drill


def test_fetch_works_again_as_soon_as_redis_is_back(tmp_path: Path) -> None:
    """A fetch during a Redis restart is transient; the next one, once it is back, succeeds."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        allow_private_networks=True,
        host_min_interval=0.0,
    )
    server = RedisServer(tmp_path).start()
    client = redis.Redis.from_url(server.url)
    limiter = RedisLimiter.from_settings(settings, client)
    try:
        with (
            LocalSite(crawl_delay=None) as site,
            build_fetcher(settings, limiter=limiter) as fetcher,
        ):
            first_page = site.url(site.articles[0].path)
            server.stop()
            with pytest.raises(TransientError, match="Redis cannot be reached"):
                fetcher.fetch(first_page)
            server.start()
            page = fetcher.fetch(first_page)
    finally:
        client.close()
        server.stop()
    assert page.status == 200
