"""Per-host politeness: in-flight cap and spacing, in memory and shared through a real Redis."""

from __future__ import annotations

import itertools
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
import redis

from testing.fetch_settings import make_settings
from testing.local_site import LocalSite, Paths, RequestRecord
from testing.redis_server import free_port
from worker.errors import TransientError
from worker.fetch.http import SafeFetcher
from worker.fetch.politeness import HostLimiter, InMemoryLimiter, RedisLimiter

REPO = Path(__file__).resolve().parents[3]


def max_overlap(records: list[RequestRecord]) -> int:
    """The most requests the server was answering at one moment."""
    events = []
    for r in records:
        assert r.finished is not None
        events += [(r.started, 1), (r.finished, -1)]
    current = peak = 0
    for _, step in sorted(events, key=lambda e: (e[0], e[1])):
        current += step
        peak = max(peak, current)
    return peak


def run_concurrently(count: int, work: Callable[[int], None]) -> None:
    """Run ``work(i)`` in ``count`` threads; re-raise the first failure here."""
    failures: list[BaseException] = []

    def guarded(index: int) -> None:
        try:
            work(index)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    if failures:
        raise failures[0]


def held(limiter: HostLimiter, host: str, **kwargs: float) -> AbstractContextManager[None]:
    """Enter a slot and return its context manager, still held."""
    slot = limiter.slot(host, **kwargs)
    slot.__enter__()
    return slot


# -- in memory -------------------------------------------------------------------------------


def test_memory_caps_requests_in_flight_at_the_server(tmp_path: Path) -> None:
    """Six concurrent fetches of one host never have more than two requests open at once."""
    with LocalSite(slow_bytes=3, slow_interval=0.1) as site:
        limiter = InMemoryLimiter(max_in_flight=2, min_interval=0.0)
        with SafeFetcher(make_settings(tmp_path), limiter=limiter) as fetcher:
            run_concurrently(6, lambda i: fetcher.fetch(site.url(Paths.SLOW)))
        records = site.requests_for(Paths.SLOW)
    assert len(records) == 6
    assert max_overlap(records) == 2


def test_memory_spaces_request_starts(tmp_path: Path, test_site: LocalSite) -> None:
    """Successive requests to one host start at least host_min_interval apart."""
    settings = make_settings(tmp_path, host_min_interval=1.0)
    limiter = InMemoryLimiter.from_settings(settings)
    with SafeFetcher(settings, limiter=limiter) as fetcher:
        for article in test_site.articles[:3]:
            fetcher.fetch(test_site.url(article.path))
    starts = [r.started for r in test_site.requests]
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert len(gaps) == 2
    # Slack for the first request, which also opened the connection before arriving.
    assert min(gaps) >= 0.95


def test_memory_hosts_are_independent() -> None:
    """A host with all slots taken does not hold up another host."""
    limiter = InMemoryLimiter(max_in_flight=1, min_interval=0.0)
    busy = held(limiter, "a.example")
    with limiter.slot("b.example", max_wait=0.5):
        pass
    busy.__exit__(None, None, None)


def test_memory_gives_up_after_max_wait() -> None:
    """When no slot comes within max_wait, a transient error says the host is busy."""
    limiter = InMemoryLimiter(max_in_flight=1, min_interval=0.0)
    busy = held(limiter, "a.example")
    with pytest.raises(TransientError) as caught:
        with limiter.slot("a.example", max_wait=0.2):
            pass
    busy.__exit__(None, None, None)
    assert "busy" in caught.value.reason and caught.value.retry_after


def test_memory_release_frees_the_slot() -> None:
    """After a slot is released, the next request gets it."""
    limiter = InMemoryLimiter(max_in_flight=1, min_interval=0.0)
    with limiter.slot("a.example"):
        pass
    with limiter.slot("a.example", max_wait=0.5):
        pass


