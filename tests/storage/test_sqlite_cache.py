"""The SQLite store's caches and its writer: what a turn reads is what the file holds."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import wire_services
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.events import UserKey
from bot.core.ports import AnswerRecord, SessionState, User
from bot.errors import StorageError, StorageUnavailable
from bot.loader import Content
from storage.sqlite import SqliteStorage
from storage.writer import Writer
from tests.assessment.test_conversation import current_standard, start_to_first_standard
from tests.helpers import ALICE, Chat

T0 = datetime(2026, 5, 27, 8, 0, tzinfo=UTC)


@pytest.fixture
async def pair(tmp_path: Path) -> AsyncIterator[tuple[SqliteStorage, SqliteStorage]]:
    """The bot's store (cached, the file's owner) and a second view that reads from disk."""
    path = str(tmp_path / "bot.sqlite3")
    cached = await SqliteStorage.open(path)
    disk = await SqliteStorage.open(path, cache_size=0, exclusive=False)
    yield cached, disk
    await disk.close()
    await cached.close()


async def same_view(key: UserKey, cached: SqliteStorage, disk: SqliteStorage) -> None:
    assert await cached.get_user(key) == await disk.get_user(key)
    assert await cached.load_session(key) == await disk.load_session(key)
    assert await cached.canonical(key) == await disk.canonical(key)
    records = await disk.list_assessments(key)
    for record in records:
        assert await cached.get_assessment(record.id) == record
        assert await cached.list_answers(record.id) == await disk.list_answers(record.id)


async def test_a_conversation_through_the_cache_leaves_the_file_in_the_same_state(
    content: Content, clock: ManualClock, pair: tuple[SqliteStorage, SqliteStorage]
) -> None:
    cached, disk = pair
    chat = Chat(wire_services(content, cached, clock, Settings()))
    await start_to_first_standard(chat)
    await chat.press("Spełnia")
    await chat.press("Nie spełnia")
    await chat.press("Wstecz")
    await chat.press("Nie wiem")  # changes 1.1.2
    await chat.press("notatk")
    await chat.send("Notatka; DROP TABLE answers; --")
    await chat.send("/zmien 1.1.1")
    await chat.press("Nie spełnia")
    assert current_standard(chat) is not None
    await chat.send("/jezyk")
    await same_view(ALICE.user_key, cached, disk)
    record = (await disk.list_assessments(ALICE.user_key))[0]
    answers = await disk.list_answers(record.id)
    assert answers["1.1.1"].answer == "n"
    assert answers["1.1.2"].answer == "u"
    assert answers["1.1.3"].note == "Notatka; DROP TABLE answers; --"


async def test_links_and_erasure_reach_the_cache(pair: tuple[SqliteStorage, SqliteStorage]) -> None:
    cached, disk = pair
    alias, person = UserKey("slack", "T1", "U1"), ALICE.user_key
    await cached.save_user(User(person, "pl", T0))
    assert await cached.canonical(alias) is None  # a miss is cached too...
    await cached.link_identity(alias, person, T0)
    assert await cached.canonical(alias) == person  # ...and replaced by the link
    await cached.save_session(person, SessionState("assess.note", {"standard": "1.1.1"}))
    record = await cached.create_assessment(person, "parp", "v1", T0)
    await same_view(person, cached, disk)

    await cached.delete_user(person)
    assert await cached.get_user(person) is None
    assert await cached.canonical(alias) is None
    assert await cached.load_session(person) == SessionState()
    assert await cached.get_assessment(record.id) is None
    await same_view(person, cached, disk)


async def test_a_user_saved_twice_keeps_the_first_contact_in_the_cache(
    pair: tuple[SqliteStorage, SqliteStorage],
) -> None:
    cached, disk = pair
    key = ALICE.user_key
    await cached.save_user(User(key, "pl", T0))
    assert await cached.get_user(key) is not None
    later = datetime(2026, 6, 1, tzinfo=UTC)
    await cached.save_user(User(key, "en", later, active=False))
    assert await cached.get_user(key) == User(key, "en", T0, active=False)
    await same_view(key, cached, disk)


async def test_a_read_racing_a_write_never_leaves_the_old_row_cached(tmp_path: Path) -> None:
    path = str(tmp_path / "race.sqlite3")
    disk = await SqliteStorage.open(path, cache_size=0, exclusive=False)
    key = ALICE.user_key
    record = await disk.create_assessment(key, "parp", "v1", T0)
    try:
        for n in range(100):
            cached = await SqliteStorage.open(path)  # cold: the read below is a miss
            record.cursor = f"1.1.{n}"
            answer = AnswerRecord(f"1.1.{n}", "y", "", T0)
            await asyncio.gather(
                cached.get_assessment(record.id),
                cached.update_assessment(record),
                cached.list_answers(record.id),
                cached.save_answer(record.id, answer),
                cached.load_session(key),
                cached.save_session(key, SessionState("assess.note", {"n": n})),
            )
            assert await cached.get_assessment(record.id) == await disk.get_assessment(record.id)
            assert await cached.list_answers(record.id) == await disk.list_answers(record.id)
            assert await cached.load_session(key) == SessionState("assess.note", {"n": n})
            await cached.close()
    finally:
        await disk.close()


async def test_an_answer_and_the_move_to_the_next_question_are_stored_together(
    pair: tuple[SqliteStorage, SqliteStorage],
) -> None:
    cached, disk = pair
    record = await cached.create_assessment(ALICE.user_key, "parp", "v1", T0)
    await cached.list_answers(record.id)  # cached, so a wrong cache update would show
    record.cursor = "1.1.2"
    await cached.record_answer(record, AnswerRecord("1.1.1", "y", "", T0))
    assert (await disk.get_assessment(record.id)).cursor == "1.1.2"  # type: ignore[union-attr]
    assert set(await disk.list_answers(record.id)) == {"1.1.1"}

    # The move fails in the database: the answer must not be stored either.
    with sqlite3.connect(cached.path) as raw:
        raw.execute(
            "CREATE TRIGGER refuse BEFORE UPDATE ON assessments WHEN NEW.cursor = '1.1.3' "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    record.cursor = "1.1.3"
    with pytest.raises(StorageError) as refused:  # never the driver's own exception
        await cached.record_answer(record, AnswerRecord("1.1.2", "n", "", T0))
    assert isinstance(refused.value.__cause__, sqlite3.IntegrityError)
    assert set(await disk.list_answers(record.id)) == {"1.1.1"}
    assert set(await cached.list_answers(record.id)) == {"1.1.1"}
    assert (await cached.get_assessment(record.id)).cursor == "1.1.2"  # type: ignore[union-attr]


async def test_the_wal_is_copied_into_the_file_beside_the_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storage.sqlite.database

    monkeypatch.setattr(storage.sqlite.database, "CHECKPOINT_EVERY", 0.05)
    path = tmp_path / "ckpt.sqlite3"
    store = await SqliteStorage.open(str(path))
    try:
        record = await store.create_assessment(ALICE.user_key, "parp", "v1", T0)
        await asyncio.sleep(0.2)  # the schema and the first row reach the file
        before = path.stat().st_size
        for n in range(400):
            note = f"notatka {n} " + "x" * 200
            await store.save_answer(record.id, AnswerRecord(f"s{n}", "y", note, T0))
        await asyncio.sleep(0.3)
        # Commits do not checkpoint (wal_autocheckpoint = 0): only the background task can
        # have copied the new pages into the database file.
        assert path.stat().st_size > before + 50_000
    finally:
        await store.close()


class _LockedProbe:
    """Stands in for the event loop's probe while another connection holds a lock."""

    def execute(self, sql: str, params: object = ()) -> sqlite3.Cursor:
        raise sqlite3.OperationalError("database is locked")

    def close(self) -> None:
        pass


