"""The one connection that writes: group commit on a dedicated thread.

Every write of the bot goes through :class:`Writer`. A caller hands over a *unit* (one or
more statements that must happen together) and waits until it is committed. Units handed
over while a commit is running are committed together in the next transaction, each inside
its own savepoint: a unit that fails is rolled back alone and its caller gets the error,
the others commit. One thread hop and one commit serve many concurrent users, so the cost of
durability stays flat as the number of users in flight grows; a lone user pays one hop.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

log = logging.getLogger(__name__)

#: One statement: SQL and its parameters.
Statement = tuple[str, Sequence[object]]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a statement did: rows changed and, after an INSERT, the new row's id."""

    rowcount: int
    lastrowid: int | None


class Writer:
    """Commits units of statements on one SQLite connection owned by one thread."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[list[Statement], asyncio.Future[list[Outcome]]]] = []
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
        if self._closed:
            raise RuntimeError("the database writer is closed")
        future: asyncio.Future[list[Outcome]] = asyncio.get_running_loop().create_future()
        self._pending.append((unit, future))
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
                    results = await loop.run_in_executor(
                        self._thread, self._commit, [unit for unit, _ in batch]
                    )
                except Exception as exc:  # the transaction itself failed: nothing committed
                    log.exception("a commit of %d units failed", len(batch))
                    results = [exc] * len(batch)
                for (_, future), result in zip(batch, results, strict=True):
                    if future.done():  # its caller gave up waiting
                        continue
                    if isinstance(result, Exception):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        finally:
            self._draining = None

    def _commit(self, units: list[list[Statement]]) -> list[list[Outcome] | Exception]:
        """On the writer thread: one transaction, one savepoint per unit."""
        db = self._db
        if db is None:
            raise RuntimeError("the database writer is not open")
        results: list[list[Outcome] | Exception] = []
        db.execute("BEGIN IMMEDIATE")
        try:
            for unit in units:
                if len(unit) == 1:
                    # One statement is atomic by itself: a failing one changes nothing.
                    results.append(_single(db, *unit[0]))
                    continue
                db.execute("SAVEPOINT unit")
                try:
                    outcomes = [_outcome(db.execute(sql, params)) for sql, params in unit]
                except sqlite3.Error as exc:
                    db.execute("ROLLBACK TO unit")
                    results.append(exc)
                else:
                    results.append(outcomes)
                db.execute("RELEASE unit")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
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
