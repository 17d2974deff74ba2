"""One bad event never breaks anything: lists, notices and reminders skip it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.core.clock import ManualClock
from bot.core.events import Address
from bot.core.records import Event
from bot.loader import Content
from bot.reminders.catalog import EventCatalog
from bot.reminders.schedule import Reminder
from bot.reminders.scheduler import ReminderScheduler
from storage.memory import MemoryStorage
from storage.sqlite import SqliteStorage
from tests.helpers import BOB, command
from tests.reminders.test_flows import T0, add_event, world  # noqa: F401 - the fixture
from tests.reminders.test_scheduler import ALA, services

FAR = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)  # beyond what Warsaw time can hold
LONG_TITLE = "Spotkanie " * 90_000  # 900,000 characters


async def store_bad_events(w: Any) -> None:
    await add_event(w, "adm-good", days=5)
    await w.store.save_event(
        Event("adm-far", "Bal w roku 9999", "Ball", FAR, "meeting", origin="admin")
    )
    await w.store.save_event(
        Event(
            "adm-long",
            LONG_TITLE,
            LONG_TITLE,
            T0 + timedelta(days=6),
            "meeting",
            origin="admin",
            place="Ł" * 5000,
            url="javascript:alert(1)",
        )
    )


async def test_a_stored_bad_event_never_breaks_the_lists(
    world: Any,  # noqa: F811
    content: Content,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await store_bad_events(world)
    internal = content.texts.get("pl", "errors.internal")
    with caplog.at_level(logging.WARNING):
        for chat in (world.alice, world.bob):
            await chat.send("/wydarzenia")
            assert internal not in chat.text
            assert "**Nadchodzące wydarzenia** (2)" in chat.text
            assert "Spotkanie klastrów" in chat.text and "Bal w roku 9999" not in chat.text
            long_reply = next(r for r in chat.last if "Spotkanie Spotkanie" in r.text)
            assert len(long_reply.text) < 700  # title and place held to 200 and 300 characters
            assert not any(b.url and "javascript" in b.url for b in long_reply.all_buttons)
        home = await world.built.dispatcher.overview(BOB)  # Slack's App Home
        assert any("Spotkanie klastrów" in r.text for r in home)
        assert all(len(r.text) < 700 for r in home)
    assert "adm-far" in caplog.text and "Bal w roku" not in caplog.text
    assert "Spotkanie Spotkanie" not in caplog.text
    carol = Address("console", "chat-c", "carol")  # a new user whose Telegram speaks English
    english = await world.built.dispatcher.handle(command("events", address=carol, hint="en"))
    assert "**Upcoming events** (2)" in english[0].text
    assert any("Cluster meeting" in r.text for r in english)
    await world.bob.send("/wydarzenia")
    await world.bob.press_payload("r1:ics:adm-long")
    document = world.bob.last[0].document
    assert document is not None and len(document.data) < 2000
    await world.bob.press_payload("r1:sub:e:adm-long")
    await world.bob.send("/przypomnienia")
    assert internal not in world.bob.text and len(world.bob.text) < 1000


async def test_an_admin_can_cancel_a_bad_event(world: Any) -> None:  # noqa: F811
    await store_bad_events(world)
    await world.bob.press_payload("r1:sub:a:-")  # Bob hears about everything
    await world.alice.send("/admin")
    await world.alice.press("Odwołaj wydarzenie")
    await world.alice.press("Bal w roku 9999")
    await world.alice.press("Tak")
    assert "Odwołane." in world.alice.text
    assert next(e for e in await world.store.list_admin_events() if e.id == "adm-far").cancelled


async def test_reminders_keep_coming_beside_a_year_9999_event(
    content: Content, tmp_path: Path
) -> None:
    clock = ManualClock(T0)
    db = await SqliteStorage.open(str(tmp_path / "r.sqlite3"))  # as stored before the fix
    try:
        built, recorder = services(content, db, clock)
        starts = T0 + timedelta(days=8)
        await db.save_event(Event("adm-far", "Bal", "Ball", FAR, "meeting", origin="admin"))
        await db.save_event(Event("adm-long", LONG_TITLE, "L", starts, "meeting", origin="admin"))
        await db.save_event(Event("adm-good", "Forum", "Forum", starts, "meeting", origin="admin"))
        await db.add_subscription(ALA.user_key, ALA, "all", "", None, T0)
        await db.add_subscription(ALA.user_key, ALA, "event", "adm-far", None, T0)
        clock.advance(timedelta(days=1))  # 7 days before both good events
        assert await built.scheduler.tick() == 2
        texts = sorted((t for _, t in recorder.sent), key=len)
        assert "Forum" in texts[0] and "za 7 dni" in texts[1]
        assert len(texts[1]) < 400  # the title is held to 200 characters
        assert await built.scheduler.seconds_to_next() > 0
    finally:
        await db.close()


async def test_one_reminder_that_cannot_be_written_does_not_stop_the_others(
    content: Content,
) -> None:
    clock, store = ManualClock(T0), MemoryStorage()
    sent: list[str] = []

    async def deliver(reminder: Reminder, event: Event) -> None:
        if event.id == "adm-bad":
            raise KeyError("reminders.category.unknown")  # a row no template expects
        sent.append(event.id)

    catalog = EventCatalog([], store, content.texts, ZoneInfo("Europe/Warsaw"))
    scheduler = ReminderScheduler(catalog, store, deliver, clock, (60,))
    for n, eid in enumerate(("adm-bad", "adm-good")):
        starts = T0 + timedelta(hours=2, minutes=n)
        await store.save_event(Event(eid, eid, eid, starts, "meeting", origin="admin"))
    await store.add_subscription(ALA.user_key, ALA, "all", "", None, T0)
    clock.advance(timedelta(hours=1, minutes=5))
    assert await scheduler.tick() == 1
    assert sent == ["adm-good"]
