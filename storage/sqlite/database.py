"""The SQLite file this process owns: a reading connection, the writer, the probe, upkeep."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import DatabaseLost, StorageError, StorageUnavailable
from storage.migrate import apply_migrations, bundled_migrations
from storage.ownership import Ownership
from storage.sqlite.caches import Caches
from storage.writer import Outcome, Statement, Writer

log = logging.getLogger(__name__)

#: Seconds between WAL checkpoints (at most about this much WAL to copy each time).
CHECKPOINT_EVERY = 1.0
#: Seconds between looks at whether the database file is still there (an idle bot notices).
WATCH_EVERY = 2.0


class Database:
    """One SQLite file in WAL mode, migrated, locked for this process, its errors translated.

    Reads run on an aiosqlite connection; every write goes through :class:`Writer`, which
    commits the writes of concurrent turns together; a read-only probe answers lookups on
    the event loop without ever waiting for a lock. A driver error never leaves this class:
    it becomes :class:`StorageError` (``from`` the driver's exception). Every commit, and a
    watchdog every ``WATCH_EVERY`` seconds, checks that the path still names the file that
    was opened; once it does not, every write raises :class:`DatabaseLost`.
    """

    def __init__(
        self,
        conn: aiosqlite.Connection,
        writer: Writer,
        probe: sqlite3.Connection,
        ownership: Ownership,
    ) -> None:
        self._conn = conn
        self._writer = writer
        self._probe = probe
        self._ownership = ownership
        self._closed = False
        self.path = ownership.path
        self._checkpoints = asyncio.create_task(self._checkpoint_every(CHECKPOINT_EVERY))
        self._watchdog = asyncio.create_task(self._watch_every(WATCH_EVERY))

    @classmethod
    async def open(cls, path: str, *, exclusive: bool = True) -> Database:
        """Lock, open (creating if needed) and migrate the database at ``path``.

        ``exclusive=False`` skips the lock: only for a second view of a file this process
        owns already (tests compare the owner's caches with the file through one).

        Raises:
            DatabaseInUse: another process (or another exclusive store) owns the file.
            StorageUnavailable: the file or its directory cannot be created or read, or the
                file is not a SQLite database.

        """
        if path == ":memory:" or path.startswith("file:"):
            raise StorageUnavailable(path, "the bot needs a database file path")
        ownership: Ownership | None = None
        conn: aiosqlite.Connection | None = None
        writer: Writer | None = None
        probe: sqlite3.Connection | None = None
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            ownership = Ownership.claim(path) if exclusive else Ownership.unclaimed(path)
            conn = await aiosqlite.connect(path, isolation_level=None)
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA busy_timeout = 5000")
            await apply_migrations(conn, bundled_migrations())
            # From here on this connection only reads; every write goes through the writer.
            await conn.execute("PRAGMA query_only = ON")
            ownership.remember_file()
            writer = Writer(path, verify=ownership.check)
            await writer.open()
            probe = _open_probe(path)
        except BaseException as exc:
            if writer is not None:
                await writer.close()
            if conn is not None:
                await conn.close()
            if ownership is not None:
                ownership.release()
            if isinstance(exc, OSError | sqlite3.Error):
                raise StorageUnavailable(path, str(exc) or type(exc).__name__) from exc
            raise
        log.info("database ready at %s", path)
        return cls(conn, writer, probe, ownership)

    # -- reading and writing ------------------------------------------------------------------

    async def one(self, sql: str, params: Sequence[object] = ()) -> Any:
        """Run a query and return its first row (``None`` when none): one thread hop."""
        return next(iter(await self.all(sql, params)), None)

    async def all(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """Run a query and return all rows: one thread hop."""
        try:
            return list(await self._conn.execute_fetchall(sql, params))
        except sqlite3.Error as exc:
            raise _translated(exc) from exc

    async def ordered(self, sql: str, params: Sequence[object]) -> list[Any]:
        """Read rows in order with the writes (see :class:`Writer`), to fill a cache.

        A write's caller updates the cache after its commit, so it always updates it last.
        """
        try:
            return await self._writer.read(sql, params)
        except sqlite3.Error as exc:
            raise _translated(exc) from exc

    def peek(self, sql: str, params: Sequence[object]) -> list[Any] | None:
        """Run a query on the event loop; ``None`` when it would have to wait (or failed).

        A primary-key lookup costs about 5 µs here, a hop to the reading thread about
        100 µs of CPU (more under load). The probe never waits for a lock; when SQLite
        reports one (or any other error), the caller takes the hop with :meth:`all`,
        which waits for the lock and raises what is really wrong.
        """
        try:
            # fetchall ends the statement, so the next lookup reads the latest commit.
            return self._probe.execute(sql, params).fetchall()
        except sqlite3.Error:
            return None

    async def write(self, unit: list[Statement]) -> list[Outcome]:
        """Commit the statements together (all or none); one outcome per statement.

        Raises:
            StorageError: a statement failed (nothing of the unit was stored); its cause is
                the driver's error (see :func:`violated`).
            DatabaseLost: the file is gone; nothing will be stored any more.

        """
        try:
            return await self._writer.run(unit)
        except sqlite3.Error as exc:
            raise _translated(exc) from exc

    async def execute(self, sql: str, params: Sequence[object] = ()) -> Outcome:
        """Commit one statement and return what it did (errors as :meth:`write`)."""
        return (await self.write([(sql, params)]))[0]

    async def schema_version(self) -> int:
        """Return ``PRAGMA user_version`` (the number of the last applied migration)."""
        row = await self.one("PRAGMA user_version")
        return int(row[0]) if row else 0

    # -- upkeep -------------------------------------------------------------------------------

    async def _checkpoint_every(self, seconds: float) -> None:
        """Copy the WAL into the database file now and then, beside the writer.

        A PASSIVE checkpoint on the read connection does not wait for or block the writer,
        so no commit (and no user's reply) pays for it; in a commit, SQLite's automatic
        checkpoint took the paced p99 from about 6.5 ms to as much as 10.8 ms.
        """
        while True:
            await asyncio.sleep(seconds)
            try:
                await self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error as exc:
                log.warning("WAL checkpoint failed: %s", exc)

    async def _watch_every(self, seconds: float) -> None:
        """Look at the database file now and then (an idle bot notices too); leave it once lost.

        A commit can find the file lost first (see :class:`Writer`): that wakes this up too.
        """
        while True:
            try:
                await asyncio.wait_for(self._writer.failed(), seconds)
                break
            except TimeoutError:
                self._look_at_the_file()
        await self._leave_lost_file()

    def _look_at_the_file(self) -> None:
        try:
            self._ownership.check()  # one stat: microseconds, not worth a thread hop
        except DatabaseLost as exc:
            self._writer.fail(exc)

    async def _leave_lost_file(self) -> None:
        """Copy the WAL into the lost file, then take it away from the path.

        The file may have been moved rather than deleted: the checkpoint completes it. Left
        beside the path, the WAL would be read as part of another file.
        """
        try:
            await self._conn.execute("PRAGMA wal_checkpoint(FULL)")
        except sqlite3.Error as exc:
            log.warning("checkpoint into the lost database file failed: %s", exc)
        self._ownership.discard_sidecars()

    async def wait_lost(self) -> StorageError:
        """Wait until the database file is found deleted or replaced, and return the error."""
        return await self._writer.failed()

    async def close(self) -> None:
        """Commit the queued writes, close the connections (the last one checkpoints), unlock.

        A second call does nothing.
        """
        if self._closed:
            return
        self._closed = True
        for task in (self._checkpoints, self._watchdog):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        try:
            await self._writer.close()
            self._look_at_the_file()  # a stop right after the file went is no exception
            if self._ownership.lost is not None:
                await self._leave_lost_file()
            self._probe.close()
            await self._conn.close()
        finally:
            self._ownership.release()


def violated(error: StorageError, constraint: str) -> bool:
    """Whether ``error`` is SQLite refusing a write for ``constraint`` (``FOREIGN KEY``, ...)."""
    cause = error.__cause__
    return isinstance(cause, sqlite3.IntegrityError) and constraint in str(cause)


def _translated(exc: sqlite3.Error) -> StorageError:
    return StorageError(f"the database refused the operation: {exc}")


def _open_probe(path: str) -> sqlite3.Connection:
    """A read-only connection for the event loop's own lookups: it never waits for a lock."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("PRAGMA query_only = ON")
    except sqlite3.Error:
        probe.close()
        raise
    return probe


class Concern:
    """Base of each concern of the SQLite store: the database and the shared caches."""

    def __init__(self, db: Database, caches: Caches) -> None:
        self._db = db
        self._caches = caches

    async def _fill(self, sql: str, params: Sequence[object]) -> list[Any]:
        """Read rows to fill a cache: in order with the writes while caching is on.

        A write's caller puts its record in the cache after its commit; a row read in order
        cannot be older than that write, so the cache never keeps an old row.
        """
        if self._caches.enabled:
            return await self._db.ordered(sql, params)
        return await self._db.all(sql, params)
