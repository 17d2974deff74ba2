"""Administrators record a new call, an open/closed mark or a correction from the chat."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.app import build_services
from bot.cli import content_changes
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.knowledge.editing import changes_patch
from bot.loader import Content
from storage.memory import MemoryStorage
from storage.sqlite import SqliteStorage
from tests.helpers import ALICE, BOB, Chat
from tests.knowledge.test_digest import Inbox

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


@pytest.fixture
def world(content: Content) -> Any:
    store, clock = MemoryStorage(), ManualClock(NOW)
    built = build_services(content, store, clock, Settings(admins="console:alice"))
    inbox = Inbox()
    built.outbox.register("console", inbox)

    class World:
        pass

    w = World()
    w.store, w.built, w.inbox, w.clock = store, built, inbox, clock  # type: ignore[attr-defined]
    w.alice = Chat(built.dispatcher, ALICE)  # type: ignore[attr-defined]
    w.bob = Chat(built.dispatcher, BOB)  # type: ignore[attr-defined]
    return w


async def _to_card(chat: Chat, category: str, card: str, kind: str) -> None:
    await chat.send("/tresc")
    await chat.press(category)
    await chat.press(card)
    await chat.press(kind)


async def test_a_new_call_is_recorded_shown_above_the_card_and_announced_once(world: Any) -> None:
    await world.bob.send("/wydarzenia")  # Bob follows call deadlines
    await world.bob.press("kategorii")
    await world.bob.press("Termin naboru")
    await world.bob.press("Cała Polska")
    await _to_card(world.alice, "Dotacje krajowe", "FENG 2.17", "Nowy nabór")
    await world.alice.send("15.01.2027")
    await world.alice.send("28.02.2027")
    await world.alice.send("70 mln zł")
    await world.alice.send("https://www.parp.gov.pl/nabor-2027")
    assert "Zapisane (zmiana nr 1): **FENG 2.17" in world.alice.text
    assert "Powiadomienie o nowym naborze wysłane do subskrybentów: 1." in world.alice.text
    notices = [r.text for a, r in world.inbox.sent if a.user_id == "bob"]
    assert len(notices) == 1 and "Nowy nabór" in notices[0] and "28.02.2027" in notices[0]
    # Anyone asking about the card sees the recorded call first, with its source and date.
    await world.bob.send("czy jest otwarty nabór w FENG 2.17?")
    lines = world.bob.text.splitlines()
    assert (
        lines[0]
        == "🆕 Nowy nabór (wpis administratora): 15.01.2027 – 28.02.2027; budżet: 70 mln zł"
    )
    assert lines[1].startswith("↳ Źródło: [www.parp.gov.pl](https://www.parp.gov.pl/nabor-2027)")
    assert "wpis z 30.11.2026" in lines[1]
    # The recorded call counts like the card's own: announced now, open from its first day.
    assert "Zapowiedziany nabór: od 15.01.2027 do 28.02.2027" in world.bob.text
    world.clock.advance(datetime(2027, 1, 20, tzinfo=UTC) - NOW)
    await world.bob.send("czy jest otwarty nabór w FENG 2.17?")
    assert "Nabór otwarty do 28.02.2027" in world.bob.text
    [change] = await world.store.list_content_changes("feng-217")
    assert (change.kind, change.author, change.end) == ("call", "console:alice", date(2027, 2, 28))


async def test_bad_input_gets_a_clear_message_and_changes_nothing(world: Any) -> None:
    await _to_card(world.alice, "Dotacje krajowe", "FENG 2.17", "Nowy nabór")
    await world.alice.send("kiedyś")
    assert "Nie rozumiem tej daty" in world.alice.text
    await world.alice.send("15.01.2027")
    await world.alice.send("01.12.2025")
    assert "Ta data już minęła" in world.alice.text
    await world.alice.send("10.01.2027")
    assert "Ostatni dzień jest wcześniej niż pierwszy" in world.alice.text
    await world.alice.send("28.02.2027")
    await world.alice.send("-")
    await world.alice.send("ftp://parp.gov.pl/x")
    assert "To nie jest pełny adres strony" in world.alice.text
    assert await world.store.list_content_changes() == []
    await world.alice.send("https://www.parp.gov.pl/x")
    assert len(await world.store.list_content_changes()) == 1


async def test_marks_and_corrections_carry_their_source(world: Any) -> None:
    await _to_card(world.alice, "Etykiety ESCA", "Brązowa", "Korekta z linkiem")
    await world.alice.send("Cennik ESCA zmienił się w 2027 r.")
    await world.alice.send("https://cluster-analysis.org/pricing-information-1")
    await _to_card(world.alice, "Etykiety ESCA", "Brązowa", "Nabór zamknięty")
    await world.alice.send("https://eucles.be/")
    await world.bob.send("/wsparcie")
    await world.bob.press("Etykiety ESCA")
    await world.bob.press("Brązowa")
    text = world.bob.text
    assert text.index("⛔ Nabór zamknięty (wpis administratora).") < text.index(
        "✏️ Korekta (wpis administratora): Cennik ESCA zmienił się w 2027 r."
    )
    assert text.index("Korekta") < text.index("**Brązowa Odznaka ESCA")  # above the card


async def test_only_administrators_may_record_changes(world: Any) -> None:
    await world.bob.send("/tresc")
    assert "tylko dla administratorów treści" in world.bob.text
    await world.bob.press_payload("k2:do:feng-217:call")
    assert "tylko dla administratorów treści" in world.bob.text
    assert await world.store.list_content_changes() == []


async def test_the_changes_are_listed_and_exported_as_a_yaml_patch(
    content: Content, tmp_path: Path
) -> None:
    path = tmp_path / "bot.sqlite3"
    store = await SqliteStorage.open(str(path))
    try:
        built = build_services(content, store, ManualClock(NOW), Settings(admins="console:alice"))
        alice = Chat(built.dispatcher, ALICE)
        await _to_card(alice, "Dotacje krajowe", "FENG 2.17", "Nowy nabór")
        for text in ("-", "28.02.2027", "-", "https://www.parp.gov.pl/nabor-2027"):
            await alice.send(text)
        # Read while the assistant still holds the database.
        listing = content_changes(Settings(db_path=str(path)))
        patch = yaml.safe_load(content_changes(Settings(db_path=str(path)), patch=True))
    finally:
        await store.close()
    assert "#1 2026-11-30T10:00+00:00 console:alice feng-217 call" in listing
    [call] = patch["feng-217"]["calls"]
    assert call["end"] == date(2027, 2, 28) and call["source"].endswith("nabor-2027")
    assert changes_patch([]).endswith("{}\n")
