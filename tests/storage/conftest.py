"""Every store backend, for the contract tests: one class per port runs on each of them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.events import Address, UserKey
from storage.memory import MemoryStorage
from storage.postgres import PostgresStorage
from storage.sqlite import SqliteStorage
from tests.pg import fresh_schema_url

#: Any store: the contract tests call only what all implement.
Store = MemoryStorage | SqliteStorage | PostgresStorage

#: ``postgres``: a schema of its own per test (``tests.pg``); skipped without a server,
#: except in CI.
BACKENDS = ("memory", "sqlite", "sqlite-uncached", "postgres")

KEY = UserKey("telegram", "", "42")
OTHER = UserKey("slack", "T1", "42")
T0 = datetime(2026, 5, 27, 8, 0, tzinfo=UTC)
ALA = Address("telegram", "7", "7")


async def open_store(backend: str, path: Path) -> Store:
    """A fresh store of ``backend`` (the SQLite ones in a file at ``path``)."""
    if backend == "memory":
        return MemoryStorage()
    return await SqliteStorage.open(str(path), 0 if backend == "sqlite-uncached" else 1000)


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param == "postgres":
        async with fresh_schema_url() as url:
            pg = await PostgresStorage.open(url, pool_size=2)
            try:
                yield pg
            finally:
                await pg.close()
        return
    db = await open_store(request.param, tmp_path / "contract.sqlite3")
    yield db
    await db.close()
