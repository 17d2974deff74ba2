"""The one connection that writes: group commit on a dedicated thread.

Every write of the bot goes through :class:`Writer`. A caller hands over a *unit* (one or
more statements that must happen together) and waits until it is committed. Units handed
over while a commit is running are committed together in the next transaction, each inside
its own savepoint: a unit that fails is rolled back alone and its caller gets the error,
the others commit. One thread hop and one commit serve many concurrent users, so the cost of
durability stays flat as the number of users in flight grows; a lone user pays one hop.

After each commit, before any caller hears of it, the writer can ``verify`` that the commit
reached a file that will be read again (see ``storage.ownership``). When it did not, every
caller of that commit gets the error, and so does every later caller: the writer has failed.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from bot.errors import StorageError

log = logging.getLogger(__name__)

#: One statement: SQL and its parameters.
Statement = tuple[str, Sequence[object]]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a statement did: rows changed and, after an INSERT, the new row's id."""

    rowcount: int
    lastrowid: int | None


@dataclass(frozen=True, slots=True)
class _Read:
    """A query that must see every write handed over before it, and none after it."""

    sql: str
    params: Sequence[object]


_Work = list[Statement] | _Read
_Result = list[Outcome] | list[Any]


class Writer:
    """Commits units of statements on one SQLite connection owned by one thread.

    It also answers :meth:`read` queries in order with the writes, which is what a cache
    needs: a row read here cannot be older than a write whose caller is still waiting, so
    the writer's caller can always put its own value in the cache last.
    """

    def __init__(self, path: str, verify: Callable[[], None] | None = None) -> None:
        self._path = path
        self._verify = verify
        self._failure: StorageError | None = None
        self._failed = asyncio.Event()
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[_Work, asyncio.Future[_Result]]] = []
        self._draining: asyncio.Task[None] | None = None
        self._closed = False

    async def open(self) -> None:
        """Connect (on the writer thread) with the pragmas every write relies on."""
        await asyncio.get_running_loop().run_in_executor(self._thread, self._connect)

    def _connect(self) -> None:
        db = sqlite3.connect(self._path, isolation_level=None)
        # NORMAL in WAL mode: a commit survives a killed process; only a power cut can lose
        # the last transactions. Foreign keys and the busy timeout are per connection.
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA busy_timeout = 5000")
        # Checkpoints run off the commit path (see SqliteStorage), not inside a commit.
        db.execute("PRAGMA wal_autocheckpoint = 0")
        self._db = db

    async def execute(self, sql: str, params: Sequence[object] = ()) -> Outcome:
        """Commit one statement and return what it did."""
        return (await self.run([(sql, params)]))[0]

    async def run(self, unit: list[Statement]) -> list[Outcome]:
        """Commit the statements together (all or none); return one outcome per statement.

        Raises:
            sqlite3.Error: a statement failed; nothing of the unit was stored.
            RuntimeError: the writer is closed.

        """
        outcomes: list[Outcome] = await self._submit(unit)
        return outcomes

    async def read(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """Return the rows of a query run after every write handed over before it."""
        rows: list[Any] = await self._submit(_Read(sql, params))
        return rows

    def fail(self, error: StorageError) -> None:
        """Refuse every write and read from now on with ``error`` (logged once)."""
        if self._failure is None:
            self._failure = error
            log.error("%s", error)
            self._failed.set()

    async def failed(self) -> StorageError:
        """Wait until the writer fails (see :meth:`fail`) and return why."""
        while self._failure is None:
            await self._failed.wait()
        return self._failure

    async def _submit(self, work: _Work) -> _Result:
        if self._failure is not None:
            raise self._failure.with_traceback(None)
        if self._closed:
            raise RuntimeError("the database writer is closed")
        future: asyncio.Future[_Result] = asyncio.get_running_loop().create_future()
        self._pending.append((work, future))
        if self._draining is None:
            self._draining = asyncio.create_task(self._drain(), name="sqlite-writer")
        # A caller cancelled while waiting does not stop the shared commit: its unit may land.
        return await future

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                try:
                    if self._failure is not None:  # queued before the failure was known
                        raise self._failure.with_traceback(None)
                    results = await loop.run_in_executor(
                        self._thread, self._commit, [work for work, _ in batch]
                    )
                except StorageError as exc:  # committed to a lost file: nobody may rely on it
                    self.fail(exc)
                    results = [exc] * len(batch)
                except Exception as exc:  # a transaction failed: report it to every caller
                    log.exception("a commit of %d units failed", len(batch))
                    results = [exc] * len(batch)
                # In order: a reader resumes (and may fill a cache) before the writers after it.
                for (_, future), result in zip(batch, results, strict=True):
                    if future.done():  # its caller gave up waiting
                        continue
                    if isinstance(result, Exception):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        finally:
            self._draining = None

    def _commit(self, batch: list[_Work]) -> list[_Result | Exception]:
        """On the writer thread: write units in one transaction, one savepoint each.

        A read first commits the writes before it, so it only ever sees committed rows.
        """
        db = self._db
        if db is None:
            raise RuntimeError("the database writer is not open")
        results: list[_Result | Exception] = []
        try:
            for work in batch:
                if isinstance(work, _Read):
                    if db.in_transaction:
                        db.execute("COMMIT")
                    results.append(_rows(db, work))
                    continue
                if not db.in_transaction:
                    db.execute("BEGIN IMMEDIATE")
                if len(work) == 1:
                    # One statement is atomic by itself: a failing one changes nothing.
                    results.append(_single(db, *work[0]))
                    continue
                db.execute("SAVEPOINT unit")
                try:
                    outcomes = [_outcome(db.execute(sql, params)) for sql, params in work]
                except sqlite3.Error as exc:
                    db.execute("ROLLBACK TO unit")
                    results.append(exc)
                else:
                    results.append(outcomes)
                db.execute("RELEASE unit")
            if db.in_transaction:
                db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        if self._verify is not None:
            self._verify()  # on this thread, so the event loop never waits for the file system
        return results

    async def close(self) -> None:
        """Commit what is queued, then close the connection and stop the thread (once)."""
        if self._closed:
            return
        self._closed = True
        while self._draining is not None:
            await self._draining
        await asyncio.get_running_loop().run_in_executor(self._thread, self._disconnect)
        self._thread.shutdown(wait=True)

    def _disconnect(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _outcome(cursor: sqlite3.Cursor) -> Outcome:
    return Outcome(cursor.rowcount, cursor.lastrowid)


def _single(
    db: sqlite3.Connection, sql: str, params: Sequence[object]
) -> list[Outcome] | Exception:
    try:
        return [_outcome(db.execute(sql, params))]
    except sqlite3.Error as exc:
        if not db.in_transaction:  # an error that ended the whole transaction (disk full, …)
            raise
        return exc


def _rows(db: sqlite3.Connection, read: _Read) -> list[Any] | Exception:
    try:
        return db.execute(read.sql, read.params).fetchall()
    except sqlite3.Error as exc:
        return exc
