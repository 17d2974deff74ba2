"""Answers in chat: the fact first, the source and date, closed calls, eligibility, hand-off."""

from __future__ import annotations

from bot.core.dispatcher import Dispatcher
from storage.memory import MemoryStorage
from tests.helpers import ALICE, Chat, fill_profile


async def test_money_question_leads_with_the_amount(dispatcher: Dispatcher) -> None:
    chat = Chat(dispatcher)
    await chat.send("ile można dostać z 2.3.3?")
    text = chat.text
    lines = text.splitlines()
    assert lines[0].startswith(
        "⚠️ Ten nabór lub program jest zakończony (ostatni termin: 30.09.2020)"
    )
    assert "Następca: **FENG 2.17" in lines[1]
    amount = text.index("do 8 mln zł")
    summary = text.index("Poddziałanie POIR prowadzone przez PARP")
    source = text.index("Źródło: [https://www.parp.gov.pl/")
    assert amount < summary < source
    assert "(stan na 27.11.2026)" in text
    assert chat.buttons[:6] == [
        "👥 Kto może",
        "🧾 Co finansuje",
        "💰 Pieniądze",
        "📅 Terminy",
        "📝 Jak aplikować",
        "🔗 Źródła",
    ]
    assert "➡️ Następca" in chat.buttons


async def test_sections_and_successor_buttons(dispatcher: Dispatcher) -> None:
    chat = Chat(dispatcher)
    await chat.send("umiedzynarodowienie KKK")
    await chat.press("Terminy")
    assert "• Nabór 2020 (ostatni): 15.04.2020 – 30.09.2020" in chat.text
    await chat.press("Źródła")
    assert chat.text.count("(stan na 27.11.2026)") >= 4
    await chat.press("Następca")
    assert "Rozwój oferty klastrów dla firm" in chat.text


async def test_faq_answers_a_precise_question(dispatcher: Dispatcher) -> None:
    chat = Chat(dispatcher)
    await chat.send("czy diety i hotele w kraju są kwalifikowalne w 2.3.3?")
    assert "Nie. Według FAQ PARP koszty podróży krajowych" in chat.text
    assert "pytania.parp.gov.pl" in chat.text


async def test_growth_cluster_and_feng(dispatcher: Dispatcher) -> None:
    chat = Chat(dispatcher)
    await chat.send("czy jako klaster wzrostowy mogę wystartować w FENG?")
    assert "ponadregionalnym klastrem wzrostowym" in chat.text


async def test_cluster_without_kkk_hears_about_alternatives(dispatcher: Dispatcher) -> None:
    chat = Chat(dispatcher)
    await chat.send("/ocena")
    await fill_profile(chat)  # the profile says: no KKK status
    await chat.send("/start")
    await chat.send("ile można dostać z 2.3.3?")
    assert "tylko dla koordynatorów Krajowych Klastrów Kluczowych" in chat.text
    assert "FENG 2.17" in chat.text


async def test_unknown_question_is_refused_honestly(dispatcher: Dispatcher) -> None:
    chat = Chat(dispatcher)
    await chat.send("jak rozliczyć podatek od nieruchomości w gminie?")
    assert chat.text.startswith("Nie wiem tego na pewno")
    assert "Infolinia PARP" in chat.text
    assert "📚 Inne tematy" in chat.buttons
    assert not any(ch.isdigit() and "zł" in chat.text for ch in chat.text)  # never a number


async def test_browse_menu_works_without_typing(dispatcher: Dispatcher) -> None:
    chat = Chat(dispatcher)
    await chat.send("/start")
    await chat.press("Finansowanie i wsparcie")
    assert "Wybierz kategorię" in chat.text
    await chat.press("Etykiety ESCA")
    assert "Brązowa odznaka ESCA (Bronze Label)" in chat.buttons
    await chat.press("Brązowa odznaka")
    assert "36 wskaźników" in chat.text
    await chat.press("Pieniądze")
    assert "1 650 EUR" in chat.text


async def test_english_user_gets_english(dispatcher: Dispatcher) -> None:
    chat = Chat(dispatcher)
    await chat.send("/language en")
    await chat.send("how much does the ESCA gold label cost")
    assert "EUR 8,250" in chat.text
    assert "Source: [" in chat.text


async def test_bad_questions_get_a_short_reply(
    dispatcher: Dispatcher, store: MemoryStorage
) -> None:
    chat = Chat(dispatcher)
    for question in ("🙂🙂", "???", "x" * 100_000, "\x00\x01"):
        await chat.send(question)
        assert chat.last, question
        assert len(chat.text) < 400, question
    await chat.press_payload("k1:card:does-not-exist")
    assert "nieaktywny" in chat.text
    assert await store.list_assessments(ALICE.user_key) == []


async def test_pytanie_command(dispatcher: Dispatcher) -> None:
    chat = Chat(dispatcher)
    await chat.send("/pytanie co daje status KKK")
    assert "Status Krajowego Klastra Kluczowego" in chat.text
    await chat.send("/pytanie")
    assert "Napisz pytanie słowami" in chat.text
