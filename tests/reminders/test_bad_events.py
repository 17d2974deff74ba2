"""One bad event never breaks anything: imports check each event, lists and reminders skip it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.core.clock import ManualClock
from bot.core.events import Address, FileUpload, Incoming
from bot.core.records import Event
from bot.loader import Content
from bot.reminders.catalog import EventCatalog
from bot.reminders.schedule import Reminder
from bot.reminders.scheduler import ReminderScheduler
from storage.memory import MemoryStorage
from storage.sqlite import SqliteStorage
from tests.helpers import ALICE, BOB, command
from tests.reminders.test_flows import T0, add_event, world  # noqa: F401 - the fixture
from tests.reminders.test_scheduler import ALA, services

FAR = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)  # beyond what Warsaw time can hold
LONG_TITLE = "Spotkanie " * 90_000  # 900,000 characters


def calendar(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e}END:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\n{body}END:VCALENDAR\r\n".encode()


FAR_EVENT = "UID:far\r\nSUMMARY:Bal w roku 9999\r\nDTSTART:99991231T235959Z\r\n"
BROKEN_START = "UID:broken\r\nSUMMARY:Zepsuta data\r\nDTSTART:2026-13-45\r\n"
LONG_EVENT = f"UID:long\r\nSUMMARY:{LONG_TITLE}\r\nDTSTART:20260601T080000Z\r\n"
SCRIPT_LINK = (
    "UID:js\r\nSUMMARY:Webinar z linkiem\r\nDTSTART:20260602T080000Z\r\nURL:javascript:alert(1)\r\n"
)
GOOD = "UID:forum\r\nSUMMARY:Forum klastrów\r\nDTSTART:20260603T080000Z\r\nLOCATION:Rzeszów\r\n"


async def send_file(w: Any, data: bytes) -> str:
    chat = w.alice
    chat.last = await w.built.dispatcher.handle(
        Incoming(ALICE, FileUpload("kalendarz.ics", data, "text/calendar"), private=True)
    )
    return str(chat.text)


async def test_import_keeps_the_good_events_and_says_why_others_were_skipped(
    world: Any,  # noqa: F811 - the imported fixture
    content: Content,
) -> None:
    await world.alice.send("/admin")
    await world.alice.press("Importuj plik")
    data = calendar(FAR_EVENT, BROKEN_START, LONG_EVENT, SCRIPT_LINK, GOOD)
    text = await send_file(world, data)
    assert content.texts.get("pl", "errors.internal") not in text
    assert "Zaimportowano wydarzeń: 3." in text
    assert "**Pominięte** (2):" in text
    assert "• „Bal w roku 9999” – data spoza zakresu od 01.01.2000 do 02.03.2036" in text
    assert "• „Zepsuta data” – nie mogę odczytać daty rozpoczęcia (DTSTART)" in text
    assert "**Zaimportowane ze zmianami** (2):" in text
    assert "• „Webinar z linkiem” – link pominięty: przyjmuję tylko pełne adresy http://" in text
    assert "tytuł skrócony do 200 znaków" in text
    assert len(text) < 1500  # the 900,000 characters are not repeated back
    stored = {e.id: e for e in await world.store.list_admin_events()}
    assert set(stored) == {"ics-long", "ics-js", "ics-forum"}
    assert all(len(e.title_pl) <= 200 and e.url is None for e in stored.values())
    # The flow is over: the imported events are listed for everyone.
    await world.bob.send("/wydarzenia")
    assert "Forum klastrów" in world.bob.text and "Webinar z linkiem" in world.bob.text


async def test_import_in_english_names_the_reasons_too(world: Any) -> None:  # noqa: F811
    await world.alice.send("/jezyk en")
    await world.alice.send("/admin")
    await world.alice.press("Import")
    text = await send_file(world, calendar(FAR_EVENT, GOOD))
    assert "Events imported: 1." in text
    assert '• "Bal w roku 9999" – the date is outside the range from 2000-01-01 to 2036-03-02' in (
        text
    )


async def test_a_file_without_a_usable_event_is_refused_with_the_reasons(
    world: Any,  # noqa: F811
) -> None:
    await world.alice.send("/admin")
    await world.alice.press("Importuj plik")
    text = await send_file(world, calendar(FAR_EVENT, BROKEN_START))
    assert "Nie zaimportowano żadnego wydarzenia z tego pliku." in text
    assert "„Bal w roku 9999” – data spoza zakresu" in text
    assert "„Zepsuta data” – nie mogę odczytać daty rozpoczęcia" in text
    assert "Wyślij plik .ics" in text  # asked again, still in the import
    assert await world.store.list_admin_events() == []
    text = await send_file(world, b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert "Nie mogę odczytać tego pliku jako kalendarza .ics: w pliku nie ma żadnego" in text
    text = await send_file(world, calendar(GOOD))
    assert "Zaimportowano wydarzeń: 1." in text


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
