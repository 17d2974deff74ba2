"""What several workers on one PostgreSQL database agree on: whose turn it is, who polls.

Both rest on PostgreSQL's session advisory locks, which the server releases by itself when
the session ends: a worker killed mid-turn (SIGKILL, a lost host) frees its locks as soon as
its connections drop, so the other workers carry on without a timeout to wait out.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import asyncpg

from bot.core.events import UserKey
from bot.errors import DatabaseUnreachable, StorageError

log = logging.getLogger(__name__)

#: The first half of every leadership lock's two-part key ("CLUS"): apart from turn locks,
#: which use the one-part (bigint) form, and from anything else in the database.
LEADER_SPACE = 0x434C5553
#: Seconds a closing pool waits for connections still in use before dropping them.
CLOSE_WAIT = 5.0
#: The errors that mean the server or the connection is gone (or refused the query).
DRIVER_ERRORS = (
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,  # its state machine confused by a session the server ended
    OSError,
    TimeoutError,
)


@dataclass(frozen=True, slots=True)
class Turn:
    """A turn in progress: its task, its connection (in its transaction), its database.

    Only that database's stores join the turn (not another database's in the process).
    """

    task: asyncio.Task[Any] | None
    conn: Any
    database: object


#: The turn the current task runs, if any: the stores (``storage.postgres.database``) run
#: its statements on its connection, in its transaction. Other tasks (the scheduler, a task
#: a turn started) use the pool as before.
TURN: ContextVar[Turn | None] = ContextVar("clusterbot_turn", default=None)


def turn_key(key: UserKey) -> int:
    """A person's lock number: 64 bits of a hash (a collision only serialises two people)."""
    text = "\x1f".join((key.platform, key.workspace, key.user_id)).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big", signed=True)


def leader_key(name: str) -> int:
    """The second half of a leadership lock's key, from the lease's name."""
    return int.from_bytes(
        hashlib.blake2b(name.encode(), digest_size=4).digest(), "big", signed=True
    )


class TurnHold:
    """The locks one turn holds, all on one connection (so a turn never waits for a second)."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self.held: list[int] = []

    async def take(self, key: UserKey) -> None:
        """Wait until no other worker's turn holds ``key``, then hold it until the turn ends.

        Raises:
            DatabaseUnreachable: the database is unreachable (the turn fails politely).

        """
        number = turn_key(key)
        if number in self.held:
            return
        try:
            await self._conn.execute("SELECT pg_advisory_lock($1)", number)
        except DRIVER_ERRORS as exc:
            raise DatabaseUnreachable(f"the turn lock could not be taken: {exc}") from exc
        self.held.append(number)


class TurnLocks:
    """Per-person locks across workers, held for a turn: PostgreSQL advisory locks.

    Each turn holds one connection of a pool of its own (never the stores' pool: a turn
    holding its lock must still be able to read and write). The pool's size bounds how many
    turns a worker runs at once; more wait for a connection, in order.
    """

    def __init__(self, pool: Any, database: object) -> None:
        self._pool = pool
        self._database = database

    @classmethod
    async def open(cls, connect: Callable[..., Any], size: int, database: object) -> TurnLocks:
        """Open the lock pool with ``connect``'s settings (``asyncpg.create_pool`` partial).

        ``database`` is the stores' database: its statements in a turn join the turn.

        Raises:
            StorageError: the database is unreachable.

        """
        try:
            pool = await connect(min_size=1, max_size=size)
        except DRIVER_ERRORS as exc:
            raise StorageError(f"the lock pool could not connect: {exc}") from exc
        return cls(pool, database)

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[TurnHold]:
        """Hold a connection for one turn, in one transaction; release its locks at the end.

        Every statement the stores run for the turn (in this task) joins the transaction,
        committed when the body ends and rolled back when it raises: a worker killed
        mid-turn leaves nothing of the turn behind, so the update delivered again to another
        worker runs once, from the start; after the commit its id is remembered and a
        redelivery is dropped. The replies go out only after the commit.

        Raises:
            DatabaseUnreachable: the database is unreachable, or the commit failed for it.

        """
        try:
            conn = await self._pool.acquire()
        except DRIVER_ERRORS as exc:
            raise DatabaseUnreachable(f"no connection for the turn: {exc}") from exc
        hold = TurnHold(conn)
        transaction = conn.transaction()
        token = None
        try:
            try:
                await transaction.start()
            except DRIVER_ERRORS as exc:
                raise DatabaseUnreachable(f"the turn's transaction did not start: {exc}") from exc
            token = TURN.set(Turn(asyncio.current_task(), conn, self._database))
            try:
                yield hold
            except BaseException:
                with contextlib.suppress(*DRIVER_ERRORS):
                    await transaction.rollback()
                raise
            try:
                await transaction.commit()
            except DRIVER_ERRORS as exc:
                raise DatabaseUnreachable(f"the turn was not committed: {exc}") from exc
        finally:
            if token is not None:
                TURN.reset(token)
            await self._release(conn, hold)

    async def _release(self, conn: Any, hold: TurnHold) -> None:
        try:
            if hold.held and not conn.is_closed():
                await conn.execute("SELECT pg_advisory_unlock_all()")
        except DRIVER_ERRORS:
            log.warning("releasing turn locks failed; the connection is dropped")
            with contextlib.suppress(*DRIVER_ERRORS):  # already gone: nothing to drop
                conn.terminate()  # the server frees a dropped session's locks
        finally:
            await self._pool.release(conn)

    async def close(self) -> None:
        """Close the pool (its locks go with its sessions).

        A turn still holding a connection gets ``CLOSE_WAIT`` seconds; then the pool's
        connections are dropped (asyncpg's graceful close would wait for it forever).
        """
        try:
            await asyncio.wait_for(self._pool.close(), CLOSE_WAIT)
        except (TimeoutError, *DRIVER_ERRORS):
            log.warning("the turn-lock pool did not close in time; its connections are dropped")
            self._pool.terminate()


class Leadership:
    """One worker at a time leads (polls Telegram): a lock on a connection of its own.

    The others try again every ``retry`` seconds, so one takes over within about that long
    after the leader's connection drops (its process died, or its host).
    """

    def __init__(self, connect: Callable[[], Any], name: str, retry: float = 2.0) -> None:
        self._connect = connect
        self._key = leader_key(name)
        self._retry = retry
        self._conn: Any = None

    async def acquire(self) -> None:
        """Wait until this worker leads; connection failures are retried, not raised."""
        while True:
            try:
                if self._conn is None or self._conn.is_closed():
                    self._conn = await self._connect()
                got = await self._conn.fetchval(
                    "SELECT pg_try_advisory_lock($1, $2)", LEADER_SPACE, self._key
                )
                if got:
                    log.info("this worker leads now")
                    return
            except DRIVER_ERRORS as exc:
                log.warning("leadership: database unreachable (%s); retrying", exc)
                await self._drop()
            await asyncio.sleep(self._retry)

    async def lost(self) -> None:
        """Return once the lead is lost (the connection broke); check every ``retry`` s."""
        while True:
            await asyncio.sleep(self._retry)
            try:
                if self._conn is None or self._conn.is_closed():
                    break
                await self._conn.fetchval("SELECT 1")
            except DRIVER_ERRORS:
                break
        log.warning("this worker lost the lead")
        await self._drop()

    async def release(self) -> None:
        """Give the lead up (close the connection)."""
        await self._drop()

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(*DRIVER_ERRORS):
                await conn.close(timeout=2)