async def test_a_redelivered_update_is_recognised_while_the_probe_meets_a_lock(
    tmp_path: Path,
) -> None:
    store = await SqliteStorage.open(str(tmp_path / "seen.sqlite3"))
    try:
        await store.remember("telegram::1", T0)
        assert await store.seen("telegram::1")  # the probe on the event loop
        assert not await store.seen("telegram::2")
        await store.remember("telegram::2", T0)
        assert await store.seen("telegram::2")  # the latest commit, not an older snapshot
        real, store._db._probe = store._db._probe, _LockedProbe()  # type: ignore[assignment]
        real.close()
        # The probe does not wait on the loop; the read takes the reading thread instead.
        assert await store.seen("telegram::2")
        assert not await store.seen("telegram::3")
    finally:
        await store.close()


async def test_the_database_must_be_a_file() -> None:
    with pytest.raises(StorageUnavailable):
        await SqliteStorage.open(":memory:")


# -- the writer ------------------------------------------------------------------------------


@pytest.fixture
async def writer(tmp_path: Path) -> AsyncIterator[Writer]:
    path = str(tmp_path / "w.sqlite3")
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
    w = Writer(path)
    await w.open()
    yield w
    await w.close()


def rows(writer_path: Path) -> dict[str, int]:
    with sqlite3.connect(writer_path) as db:
        return dict(db.execute("SELECT k, v FROM t").fetchall())


async def test_concurrent_units_commit_and_a_failing_one_is_rolled_back_alone(
    writer: Writer, tmp_path: Path
) -> None:
    insert = "INSERT INTO t (k, v) VALUES (?, ?)"
    await writer.execute(insert, ("taken", 0))
    units = [[(insert, (f"k{n}", n)), (insert, (f"k{n}b", n))] for n in range(20)]
    # One unit writes a row and then breaks a constraint: neither statement may land.
    units[7] = [(insert, ("k7", 7)), (insert, ("taken", 7))]
    units[12] = [(insert, ("taken", 12))]  # a single statement that fails
    results = await asyncio.gather(*(writer.run(u) for u in units), return_exceptions=True)
    assert isinstance(results[7], sqlite3.IntegrityError)
    assert isinstance(results[12], sqlite3.IntegrityError)
    fine = [r for i, r in enumerate(results) if i not in (7, 12)]
    assert all(isinstance(r, list) and len(r) == 2 for r in fine)
    stored = rows(tmp_path / "w.sqlite3")
    assert "k7" not in stored and stored["taken"] == 0
    assert {f"k{n}" for n in range(20) if n not in (7, 12)} <= set(stored)
    assert len(stored) == 1 + 18 * 2


async def test_outcomes_report_rows_changed_and_new_ids(writer: Writer) -> None:
    first = await writer.execute("INSERT INTO t (k, v) VALUES ('a', 1)")
    assert first.rowcount == 1 and first.lastrowid is not None
    changed = await writer.execute("UPDATE t SET v = 2 WHERE k IN ('a', 'nothing')")
    assert changed.rowcount == 1


async def test_close_commits_what_was_queued_and_refuses_more(
    writer: Writer, tmp_path: Path
) -> None:
    pending = [
        asyncio.ensure_future(writer.execute("INSERT INTO t (k, v) VALUES (?, ?)", (str(n), n)))
        for n in range(50)
    ]
    await asyncio.sleep(0)  # queued, not yet committed
    await writer.close()
    assert all(p.done() and p.exception() is None for p in pending)
    assert len(rows(tmp_path / "w.sqlite3")) == 50
    with pytest.raises(RuntimeError):
        await writer.execute("INSERT INTO t (k, v) VALUES ('late', 0)")