def test_memory_larger_crawl_delay_wins() -> None:
    """A min_interval larger than the limiter's own is honoured between starts."""
    limiter = InMemoryLimiter(max_in_flight=2, min_interval=0.1)
    with limiter.slot("a.example"):
        first = time.monotonic()
    with limiter.slot("a.example", min_interval=0.6):
        second = time.monotonic()
    assert second - first >= 0.55


# -- Redis -----------------------------------------------------------------------------------


def test_redis_cap_is_shared_between_limiters(redis_client: redis.Redis) -> None:
    """Two limiters on one Redis (as two processes) share the in-flight cap of a host."""
    a = RedisLimiter(redis_client, max_in_flight=2, min_interval=0.0)
    port = redis_client.connection_pool.connection_kwargs["port"]
    b = RedisLimiter(redis.Redis(port=port), max_in_flight=2, min_interval=0.0)
    first, second = held(a, "news.example"), held(a, "news.example")
    with pytest.raises(TransientError):
        with b.slot("news.example", max_wait=0.3):
            pass
    second.__exit__(None, None, None)
    with b.slot("news.example", max_wait=1.0):
        pass
    first.__exit__(None, None, None)


def test_redis_interval_is_shared_between_limiters(redis_client: redis.Redis) -> None:
    """The gap between request starts holds across limiters sharing Redis."""
    a = RedisLimiter(redis_client, max_in_flight=2, min_interval=0.5)
    b = RedisLimiter(redis_client, max_in_flight=2, min_interval=0.5)
    with a.slot("news.example"):
        first = time.monotonic()
    with b.slot("news.example"):
        second = time.monotonic()
    assert second - first >= 0.45


def test_redis_slot_of_a_killed_process_expires(redis_client: redis.Redis) -> None:
    """A process killed while holding a slot frees it once the slot's ttl has passed."""
    port = redis_client.connection_pool.connection_kwargs["port"]
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, redis\n"
            "from worker.fetch.politeness import RedisLimiter\n"
            f"lim = RedisLimiter(redis.Redis(port={port}), 1, 0.0, slot_ttl=1.0)\n"
            "slot = lim.slot('news.example')\n"
            "slot.__enter__()\n"
            "print('held', flush=True)\n"
            "time.sleep(60)\n",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == b"held"
        holder.kill()
        holder.wait(timeout=5)
        limiter = RedisLimiter(redis_client, 1, 0.0)
        with pytest.raises(TransientError):
            with limiter.slot("news.example", max_wait=0.2):
                pass
        with limiter.slot("news.example", max_wait=5.0):
            pass
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def test_redis_limits_fetches_at_the_server(tmp_path: Path, redis_client: redis.Redis) -> None:
    """Fetchers in several threads, each with its own Redis limiter, keep two in flight."""
    settings = make_settings(tmp_path)
    with LocalSite(slow_bytes=3, slow_interval=0.1) as site:

        def work(_: int) -> None:
            limiter = RedisLimiter.from_settings(settings, redis_client)
            with SafeFetcher(settings, limiter=limiter) as fetcher:
                fetcher.fetch(site.url(Paths.SLOW))

        run_concurrently(5, work)
        records = site.requests_for(Paths.SLOW)
    assert len(records) == 5
    assert max_overlap(records) == 2


def test_redis_keys_expire(redis_client: redis.Redis) -> None:
    """Every key the limiter writes has an expiry, so nothing piles up in Redis."""
    limiter = RedisLimiter(redis_client, 2, 0.1)
    with limiter.slot("news.example"):
        keys = redis_client.keys("newsbrief:polite:*")
        assert keys
        assert all(redis_client.pttl(k) > 0 for k in keys)


def test_redis_unreachable_is_transient() -> None:
    """With Redis gone, asking for a slot is a transient failure saying why."""
    port = free_port()
    limiter = RedisLimiter(redis.Redis(port=port, socket_connect_timeout=1), 2, 0.0)
    with pytest.raises(TransientError) as caught:
        with limiter.slot("news.example"):
            pass
    assert "Redis cannot be reached" in caught.value.reason
