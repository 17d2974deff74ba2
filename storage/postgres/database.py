"""The PostgreSQL database several workers share: a pool, its migrations, its errors."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, TypeAlias
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from bot.errors import DatabaseUnreachable, StorageError, StorageUnavailable
from storage.migrate import Migration, postgres_migrations
from storage.pg_coordination import DRIVER_ERRORS, TURN

log = logging.getLogger(__name__)

#: The first half of the migration lock's two-part advisory key ("MIGR"). The second half is
#: a hash of the schema migrated, so the workers of one schema migrate one at a time (the
#: first migrates, the others find nothing left to do) and other schemas do not wait.
MIGRATION_LOCK = 0x4D494752
#: Seconds to wait for the server when a connection is opened.
CONNECT_TIMEOUT = 10.0
#: Seconds a store call may wait for a connection of the pool, and then for each statement:
#: no turn hangs on a server that stopped answering. Migrations have no limit (a worker
#: waits for another's to finish).
COMMAND_TIMEOUT = 30.0
#: Of those, what means that the server cannot be reached for now (network, restart).
CONNECTION_ERRORS = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    # asyncpg's own state gone wrong, as when the server ended an idle pooled session (a
    # restart): asyncpg issues 784 and 1069; the connection is replaced (see SUSPECT_ERRORS)
    asyncpg.InternalClientError,
)
#: Of those, what leaves a connection in a state not worth keeping (closed after the call).
SUSPECT_ERRORS = (*CONNECTION_ERRORS, asyncpg.InterfaceError)
#: The constraints a concern may ask :func:`violated` about, by their SQLSTATE.
_CONSTRAINTS = {"FOREIGN KEY": "23503", "UNIQUE": "23505", "CHECK": "23514", "NOT NULL": "23502"}
_VERSION = "SELECT coalesce(max(version), 0) FROM schema_migrations"
_PASSWORD_PARAMETER = re.compile(r"(?i)(^|&)(password=)[^&]*")

#: A pool of connections, and one of its connections.
Pool: TypeAlias = "asyncpg.Pool[asyncpg.Record]"
Connection: TypeAlias = "PoolConnectionProxy[asyncpg.Record]"


def safe_url(url: str) -> str:
    """``url`` with its password (in the address or a ``password=`` parameter) as ``***``.

    For every message and log line that names the database.
    """
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hosts = netloc.rpartition("@")
        user, colon, _ = userinfo.partition(":")
        netloc = f"{user}:***@{hosts}" if colon else netloc
    query = _PASSWORD_PARAMETER.sub(r"\1\2***", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _password(url: str) -> str | None:
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def _reason(exc: BaseException, url: str) -> str:
    """The driver's explanation, never with the password in it."""
    reason = str(exc) or type(exc).__name__
    password = _password(url)
    return reason.replace(password, "***") if password else reason


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC, as SQLite's store keeps it.

    Raises:
        ValueError: ``moment`` is naive (not stored, as in SQLite).

    """
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored")
    return moment.astimezone(UTC)


def count(status: str) -> int:
    """The number of rows a command's status names (``UPDATE 2``, ``INSERT 0 1``): 2, 1."""
    last = status.rpartition(" ")[2]
    return int(last) if last.isdigit() else 0


def translated(exc: BaseException) -> StorageError:
    """The store's error for a driver's: :class:`DatabaseUnreachable` when the server is gone.

    The caller raises it ``from exc``, so :func:`violated` can read the driver's error.
    """
    if isinstance(exc, CONNECTION_ERRORS):
        return DatabaseUnreachable(f"the database server cannot be reached: {exc}")
    return StorageError(f"the database refused the operation: {exc}")


def violated(error: StorageError, constraint: str) -> bool:
    """Whether ``error`` is PostgreSQL refusing a write for ``constraint`` (``FOREIGN KEY``...)."""
    return getattr(error.__cause__, "sqlstate", None) == _CONSTRAINTS[constraint]


