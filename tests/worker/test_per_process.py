"""``PerProcess``: one value per process, built on first use, rebuilt after a fork."""

from __future__ import annotations

import os
import threading

import pytest

from worker.per_process import PerProcess


def test_builds_once_on_first_use() -> None:
    """Nothing is built until asked; then every call returns the same value."""
    built: list[object] = []

    def build() -> object:
        built.append(object())
        return built[-1]

    holder = PerProcess(build)
    assert built == []
    first = holder()
    assert holder() is first and built == [first]


def test_threads_share_one_value() -> None:
    """Threads asking at once get one value, built once."""
    calls: list[int] = []
    holder = PerProcess(lambda: calls.append(1) or object())
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(holder())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len({id(r) for r in results}) == 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_builds_its_own() -> None:
    """A child forked after the parent built its value builds a new one (as prefork workers do)."""
    holder = PerProcess(os.getpid)
    assert holder() == os.getpid()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.close(read)
        os.write(write, str(holder()).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        built_in_child = int(pipe.read())
    os.waitpid(child, 0)
    assert built_in_child == child
    assert holder() == os.getpid()
