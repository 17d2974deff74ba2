"""One-at-a-time processing per conversation, concurrency across conversations.

In one process, :class:`KeyedLocks`; across worker processes on one database, a
:class:`SharedLocks` as well (each turn takes both).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

from bot.core.events import UserKey


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


class TurnHold(Protocol):
    """The locks one turn holds in a database several workers share."""

    async def take(self, key: UserKey) -> None:
        """Wait until no other worker's turn holds ``key``; hold it until the turn ends.

        Raises:
            bot.errors.StorageError: the database is unreachable (the turn fails politely).

        """
        ...


class SharedLocks(Protocol):
    """Per-person locks across worker processes (``storage.pg_coordination``)."""

    def turn(self) -> AbstractAsyncContextManager[TurnHold]:
        """Hold what a turn needs to take locks; everything taken is released at the end."""
        ...


class LocalOnly:
    """The hold of a process that shares its database with nobody: it takes nothing."""

    async def take(self, key: UserKey) -> None:
        """Nothing to take: :class:`KeyedLocks` orders this process's turns."""

    async def __aenter__(self) -> LocalOnly:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


class Leader(Protocol):
    """A lease one worker of several holds at a time (for Telegram's single-consumer polling)."""

    async def acquire(self) -> None:
        """Wait until this worker holds the lease (retrying what fails; never raises)."""
        ...

    async def lost(self) -> None:
        """Return once the lease is lost (its connection broke)."""
        ...

    async def release(self) -> None:
        """Give the lease up."""
        ...
