"""Fetching, safely and politely: URL/address checks, robots.txt, per-host limits, HTTP.

``build_fetcher(settings)`` wires the parts: a robots.txt cache reading through a plain
``SafeFetcher``, and the article/feed ``SafeFetcher`` consulting it, both sharing one limiter.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable

from corpus.settings import Settings
from worker.fetch.http import FetchKind, SafeFetcher
from worker.fetch.politeness import HostLimiter, InMemoryLimiter, RedisLimiter
from worker.fetch.robots import RobotsCache, RobotsPolicy
from worker.fetch.urls import Resolver, check_address, check_url, system_resolver

__all__ = [
    "FetchKind",
    "HostLimiter",
    "InMemoryLimiter",
    "RedisLimiter",
    "RobotsCache",
    "RobotsPolicy",
    "SafeFetcher",
    "build_fetcher",
    "check_address",
    "check_url",
]


def build_fetcher(
    settings: Settings,
    *,
    limiter: HostLimiter | None = None,
    resolver: Resolver = system_resolver,
    allowed_networks: Iterable[str] = (),
    robots_ttl: float = 3600.0,
    ssl_context: ssl.SSLContext | None = None,
) -> SafeFetcher:
    """Build a ``SafeFetcher`` that honours robots.txt and per-host limits (in-memory by default).

    Pass ``RedisLimiter.from_settings(settings, client)`` as ``limiter`` to share the limits
    between worker processes. Closing the returned fetcher closes the robots.txt fetcher too.
    """
    limiter = limiter or InMemoryLimiter.from_settings(settings)
    allowed = tuple(allowed_networks)
    plain = SafeFetcher(
        settings,
        limiter=limiter,
        resolver=resolver,
        allowed_networks=allowed,
        kind="any",
        ssl_context=ssl_context,
    )
    robots = RobotsCache(plain, settings.worker.effective_user_agent, ttl=robots_ttl)
    return SafeFetcher(
        settings,
        limiter=limiter,
        robots=robots,
        resolver=resolver,
        allowed_networks=allowed,
        closing=(plain,),
        ssl_context=ssl_context,
    )