class Transaction:
    """Statements on one connection, committed together when the ``async with`` ends."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def all(self, sql: str, *args: object) -> list[asyncpg.Record]:
        """Run a query and return all rows."""
        return await self._conn.fetch(sql, *args, timeout=COMMAND_TIMEOUT)

    async def execute(self, sql: str, *args: object) -> int:
        """Run a statement; return how many rows it wrote."""
        return count(await self._conn.execute(sql, *args, timeout=COMMAND_TIMEOUT))


class Database:
    """A pool of connections to one PostgreSQL database (one schema), migrated at opening.

    A driver error never leaves this class: it becomes :class:`StorageError` (``from`` the
    driver's exception), :class:`DatabaseUnreachable` when the server cannot be reached. The
    pool replaces broken connections by itself, so the next call after an outage works again.
    Nothing is cached: every read asks the server.
    """

    def __init__(self, pool: Pool, url: str, schema: str | None) -> None:
        self._pool = pool
        self._dsn = url
        self._settings = {"search_path": schema} if schema is not None else None
        self._closed = False
        #: The database's address without the password (for messages and logs).
        self.url = safe_url(url)

    @classmethod
    async def open(cls, url: str, pool_size: int = 10, schema: str | None = None) -> Database:
        """Connect to ``url`` (in ``schema`` when given) and apply the missing migrations.

        ``schema`` becomes the connections' ``search_path``; a ``search_path`` parameter in
        the URL (``...?search_path=name``) does the same.

        Raises:
            StorageUnavailable: the server cannot be reached or refuses the connection, the
                URL is malformed, a migration fails, or the database's schema is newer than
                this code (the message names the URL without its password).

        """
        where = safe_url(url)
        try:
            pool = await asyncpg.create_pool(
                url,
                min_size=1,
                max_size=pool_size,
                timeout=CONNECT_TIMEOUT,
                server_settings=None if schema is None else {"search_path": schema},
            )
        except (*DRIVER_ERRORS, ValueError) as exc:
            raise StorageUnavailable(where, _reason(exc, url)) from exc
        try:
            async with pool.acquire() as conn:
                await migrate(conn, postgres_migrations(), where)
        except DRIVER_ERRORS as exc:
            pool.terminate()
            raise StorageUnavailable(where, f"migrating failed: {_reason(exc, url)}") from exc
        except BaseException:
            pool.terminate()
            raise
        log.info("database ready at %s", where)
        return cls(pool, url, schema)

    def connect_options(self) -> dict[str, Any]:
        """The arguments that open a connection (or a pool) like this pool's: with the password.

        For what must hold a connection of its own (``storage.pg_coordination``).
        """
        return {"dsn": self._dsn, "timeout": CONNECT_TIMEOUT, "server_settings": self._settings}

    # -- reading and writing ------------------------------------------------------------------

    async def one(self, sql: str, *args: object) -> asyncpg.Record | None:
        """Run a query and return its first row (``None`` when none)."""
        async with self._connection() as conn:
            return await conn.fetchrow(sql, *args, timeout=COMMAND_TIMEOUT)

    async def all(self, sql: str, *args: object) -> list[asyncpg.Record]:
        """Run a query and return all rows."""
        async with self._connection() as conn:
            return await conn.fetch(sql, *args, timeout=COMMAND_TIMEOUT)

    async def execute(self, sql: str, *args: object) -> int:
        """Run one statement (committed when this returns); return how many rows it wrote.

        Raises:
            StorageError: the statement failed (nothing was stored); its cause is the
                driver's error (see :func:`violated`).

        """
        async with self._connection() as conn:
            return count(await conn.execute(sql, *args, timeout=COMMAND_TIMEOUT))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Run the body's statements in one transaction: committed at its end, or none.

        An exception in the body rolls the transaction back and goes on (a driver's one
        translated, as below).

        Raises:
            StorageError: a statement or the commit failed (nothing was stored); its cause
                is the driver's error (see :func:`violated`).

        """
        async with self._connection() as conn, conn.transaction():
            yield Transaction(conn)

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[Connection]:
        """A connection for one call, the driver's errors translated.

        In a turn (``storage.pg_coordination``), the turn's own connection, inside its
        transaction; elsewhere one of the pool's.

        A connection that failed other than by the server refusing a statement (lost, timed
        out, or confused by a server that ended the session while it sat idle in the pool:
        asyncpg's "cannot switch to state") is closed, never handed out again; the pool
        opens a new one for the next call.
        """
        turn = TURN.get()
        if turn is not None and turn.database is self and turn.task is asyncio.current_task():
            # A worker's turn in progress: its statements join the turn's transaction.
            try:
                yield turn.conn
            except DRIVER_ERRORS as exc:
                raise translated(exc) from exc
            return
        try:
            async with self._pool.acquire(timeout=COMMAND_TIMEOUT) as conn:
                try:
                    yield conn
                except SUSPECT_ERRORS:
                    with contextlib.suppress(asyncpg.InterfaceError):  # released when lost
                        conn.terminate()
                    raise
        except DRIVER_ERRORS as exc:
            raise translated(exc) from exc

    async def schema_version(self) -> int:
        """Return the number of the last applied migration."""
        row = await self.one(_VERSION)
        return 0 if row is None else int(row[0])

    async def close(self) -> None:
        """Close the connections (waiting for the calls in flight); a second call does nothing."""
        if self._closed:
            return
        self._closed = True
        try:
            await self._pool.close()
        except DRIVER_ERRORS as exc:
            log.warning("closing the database pool failed: %s", exc)
            self._pool.terminate()


async def migrate(conn: Connection, migrations: list[Migration], where: str) -> int:
    """Apply the migrations the schema lacks, under the migration lock; return the version.

    The workers that start together wait for each other here: the first applies what is
    missing, the others find it applied. Each migration runs in one transaction with its row
    in ``schema_migrations``, so a crash leaves the schema before or after it, never half-way.

    Raises:
        StorageUnavailable: the schema's version is newer than ``migrations`` know.

    """
    lock = "hashtext(coalesce(current_schema(), ''))"
    await conn.execute(f"SELECT pg_advisory_lock($1, {lock})", MIGRATION_LOCK)
    try:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        version = int(await conn.fetchval(_VERSION))
        known = len(migrations)
        if version > known:
            raise StorageUnavailable(
                where,
                f"schema version {version} is newer than this code knows ({known}): "
                "upgrade the assistant",
            )
        for migration in migrations:
            if migration.number <= version:
                continue
            log.info("applying PostgreSQL migration %s", migration.name)
            async with conn.transaction():
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) "
                    "VALUES ($1, $2, now())",
                    migration.number,
                    migration.name,
                )
            version = migration.number
    finally:
        with contextlib.suppress(*DRIVER_ERRORS):  # a lost session's locks are freed anyway
            await conn.execute(f"SELECT pg_advisory_unlock($1, {lock})", MIGRATION_LOCK)
    return version


class Concern:
    """Base of each concern of the PostgreSQL store: the database (nothing is cached)."""

    def __init__(self, db: Database) -> None:
        self._db = db
