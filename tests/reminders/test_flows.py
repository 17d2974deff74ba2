"""Events and reminders in chat: listing, subscribing, calendar files, settings, admins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.app import build_services
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.events import FileUpload, Incoming
from bot.core.records import Event
from bot.loader import Content
from bot.reminders.ics import to_ics
from storage.memory import MemoryStorage
from tests.helpers import ALICE, BOB, Chat
from tests.reminders.test_scheduler import Recorder

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(content: Content) -> Any:
    clock, store = ManualClock(T0), MemoryStorage()
    built = build_services(content, store, clock, Settings(admins="console:alice"))
    recorder = Recorder()
    built.outbox.register("console", recorder)

    class World:
        pass

    w = World()
    w.clock, w.store, w.built, w.recorder = clock, store, built, recorder  # type: ignore[attr-defined]
    w.alice = Chat(built.dispatcher, ALICE)  # type: ignore[attr-defined]
    w.bob = Chat(built.dispatcher, BOB)  # type: ignore[attr-defined]
    return w


async def add_event(w: Any, eid: str = "adm-x", days: int = 10, **extra: Any) -> Event:
    event = Event(
        eid,
        "Spotkanie klastrów",
        "Cluster meeting",
        T0 + timedelta(days=days),
        "meeting",
        origin="admin",
        place="Lublin",
        url="https://example.org/x",
        **extra,
    )
    await w.store.save_event(event)
    return event


async def test_events_lists_upcoming_with_actions_and_history(world: Any) -> None:
    await add_event(world)
    await world.bob.send("/wydarzenia")
    text = world.bob.text
    assert "Nadchodzące wydarzenia" in text and "Spotkanie klastrów" in text
    assert "🗓 12.03.2026, 10:00" in text  # shown in Warsaw time
    assert {"🔔 Przypomnij mi", "📅 Dodaj do kalendarza", "🔗 Strona wydarzenia"} <= set(
        world.bob.buttons
    )
    await world.bob.press("Minione wydarzenia")
    assert "29.05.2019: " in world.bob.text and "Chorzów" in world.bob.text
    assert "27.05.2019: " in world.bob.text


async def test_events_in_english_carry_english_dates(world: Any) -> None:
    await add_event(world)
    await world.bob.send("/language en")
    await world.bob.send("/events")
    assert "🗓 12 Mar 2026, 10:00" in world.bob.text
    await world.bob.press("Past events")
    assert "29 May 2019: " in world.bob.text


async def test_remind_me_and_list_and_cancel(world: Any) -> None:
    await add_event(world)
    await world.bob.send("/wydarzenia")
    await world.bob.press("Przypomnij mi")
    assert (
        "przypomnę o wydarzeniu „Spotkanie klastrów” – 7 dni, 1 dzień i 2 godziny przed nim."
        in world.bob.text
    )
    await world.bob.send("/przypomnienia")
    assert "• wydarzenie: Spotkanie klastrów" in world.bob.text
    await world.bob.press("❌")
    assert "Przypomnienie anulowane" in world.bob.text
    assert await world.store.list_subscriptions(BOB.user_key) == []


async def test_calendar_file(world: Any) -> None:
    await add_event(world)
    await world.bob.send("/wydarzenia")
    await world.bob.press("Dodaj do kalendarza")
    document = world.bob.last[0].document
    assert document is not None and document.mime == "text/calendar"
    assert (
        b"SUMMARY:Spotkanie klastr" in document.data
        and b"DTSTART:20260312T090000Z" in document.data
    )


async def test_category_and_region_subscription(world: Any) -> None:
    await world.bob.send("/wydarzenia")
    await world.bob.press("kategorii")
    await world.bob.press("Szkolenie")
    await world.bob.press("lubelskie")
    assert "z kategorii „Szkolenie” w województwie lubelskim" in world.bob.text
    subs = await world.store.list_subscriptions(BOB.user_key)
    assert [(s.kind, s.target, s.region) for s in subs] == [("category", "training", "lubelskie")]


async def test_offsets_are_editable(world: Any) -> None:
    await world.bob.send("/przypomnienia")
    await world.bob.press("Zmień wyprzedzenie")
    await world.bob.send("3 lata")
    assert "Nie rozumiem" in world.bob.text
    await world.bob.send("3d, 30m")
    assert "przypomnę 3 dni i 30 minut przed" in world.bob.text
    assert await world.store.get_offsets(BOB.user_key) == (4320, 30)
    await world.bob.send("/przypomnienia")
    await world.bob.press("Zmień wyprzedzenie")
    await world.bob.send("tydzień, 3 dni i 1 dzień przed")
    assert "przypomnę 7 dni, 3 dni i 1 dzień przed" in world.bob.text
    assert await world.store.get_offsets(BOB.user_key) == (10080, 4320, 1440)


async def test_status_date_sets_expiry_reminders(world: Any) -> None:
    await world.bob.send("/przypomnienia")
    await world.bob.press("Data statusu KKK")
    await world.bob.send("30.02.2025")
    assert "poprawna data" in world.bob.text
    await world.bob.send("15.06.2024")
    assert "wygasa 15.06.2027" in world.bob.text
    planned = await world.built.scheduler.planned()
    assert [r.offset // 1440 for r in planned if r.owner == BOB.user_key] == [183, 30]
    await world.bob.send("/przypomnienia")
    await world.bob.press("Data statusu KKK")
    await world.bob.send("Usun")  # a word from the locale file, any case, without Polish letters
    assert "Data usunięta." in world.bob.text
    assert [r for r in await world.built.scheduler.planned() if r.owner == BOB.user_key] == []


async def test_a_renewed_esca_label_lasts_three_years_a_first_one_two(world: Any) -> None:
    await world.bob.send("/przypomnienia")
    await world.bob.press("Data odznaki ESCA")
    await world.bob.send("10.03.2025")
    assert "Brązowa Odznaka ESCA wygasa 10.03.2027" in world.bob.text
    await world.bob.send("/przypomnienia")
    await world.bob.press("Data odnowienia ESCA")
    await world.bob.send("10.03.2025")
    assert "odnowiona Brązowa Odznaka ESCA wygasa 10.03.2028" in world.bob.text


async def test_non_admin_is_refused(world: Any) -> None:
    await world.bob.send("/admin")
    assert "tylko dla administratorów" in world.bob.text
    await world.bob.press_payload("r1:adm:add")
    assert "tylko dla administratorów" in world.bob.text
    assert await world.store.list_admin_events() == []


async def test_admin_adds_an_event_in_polish_words(world: Any) -> None:
    await world.alice.send("/admin")
    await world.alice.press("Dodaj wydarzenie")
    await world.alice.send("Warsztaty ze standardów")
    await world.alice.send("-")
    await world.alice.send("w przyszłym tygodniu")
    assert "Nie rozumiem tej daty" in world.alice.text
    await world.alice.send("27.02.2026 10:00")
    assert "już minęła" in world.alice.text
    await world.alice.send("27.05.9999 10:00")
    assert "zbyt odległa" in world.alice.text
    await world.alice.send("27 maja 10:00")
    await world.alice.send("Lublin, ul. Spokojna 1")
    await world.alice.send("ftp://x")
    assert "pełny adres strony" in world.alice.text
    await world.alice.send("http://localhost/warsztaty")  # no button could carry it
    assert "pełny adres strony" in world.alice.text
    await world.alice.send("https://example.org/warsztaty")
    await world.alice.press("Szkolenie")
    await world.alice.press("lubelskie")
    assert "27.05.2026, 10:00" in world.alice.text and "Warsztaty ze standardów" in world.alice.text
    await world.alice.press("Zapisz")
    events = await world.store.list_admin_events()
    assert len(events) == 1
    event = events[0]
    assert event.starts_at == datetime(2026, 5, 27, 8, 0, tzinfo=UTC)  # 10:00 CEST
    assert (event.category, event.region, event.title_en) == (
        "training",
        "lubelskie",
        "Warsztaty ze standardów",
    )


async def test_admin_reschedules_and_cancels_and_subscribers_hear(world: Any) -> None:
    await add_event(world, days=10)
    await world.bob.send("/wydarzenia")
    await world.bob.press("Przypomnij mi")
    await world.alice.send("/admin")
    await world.alice.press("Zmień wydarzenie")
    await world.alice.press("Spotkanie klastrów")
    await world.alice.press("Termin")
    await world.alice.send("20.03.2026 12:00")
    assert "Powiadomiono 1 os." in world.alice.text
    assert any(
        "Zmiana: **Spotkanie klastrów** – 20.03.2026, 12:00" in t for _, t in world.recorder.sent
    )
    planned = [r for r in await world.built.scheduler.planned() if r.event_id == "adm-x"]
    assert planned[0].starts_at == datetime(2026, 3, 20, 11, 0, tzinfo=UTC)
    await world.alice.send("/admin")
    await world.alice.press("Odwołaj wydarzenie")
    await world.alice.press("Spotkanie klastrów")
    await world.alice.press("Tak")
    assert "Odwołane. Powiadomiono 1 os." in world.alice.text
    assert any("Odwołane: **Spotkanie klastrów**" in t for _, t in world.recorder.sent)
    assert [r for r in await world.built.scheduler.planned() if r.event_id == "adm-x"] == []


async def test_admin_broadcast_to_a_category(world: Any) -> None:
    await world.bob.send("/wydarzenia")
    await world.bob.press("kategorii")
    await world.bob.press("Spotkanie")
    await world.bob.press("Cała Polska")
    await world.alice.send("/admin")
    await world.alice.press("Ogłoszenie")
    await world.alice.press_payload("r1:adm:bc:meeting")
    await world.alice.send("Zmiana sali na 204.")
    assert "Wysłać do 1 os.?" in world.alice.text
    await world.alice.press("Tak")
    assert "Wysłano do 1 os." in world.alice.text
    assert (
        world.recorder.sent[-1][0].user_id == "bob"
        and "Zmiana sali na 204." in world.recorder.sent[-1][1]
    )


async def test_admin_imports_an_ics_file(world: Any) -> None:
    event = Event(
        "x",
        "Konferencja klastrów",
        "Cluster conference",
        T0 + timedelta(days=40),
        "conference",
        place="Gdańsk",
    )
    data = to_ics([event], "pl", __import__("zoneinfo").ZoneInfo("Europe/Warsaw"))
    await world.alice.send("/admin")
    await world.alice.press("Importuj plik")
    chat = world.alice
    chat.last = await world.built.dispatcher.handle(
        Incoming(ALICE, FileUpload("k.ics", b"garbage", "text/calendar"), private=True)
    )
    assert "Nie mogę odczytać" in chat.text
    chat.last = await world.built.dispatcher.handle(
        Incoming(ALICE, FileUpload("k.ics", data, "text/calendar"), private=True)
    )
    assert "Zaimportowano wydarzeń: 1" in chat.text
    stored = await world.store.list_admin_events()
    assert stored[0].title_pl == "Konferencja klastrów" and stored[0].place == "Gdańsk"


async def test_files_outside_the_import_are_refused(world: Any) -> None:
    world.bob.last = await world.built.dispatcher.handle(
        Incoming(BOB, FileUpload("a.pdf", b"%PDF", "application/pdf"), private=True)
    )
    assert "nie potrzebuję pliku" in world.bob.text


async def test_past_events_name_their_city_once(world: Any) -> None:
    await world.bob.send("/wydarzenia")
    await world.bob.press("Minione wydarzenia")
    lines = [line for line in world.bob.text.splitlines() if line.startswith("• ")]
    for city in ("Szczecin", "Lublin", "Chorzów", "Bukareszt"):
        with_city = [line for line in lines if city in line]
        assert with_city and all(line.count(city) == 1 for line in with_city), with_city
