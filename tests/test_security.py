"""Security and privacy as users would notice them."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import build_services
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.events import Action, Command, Incoming
from bot.loader import Content
from storage.sqlite import SqliteStorage
from tests.assessment.test_conversation import current_standard, start_to_first_standard
from tests.helpers import ALICE, BOB, Chat, fill_profile

INJECTIONS = ["x'); DROP TABLE answers; --", '" OR 1=1 --', "Robert'); DELETE FROM users;--"]


@pytest.fixture
async def db(tmp_path: Path) -> SqliteStorage:
    store = await SqliteStorage.open(str(tmp_path / "sec.sqlite3"))
    yield store  # type: ignore[misc]
    await store.close()


def rows_mentioning(path: str, needle: str) -> list[tuple[str, tuple[object, ...]]]:
    found = []
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in conn.execute(f"SELECT * FROM {table}"):  # noqa: S608 - table names from the schema
                if any(needle in str(value) for value in row):
                    found.append((table, row))
    return found


async def test_my_data_then_delete_leaves_nothing(
    content: Content, db: SqliteStorage, clock: ManualClock
) -> None:
    built = build_services(content, db, clock, Settings())
    chat = Chat(built.dispatcher)
    await start_to_first_standard(chat)
    await chat.press("Dodaj notatkę")
    await chat.send("Notatka Alicji")
    await chat.press("Spełnia")
    await chat.send("/przypomnienia")
    await chat.press("Zmień wyprzedzenie")
    await chat.send("3d")
    await chat.send("/moje_dane")
    document = chat.last[0].document
    assert document is not None
    data = json.loads(document.data)
    assert data["user"]["user_id"] == "alice"
    assert data["assessments"][0]["profile"]["name"] == "Klaster Testowy"
    assert data["assessments"][0]["answers"][0]["note"] == "Notatka Alicji"
    assert data["reminder_offsets"] == [4320]
    assert rows_mentioning(db.path, "alice")
    await chat.send("/usun_dane")
    await chat.press("Nie, zostaw")
    assert rows_mentioning(db.path, "alice")
    await chat.send("/usun_dane")
    await chat.press("Tak, usuń")
    assert "Usunięte" in chat.text
    assert rows_mentioning(db.path, "alice") == []
    assert rows_mentioning(db.path, "Notatka Alicji") == []


async def test_injection_strings_are_stored_as_text(
    content: Content, db: SqliteStorage, clock: ManualClock
) -> None:
    built = build_services(content, db, clock, Settings())
    chat = Chat(built.dispatcher)
    await chat.send("/ocena")
    await chat.send(INJECTIONS[0])  # the cluster's name
    await chat.send(INJECTIONS[1])  # the coordinator
    await chat.press("stowarzyszenie")
    await chat.send(INJECTIONS[2])  # the sector
    for value in ("45", "300", "2015"):
        await chat.send(value)
    await chat.press("mazowieckie")
    await chat.press("nie")
    await chat.press("faza rozwoju")
    await chat.press("Dodaj notatkę")
    await chat.send(INJECTIONS[0])
    await chat.press("Spełnia")
    await chat.send(INJECTIONS[2])  # a question
    record = (await db.list_assessments(ALICE.user_key))[0]
    assert record.profile["name"] == INJECTIONS[0] and record.profile["sector"] == INJECTIONS[2]
    assert (await db.list_answers(record.id))["1.1.1"].note == INJECTIONS[0]
    with sqlite3.connect(db.path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"answers", "users", "assessments"} <= tables
        assert conn.execute("SELECT count(*) FROM users").fetchone()[0] == 1


async def test_throttling_says_slow_down_and_processes_nothing(
    content: Content, clock: ManualClock
) -> None:
    from storage.memory import MemoryStorage

    store = MemoryStorage()
    built = build_services(content, store, clock, Settings(rate_limit="5/10"))
    chat = Chat(built.dispatcher)
    for _ in range(5):
        await chat.send("/start")
        assert "Dzień dobry" in chat.text
    await chat.send("/jezyk en")
    assert "Piszesz bardzo szybko" in chat.text
    assert (await store.get_user(ALICE.user_key)).locale == "pl"  # type: ignore[union-attr]
    other = Chat(built.dispatcher, BOB)
    await other.send("/start")
    assert "Dzień dobry" in other.text  # others are not slowed down
    clock.advance(timedelta(seconds=10))
    await chat.send("/jezyk en")
    assert "we will talk in English" in chat.text


async def test_past_the_notice_a_flood_gets_no_reply_and_changes_nothing(
    content: Content, clock: ManualClock
) -> None:
    from storage.memory import MemoryStorage

    store = MemoryStorage()
    dispatcher = build_services(content, store, clock, Settings(rate_limit="5/10")).dispatcher

    async def switch(update_id: int) -> str:
        incoming = Incoming(ALICE, Command("jezyk", ("en",)), str(update_id), private=True)
        replies = await dispatcher.handle(incoming)
        return "\n".join(r.text for r in replies)

    for n in range(5):
        await dispatcher.handle(Incoming(ALICE, Command("start"), str(n), private=True))
    assert "Piszesz bardzo szybko" in await switch(5)  # told once
    stored = (dict(store._users), dict(store._sessions))
    assert [await switch(n) for n in range(6, 100)] == [""] * 94  # then not a word
    assert (dict(store._users), dict(store._sessions)) == stored
    clock.advance(timedelta(seconds=10))
    assert await switch(50) == ""  # a dropped update delivered again is not handled
    assert "we will talk in English" in await switch(100)


async def test_two_different_buttons_at_once_record_one_answer(
    content: Content, clock: ManualClock
) -> None:
    from storage.memory import MemoryStorage

    store = MemoryStorage()
    built = build_services(content, store, clock, Settings())
    chat = Chat(built.dispatcher)
    await start_to_first_standard(chat)
    yes, no = chat.payload("Spełnia"), chat.payload("Nie spełnia")
    first, second = await asyncio.gather(
        built.dispatcher.handle(Incoming(ALICE, Action(yes), private=True)),
        built.dispatcher.handle(Incoming(ALICE, Action(no), private=True)),
    )
    texts = [" ".join(r.text for r in first), " ".join(r.text for r in second)]
    assert sum("Zapisano 1.1.1" in t for t in texts) == 1
    assert sum("nieaktywny" in t for t in texts) == 1
    record = (await store.list_assessments(ALICE.user_key))[0]
    answers = await store.list_answers(record.id)
    assert list(answers) == ["1.1.1"] and answers["1.1.1"].answer == "y"  # the first press won
    chat.last = second
    assert current_standard(chat) == "1.1.2"


async def test_info_logs_carry_no_message_bodies(
    content: Content, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    from storage.memory import MemoryStorage

    built = build_services(content, MemoryStorage(), clock, Settings())
    chat = Chat(built.dispatcher)
    secret = "Tajna notatka o finansach 12345"
    with caplog.at_level(logging.INFO):
        await chat.send("/ocena")
        await fill_profile(chat)
        await chat.send(secret)
        await chat.send("/pomoc")
    assert secret not in caplog.text
    assert "Klaster Testowy" not in caplog.text
