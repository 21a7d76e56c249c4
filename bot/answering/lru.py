"""A small least-recently-used map bounded by count and by bytes: the stdin sessions' memories,
the channels' chats, the refused keys. Hand-written: functools.lru_cache caches calls, and
cachetools (not a dependency) bounds one measure at a time, not a count and bytes together."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

# What the memories of all sessions (`Conversations`) may hold together, counted as their
# turns pickle: a count alone lets a few large answers, or many long keys, fill the memory.
MAX_MEMORY_BYTES = 32 * 1024 * 1024
K = TypeVar("K")
V = TypeVar("V")


class SizedLRU(Generic[K, V]):
    """Values under keys, the least recently used dropped beyond `limit` values or `max_bytes`
    together as `size` counts a value (read again at each drop: a value may grow once got;
    no `size`: counted, not sized). Shared by the stdin sessions and the channels' chats."""

    def __init__(self, limit: int, max_bytes: int = MAX_MEMORY_BYTES, size: Callable[[V], int] | None = None):
        self.limit, self.max_bytes, self._size = limit, max_bytes, size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    @property
    def size(self) -> int:
        """Bytes the values take, as `size` counts them (0 without it)."""
        measure = self._size
        return sum(measure(v) for v in list(self._items.values())) if measure else 0

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The value under `key` (`make()` for a new key), now the most recently used. The values
        beyond the limits are dropped here, the least recently used first, before the caller adds to it."""
        measure = self._size or (lambda _: 0)
        with self._lock:
            value = self._items.pop(key) if key in self._items else make()
            total = self.size + measure(value)
            while self._items and (len(self._items) >= self.limit or total > self.max_bytes):
                total -= measure(self._items.popitem(last=False)[1])
            self._items[key] = value
            return value
