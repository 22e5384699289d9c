"""A small thread-safe LRU map, for parts of briefs cached under the stamps of what they show."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

__all__ = ["Memo"]


class Memo:
    """A small thread-safe LRU map of parts composed from rows and the stamps that key them."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        """Return the value under ``key`` (now the most recently used), or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        """Keep ``value`` under ``key``, forgetting the least recently used beyond the size."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
