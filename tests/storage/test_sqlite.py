"""What only the SQLite store does: files, WAL, migrations and start-up failures."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.events import UserKey
from bot.core.ports import SessionState, User
from bot.errors import StorageUnavailable
from storage.migrate import bundled_migrations
from storage.sqlite import SqliteStorage

KEY = UserKey("console", "", "local")


async def test_creates_directory_migrates_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "bot.sqlite3"
    db = await SqliteStorage.open(str(path))
    try:
        assert await db.schema_version() == len(bundled_migrations())
    finally:
        await db.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"users", "sessions", "processed_updates"} <= tables


async def test_data_survives_reopening(tmp_path: Path) -> None:
    path = str(tmp_path / "bot.sqlite3")
    db = await SqliteStorage.open(path)
    await db.save_user(User(KEY, "en", datetime(2026, 1, 1, tzinfo=UTC)))
    await db.save_session(KEY, SessionState("home.x", {"k": "v"}))
    await db.close()
    again = await SqliteStorage.open(path)
    try:
        assert (await again.get_user(KEY)).locale == "en"  # type: ignore[union-attr]
        assert (await again.load_session(KEY)).data == {"k": "v"}
        assert await again.schema_version() == len(bundled_migrations())
    finally:
        await again.close()


async def test_a_file_that_is_not_a_database_stops_start_up(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageUnavailable) as info:
        await SqliteStorage.open(str(path))
    assert info.value.path == str(path)
    assert "not a database" in info.value.reason


async def test_a_path_under_a_regular_file_stops_start_up(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageUnavailable) as info:
        await SqliteStorage.open(str(blocker / "db.sqlite3"))
    assert str(blocker) in str(info.value)
