"""One owner per database file, and a file that disappears under the running store."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.ports import AnswerRecord, SessionState, User
from bot.errors import DatabaseInUse, DatabaseLost, StorageUnavailable
from storage.sqlite import SqliteStorage
from tests.helpers import ALICE, BOB, ROOT

T0 = datetime(2026, 5, 27, 8, 0, tzinfo=UTC)
KEY = ALICE.user_key


def lock_owner(path: str) -> list[str]:
    """The pid and host written into the database's lock file."""
    with open(path + ".lock", encoding="utf-8") as lock:
        return lock.read().split()


def sidecars(path: str) -> list[str]:
    """SQLite's files beside the database path (WAL and WAL index)."""
    return [suffix for suffix in ("-wal", "-shm") if os.path.exists(path + suffix)]


def tables(path: Path | str) -> list[str]:
    with sqlite3.connect(path) as raw:
        names = [r[0] for r in raw.execute("SELECT name FROM sqlite_master ORDER BY name")]
    raw.close()
    return names


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStorage]:
    db = await SqliteStorage.open(str(tmp_path / "bot.sqlite3"))
    yield db
    await db.close()


async def test_a_second_owner_is_refused_naming_the_first(
    store: SqliteStorage, tmp_path: Path
) -> None:
    with pytest.raises(DatabaseInUse) as info:
        await SqliteStorage.open(store.path)
    refused = info.value
    assert (refused.path, refused.pid, refused.host) == (
        store.path,
        os.getpid(),
        socket.gethostname(),
    )
    assert "PostgreSQL" in str(refused)
    assert lock_owner(store.path) == [str(os.getpid()), socket.gethostname()]
    # The first store is unharmed, and once it is closed the file can be owned again.
    await store.save_user(User(KEY, "en", T0))
    await store.close()
    again = await SqliteStorage.open(store.path)
    try:
        assert (await again.get_user(KEY)).locale == "en"  # type: ignore[union-attr]
    finally:
        await again.close()


