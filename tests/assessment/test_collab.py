"""Action plans, team self-evaluation and one person on two platforms."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app import build_services
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.events import Address
from bot.loader import Content
from storage.memory import MemoryStorage
from tests.assessment.test_conversation import answer_all, start_to_first_standard
from tests.helpers import ALICE, BOB, Chat

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CAROL = Address("console", "chat-c", "carol")
ALICE_SLACK = Address("slack", "D1", "U-ALICE", "T1")


def world(content: Content) -> tuple[ManualClock, MemoryStorage, object]:
    clock, store = ManualClock(T0), MemoryStorage()
    return clock, store, build_services(content, store, clock, Settings())


def code_in(text: str) -> str:
    match = re.search(r"\*\*([A-Z0-9]{8})\*\*", text)
    assert match, text
    return match.group(1)


async def test_action_plan_with_reminders_before_the_date(content: Content) -> None:
    _clock, _store, built = world(content)
    chat = Chat(built.dispatcher)  # type: ignore[attr-defined]
    await start_to_first_standard(chat)
    await answer_all(chat, {"2.1.1": "Nie spełnia", "3.1.1": "Nie wiem"})
    await chat.press("Plan działań")
    assert "Plan jest pusty" in chat.text
    await chat.press("Dodaj krok")
    assert chat.buttons[:2] == [
        "2.1.1 Stabilność finansowa",
        "3.1.1 System identyfikacji wizualnej",
    ]
    await chat.press("2.1.1")
    await chat.send("wczoraj")
    assert "Podaj przyszłą datę" in chat.text
    await chat.send("30 czerwca 2026")
    await chat.send("Anna Nowak, skarbniczka")
    assert "Dodano do planu: 2.1.1 – Anna Nowak, skarbniczka, do 30.06.2026" in chat.text
    await chat.send("/plan")
    assert "• 2.1.1 Stabilność finansowa – Anna Nowak, skarbniczka – do 30.06.2026" in chat.text
    await chat.send("/language en")
    await chat.send("/plan")  # the standard's title in the reader's language
    assert "• 2.1.1 Financial stability – Anna Nowak, skarbniczka – by 30 Jun 2026" in chat.text
    await chat.send("/jezyk pl")
    await chat.send("/plan")
    planned = [r for r in await built.scheduler.planned() if r.event_id.startswith("plan-")]  # type: ignore[attr-defined]
    waw = ZoneInfo("Europe/Warsaw")
    assert [r.due_at.astimezone(waw).strftime("%d.%m %H:%M") for r in planned] == [
        "23.06 09:00",
        "29.06 09:00",
    ]
    await chat.press("Zamknij 2.1.1")
    assert "Zamknięte: 2.1.1" in chat.text and "Plan jest pusty" in chat.text
    assert [r for r in await built.scheduler.planned() if r.event_id.startswith("plan-")] == []  # type: ignore[attr-defined]


async def test_team_invitation_answers_and_differences(content: Content) -> None:
    _clock, store, built = world(content)
    dispatcher = built.dispatcher  # type: ignore[attr-defined]
    coordinator, colleague, outsider = (
        Chat(dispatcher, ALICE),
        Chat(dispatcher, BOB),
        Chat(dispatcher, CAROL),
    )
    await start_to_first_standard(coordinator)
    await answer_all(coordinator)
    await coordinator.send("/zespol")
    code = code_in(coordinator.text)
    assert f"/start {code}" in coordinator.text and f"/klaster dolacz {code}" in coordinator.text
    built.links.use(lambda c: f"https://t.me/klaster_bot?start={c}")  # type: ignore[attr-defined]
    await coordinator.send("/zespol")  # with Telegram running, its deep link instead
    linked = code_in(coordinator.text)
    assert f"https://t.me/klaster_bot?start={linked}" in coordinator.text
    await colleague.send(f"/dolacz {code.lower()}")
    assert "Dołączasz do samooceny zespołu klastra Klaster Testowy" in colleague.text
    assert (
        "1.1.1 Zakres obowiązków" in colleague.text
    )  # profile and phase come from the coordinator
    await answer_all(colleague, {"2.1.1": "Nie spełnia", "1.1.3": "Nie wiem"})
    assert "NEGATYWNY" in colleague.text  # the colleague's own result
    await coordinator.send("/raport")
    report = coordinator.text
    assert "Wynik samooceny: POZYTYWNY" in report  # the coordinator's answer counts
    assert "Różnice w zespole" in report
    assert "• 2.1.1: koordynator – ✅ Spełnia; zespół – ❌ Nie spełnia × 1" in report
    assert "• 1.1.3: koordynator – ✅ Spełnia; zespół – ❔ Nie wiem × 1" in report
    # The code worked once.
    await outsider.send(f"/dolacz {code}")
    assert "nieprawidłowy, już wykorzystany albo wygasł" in outsider.text
    # An outsider cannot read the team's answers, even with a forged button.
    await outsider.send("/raport")
    assert "Nie masz jeszcze samooceny" in outsider.text
    lead = (await store.list_assessments(ALICE.user_key))[0]
    await outsider.press_payload(f"a1:{lead.id}:menu:report")
    assert "nieaktywny" in outsider.text and "Różnice" not in outsider.text


async def test_invitations_expire_and_deep_links_join(content: Content) -> None:
    clock, _store, built = world(content)
    dispatcher = built.dispatcher  # type: ignore[attr-defined]
    coordinator, colleague = Chat(dispatcher, ALICE), Chat(dispatcher, BOB)
    await coordinator.send("/zespol")
    assert "Najpierw wypełnij profil" in coordinator.text
    await start_to_first_standard(coordinator)
    await coordinator.send("/zespol")
    stale = code_in(coordinator.text)
    await coordinator.send("/zespol")
    fresh = code_in(coordinator.text)
    clock.advance(timedelta(days=7, seconds=1))
    await colleague.send(f"/dolacz {stale}")
    assert "wygasł" in colleague.text
    await coordinator.send("/zespol")
    fresh = code_in(coordinator.text)
    await colleague.send(f"/start {fresh}")  # a Telegram deep link
    assert "Dołączasz do samooceny zespołu" in colleague.text


async def test_one_person_on_two_platforms(content: Content) -> None:
    _clock, store, built = world(content)
    dispatcher = built.dispatcher  # type: ignore[attr-defined]
    telegram, slack = Chat(dispatcher, ALICE), Chat(dispatcher, ALICE_SLACK)
    await start_to_first_standard(telegram)
    await telegram.press("Spełnia")
    await telegram.send("/polacz")
    code = code_in(telegram.text)
    await telegram.send(f"/polacz {code}")
    assert "to samo konto" in telegram.text  # and that did not use the code up? it did not link
    await slack.send(f"/polacz {code}")
    assert "Połączyć to konto z kontem konsola (alice)?" in slack.text
    await slack.press("Tak, połącz")
    assert "Połączono z kontem konsola (alice)" in slack.text
    await slack.send("/ocena")
    assert "Masz rozpoczętą samoocenę (Klaster Testowy): 1/36" in slack.text
    await slack.press("Kontynuuj")
    await slack.press("Spełnia")  # answered from Slack ...
    record = (await store.list_assessments(ALICE.user_key))[0]
    assert set(await store.list_answers(record.id)) == {
        "1.1.1",
        "1.1.2",
    }  # ... into the same assessment
    assert await store.list_assessments(ALICE_SLACK.user_key) == []


async def test_link_codes_work_once_and_expire(content: Content) -> None:
    clock, store, built = world(content)
    dispatcher = built.dispatcher  # type: ignore[attr-defined]
    alice, bob, carol = Chat(dispatcher, ALICE), Chat(dispatcher, BOB), Chat(dispatcher, CAROL)
    await alice.send("/polacz")
    code = code_in(alice.text)
    clock.advance(timedelta(minutes=11))
    await bob.send(f"/polacz {code}")
    assert "wygasł" in bob.text
    await alice.send("/link")
    code = code_in(alice.text)
    await bob.send(f"/link {code}")
    await bob.press("Tak, połącz")
    assert "Połączono" in bob.text
    await carol.send(f"/link {code}")
    assert "wygasł" in carol.text
    assert await store.canonical(CAROL.user_key) is None
