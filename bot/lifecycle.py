"""What runs while the assistant runs: background loops, the stop signal, a lost database."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager, suppress
from typing import Protocol

from bot.errors import StorageError

log = logging.getLogger(__name__)


class Losable(Protocol):
    """A store that can find its database gone (SQLite: the file deleted or replaced)."""

    async def wait_lost(self) -> StorageError:
        """Wait until the database is lost; return why."""
        ...


class Loop(Protocol):
    """A background loop (the reminder scheduler, the calendar feeds' poller)."""

    async def run(self) -> None:
        """Run until cancelled."""
        ...


async def unless_lost(store: Losable, work: Coroutine[object, object, None]) -> None:
    """Await ``work``, unless the database file is lost first: then raise why.

    Answers can no longer be stored, so the bot stops rather than keep talking.
    """
    main = asyncio.create_task(work)
    lost = asyncio.create_task(store.wait_lost())
    try:
        await asyncio.wait((main, lost), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (main, lost):
            task.cancel()
        await asyncio.gather(main, lost, return_exceptions=True)
    if not lost.cancelled():
        raise lost.result()
    main.result()  # it ended first (end of input, a signal) or failed: as without the watch


@asynccontextmanager
async def running(scheduler: Loop, feeds: Loop | None) -> AsyncIterator[None]:
    """Run the reminder loop (and the calendar feeds' poller) for the body of the ``async with``."""
    tasks = [asyncio.create_task(scheduler.run(), name="reminders")]
    if feeds is not None:
        tasks.append(asyncio.create_task(feeds.run(), name="feeds"))
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with suppress(asyncio.CancelledError):
                await task


async def wait_for_stop_signal() -> None:
    """Wait until SIGINT or SIGTERM; then the exit stacks stop everything in order."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
    log.info("stop signal received")
