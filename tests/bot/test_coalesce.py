"""Identical requests in flight share one run; nothing is cached after it."""

from __future__ import annotations

import asyncio

import pytest

from bot.coalesce import Coalescer


class Counted:
    """A computation that waits for a release, counting how often it was started."""

    def __init__(self) -> None:
        self.started = 0
        self.release = asyncio.Event()

    async def __call__(self) -> int:
        self.started += 1
        run = self.started
        await self.release.wait()
        return run


async def test_callers_in_flight_share_one_run() -> None:
    runs: Coalescer[int] = Coalescer()
    make = Counted()
    waiting = [asyncio.ensure_future(runs.run("k", make)) for _ in range(5)]
    await asyncio.sleep(0)
    assert runs.running == 1
    make.release.set()
    assert await asyncio.gather(*waiting) == [1] * 5
    assert make.started == 1 and runs.running == 0


async def test_different_keys_run_separately_and_later_calls_run_again() -> None:
    runs: Coalescer[int] = Coalescer()
    make = Counted()
    make.release.set()
    assert await asyncio.gather(runs.run("a", make), runs.run("b", make)) == [1, 2]
    assert await runs.run("a", make) == 3  # finished runs are not cached


async def test_an_error_reaches_every_caller_and_is_not_kept() -> None:
    runs: Coalescer[int] = Coalescer()
    calls = 0

    async def failing() -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0)
        raise LookupError("no such topic")

    results = await asyncio.gather(
        runs.run("k", failing), runs.run("k", failing), return_exceptions=True
    )
    assert [type(r) for r in results] == [LookupError, LookupError] and calls == 1
    with pytest.raises(LookupError):
        await runs.run("k", failing)
    assert calls == 2


async def test_cancelling_one_caller_leaves_the_run_for_the_others() -> None:
    runs: Coalescer[int] = Coalescer()
    make = Counted()
    first = asyncio.ensure_future(runs.run("k", make))
    second = asyncio.ensure_future(runs.run("k", make))
    await asyncio.sleep(0)
    first.cancel()
    await asyncio.sleep(0)
    make.release.set()
    assert await second == 1
    assert first.cancelled()
