"""Share one running computation among identical requests that arrive while it runs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Coalescer(Generic[T]):
    """Runs ``make()`` once per key at a time; callers with the same key await that one run.

    Nothing is cached: a request that arrives after the run finished starts a new one, so a
    result is never older than the run it came from. Cancelling one caller does not cancel the
    run the others are waiting for.
    """

    def __init__(self) -> None:
        self._running: dict[Hashable, asyncio.Future[T]] = {}

    @property
    def running(self) -> int:
        """How many computations are in progress."""
        return len(self._running)

    async def run(self, key: Hashable, make: Callable[[], Awaitable[T]]) -> T:
        """Return the result of ``make()``, shared with every caller of the same ``key`` now."""
        future = self._running.get(key)
        if future is None:
            future = asyncio.ensure_future(make())
            self._running[key] = future
            future.add_done_callback(lambda done: self._finished(key, done))
        return await asyncio.shield(future)

    def _finished(self, key: Hashable, done: asyncio.Future[T]) -> None:
        if self._running.get(key) is done:
            del self._running[key]
        if not done.cancelled():
            done.exception()  # retrieved: every waiter may have been cancelled
