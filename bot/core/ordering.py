"""One-at-a-time processing per conversation, concurrency across conversations."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager


class _Entry:
    __slots__ = ("holders", "lock")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.holders = 0


class KeyedLocks:
    """A FIFO lock per key, forgotten as soon as nobody holds or waits for it.

    ``asyncio.Lock`` wakes waiters in the order they arrived, so updates of one conversation
    run in arrival order as long as the caller enters :meth:`hold` in that order. Idle keys
    are dropped, so memory does not grow with the number of users ever seen.
    """

    def __init__(self) -> None:
        self._entries: dict[Hashable, _Entry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        """Hold the lock of ``key`` for the body of the ``async with``."""
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry()
        entry.holders += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.holders -= 1
            if entry.holders == 0:
                del self._entries[key]