async def test_a_failed_open_gives_the_lock_back(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    for _ in range(2):  # the second attempt meets the same problem, not our own lock
        with pytest.raises(StorageUnavailable) as info:
            await SqliteStorage.open(str(path))
        assert not isinstance(info.value, DatabaseInUse)
        assert "not a database" in info.value.reason


_HOLD_THE_LOCK = """
import sys, time
from storage.ownership import Ownership
Ownership.claim(sys.argv[1])
print("locked", flush=True)
time.sleep(120)
"""


async def test_another_process_holds_the_lock_until_it_is_killed(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.sqlite3")
    holder = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _HOLD_THE_LOCK, path, cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert holder.stdout is not None
        assert await asyncio.wait_for(holder.stdout.readline(), 60) == b"locked\n"
        with pytest.raises(DatabaseInUse) as info:
            await SqliteStorage.open(path)
        assert info.value.pid == holder.pid
    finally:
        holder.send_signal(signal.SIGKILL)
        await holder.wait()
    # The kernel dropped the dead process's lock: the next start owns the file.
    db = await SqliteStorage.open(path)
    try:
        await db.save_user(User(KEY, "pl", T0))
        assert lock_owner(path)[0] == str(os.getpid())
    finally:
        await db.close()


async def test_a_deleted_file_fails_the_commit_and_every_later_write(
    store: SqliteStorage,
) -> None:
    await store.save_user(User(KEY, "pl", T0))
    record = await store.create_assessment(KEY, "parp", "v1", T0)
    os.unlink(store.path)
    record.cursor = "1.1.2"
    # The commit lands in the deleted file: its callers must not take it as stored.
    results = await asyncio.gather(
        store.record_answer(record, AnswerRecord("1.1.1", "y", "", T0)),
        store.save_session(KEY, SessionState("assess.q", {"n": 1})),
        store.save_user(User(BOB.user_key, "en", T0)),
        return_exceptions=True,
    )
    assert all(isinstance(r, DatabaseLost) for r in results), results
    lost = results[0]
    assert isinstance(lost, DatabaseLost)
    assert (lost.path, lost.reason) == (store.path, "was deleted or moved away")
    with pytest.raises(DatabaseLost):
        await store.save_session(KEY, SessionState())
    assert await asyncio.wait_for(store.wait_lost(), 5) is not None
    await store.close()
    # Nothing of the deleted database stays for the next start to take as its own.
    assert sidecars(store.path) == []


async def test_a_moved_file_keeps_every_commit_made_before_the_move(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storage.sqlite.database

    monkeypatch.setattr(storage.sqlite.database, "CHECKPOINT_EVERY", 3600)  # all of it in the WAL
    store = await SqliteStorage.open(str(tmp_path / "bot.sqlite3"))
    await store.save_user(User(KEY, "en", T0))
    moved = tmp_path / "moved.sqlite3"
    os.rename(store.path, moved)
    with pytest.raises(DatabaseLost):
        await store.save_user(User(BOB.user_key, "en", T0))
    await store.close()
    assert sidecars(store.path) == [] and sidecars(str(moved)) == []
    # The moved file alone (its WAL was copied in) still holds what was acknowledged.
    again = await SqliteStorage.open(str(moved))
    try:
        assert (await again.get_user(KEY)).locale == "en"  # type: ignore[union-attr]
    finally:
        await again.close()


async def test_a_replaced_file_fails_the_commit_and_is_left_alone(
    store: SqliteStorage, tmp_path: Path
) -> None:
    await store.save_user(User(KEY, "pl", T0))
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as raw:
        raw.execute("CREATE TABLE notes (body TEXT)")
        raw.execute("INSERT INTO notes VALUES ('kept')")
    raw.close()
    os.replace(other, store.path)
    with pytest.raises(DatabaseLost) as info:
        await store.save_user(User(BOB.user_key, "en", T0))
    assert info.value.reason == "was replaced by another file"
    await store.close()
    # The replacement (a restored copy, say) reads as itself, not overlaid with our WAL.
    assert tables(store.path) == ["notes"]
    with sqlite3.connect(store.path) as raw:
        assert raw.execute("SELECT body FROM notes").fetchall() == [("kept",)]
    raw.close()


async def test_the_watchdog_notices_an_idle_store_losing_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storage.sqlite.database

    monkeypatch.setattr(storage.sqlite.database, "WATCH_EVERY", 0.05)
    db = await SqliteStorage.open(str(tmp_path / "idle.sqlite3"))
    try:
        await db.save_user(User(KEY, "pl", T0))
        os.unlink(db.path)
        lost = await asyncio.wait_for(db.wait_lost(), 10)  # no write needed to notice
        assert isinstance(lost, DatabaseLost) and lost.reason == "was deleted or moved away"
        with pytest.raises(DatabaseLost):
            await db.save_user(User(BOB.user_key, "en", T0))
    finally:
        await db.close()
    # Closing gave the lock back: a new database can be started at the same path.
    again = await SqliteStorage.open(db.path)
    try:
        assert await again.get_user(KEY) is None
    finally:
        await again.close()


async def test_a_removed_lock_file_stops_the_owner_before_a_second_can_take_over(
    store: SqliteStorage,
) -> None:
    await store.save_user(User(KEY, "pl", T0))
    os.unlink(store.path + ".lock")  # "a stale lock file", thinks an operator
    with pytest.raises(DatabaseLost) as lost:
        await store.save_user(User(KEY, "en", T0))
    assert lost.value.reason == "lost its lock file, which was deleted or moved away"
    assert await asyncio.wait_for(store.wait_lost(), 5) is not None
    await store.close()
    # The database itself is intact, its WAL copied in and not thrown away.
    with sqlite3.connect(store.path) as raw:
        assert raw.execute("SELECT user_id FROM users").fetchall() == [(KEY.user_id,)]
    raw.close()
