"""What only the SQLite store does: files, WAL, migrations and start-up failures."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.core.events import Address, UserKey
from bot.core.ports import SessionState, User
from bot.errors import StorageUnavailable
from storage.migrate import bundled_migrations
from storage.sqlite import SqliteStorage

KEY = UserKey("console", "", "local")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ALA = Address("telegram", "7", "7")


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


async def test_reminders_set_up_in_groups_before_now_go_to_the_private_chat(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as raw:  # a database as version 5 left it
        for migration in bundled_migrations()[:5]:
            raw.executescript(migration.sql)
        raw.execute("PRAGMA user_version = 5")
        rows = [
            ("telegram", "", "501", "-100200"),  # from a Telegram group
            ("telegram", "", "502", "502"),  # from the private chat
            ("slack", "T1", "U1", "C1"),  # from a Slack channel
            ("slack", "T1", "U2", "DU2"),  # from the DM
        ]
        for n, (platform, workspace, user, chat) in enumerate(rows):
            raw.execute(
                "INSERT INTO subscriptions (platform, workspace, user_id, chat_id, kind, target,"
                " created_at) VALUES (?, ?, ?, ?, 'all', ?, '2026-01-01T00:00:00+00:00')",
                (platform, workspace, user, chat, str(n)),
            )
            raw.execute(
                "INSERT INTO status_dates VALUES (?, ?, ?, ?, 'kkk', '2025-01-01')",
                (platform, workspace, user, chat),
            )
    raw.close()
    db = await SqliteStorage.open(str(path))
    try:
        chats = {s.owner.user_id: s.address.chat_id for s in await db.list_subscriptions()}
        statuses = {s.owner.user_id: s.address.chat_id for s in await db.list_status_dates()}
    finally:
        await db.close()
    expected = {"501": "", "502": "502", "U1": "", "U2": "DU2"}
    assert chats == statuses == expected


async def test_status_dates_survive_the_renewed_label_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as raw:  # a database as version 6 left it
        for migration in bundled_migrations()[:6]:
            raw.executescript(migration.sql)
        raw.execute("PRAGMA user_version = 6")
        raw.execute(
            "INSERT INTO status_dates VALUES ('telegram', '', '7', '', 'esca', '2025-03-01')"
        )
    raw.close()
    db = await SqliteStorage.open(str(path))
    try:
        address = Address("telegram", "7", "7")
        await db.set_status_date(address.user_key, address, "esca_renewed", date(2025, 4, 1))
        kinds = sorted((s.kind, s.granted_on) for s in await db.list_status_dates())
    finally:
        await db.close()
    assert kinds == [("esca", date(2025, 3, 1)), ("esca_renewed", date(2025, 4, 1))]


async def test_migration_keeps_subscriptions_and_never_reuses_their_ids(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as raw:  # a database as version 8 left it
        for migration in bundled_migrations()[:8]:
            raw.executescript(migration.sql)
        raw.execute("PRAGMA user_version = 8")
        for n in range(1, 4):
            raw.execute(
                "INSERT INTO subscriptions (platform, workspace, user_id, chat_id, kind, target,"
                " created_at) VALUES ('telegram', '', '7', '7', 'event', ?, ?)",
                (f"e{n}", T0.isoformat()),
            )
        raw.execute("DELETE FROM subscriptions WHERE id = 3")
        raw.execute(
            "INSERT INTO status_dates VALUES ('telegram', '', '7', '7', 'kkk', '2023-02-01')"
        )
    raw.close()
    db = await SqliteStorage.open(str(path))
    try:
        kept = [(s.id, s.target) for s in await db.list_subscriptions()]
        new = await db.add_subscription(ALA.user_key, ALA, "new", "", None, T0)
        [status] = await db.list_status_dates()
    finally:
        await db.close()
    assert kept == [(1, "e1"), (2, "e2")]
    assert new.id == 4  # 3 was given out before the migration
    assert (status.granted_on, status.set_at, status.renew_on) == (date(2023, 2, 1), None, None)


#: Ledger keys as the features wrote them before the owner got columns of its own.
OLD_LEDGER = {
    "adm-a|2026-03-03T09:00:00+00:00|telegram::7|1440": ("telegram", "", "7"),  # a reminder
    "new-event|feed-1|slack:T1:U2|": ("slack", "T1", "U2"),  # a notice about a new event
    "feed-down|https://x.example/a.ics|telegram::9|": ("telegram", "", "9"),  # a warning
    "ev|with|pipes|2026-03-03T09:00:00+00:00|telegram::7|60": ("telegram", "", "7"),
    "review-digest|2026-W10|telegram:9": ("", "", ""),  # nobody's: not erased before either
    "new-call|3|slack:T1:U1": ("", "", ""),
}


async def test_the_ledger_migration_gives_each_row_its_owner_and_keeps_it_claimed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as raw:  # a database as version 9 left it
        for migration in bundled_migrations()[:9]:
            raw.executescript(migration.sql)
        raw.execute("PRAGMA user_version = 9")
        raw.executemany(
            "INSERT INTO reminder_ledger (key, delivered_at) VALUES (?, ?)",
            [(key, T0.isoformat()) for key in OLD_LEDGER],
        )
    raw.close()
    db = await SqliteStorage.open(str(path))
    try:
        with sqlite3.connect(path) as raw:
            rows = raw.execute(
                "SELECT key, platform, workspace, user_id FROM delivery_ledger"
            ).fetchall()
        raw.close()
        assert {key: (p, w, u) for key, p, w, u in rows} == OLD_LEDGER
        # A delivery claimed before the upgrade is not made again.
        for key, (platform, workspace, user_id) in OLD_LEDGER.items():
            owner = UserKey(platform, workspace, user_id) if platform else None
            assert await db.claim_delivery(key, T0, owner) is False, key
        # Erasing a person frees their rows, found by the owner columns.
        await db.delete_user(UserKey("telegram", "", "7"))
        with sqlite3.connect(path) as raw:
            left = {r[0] for r in raw.execute("SELECT key FROM delivery_ledger")}
        raw.close()
    finally:
        await db.close()
    assert left == {key for key, owner in OLD_LEDGER.items() if owner != ("telegram", "", "7")}
