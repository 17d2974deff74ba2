"""Nothing the user says is swallowed: questions, commands, ways out and long breaks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.clock import ManualClock
from bot.core.dispatcher import Dispatcher
from storage.memory import MemoryStorage
from tests.assessment.test_conversation import answer_all, current_standard
from tests.helpers import ALICE, Chat, fill_profile

QUESTION = "ile można dostać z 2.3.3?"


@pytest.fixture
def chat(dispatcher: Dispatcher) -> Chat:
    return Chat(dispatcher)


async def profile_of(store: MemoryStorage) -> dict[str, object]:
    [record] = [r for r in await store.list_assessments(ALICE.user_key) if r.status != "abandoned"]
    return dict(record.profile)


async def at_first_standard(chat: Chat) -> None:
    await chat.send("/ocena")
    await fill_profile(chat)
    await chat.press("faza rozwoju")
    assert current_standard(chat) == "1.1.1"


# -- a question where a step waits -------------------------------------------------------


async def test_a_question_at_the_name_step_is_answered_not_saved_as_the_name(
    chat: Chat, store: MemoryStorage
) -> None:
    await chat.send("/ocena")
    await chat.send(QUESTION)
    assert "8 mln zł" in chat.text  # the answer from the POIR 2.3.3 card
    assert "↩️ Wracamy do profilu klastra:" in chat.text
    assert "Jak nazywa się klaster?" in chat.last[-1].text
    assert await profile_of(store) == {}
    await chat.send("Klaster Wschodni")
    assert "✓ Nazwa klastra: Klaster Wschodni" in chat.text
    assert await profile_of(store) == {"name": "Klaster Wschodni"}


async def test_a_question_without_a_question_mark_about_an_instrument_is_a_question(
    chat: Chat, store: MemoryStorage
) -> None:
    await chat.send("/ocena")
    await chat.send("ile kosztuje brązowa odznaka ESCA")
    assert "Wracamy do profilu klastra" in chat.text
    assert await profile_of(store) == {}


async def test_a_name_that_starts_like_a_question_word_stays_a_name(
    chat: Chat, store: MemoryStorage
) -> None:
    await chat.send("/ocena")
    await chat.send("Co-Working Klaster Pomorze")
    assert await profile_of(store) == {"name": "Co-Working Klaster Pomorze"}


async def test_a_greeting_at_the_name_step_greets(chat: Chat, store: MemoryStorage) -> None:
    await chat.send("/ocena")
    await chat.send("Dzień dobry!")
    assert "Dzień dobry" in chat.text and "Wracamy do profilu klastra" in chat.text
    assert await profile_of(store) == {}


async def test_a_question_in_the_middle_of_the_standards_gets_its_answer(
    chat: Chat, store: MemoryStorage
) -> None:
    await at_first_standard(chat)
    await chat.send("ile kosztuje benchmarking ESCA?")
    assert "Wybierz jedną z odpowiedzi" not in chat.text
    assert "ESCA" in chat.last[0].text
    assert "↩️ Wracamy do samooceny:" in chat.text
    assert current_standard(chat) == "1.1.1"
    [record] = await store.list_assessments(ALICE.user_key)
    assert await store.list_answers(record.id) == {}


async def test_a_number_that_is_no_button_is_not_a_question(chat: Chat) -> None:
    await at_first_standard(chat)
    await chat.send("7")
    assert "Odpowiedz przyciskiem pod pytaniem" in chat.text
    assert "Wracamy" not in chat.text and "Źródło" not in chat.text
    assert current_standard(chat) == "1.1.1"


async def test_a_typed_label_without_emoji_or_polish_letters_presses_the_button(
    chat: Chat, store: MemoryStorage
) -> None:
    await at_first_standard(chat)
    await chat.send("spelnia")
    assert "1.1.1: ✅ Spełnia" in chat.text or "Spełnia" in chat.text.split("\n")[0]
    assert current_standard(chat) == "1.1.2"
    [record] = await store.list_assessments(ALICE.user_key)
    assert (await store.list_answers(record.id))["1.1.1"].answer == "y"


async def test_a_note_may_hold_a_question_mark(chat: Chat, store: MemoryStorage) -> None:
    await at_first_standard(chat)
    await chat.press("Dodaj notatkę")
    await chat.send("Czy statut to wystarczający dowód?")
    assert "Wracamy" not in chat.text
    [record] = await store.list_assessments(ALICE.user_key)
    assert (await store.list_answers(record.id))["1.1.1"].note.startswith("Czy statut")


async def test_another_features_command_answers_and_returns_to_the_step(
    chat: Chat, store: MemoryStorage
) -> None:
    await chat.send("/ocena")
    await chat.send("Klaster Wschodni")
    await chat.send("/wydarzenia")
    assert "↩️ Wracamy do profilu klastra:" in chat.text
    assert "Jaka organizacja jest koordynatorem klastra?" in chat.last[-1].text
    await chat.send("Fundacja Rozwoju")
    assert (await profile_of(store))["coordinator"] == "Fundacja Rozwoju"


# -- ways out ------------------------------------------------------------------------------


async def test_cancel_leaves_the_step_and_keeps_the_self_evaluation(
    chat: Chat, store: MemoryStorage
) -> None:
    await chat.send("/ocena")
    await chat.send("Klaster Wschodni")
    await chat.send("/anuluj")
    assert "Samoocena jest zapisana" in chat.text and "/ocena" in chat.text
    await chat.send("Fundacja Rozwoju")  # no longer taken as the coordinator
    assert await profile_of(store) == {"name": "Klaster Wschodni"}
    await chat.send("/ocena")
    assert "Masz rozpoczętą samoocenę (Klaster Wschodni)" in chat.text


async def test_cancel_in_english_and_with_nothing_waiting(chat: Chat) -> None:
    await chat.send("/cancel")
    assert "nie ma czego przerywać" in chat.text


async def test_profile_steps_have_back_and_cancel(chat: Chat, store: MemoryStorage) -> None:
    await chat.send("/ocena")
    assert "Anuluj" in chat.buttons and "⬅️ Wstecz" not in chat.buttons  # first question
    await chat.send("Klaster Wschodni")
    await chat.send("Fundacja Rozwoju")
    assert "⬅️ Wstecz" in chat.buttons
    await chat.press("Wstecz")
    assert "Jaka organizacja jest koordynatorem klastra?" in chat.text
    assert "Teraz: Fundacja Rozwoju" in chat.text
    await chat.press("Wstecz")
    assert "Jak nazywa się klaster?" in chat.text and "Teraz: Klaster Wschodni" in chat.text
    await chat.send("Klaster Wschodni Plus")
    assert "✓ Nazwa klastra: Klaster Wschodni Plus" in chat.text
    assert "Jaka jest forma prawna koordynatora?" in chat.text  # where the user was
    assert await profile_of(store) == {
        "name": "Klaster Wschodni Plus",
        "coordinator": "Fundacja Rozwoju",
    }
    await chat.press("Anuluj")
    assert "Samoocena jest zapisana" in chat.text


# -- lenient input ---------------------------------------------------------------------------


async def test_numbers_as_people_type_them(chat: Chat, store: MemoryStorage) -> None:
    await chat.send("/ocena")
    for value in ("Klaster Wschodni", "Fundacja Rozwoju"):
        await chat.send(value)
    await chat.send("stowarzyszenie")  # a typed option
    await chat.send("ICT")
    await chat.send("około 40")
    assert "✓ Liczba członków: 40" in chat.text
    await chat.send("ok. 1 200 osób")
    assert "✓ Zatrudnienie u członków (szac.): 1\u00a0200" in chat.text
    await chat.send("2018 r.")
    assert "✓ Rok rozpoczęcia działalności: 2018" in chat.text
    await chat.send("lodzkie")
    assert "✓ Województwo: łódzkie" in chat.text
    profile = await profile_of(store)
    assert (profile["members"], profile["employment"], profile["founded"]) == (40, 1200, 2018)
    assert (profile["legal_form"], profile["region"]) == ("assoc", "ld")


async def test_two_numbers_are_refused_with_a_hint(chat: Chat, store: MemoryStorage) -> None:
    await chat.send("/ocena")
    for value in ("Klaster Wschodni", "Fundacja Rozwoju", "stowarzyszenie", "ICT"):
        await chat.send(value)
    await chat.send("40-50")
    assert "Podaj liczbę całkowitą" in chat.text
    assert "members" not in await profile_of(store)


# -- a long break ----------------------------------------------------------------------------


async def test_after_a_long_break_the_step_is_not_fed_and_the_user_is_asked(
    chat: Chat, store: MemoryStorage, clock: ManualClock
) -> None:
    await chat.send("/ocena")
    await chat.send("Klaster Wschodni")
    clock.advance(timedelta(hours=13))
    await chat.send("Fundacja Rozwoju")
    assert await profile_of(store) == {"name": "Klaster Wschodni"}
    assert "Dawno się nie odzywaliśmy" in chat.text
    assert "Masz rozpoczętą samoocenę (Klaster Wschodni)" in chat.text
    assert {"▶️ Kontynuuj", "⏸ Później"} <= set(chat.buttons)
    await chat.press("Kontynuuj")
    assert "Jaka organizacja jest koordynatorem klastra?" in chat.text
    await chat.send("Fundacja Rozwoju")
    assert (await profile_of(store))["coordinator"] == "Fundacja Rozwoju"


async def test_later_leaves_the_self_evaluation_waiting(
    chat: Chat, store: MemoryStorage, clock: ManualClock
) -> None:
    await at_first_standard(chat)
    clock.advance(timedelta(days=2))
    await chat.send(QUESTION)
    assert "8 mln zł" in chat.text and "Dawno się nie odzywaliśmy" in chat.text
    await chat.press("Później")
    assert "wrócisz do niej poleceniem /ocena" in chat.text
    await chat.send("/ocena")
    await chat.press("Kontynuuj")
    assert current_standard(chat) == "1.1.1"


async def test_a_short_break_keeps_the_step(chat: Chat, clock: ManualClock) -> None:
    await at_first_standard(chat)
    clock.advance(timedelta(hours=11))
    await chat.send("Spełnia")
    assert current_standard(chat) == "1.1.2"


# -- a finished self-evaluation ------------------------------------------------------------


async def finished(chat: Chat) -> None:
    await at_first_standard(chat)
    await answer_all(chat, {"2.1.1": "Nie spełnia"})
    assert "Wynik samooceny" in chat.text


async def test_assess_after_a_finished_one_offers_and_replaces_nothing(
    chat: Chat, store: MemoryStorage
) -> None:
    await finished(chat)
    await chat.send("/ocena")
    assert "Twoja ostatnia samoocena jest zakończona (02.03.2026)" in chat.text
    assert {"🏁 Wynik", "🔎 Przejrzyj odpowiedzi", "🆕 Nowa samoocena"} <= set(chat.buttons)
    assert len(await store.list_assessments(ALICE.user_key)) == 1
    await chat.press("Przejrzyj odpowiedzi")
    assert "• 1.1.1 Zakres obowiązków i uprawnień koordynatora – ✅ Spełnia" in chat.text
    assert "• 2.1.1 Stabilność finansowa – ❌ Nie spełnia" in chat.text
    await chat.press("Wynik")
    assert "Wynik samooceny" in chat.text
    await chat.send("/ocena")
    await chat.press("Nowa samoocena")
    assert "Co z niej wykorzystać?" in chat.text  # the profile is offered for reuse
    assert len(await store.list_assessments(ALICE.user_key)) == 2


async def test_the_profile_is_corrected_after_the_report(chat: Chat, store: MemoryStorage) -> None:
    await finished(chat)
    await chat.press("Popraw profil")
    assert "Liczba członków: 45" in chat.text
    await chat.press("Liczba członków")
    assert "Ilu członków ma klaster?" in chat.text and "Teraz: 45" in chat.text
    await chat.send("ok. 52")
    assert "✓ Liczba członków: 52" in chat.text and "Liczba członków: 52" in chat.text
    await chat.press("Województwo")
    await chat.press("lubelskie")
    assert "✓ Województwo: lubelskie" in chat.text
    await chat.press("Etap rozwoju")
    await chat.press("faza dojrzałości")
    assert "✓ Etap rozwoju: faza dojrzałości" in chat.text
    await chat.press("Wynik")
    assert "w fazie dojrzałości" in chat.text
    [record] = await store.list_assessments(ALICE.user_key)
    assert record.status == "completed" and record.phase == "maturity"
    assert (record.profile["members"], record.profile["region"]) == (52, "lu")


async def test_change_profile_by_command_mid_way_returns_to_the_question(chat: Chat) -> None:
    await at_first_standard(chat)
    await chat.send("/zmien profil")
    await chat.press("Nazwa klastra")
    await chat.send("Klaster Nowy")
    assert "✓ Nazwa klastra: Klaster Nowy" in chat.text
    await chat.press("Kontynuuj")
    assert current_standard(chat) == "1.1.1"


async def test_a_bare_number_where_nothing_waits_is_not_a_question(chat: Chat) -> None:
    await chat.send("7")
    assert "Sama liczba „7” niczego mi nie mówi" in chat.text
    assert "Źródło" not in chat.text


# -- what a newcomer tried ---------------------------------------------------------------------


async def test_typed_back_and_cancel_are_the_buttons_not_a_name(
    chat: Chat, store: MemoryStorage
) -> None:
    await chat.send("/ocena")
    await chat.send("Klaster Wschodni")
    await chat.send("wstecz")
    assert "Jak nazywa się klaster?" in chat.text and "Teraz: Klaster Wschodni" in chat.text
    await chat.send("Anuluj")
    assert "Samoocena jest zapisana" in chat.text
    assert await profile_of(store) == {"name": "Klaster Wschodni"}


async def test_a_question_after_a_filler_word_is_still_a_question(
    chat: Chat, store: MemoryStorage
) -> None:
    await chat.send("/ocena")
    for question in (
        "a co to jest KKK",
        "Dzień dobry, kiedy nabór feng 2.17",
        "a ile można dostać",
    ):
        await chat.send(question)
        assert "Wracamy do profilu klastra" in chat.text, question
    assert await profile_of(store) == {}


async def test_part_of_a_label_chooses_the_phase_and_the_phase_has_back(
    chat: Chat, store: MemoryStorage
) -> None:
    await chat.send("/ocena")
    await fill_profile(chat)
    await chat.send("rozwoju")
    assert current_standard(chat) == "1.1.1"
    await chat.press("Wstecz")  # from the first standard back to the phase
    assert "W jakiej fazie rozwoju jest klaster?" in chat.text
    await chat.press("Wstecz")  # from the phase back to the profile's last question
    assert "Czy klaster ma status Krajowego Klastra Kluczowego" in chat.text


async def test_years_and_numbers_with_prepositions_and_separators(
    chat: Chat, store: MemoryStorage
) -> None:
    await chat.send("/ocena")
    for value in ("Klaster Wschodni", "Fundacja Rozwoju", "inna", "ICT", "40", "1,200", "od 2018"):
        await chat.send(value)
    profile = await profile_of(store)
    assert (profile["employment"], profile["founded"], profile["legal_form"]) == (
        1200,
        2018,
        "other",
    )


async def test_skipping_the_last_standard_does_not_promise_to_come_back(chat: Chat) -> None:
    await at_first_standard(chat)
    # 1.1.1 is skipped, comes back after the others, and is skipped again: the end.
    await answer_all(chat, {"1.1.1": "Pomiń na razie"})
    assert "Pominięto 1.1.1." in chat.text and "wrócimy" not in chat.text
    assert "Pominięte: 1 standard" in chat.text
    await chat.send("/ocena")
    assert "⏭ Odpowiedz na pominięte" in chat.buttons
    await chat.press("Odpowiedz na pominięte")
    assert current_standard(chat) == "1.1.1"
    assert "Obecna odpowiedź: Pominięty" in chat.text
