"""A least-recently-used map bounded by the bytes of what it holds, kept in one process.

For values that are a pure function of their key, where the key names every input (e.g. the
build stamps of the day summaries a figure was computed from): a process that finds a key
gives what it would compute again, so what it keeps decides nothing on its own.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class SizedMemo:
    """Values by key, the least recently used dropped when they would hold over `max_bytes`
    (a value bigger than that is not kept)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get_or_compute(
        self, key: Hashable, compute: Callable[[], Any], size: Callable[[Any], int]
    ) -> Any:
        """The value kept for `key`, else compute() (kept when it fits: size(value) bytes)."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found[0]
        value = compute()
        nbytes = size(value)
        if nbytes > self.max_bytes:
            return value
        with self._lock:
            if key not in self._items:
                self._items[key] = (value, nbytes)
                self._bytes += nbytes
            while self._bytes > self.max_bytes:
                _key, (_value, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
