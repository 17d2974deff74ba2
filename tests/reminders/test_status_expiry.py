"""A KKK status or ESCA label date whose expiry has passed (or is near), through the chat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.app import build_services
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.ports import User
from bot.loader import Content
from storage.memory import MemoryStorage
from tests.helpers import ALICE, Chat
from tests.reminders.test_feeds import Inbox

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 10:00 in Warsaw


@pytest.fixture
def world(content: Content) -> Any:
    clock, store = ManualClock(T0), MemoryStorage()
    built = build_services(content, store, clock, Settings())
    inbox = Inbox()
    built.outbox.register("console", inbox)
    return clock, store, built, inbox, Chat(built.dispatcher, ALICE)


async def give(chat: Chat, button: str, date: str) -> None:
    await chat.send("/przypomnienia")
    await chat.press(button)
    await chat.send(date)


async def test_an_expired_kkk_status_is_said_so_and_offers_a_renewal_reminder(world: Any) -> None:
    clock, _, built, inbox, chat = world
    await give(chat, "Data statusu KKK", "01.02.2023")
    assert chat.text.startswith("Zapisane: ten status KKK wygasł 01.02.2026.")
    assert "kolejnym naborze ministerstwa" in chat.text
    assert "Przypomnę" not in chat.text and "przed" not in chat.text
    assert chat.buttons == ["🔔 Przypomnij o odnowieniu 30.03.2026"]
    assert await built.scheduler.planned() == []  # no reminder before a past expiry

    await chat.press("Przypomnij o odnowieniu")
    assert chat.text == "Dobrze, 30.03.2026 przypomnę o odnowieniu statusu KKK."
    await chat.send("/przypomnienia")
    assert "• status KKK: od 01.02.2023, wygasł 01.02.2026, przypomnę o odnowieniu 30.03.2026" in (
        chat.text
    )
    [planned] = await built.scheduler.planned()
    assert planned.due_at == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # 09:00 CEST

    clock.advance(planned.due_at - T0)
    assert await built.scheduler.tick() == 1
    [(address, reply)] = inbox.take()
    assert address == ALICE
    assert reply.text.startswith("⏰ **Przypomnienie**: czas zająć się odnowieniem statusu KKK.")
    clock.advance(timedelta(minutes=5))
    assert await built.scheduler.tick() == 0


async def test_an_expired_esca_label_names_the_renewal_deadline(world: Any) -> None:
    _, _, _, _, chat = world
    await give(chat, "Data odznaki ESCA", "10.01.2024")
    assert chat.text.startswith("Zapisane: ta Brązowa Odznaka ESCA wygasła 10.01.2026.")
    assert "odnowić powtórnym benchmarkingiem do 10.01.2027" in chat.text
    assert chat.buttons == ["🔔 Przypomnij o odnowieniu 30.03.2026"]
    await chat.press("Przypomnij o odnowieniu")
    assert chat.text == "Dobrze, 30.03.2026 przypomnę o odnowieniu Brązowej Odznaki ESCA."

    # A renewal deadline sooner than four weeks away: a week before it.
    await give(chat, "Data odnowienia ESCA", "20.03.2022")
    assert chat.text.startswith("Zapisane: ta odnowiona Brązowa Odznaka ESCA wygasła 20.03.2025.")
    assert "do 20.03.2026" in chat.text
    assert chat.buttons == ["🔔 Przypomnij o odnowieniu 13.03.2026"]

    # The year for renewal is over too.
    await give(chat, "Data odznaki ESCA", "10.01.2023")
    assert "Rok na odnowienie minął 10.01.2026" in chat.text


async def test_a_near_expiry_promises_only_the_reminders_still_ahead(world: Any) -> None:
    _, _, built, _, chat = world
    await give(chat, "Data statusu KKK", "01.06.2023")
    assert chat.text == (
        "Zapisane: status KKK wygasa 01.06.2026. Przypomnę mniej więcej miesiąc wcześniej."
    )
    assert [p.offset for p in await built.scheduler.planned()] == [30 * 1440]

    await give(chat, "Data odznaki ESCA", "05.03.2024")
    assert chat.text.startswith("Zapisane: Brązowa Odznaka ESCA wygasa 05.03.2026 – za mniej")
    assert "Przypomnę" not in chat.text
    assert [p.offset for p in await built.scheduler.planned()] == [30 * 1440]  # KKK's only

    await give(chat, "Data statusu KKK", "01.12.2023")
    assert chat.text == (
        "Zapisane: status KKK wygasa 01.12.2026. Przypomnę około 6 miesięcy i miesiąc wcześniej."
    )


async def test_a_new_date_replaces_the_renewal_reminder(world: Any) -> None:
    _, store, built, _, chat = world
    await give(chat, "Data statusu KKK", "01.02.2023")
    await chat.press("Przypomnij o odnowieniu")
    await give(chat, "Data statusu KKK", "01.12.2023")  # renewed: valid again
    [status] = await store.list_status_dates()
    assert status.renew_on is None
    assert [p.offset for p in await built.scheduler.planned()] == [183 * 1440, 30 * 1440]
    await chat.press_payload("r1:renew:kkk")  # an old button: nothing to renew now
    assert chat.text.startswith("Ten przycisk jest już nieaktywny.")


async def test_in_english(world: Any) -> None:
    _, store, _, _, chat = world
    await store.save_user(User(ALICE.user_key, "en", T0))
    await chat.send("/reminders")
    await chat.press("KKK status date")
    await chat.send("01.02.2023")
    assert chat.text.startswith("Saved: this KKK status expired on 1 Feb 2026.")
    assert chat.buttons == ["🔔 Remind me to renew on 30 Mar 2026"]
    await chat.press("Remind me to renew")
    assert chat.text == "Done: on 30 Mar 2026 I will remind you to renew the KKK status."
