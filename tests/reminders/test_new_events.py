"""Nothing coming up: /wydarzenia says so, shows recent past events, offers news of new ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import build_services
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.events import FileUpload, Incoming
from bot.core.ports import User
from bot.core.records import Event
from bot.loader import Content
from bot.reminders.ics import to_ics
from storage.memory import MemoryStorage
from tests.helpers import ALICE, BOB, Chat
from tests.reminders.test_feeds import Inbox

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def world(content: Content) -> Any:
    clock, store = ManualClock(T0), MemoryStorage()
    built = build_services(content, store, clock, Settings(admins="console:alice"))
    inbox = Inbox()
    built.outbox.register("console", inbox)

    class World:
        pass

    w = World()
    w.store, w.inbox, w.clock = store, inbox, clock  # type: ignore[attr-defined]
    w.alice = Chat(built.dispatcher, ALICE)  # type: ignore[attr-defined]
    w.bob = Chat(built.dispatcher, BOB)  # type: ignore[attr-defined]
    w.dispatcher = built.dispatcher  # type: ignore[attr-defined]
    return w


async def add_event(w: Any, title: str, starts: datetime, **extra: Any) -> None:
    event_id = "adm-" + title.lower().replace(" ", "-")
    await w.store.save_event(
        Event(event_id, title, title, starts, "meeting", origin="admin", **extra)
    )


async def admin_adds(w: Any, title: str) -> None:
    await w.alice.send("/admin")
    await w.alice.press("Dodaj wydarzenie")
    await w.alice.send(title)
    await w.alice.send("-")
    await w.alice.send("27.05.2026 10:00")
    await w.alice.send("Lublin")
    await w.alice.send("-")
    await w.alice.press("Spotkanie")
    await w.alice.press("Cała Polska")
    await w.alice.press("Zapisz")


async def test_nothing_upcoming_shows_recent_past_events_and_offers_news(world: Any) -> None:
    await add_event(world, "Spotkanie styczniowe", T0 - timedelta(days=40))
    await add_event(world, "Spotkanie lutowe", T0 - timedelta(days=10), place="Lublin")
    await add_event(world, "Odwołane spotkanie", T0 - timedelta(days=5), cancelled=True)
    await world.bob.send("/wydarzenia")
    text = world.bob.text
    assert text.startswith("Brak nadchodzących wydarzeń w kalendarzu.\n\n**Ostatnie minione")
    recent = [line for line in text.split("\n") if line.startswith("• ")]
    assert len(recent) == 3  # the last three, newest first (a card's past call is the third)
    assert recent[:2] == [
        "• 20.02.2026, 10:00: Spotkanie lutowe, Lublin",
        "• 21.01.2026, 10:00: Spotkanie styczniowe",
    ]
    assert "Odwołane spotkanie" not in text
    assert "Napiszę do Ciebie o każdym nowym wydarzeniu" in text
    assert world.bob.buttons[0] == "🔔 Powiadom mnie o nowych wydarzeniach"

    await world.bob.press("Powiadom mnie")
    assert "napiszę o każdym nowym wydarzeniu" in world.bob.text
    await world.bob.send("/wydarzenia")
    assert "Piszę do Ciebie o każdym nowym wydarzeniu" in world.bob.text
    assert world.bob.buttons[0] == "🔕 Wyłącz powiadomienia o nowych wydarzeniach"
    await world.bob.send("/przypomnienia")
    assert "• wiadomość o każdym nowym wydarzeniu" in world.bob.text


async def test_watchers_hear_once_of_an_event_an_admin_adds_until_they_turn_it_off(
    world: Any,
) -> None:
    await world.bob.send("/wydarzenia")
    await world.bob.press("Powiadom mnie")
    await admin_adds(world, "Warsztaty ze standardów")
    assert "Powiadomiono 1 os." in world.alice.text
    heard = world.inbox.of(BOB)
    assert [r.text.split("\n")[0] for r in heard] == [
        "🆕 **Nowe wydarzenie w kalendarzu**",
        "**Warsztaty ze standardów**",
    ]
    assert "🗓 27.05.2026, 10:00" in heard[1].text
    remind = next(b.payload for b in heard[1].all_buttons if "Przypomnij mi" in b.label)
    await world.bob.press_payload(remind)
    assert "przypomnę o wydarzeniu „Warsztaty ze standardów”" in world.bob.text
    assert world.inbox.of(ALICE) == []  # the admin is not watching

    await world.bob.send("/wydarzenia")
    await world.bob.press("Wyłącz powiadomienia")
    assert "nie będę już pisać o nowych wydarzeniach" in world.bob.text
    world.inbox.take()
    await admin_adds(world, "Drugie warsztaty")
    assert "Powiadomiono 0 os." in world.alice.text
    assert world.inbox.take() == []


async def test_an_import_of_many_events_is_one_message_with_a_button(world: Any) -> None:
    await world.bob.send("/wydarzenia")
    await world.bob.press("Powiadom mnie")
    events = [
        Event(f"e{n}", f"Webinar {n}", f"Webinar {n}", T0 + timedelta(days=n), "meeting")
        for n in range(1, 6)
    ]
    data = to_ics(events, "pl", ZONE)
    await world.alice.send("/admin")
    await world.alice.press("Importuj plik")
    await world.dispatcher.handle(
        Incoming(ALICE, FileUpload("k.ics", data, "text/calendar"), private=True)
    )
    heard = world.inbox.of(BOB)
    assert len(heard) == 1
    assert heard[0].text.startswith("🆕 **Nowe wydarzenia w kalendarzu** (5):\n• 03.03.2026, 10:00")
    assert [b.label for b in heard[0].all_buttons] == ["📅 Pokaż wydarzenia"]
    # The same file again adds nothing new: nobody hears.
    world.inbox.take()
    await world.alice.send("/admin")
    await world.alice.press("Importuj plik")
    await world.dispatcher.handle(
        Incoming(ALICE, FileUpload("k.ics", data, "text/calendar"), private=True)
    )
    assert world.inbox.take() == []


async def test_in_english_the_offer_reads_in_english(world: Any) -> None:
    await world.bob.send("/events")
    await world.store.save_user(User(BOB.user_key, "en", T0))
    await world.bob.send("/events")
    assert world.bob.text.startswith("No upcoming events")
    assert "🔔 Tell me about new events" in world.bob.buttons
