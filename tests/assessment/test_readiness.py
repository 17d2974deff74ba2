"""``/gotowosc`` states the thresholds it applies and says when the answers are incomplete."""

from __future__ import annotations

import dataclasses

import pytest

from bot.core.clock import ManualClock
from bot.core.dispatcher import Dispatcher
from bot.loader import Content
from storage.memory import MemoryStorage
from tests.assessment.test_conversation import answer_all, start_to_first_standard
from tests.helpers import Chat, make_dispatcher


async def test_thresholds_come_from_the_rules_file(
    content: Content, store: MemoryStorage, clock: ManualClock
) -> None:
    rules = content.readiness
    stricter = rules.model_copy(
        update={"kkk": rules.kkk.model_copy(update={"min_members": 60, "area_min_percent": 80})}
    )
    chat = Chat(make_dispatcher(dataclasses.replace(content, readiness=stricter), store, clock))
    await start_to_first_standard(chat)
    await answer_all(chat, {"3.3.1": "Nie spełnia"})
    await chat.send("/gotowosc")
    text = chat.text
    assert (
        "Progi, które stosuję: KKK – co najmniej 3 lata działalności i co najmniej 60 członków"
        in text
    )
    assert "co najmniej 80% powiązanych standardów spełnionych (nasz próg orientacyjny)" in text
    assert "co najmniej 15 członków zaangażowanych w działania klastra" in text
    assert "❌ co najmniej 60 członków (u Was: 45 członków)" in text
    assert (
        "❌ Potencjał gospodarczy klastra: spełnione 3/4 powiązanych standardów (75%; próg: 80%)"
        in text
    )
    assert "niepełne" not in text


@pytest.mark.parametrize(
    ("unanswered", "words"),
    [
        (1, "1 standard bez odpowiedzi (odpowiedzi: 35/36)"),
        (2, "2 standardy bez odpowiedzi (odpowiedzi: 34/36)"),
        (5, "5 standardów bez odpowiedzi (odpowiedzi: 31/36)"),
        (22, "22 standardy bez odpowiedzi (odpowiedzi: 14/36)"),
    ],
)
async def test_incomplete_answers_are_named_with_their_count(
    dispatcher: Dispatcher, unanswered: int, words: str
) -> None:
    chat = Chat(dispatcher)
    await start_to_first_standard(chat)
    for _ in range(36 - unanswered):
        await chat.press("Spełnia")
    await chat.send("/gotowosc")
    text = chat.text
    assert f"⚠️ Odpowiedzi są niepełne: {words}." in text
    assert "Brak odpowiedzi liczy się jako niespełnienie" in text
    if unanswered == 22:
        # An area that unanswered standards could still lift over the threshold is open.
        assert (
            "❔ Potencjał gospodarczy klastra: spełnione 0/4 powiązanych standardów "
            "(0%; próg: 75%) – bez odpowiedzi: 4 standardy" in text
        )


async def test_english_readiness_names_thresholds_and_gaps(dispatcher: Dispatcher) -> None:
    chat = Chat(dispatcher)
    await start_to_first_standard(chat)
    for _ in range(31):
        await chat.press("Spełnia")
    await chat.send("/language en")
    await chat.send("/readiness")
    text = chat.text
    assert "Thresholds I apply: KKK – at least 3 years of operation and at least 51 members" in text
    assert "The answers are incomplete: 5 standards without an answer (answers: 31/36)" in text
