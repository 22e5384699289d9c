"""Fixtures for the fetch tests: settings, fetchers on the local site, a real Redis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from corpus.settings import Settings
from testing.fetch_settings import LOOPBACK, make_settings
from testing.redis_server import RedisServer
from worker.fetch.http import SafeFetcher


@pytest.fixture
def fetch_settings(tmp_path: Path) -> Settings:
    """Settings that let the fetcher reach the local site on 127.0.0.1."""
    return make_settings(tmp_path)


@pytest.fixture
def fetcher(fetch_settings: Settings) -> Iterator[SafeFetcher]:
    """A SafeFetcher with no robots.txt or politeness, for protocol-level tests."""
    with SafeFetcher(fetch_settings) as safe:
        yield safe


@pytest.fixture
def strict_fetcher(tmp_path: Path) -> Iterator[SafeFetcher]:
    """A SafeFetcher refusing private networks, except the loopback address of the local site."""
    settings = make_settings(tmp_path, allow_private_networks=False)
    with SafeFetcher(settings, allowed_networks=LOOPBACK) as safe:
        yield safe


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    """A client of a fresh redis-server on a free port, stopped after the test."""
    with RedisServer() as server:
        client = redis.Redis.from_url(server.url)
        yield client
        client.close()
