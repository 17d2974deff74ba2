"""PostgreSQL stores for several workers on one database, migrated at start-up.

A module per concern, as ``storage.sqlite``.

The driver is asyncpg: asyncio-native, with its own pool and PostgreSQL's binary protocol.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

import asyncpg

from bot.core.events import UserKey
from bot.errors import StorageError
from storage.export import user_export
from storage.pg_coordination import Leadership, TurnLocks
from storage.postgres.assessments import PostgresAssessments
from storage.postgres.collaboration import (
    PostgresActionPlans,
    PostgresCodes,
    PostgresIdentityLinks,
)
from storage.postgres.database import Database, safe_url
from storage.postgres.feeds import PostgresContentChanges, PostgresFeeds
from storage.postgres.people import PostgresPeople
from storage.postgres.privacy import PostgresErasure
from storage.postgres.reminders import (
    PostgresEvents,
    PostgresLedger,
    PostgresReminderPrefs,
    PostgresSubscriptions,
)
from storage.postgres.web import PostgresConsents, PostgresOverview, PostgresWebTokens

__all__ = ["DEFAULT_POOL_SIZE", "PostgresStorage", "safe_url"]

#: Connections per worker for the stores, by default.
DEFAULT_POOL_SIZE = 10


class PostgresStorage(
    PostgresPeople,
    PostgresAssessments,
    PostgresEvents,
    PostgresSubscriptions,
    PostgresLedger,
    PostgresReminderPrefs,
    PostgresActionPlans,
    PostgresCodes,
    PostgresIdentityLinks,
    PostgresErasure,
    PostgresFeeds,
    PostgresContentChanges,
    PostgresWebTokens,
    PostgresConsents,
    PostgresOverview,
):
    """Every store in one PostgreSQL database (one schema): the concerns over one pool.

    Several worker processes share the database, so nothing is cached: every read goes to
    the database and sees every worker's committed writes (no worker serves a stale user,
    conversation state, link or assessment). When a write method returns, its data is
    committed. Records, ids and errors are those of the SQLite store (the contract tests in
    ``tests/storage`` hold both to them), and so is each person's export.

    ``url`` is ``postgresql://user:password@host:port/database``; messages and logs name it
    without the password (:func:`safe_url`, :attr:`url`).
    """

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        #: The database's address without the password.
        self.url = db.url

    @classmethod
    async def open(
        cls, url: str, pool_size: int = DEFAULT_POOL_SIZE, schema: str | None = None
    ) -> PostgresStorage:
        """Connect a pool of at most ``pool_size`` connections and migrate the schema.

        The tables live in ``schema`` when given (it becomes the connections'
        ``search_path``), else in the first schema of the URL's or the server's search path;
        ``...?search_path=name`` in the URL does the same as ``schema``. Workers starting
        together migrate once: the first under an advisory lock, the others then find
        nothing to do.

        Raises:
            StorageUnavailable: the server cannot be reached or refuses the connection, the
                URL is malformed, a migration fails, or the schema is newer than this code
                ("schema version 12 is newer than this code knows (10): upgrade the
                assistant"); the message names the URL without its password.

        """
        return cls(await Database.open(url, pool_size, schema))

    async def export_user(self, key: UserKey) -> dict[str, Any]:
        """Return everything stored about ``key`` (the same export as every store)."""
        return await user_export(self, key)

    async def schema_version(self) -> int:
        """Return the number of the last applied migration (``schema_migrations``)."""
        return await self._db.schema_version()

    async def turn_locks(self, size: int) -> TurnLocks:
        """Open the per-person turn locks across workers, on a pool of ``size`` of their own.

        Raises:
            StorageError: the database is unreachable.

        """
        options = self._db.connect_options()
        return await TurnLocks.open(
            functools.partial(asyncpg.create_pool, **options), size, self._db
        )

    def leadership(self, name: str) -> Leadership:
        """The lease named ``name`` that one worker at a time holds (on its own connection)."""
        return Leadership(functools.partial(asyncpg.connect, **self._db.connect_options()), name)

    async def wait_lost(self) -> StorageError:
        """Never return: a server that goes away is reconnected to, not lost (until cancelled).

        Unlike a SQLite file, nothing the stores acknowledged can be lost by a server
        restart; calls fail with ``DatabaseUnreachable`` meanwhile.
        """
        await asyncio.Future()
        raise AssertionError("unreachable")  # pragma: no cover

    async def close(self) -> None:
        """Close the pool's connections (once)."""
        await self._db.close()
