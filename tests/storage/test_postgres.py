"""What only the PostgreSQL store does: migrations under a lock, start-up failures, errors."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import asyncpg
import pytest

from bot.core.records import AnswerRecord, OneTimeCode, SessionState, User
from bot.errors import (
    DatabaseUnreachable,
    DuplicateRecord,
    RecordNotFound,
    StorageError,
    StorageUnavailable,
)
from storage.migrate import postgres_migrations
from storage.postgres import PostgresStorage, safe_url
from storage.postgres.database import CONNECTION_ERRORS
from tests.pg import connect, fresh_schema_url
from tests.storage.conftest import KEY, OTHER, T0

PASSWORD = "s3cret-Pa55"  # made up; it must never be shown


@pytest.fixture
async def url() -> AsyncIterator[str]:
    """A URL whose connections work in an empty schema of their own."""
    async with fresh_schema_url() as fresh:
        yield fresh


@pytest.fixture
async def pg(url: str) -> AsyncIterator[PostgresStorage]:
    store = await PostgresStorage.open(url, pool_size=2)
    yield store
    await store.close()


def test_safe_url_hides_the_password_wherever_it_is() -> None:
    assert safe_url(f"postgresql://bot:{PASSWORD}@db:5432/x") == "postgresql://bot:***@db:5432/x"
    assert safe_url(f"postgresql://:{PASSWORD}@db/x") == "postgresql://:***@db/x"
    assert (
        safe_url(f"postgresql://bot@db/x?sslmode=require&password={PASSWORD}&a=b")
        == "postgresql://bot@db/x?sslmode=require&password=***&a=b"
    )
    assert safe_url("postgresql://bot@db/x") == "postgresql://bot@db/x"


async def test_two_workers_starting_together_migrate_once(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="storage.postgres.database")
    first, second = await asyncio.gather(
        PostgresStorage.open(url, pool_size=1), PostgresStorage.open(url, pool_size=1)
    )
    try:
        applied = [r for r in caplog.records if r.getMessage().startswith("applying")]
        assert len(applied) == len(postgres_migrations())
        assert await first.schema_version() == await second.schema_version() == len(applied)
        await first.save_user(User(KEY, "pl", T0))
        assert await second.get_user(KEY) == User(KEY, "pl", T0)  # one database, no caches
    finally:
        await first.close()
        await second.close()
    conn = await connect(url)
    try:
        rows = await conn.fetch("SELECT version, name FROM schema_migrations ORDER BY version")
    finally:
        await conn.close()
    assert [(r["version"], r["name"]) for r in rows] == [
        (m.number, m.name) for m in postgres_migrations()
    ]


async def test_a_schema_newer_than_the_code_is_refused_clearly(url: str) -> None:
    store = await PostgresStorage.open(url, pool_size=1)
    await store.close()
    conn = await connect(url)
    try:
        await conn.execute("INSERT INTO schema_migrations (version, name) VALUES (12, 'future')")
    finally:
        await conn.close()
    with pytest.raises(StorageUnavailable) as info:
        await PostgresStorage.open(url, pool_size=1)
    known = len(postgres_migrations())
    assert info.value.reason == (
        f"schema version 12 is newer than this code knows ({known}): upgrade the assistant"
    )


async def test_an_unreachable_server_is_named_without_the_password(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    url = f"postgresql://clusterbot:{PASSWORD}@127.0.0.1:1/clusterbot"
    with pytest.raises(StorageUnavailable) as info:
        await PostgresStorage.open(url)
    assert info.value.path == "postgresql://clusterbot:***@127.0.0.1:1/clusterbot"
    assert "127.0.0.1" in info.value.reason
    shown = [str(info.value), repr(info.value), str(info.value.__cause__), caplog.text]
    assert not [text for text in shown if PASSWORD in text]


async def test_a_wrong_password_is_not_repeated_either(url: str) -> None:
    wrong = url.replace("postgres@", f"nobody:{PASSWORD}@", 1)
    with pytest.raises(StorageUnavailable) as info:
        await PostgresStorage.open(wrong)
    assert PASSWORD not in str(info.value)
    assert "***" in info.value.path


async def test_driver_errors_never_leave_the_store(pg: PostgresStorage) -> None:
    record = await pg.create_assessment(KEY, "q", "1", T0)
    with pytest.raises(StorageError) as info:
        await pg.record_answer(record, AnswerRecord("1.1.1", "maybe", "", T0))
    assert type(info.value) is StorageError
    assert isinstance(info.value.__cause__, asyncpg.CheckViolationError)
    with pytest.raises(RecordNotFound) as missing:
        await pg.save_answer(999_999, AnswerRecord("1.1.1", "y", "", T0))
    assert isinstance(missing.value.__cause__, asyncpg.ForeignKeyViolationError)
    await pg.create_code(OneTimeCode("ABCD2345", "link", KEY, T0))
    with pytest.raises(DuplicateRecord) as taken:
        await pg.create_code(OneTimeCode("ABCD2345", "link", OTHER, T0))
    assert isinstance(taken.value.__cause__, asyncpg.UniqueViolationError)
    for text in ("nul\x00byte", "lone \ud800 surrogate"):  # text PostgreSQL cannot hold
        with pytest.raises(StorageError) as refused:
            await pg.save_session(KEY, SessionState(step=text))
        assert isinstance(refused.value.__cause__, asyncpg.PostgresError)
    assert await pg.load_session(KEY) == SessionState()


async def test_a_lost_connection_fails_one_call_and_the_pool_reconnects(url: str) -> None:
    pg = await PostgresStorage.open(url, pool_size=1)  # one connection: the one ended below
    try:
        await pg.save_user(User(KEY, "pl", T0))
        row = await pg._db.one("SELECT pg_backend_pid()")
        assert row is not None
        await _terminate(row[0])  # a server restart, as an idle pooled connection sees it
        cause: BaseException | None = None
        try:  # asyncpg may take the next call to the dying session (asyncpg issue 784)
            await pg.get_user(KEY)
        except DatabaseUnreachable as exc:
            cause = exc.__cause__
        assert cause is None or isinstance(cause, CONNECTION_ERRORS)
        assert await pg.get_user(KEY) == User(KEY, "pl", T0)  # a new connection
        row = await pg._db.one("SELECT pg_backend_pid()")
        assert row is not None
        busy = asyncio.create_task(pg._db.one("SELECT pg_sleep(10)"))
        await asyncio.sleep(0.2)
        await _terminate(row[0])  # a restart or a failover in the middle of a call
        with pytest.raises(DatabaseUnreachable) as info:
            await busy
        assert isinstance(info.value.__cause__, CONNECTION_ERRORS)
        assert await pg.get_user(KEY) == User(KEY, "pl", T0)
    finally:
        await pg.close()


async def _terminate(pid: int) -> None:
    admin = await connect()
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


async def test_the_turn_locks_and_the_lease_use_the_same_database(
    url: str, pg: PostgresStorage
) -> None:
    locks = await pg.turn_locks(2)
    try:
        async with locks.turn() as hold:
            await hold.take(KEY)
            conn = await connect(url)
            try:
                held = await conn.fetchval(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                )
            finally:
                await conn.close()
            assert held >= 1
    finally:
        await locks.close()
    lease = pg.leadership("test-lease")
    await asyncio.wait_for(lease.acquire(), 5)
    await lease.release()
