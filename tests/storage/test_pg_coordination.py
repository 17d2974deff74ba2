"""Workers sharing PostgreSQL: one turn per person at a time, one poller, no stuck locks."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from bot.core.events import UserKey
from bot.core.records import User
from bot.errors import DatabaseUnreachable
from storage.pg_coordination import turn_key
from storage.postgres import PostgresStorage
from tests.pg import connect, fresh_schema_url
from tests.storage.conftest import KEY, OTHER, T0


@pytest.fixture
async def workers() -> AsyncIterator[tuple[PostgresStorage, PostgresStorage]]:
    """Two workers' stores on one database."""
    async with fresh_schema_url() as url:
        first = await PostgresStorage.open(url, pool_size=2)
        second = await PostgresStorage.open(url, pool_size=2)
        yield first, second
        await first.close()
        await second.close()


async def _waiting_for(key: UserKey) -> int:
    """How many sessions wait for the turn lock of ``key`` (the server's own view)."""
    number = turn_key(key) & 0xFFFFFFFFFFFFFFFF  # as the server splits a bigint key
    conn = await connect()
    try:
        return int(
            await conn.fetchval(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND objsubid = 1 AND classid = $1::bigint::oid AND objid = $2::bigint::oid",
                number >> 32,
                number & 0xFFFFFFFF,
            )
        )
    finally:
        await conn.close()


async def _until(predicate: object) -> None:
    async def poll() -> None:
        while not await predicate():  # type: ignore[operator]  # noqa: ASYNC110 - the server's view
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), 10)


async def test_a_second_worker_waits_for_the_person_and_not_for_others(
    workers: tuple[PostgresStorage, PostgresStorage],
) -> None:
    one, two = workers
    locks_one, locks_two = await one.turn_locks(2), await two.turn_locks(2)
    order: list[str] = []
    try:
        async with locks_one.turn() as first:
            await first.take(KEY)
            order.append("one holds")

            async def second_turn() -> None:
                async with locks_two.turn() as hold:
                    await hold.take(KEY)
                    order.append("two holds")

            waiting = asyncio.create_task(second_turn())
            await _until(lambda: _is(1, KEY))  # the server shows it waiting for this person
            async with locks_two.turn() as other:  # someone else is not held up meanwhile
                await other.take(OTHER)
                order.append("other person")
            order.append("one done")
        await asyncio.wait_for(waiting, 10)
    finally:
        await locks_one.close()
        await locks_two.close()
    assert order == ["one holds", "other person", "one done", "two holds"]


async def _is(count: int, key: UserKey) -> bool:
    return await _waiting_for(key) == count


async def test_a_dead_workers_lock_is_freed_with_its_connection(
    workers: tuple[PostgresStorage, PostgresStorage],
) -> None:
    one, two = workers
    locks_one, locks_two = await one.turn_locks(1), await two.turn_locks(1)

    async def survivor() -> None:
        async with locks_two.turn() as hold:
            await hold.take(KEY)

    async def dying_turn() -> None:
        async with locks_one.turn() as dying:
            await dying.take(KEY)
            pid = await dying._conn.fetchval("SELECT pg_backend_pid()")
            waiting = asyncio.create_task(survivor())
            await _until(lambda: _is(1, KEY))
            admin = await connect()
            try:  # the worker's connection drops, as when its process is SIGKILLed
                await admin.execute("SELECT pg_terminate_backend($1)", pid)
            finally:
                await admin.close()
            await asyncio.wait_for(waiting, 10)  # the other worker goes on at once

    try:
        with pytest.raises(DatabaseUnreachable):  # the dead turn is not committed
            await dying_turn()
    finally:
        await locks_one.close()
        await locks_two.close()


async def test_a_turn_is_one_transaction_committed_at_its_end(
    workers: tuple[PostgresStorage, PostgresStorage],
) -> None:
    one, two = workers
    locks = await one.turn_locks(1)
    ala = User(key=KEY, locale="pl", created_at=T0)

    async def failing_turn() -> None:
        async with locks.turn() as hold:
            await hold.take(KEY)
            await one.save_user(ala)
            await one.remember("update-1", T0)
            assert await one.get_user(KEY) == ala  # the turn reads its own writes
            raise RuntimeError("killed mid-turn")

    try:
        with pytest.raises(RuntimeError):  # a turn that fails half-way leaves nothing
            await failing_turn()
        assert await two.get_user(KEY) is None and not await two.seen("update-1")
        async with locks.turn() as hold:
            await hold.take(KEY)
            await one.save_user(ala)
            await one.remember("update-1", T0)
            assert await two.get_user(KEY) is None  # another worker sees it only committed
        assert await two.get_user(KEY) == ala and await two.seen("update-1")
    finally:
        await locks.close()


async def test_one_worker_leads_and_another_takes_over_when_it_dies(
    workers: tuple[PostgresStorage, PostgresStorage],
) -> None:
    one, two = workers
    name = f"polling-{uuid.uuid4().hex}"
    leader, follower = one.leadership(name), two.leadership(name)
    leader._retry = follower._retry = 0.05  # the tests' pace; 2 s in production
    await asyncio.wait_for(leader.acquire(), 10)
    following = asyncio.create_task(follower.acquire())
    lost = asyncio.create_task(leader.lost())
    conn = await connect()
    try:
        # The follower keeps trying and failing while the leader's session holds the lease.
        tries = await conn.fetchval(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND classid = 1129076051"  # LEADER_SPACE, 'CLUS'
        )
        assert tries == 1 and not following.done()
        pid = await leader._conn.fetchval("SELECT pg_backend_pid()")
        await conn.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await conn.close()
    await asyncio.wait_for(following, 10)  # took over
    await asyncio.wait_for(lost, 10)  # and the old leader knows it lost the lease
    await follower.release()
    await leader.release()
