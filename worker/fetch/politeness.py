"""Per-host politeness: a cap on requests in flight and a minimum gap between request starts.

Two implementations share the ``HostLimiter`` protocol: ``InMemoryLimiter`` for threads in one
process (the embedded mode) and ``RedisLimiter`` for several worker processes sharing the limits.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from redis.exceptions import RedisError

from worker.errors import TransientError

if TYPE_CHECKING:
    import redis

    from corpus.settings import Settings


class HostLimiter(Protocol):
    """Grants the right to start one request to a host."""

    def slot(
        self, host: str, *, min_interval: float = 0.0, max_wait: float | None = None
    ) -> AbstractContextManager[None]:
        """Wait for a slot on ``host`` and hold it for the ``with`` block.

        ``min_interval`` raises the gap between request starts (e.g. a robots.txt Crawl-delay)
        above the limiter's own. Raises ``TransientError`` if no slot came within ``max_wait``.
        """
        ...


class LimiterUnavailable(TransientError):
    """The shared limits (Redis) cannot be reached: a fault of ours, not of the site fetched."""


def _busy(host: str, waited: float, retry_after: float) -> TransientError:
    return TransientError(
        f"The host {host} is busy with our other requests (politeness limits); "
        f"no slot came within {waited:g} s, so try again later.",
        retry_after=retry_after,
    )


@dataclass
class _HostState:
    in_flight: int = 0
    last_start: float = -math.inf


class InMemoryLimiter:
    """Per-host limits for the threads of one process."""

    def __init__(self, max_in_flight: int = 2, min_interval: float = 1.0) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self.max_in_flight = max_in_flight
        self.min_interval = min_interval
        self._cond = threading.Condition()
        self._hosts: dict[str, _HostState] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> InMemoryLimiter:
        """Build from ``host_max_in_flight`` and ``host_min_interval``."""
        return cls(settings.worker.host_max_in_flight, settings.worker.host_min_interval)

    @contextmanager
    def slot(
        self, host: str, *, min_interval: float = 0.0, max_wait: float | None = None
    ) -> Iterator[None]:
        """Wait for a slot on ``host`` and hold it for the ``with`` block."""
        key = host.lower()
        interval = max(self.min_interval, min_interval)
        began = time.monotonic()
        with self._cond:
            while True:
                state = self._hosts.setdefault(key, _HostState())
                now = time.monotonic()
                wait: float | None = None
                if state.in_flight < self.max_in_flight:
                    wait = state.last_start + interval - now
                    if wait <= 0:
                        state.in_flight += 1
                        state.last_start = now
                        break
                if max_wait is not None:
                    left = began + max_wait - now
                    if left <= 0:
                        raise _busy(host, max_wait, retry_after=max(interval, 1.0))
                    wait = left if wait is None else min(wait, left)
                self._cond.wait(wait)
        try:
            yield
        finally:
            with self._cond:
                state.in_flight -= 1
                self._forget_idle(time.monotonic())
                self._cond.notify_all()

    def _forget_idle(self, now: float) -> None:
        if len(self._hosts) > 10_000:  # keep memory flat when crawling many hosts
            for key, state in list(self._hosts.items()):
                if state.in_flight == 0 and now - state.last_start > 3600:
                    del self._hosts[key]


# KEYS: in-flight sorted set (token -> expiry ms), last-start key.
# ARGV: max in flight, interval ms, slot ttl ms, token.
# Returns {1, 0} when the slot is taken, {0, wait_ms} otherwise (-1: wait for a release).
# Expired tokens are dropped first, so a killed process cannot hold a slot past its ttl.
_ACQUIRE = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local max_in_flight = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= max_in_flight then
  return {0, -1}
end
local last = redis.call('GET', KEYS[2])
if last then
  local wait = tonumber(last) + interval - now
  if wait > 0 then
    return {0, wait}
  end
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[4])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('SET', KEYS[2], now, 'PX', math.max(interval * 2, 60000))
return {1, 0}
"""


class RedisLimiter:
    """Per-host limits shared by every process using the same Redis.

    A held slot expires after ``slot_ttl`` seconds, so a process killed mid-request frees its
    slot without help. Redis's clock is used for every process, so their clocks need not agree.
    """

    def __init__(
        self,
        client: redis.Redis,
        max_in_flight: int = 2,
        min_interval: float = 1.0,
        *,
        slot_ttl: float = 60.0,
        prefix: str = "newsbrief:polite",
        poll: float = 0.05,
    ) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self.max_in_flight = max_in_flight
        self.min_interval = min_interval
        self.slot_ttl = slot_ttl
        self._client = client
        self._prefix = prefix
        self._poll = poll
        self._acquire = client.register_script(_ACQUIRE)

    @classmethod
    def from_settings(cls, settings: Settings, client: redis.Redis) -> RedisLimiter:
        """Build from settings; a slot outlives the longest possible fetch by 30 s."""
        return cls(
            client,
            settings.worker.host_max_in_flight,
            settings.worker.host_min_interval,
            slot_ttl=settings.worker.fetch_total_timeout + 30.0,
        )

    def _keys(self, host: str) -> list[str]:
        tag = "{" + host.lower() + "}"  # one hash slot per host on a Redis cluster
        return [f"{self._prefix}:{tag}:inflight", f"{self._prefix}:{tag}:last"]

    @contextmanager
    def slot(
        self, host: str, *, min_interval: float = 0.0, max_wait: float | None = None
    ) -> Iterator[None]:
        """Wait for a slot on ``host`` and hold it for the ``with`` block."""
        keys = self._keys(host)
        interval_ms = math.ceil(max(self.min_interval, min_interval) * 1000)
        ttl_ms = math.ceil(self.slot_ttl * 1000)
        token = uuid.uuid4().hex
        began = time.monotonic()
        while True:
            try:
                taken, wait_ms = self._acquire(
                    keys=keys, args=[self.max_in_flight, interval_ms, ttl_ms, token]
                )
            except RedisError as exc:
                raise LimiterUnavailable(
                    f"The shared politeness limits in Redis cannot be reached ({exc}); "
                    "the fetch waits until Redis answers again."
                ) from exc
            if int(taken) == 1:
                break
            wait = self._poll if int(wait_ms) < 0 else int(wait_ms) / 1000
            if max_wait is not None:
                left = began + max_wait - time.monotonic()
                if left <= 0:
                    raise _busy(host, max_wait, retry_after=max(interval_ms / 1000, 1.0))
                wait = min(wait, left)
            time.sleep(max(wait, 0.001))
        try:
            yield
        finally:
            with suppress(RedisError):  # the slot's ttl frees it if Redis is gone
                self._client.zrem(keys[0], token)
