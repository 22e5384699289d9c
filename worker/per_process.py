"""A value built lazily once per process, for resources that must not cross a fork."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class PerProcess(Generic[T]):
    """Build a value on first use in each process, once, and hand out that one.

    Celery's prefork pool forks its workers from the process that registered the tasks;
    engines, sockets and clients made before the fork must not be shared with the children.
    The holder remembers which process built its value and builds a fresh one in any other.
    """

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._value: T | None = None

    def __call__(self) -> T:
        """Return this process's value, building it first if this process has none."""
        with self._lock:
            if self._value is None or self._pid != os.getpid():
                self._value = self._build()
                self._pid = os.getpid()
            return self._value
