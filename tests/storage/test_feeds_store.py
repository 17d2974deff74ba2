"""Calendar feeds, feed events, "new events" subscriptions and renewal days, on every store."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.events import Address
from bot.core.records import Event, FeedState
from storage.memory import MemoryStorage
from storage.migrate import bundled_migrations
from storage.sqlite import SqliteStorage

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ALA = Address("telegram", "7", "7")
URL = "https://kalendarz.example.org/parp.ics"


@pytest.fixture(params=["memory", "sqlite"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[object]:
    if request.param == "memory":
        yield MemoryStorage()
        return
    db = await SqliteStorage.open(str(tmp_path / "feeds.sqlite3"))
    yield db
    await db.close()


async def test_feed_state_round_trip(store: MemoryStorage) -> None:
    assert await store.get_feed(URL) is None
    state = FeedState(URL, '"v1"', "Mon, 02 Mar 2026 08:00:00 GMT", ok_at=T0, next_at=T0)
    await store.save_feed(state)
    failing = FeedState(
        URL, '"v1"', None, T0, failures=2, failing_since=T0, problem="http", next_at=T0
    )
    await store.save_feed(failing)
    assert await store.get_feed(URL) == failing


async def test_feed_events_keep_their_feed(store: MemoryStorage) -> None:
    feed = Event("feed-1", "Forum", "Forum", T0, "meeting", origin="feed", feed=URL)
    admin = Event(
        "adm-1", "Spotkanie", "Meeting", T0 + timedelta(days=1), "meeting", origin="admin"
    )
    await store.save_event(feed)
    await store.save_event(admin)
    assert await store.list_admin_events() == [feed, admin]


async def test_new_event_subscriptions_and_renewal_days(store: MemoryStorage) -> None:
    sub = await store.add_subscription(ALA.user_key, ALA, "new", "", None, T0)
    again = await store.add_subscription(ALA.user_key, ALA, "new", "", None, T0)
    assert again == sub and sub.kind == "new"
    assert await store.set_renewal(ALA.user_key, "kkk", date(2026, 3, 30)) is False
    await store.set_status_date(ALA.user_key, ALA, "kkk", date(2023, 2, 1), at=T0)
    assert await store.set_renewal(ALA.user_key, "kkk", date(2026, 3, 30)) is True
    [status] = await store.list_status_dates()
    assert (status.set_at, status.renew_on) == (T0, date(2026, 3, 30))
    await store.set_status_date(ALA.user_key, ALA, "kkk", date(2023, 12, 1), at=T0)
    [status] = await store.list_status_dates()
    assert status.renew_on is None and status.granted_on == date(2023, 12, 1)


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
