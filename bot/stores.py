"""The configured database: one SQLite file for one process, or PostgreSQL for several.

Part of the composition root (only :mod:`bot.app` and :mod:`bot.cli` use it). PostgreSQL's
driver is imported only when ``CLUSTERBOT_DATABASE_URL`` is set.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.core.ordering import Leader, SharedLocks
from storage.sqlite import SqliteStorage

if TYPE_CHECKING:
    from storage.postgres import PostgresStorage

#: The name of the lease whose holder polls Telegram.
POLLING_LEASE = "telegram-polling"


@dataclass(frozen=True, slots=True)
class Storage:
    """The open store and what several workers on it must share (nothing for SQLite)."""

    store: SqliteStorage | PostgresStorage
    #: Per-person locks across workers; ``None``: one process, its own locks suffice.
    shared: SharedLocks | None = None
    #: The lease for Telegram polling; ``None``: this process is the only consumer.
    polling_leader: Leader | None = None


@asynccontextmanager
async def open_storage(settings: Settings) -> AsyncIterator[Storage]:
    """Open (and migrate) the configured database for the body of the ``async with``.

    Raises:
        StorageUnavailable: the database cannot be opened or reached (start-up stops); the
            message names the host or file, never the password.

    """
    if settings.database_url is None:
        store = await SqliteStorage.open(settings.db_path, settings.cache_size)
        try:
            yield Storage(store)
        finally:
            await store.close()
        return
    from storage.postgres import PostgresStorage

    pg = await PostgresStorage.open(settings.database_url.get_secret_value(), settings.db_pool)
    try:
        locks = await pg.turn_locks(settings.db_pool)
        try:
            yield Storage(pg, locks, pg.leadership(POLLING_LEASE))
        finally:
            await locks.close()
    finally:
        await pg.close()
