"""The self-evaluation as a coordinator goes through it, in chat."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import wire_services
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.dispatcher import Dispatcher
from bot.loader import Content
from storage.memory import MemoryStorage
from storage.sqlite import SqliteStorage
from tests.helpers import ALICE, BOB, Chat, fill_profile, make_dispatcher

MENU_ENTRY = "Samoocena"


async def start_to_first_standard(chat: Chat, phase: str = "faza rozwoju") -> None:
    await chat.send("/ocena")
    assert "Profil klastra (1/9)" in chat.text
    await fill_profile(chat)
    assert "Profil klastra zapisany" in chat.text
    await chat.press(phase)
    assert "1.1.1" in chat.text


async def answer_all(chat: Chat, special: dict[str, str] | None = None) -> None:
    """Answer every remaining standard: "Spełnia" unless ``special`` names another label."""
    special = special or {}
    for _ in range(80):
        current = current_standard(chat)
        if current is None:
            return
        await chat.press(special.get(current, "Spełnia"))
    raise AssertionError("the questionnaire did not end")


def current_standard(chat: Chat) -> str | None:
    for button in chat.last[-1].all_buttons if chat.last else ():
        parts = button.payload.split(":")
        if parts[0] == "a1" and len(parts) == 4 and parts[3] == "y":
            return parts[2]
    return None


@pytest.fixture
def chat(dispatcher: Dispatcher) -> Chat:
    return Chat(dispatcher)


async def test_menu_offers_the_self_evaluation(chat: Chat) -> None:
    await chat.send("/start")
    await chat.press(MENU_ENTRY)
    assert "Przejdziemy przez profil klastra" in chat.text
    assert "1 z 36 standardów ma brzmienie i regułę faz z publikacji PARP" in chat.text
    assert "Jak nazywa się klaster?" in chat.text


async def test_a_full_self_evaluation_ends_with_a_verdict(chat: Chat) -> None:
    await start_to_first_standard(chat)
    first = chat.text
    assert "Obszar 1. Organizacja › 1.1 Podstawy organizacyjne działania" in first
    assert "**obligatoryjny**" in first and "Odpowiedzi: 0/36" in first
    assert "Treść dostosowana" in first
    await answer_all(chat, {"2.1.1": "Nie spełnia", "4.3.2": "Nie spełnia"})
    report = chat.text
    assert "Wynik samooceny: NEGATYWNY" in report
    assert "Spełnione standardy: 34/36 (94%)" in report
    assert "2.1.1 Stabilność finansowa" in report
    assert "Zaplanuj budżet koordynacji" in report  # the guidance of 2.1.1
    assert "Wskazówki przy standardach są nasze, nie PARP." in report
    assert "• 1. Organizacja: 6/6 (100%)" in report
    assert (
        "Obszary, w których spełniono wszystkie standardy: "
        "1. Organizacja, 3. Procesy, 5. Współpraca z otoczeniem" in report
    )
    assert "Co dalej" in report


async def test_financial_stability_shows_as_official(chat: Chat) -> None:
    await start_to_first_standard(chat)
    await chat.send("/zmien 2.1.1")
    assert "**2.1.1 Stabilność finansowa**" in chat.text
    assert "Brzmienie i reguła faz według PARP" in chat.text
    assert "na okres co najmniej 1 roku naprzód" in chat.text  # PARP's words, verbatim


async def test_guidance_and_inferred_sub_areas_are_labelled_as_ours(chat: Chat) -> None:
    await start_to_first_standard(chat)
    await chat.send("/zmien 5.1.1")
    assert "(podobszary: nasza interpretacja)" in chat.text
    await chat.send("/zmien 1.1.1")
    assert "nasza interpretacja" not in chat.text  # area 1's sub-areas are PARP's


async def test_positive_when_only_optional_unmet(chat: Chat) -> None:
    await start_to_first_standard(chat)
    await answer_all(chat, {"4.3.2": "Nie spełnia", "5.3.2": "Nie spełnia"})
    assert "Wynik samooceny: POZYTYWNY" in chat.text
    assert "4.3.2, 5.3.2" in chat.text  # optional standards to work on next


async def test_dont_know_is_flagged_in_the_report(chat: Chat) -> None:
    await start_to_first_standard(chat)
    await answer_all(chat, {"1.1.3": "Nie wiem"})
    assert "NEGATYWNY" in chat.text
    assert "„Nie wiem” liczy się jako niespełniona" in chat.text


async def test_skipped_come_back_at_the_end_and_stay_incomplete(chat: Chat) -> None:
    await start_to_first_standard(chat)
    await chat.press("Pomiń")
    assert "Pominięto 1.1.1 – wrócimy do niego na końcu" in chat.text
    assert current_standard(chat) == "1.1.2"
    await answer_all(chat, {"1.1.1": "Pomiń"})
    # 1.1.1 came back once after 5.3.2, was skipped again, and the pass ended.
    assert "Wynik samooceny: NIEPEŁNY" in chat.text
    assert "1.1.1 Zakres obowiązków" in chat.text
    await chat.press("Odpowiedz na pominięte")
    assert current_standard(chat) == "1.1.1"
    await chat.press("Spełnia")
    assert "Wynik samooceny: POZYTYWNY" in chat.text


async def test_each_answer_is_stored_before_the_next_question(
    chat: Chat, store: MemoryStorage
) -> None:
    await start_to_first_standard(chat)
    await chat.press("Spełnia")
    await chat.press("Nie spełnia")
    record = (await store.list_assessments(ALICE.user_key))[0]
    answers = await store.list_answers(record.id)
    assert {k: v.answer for k, v in answers.items()} == {"1.1.1": "y", "1.1.2": "n"}
    assert record.cursor == "1.1.3"
    assert record.profile["members"] == 45 and record.profile["region"] == "mz"


async def test_resume_in_a_new_process_continues_at_the_right_question(
    content: Content, clock: ManualClock, tmp_path: Path
) -> None:
    path = str(tmp_path / "bot.sqlite3")
    db = await SqliteStorage.open(path)
    chat = Chat(wire_services(content, db, clock, Settings()))
    await start_to_first_standard(chat)
    for _ in range(5):
        await chat.press("Spełnia")
    await chat.press("Pomiń")  # 1.2.2 skipped
    assert current_standard(chat) == "2.1.1"
    await db.close()

    again = await SqliteStorage.open(path)
    try:
        later = Chat(wire_services(content, again, clock, Settings()))
        await later.send("/ocena")
        assert "Masz rozpoczętą samoocenę (Klaster Testowy): 5/36 odpowiedzi" in later.text
        await later.press("Kontynuuj")
        assert current_standard(later) == "2.1.1"
        assert "Odpowiedzi: 5/36" in later.text
    finally:
        await again.close()


async def test_back_and_change_revisit_answers(chat: Chat) -> None:
    await start_to_first_standard(chat)
    await chat.press("Spełnia")
    await chat.press("Wstecz")
    assert current_standard(chat) == "1.1.1"
    assert "Obecna odpowiedź: ✅ Spełnia" in chat.text
    await chat.press("Nie spełnia")
    assert current_standard(chat) == "1.1.2"
    await chat.send("/zmien 1.1.1")
    assert "Obecna odpowiedź: ❌ Nie spełnia" in chat.text
    await chat.send("/zmien 9.9.9")
    assert "Nie ma standardu 9.9.9" in chat.text
    assert current_standard(chat) == "1.1.1"  # the current question is shown again
    await chat.send("/zmien")
    assert "np. /zmien 2.1.1" in chat.text


async def test_back_from_the_first_standard_returns_to_the_phase(chat: Chat) -> None:
    await start_to_first_standard(chat, phase="faza embrionalna")
    await chat.press("Wstecz")
    assert "W jakiej fazie rozwoju jest klaster?" in chat.text
    await chat.press("faza dojrzałości")
    assert "Ten standard jest **obligatoryjny** w fazie dojrzałości." in chat.text


async def test_progress_and_preliminary_report(chat: Chat) -> None:
    await start_to_first_standard(chat)
    await chat.press("Spełnia")
    await chat.press("Nie spełnia")
    await chat.send("/postep")
    progress = "• 1. Organizacja: 2/6 odpowiedzi, spełnione 1, obligatoryjne niespełnione: 1"
    assert progress in chat.text
    assert "Klaster w fazie rozwoju" in chat.text
    await chat.send("/raport")
    assert "Wynik wstępny (samoocena w toku): NEGATYWNY" in chat.text
    await chat.press("Kontynuuj")
    assert current_standard(chat) == "1.1.3"


async def test_notes_are_saved_and_long_ones_refused(chat: Chat, store: MemoryStorage) -> None:
    await start_to_first_standard(chat)
    await chat.press("Dodaj notatkę")
    assert "Napisz notatkę do standardu 1.1.1" in chat.text
    await chat.send("x" * 1001)
    assert "Notatka ma 1001 znaków, a limit to 1000" in chat.text
    await chat.send("y" * 100_000)
    assert "za długa" in chat.text and "Napisz notatkę do standardu 1.1.1" in chat.text
    await chat.send("Uchwała zarządu z 12.03 – do sprawdzenia *pilne*")
    assert "Notatka do 1.1.1 zapisana" in chat.text
    assert "Notatka: Uchwała zarządu z 12.03 – do sprawdzenia \\*pilne\\*" in chat.text
    await chat.press("Spełnia")
    record = (await store.list_assessments(ALICE.user_key))[0]
    saved = (await store.list_answers(record.id))["1.1.1"]
    assert (saved.answer, saved.note) == ("y", "Uchwała zarządu z 12.03 – do sprawdzenia *pilne*")


async def test_text_where_a_button_is_expected_gets_a_hint(
    chat: Chat, store: MemoryStorage
) -> None:
    await start_to_first_standard(chat)
    await chat.send("chyba tak")
    assert "Odpowiedz przyciskiem pod pytaniem" in chat.text
    assert current_standard(chat) == "1.1.1"
    record = (await store.list_assessments(ALICE.user_key))[0]
    assert await store.list_answers(record.id) == {}


async def test_profile_input_is_validated_and_nothing_bad_stored(
    chat: Chat, store: MemoryStorage
) -> None:
    await chat.send("/ocena")
    await chat.send("   ")
    assert "pusta" in chat.text and "Jak nazywa się klaster?" in chat.text
    await chat.send("K" * 300)
    assert "To za długie (limit: 200 znaków)" in chat.text
    await chat.send("Klaster")
    await chat.send("Koordynator")
    await chat.send("spółdzielnia")
    assert "Wybierz jedną z odpowiedzi przyciskiem" in chat.text
    await chat.send("Fundacja")  # a typed label is accepted
    await chat.send("ICT")
    await chat.send("bardzo dużo")
    assert "Podaj liczbę całkowitą od 1 do 100000" in chat.text
    await chat.send("-3")
    assert "Podaj liczbę całkowitą" in chat.text
    record = (await store.list_assessments(ALICE.user_key))[0]
    assert record.profile == {
        "name": "Klaster",
        "coordinator": "Koordynator",
        "legal_form": "found",
        "sector": "ICT",
    }
    assert record.cursor == "members"


async def test_stale_buttons_get_the_current_question(chat: Chat, store: MemoryStorage) -> None:
    await start_to_first_standard(chat)
    old_yes = chat.payload("Spełnia")
    await chat.press("Nie spełnia")
    # The old question's button, pressed again (e.g. from an earlier message).
    await chat.press_payload(old_yes)
    assert "Ten przycisk jest już nieaktywny" in chat.text
    assert current_standard(chat) == "1.1.2"
    record = (await store.list_assessments(ALICE.user_key))[0]
    assert (await store.list_answers(record.id))["1.1.1"].answer == "n"  # not silently changed
    # Forged and malformed payloads.
    for forged in (
        f"a1:{record.id}:1.1.2:z",
        f"a1:{record.id + 99}:1.1.2:y",
        "a1:x:1.1.2:y",
        "a1:1",
        f"a1:{record.id}:phase:adult",
    ):
        await chat.press_payload(forged)
        assert "nieaktywny" in chat.text, forged
        assert current_standard(chat) == "1.1.2"
    assert set(await store.list_answers(record.id)) == {"1.1.1"}


async def test_another_users_payload_changes_nothing(
    dispatcher: Dispatcher, store: MemoryStorage
) -> None:
    alice, bob = Chat(dispatcher, ALICE), Chat(dispatcher, BOB)
    await start_to_first_standard(alice)
    alices_button = alice.payload("Spełnia")
    await bob.press_payload(alices_button)
    assert "nieaktywny" in bob.text
    record = (await store.list_assessments(ALICE.user_key))[0]
    assert await store.list_answers(record.id) == {}
    assert await store.list_assessments(BOB.user_key) == []


async def test_two_presses_of_one_button_record_one_answer(
    chat: Chat, store: MemoryStorage
) -> None:
    import asyncio

    await start_to_first_standard(chat)
    yes = chat.payload("Spełnia")
    first, second = await asyncio.gather(chat.press_payload(yes), chat.press_payload(yes))
    texts = [" ".join(r.text for r in first), " ".join(r.text for r in second)]
    assert sum("Zapisano 1.1.1" in t for t in texts) == 1
    assert sum("nieaktywny" in t for t in texts) == 1
    record = (await store.list_assessments(ALICE.user_key))[0]
    assert set(await store.list_answers(record.id)) == {"1.1.1"}


async def test_start_again_offers_continue_and_copies_answers_for_review(
    chat: Chat, store: MemoryStorage
) -> None:
    await start_to_first_standard(chat)
    await chat.press("Nie spełnia")
    await chat.send("/ocena")
    assert chat.buttons[:3] == ["▶️ Kontynuuj", "🔄 Zacznij od nowa", "📊 Postęp"]
    await chat.press("Zacznij od nowa")
    assert "Masz wcześniejszą samoocenę (Klaster Testowy)" in chat.text
    await chat.press("Profil i odpowiedzi")
    assert "W jakiej fazie" in chat.text  # the profile was reused
    await chat.press("faza rozwoju")
    assert "Poprzednia samoocena: ❌ Nie spełnia" in chat.text
    history = await store.list_assessments(ALICE.user_key)
    assert [r.status for r in history] == ["in_progress", "abandoned"]
    assert history[0].profile == history[1].profile


async def test_completed_assessments_are_kept(chat: Chat, store: MemoryStorage) -> None:
    await start_to_first_standard(chat)
    await answer_all(chat)
    await chat.press("Nowa samoocena")
    await chat.press("Tylko profil")
    await chat.press("faza rozwoju")
    assert "Poprzednia samoocena" not in chat.text
    history = await store.list_assessments(ALICE.user_key)
    assert [r.status for r in history] == ["in_progress", "completed"]
    assert len(await store.list_answers(history[1].id)) == 36
    # /raport still shows the finished one while the new one has no answers.
    await chat.send("/raport")
    assert "Wynik wstępny (samoocena w toku): NIEPEŁNY" in chat.text


async def test_change_reopens_a_finished_assessment(chat: Chat) -> None:
    await start_to_first_standard(chat)
    await answer_all(chat)
    assert "POZYTYWNY" in chat.text
    await chat.send("/zmien 2.1.1")
    await chat.press("Nie spełnia")
    assert "Wynik samooceny: NEGATYWNY" in chat.text


async def test_english(chat: Chat) -> None:
    await chat.send("/language en")
    await chat.send("/assess")
    assert "What is the cluster's name?" in chat.text
    await chat.send("Test Cluster")
    await chat.send("Test Foundation")
    await chat.press("association")
    for value in ("ICT", "45", "300", "2015"):
        await chat.send(value)
    await chat.press("Masovian")
    await chat.press("no")
    await chat.press("growth phase")
    assert "Minimal indicator:" in chat.text
    assert chat.buttons[:4] == ["✅ Meets", "❌ Does not meet", "❔ Don't know", "⏭ Skip for now"]


async def test_about_names_sources_and_adaptation(chat: Chat) -> None:
    await chat.send("/ocena")
    await chat.press("O kwestionariuszu")
    assert "adaptacje" in chat.text
    assert "https://www.pi.gov.pl/PARP/chapter_86197.asp" in chat.text
    # The date the page itself shows, never the day the reference was compiled.
    assert "według źródła z 20.02.2017" in chat.text
    assert "stan na" not in chat.text and "27.11.2026" not in chat.text


@pytest.fixture
async def versioned(
    content: Content, tmp_path: Path
) -> AsyncIterator[tuple[Content, SqliteStorage]]:
    db = await SqliteStorage.open(str(tmp_path / "v.sqlite3"))
    yield content, db
    await db.close()


async def test_content_version_change_keeps_answers_to_existing_standards(
    versioned: tuple[Content, SqliteStorage], clock: ManualClock
) -> None:
    content, db = versioned
    chat = Chat(wire_services(content, db, clock, Settings()))
    await start_to_first_standard(chat)
    for _ in range(3):
        await chat.press("Spełnia")
    # A new version: 1.1.2 is gone, a new standard 1.1.5 appears.
    q = content.questionnaires[0]
    sub = q.areas[0].subareas[0]
    new_std = sub.standards[0].model_copy(update={"id": "1.1.5"})
    kept = (*tuple(s for s in sub.standards if s.id != "1.1.2"), new_std)
    new_sub = sub.model_copy(update={"standards": kept})
    new_area = q.areas[0].model_copy(update={"subareas": (new_sub, *q.areas[0].subareas[1:])})
    newer = type(q).model_validate(
        q.model_copy(update={"version": "2027.1", "areas": (new_area, *q.areas[1:])}).model_dump()
    )
    changed = dataclasses.replace(content, questionnaires=(newer,))
    later = Chat(wire_services(changed, db, clock, Settings()))
    await later.send("/ocena")
    await later.press("Kontynuuj")
    # The cursor (1.1.4) still exists; the notice comes when a button is pressed.
    await later.press("Spełnia")
    assert "wersja 2026.11-1 → 2027.1" in later.text and "(2)" in later.text
    assert current_standard(later) == "1.1.5"
    record = (await db.list_assessments(ALICE.user_key))[0]
    answers = await db.list_answers(record.id)
    assert set(answers) == {"1.1.1", "1.1.3", "1.1.4"}
    assert record.questionnaire_version == "2027.1"


async def test_commands_elsewhere_leave_the_step(chat: Chat) -> None:
    await chat.send("/ocena")
    await chat.send("/start")
    await chat.send("hej")  # not taken as the cluster's name
    assert "Dzień dobry" in chat.text
    await chat.send("/ocena")
    assert "Masz rozpoczętą samoocenę: 0/36" in chat.text


def test_dispatcher_has_the_commands(content: Content, clock: ManualClock) -> None:
    dispatcher = make_dispatcher(content, MemoryStorage(), clock)
    assert {
        "ocena",
        "assess",
        "postep",
        "progress",
        "zmien",
        "change",
        "raport",
        "report",
    } <= dispatcher.command_names


async def test_a_second_questionnaire_is_offered_without_code(
    content: Content, clock: ManualClock
) -> None:
    q = content.questionnaires[0]
    mini = q.model_copy(
        update={"id": "mini", "title": q.title.model_copy(update={"pl": "Mini ankieta"})}
    )
    both = dataclasses.replace(content, questionnaires=(q, mini))
    store = MemoryStorage()
    chat = Chat(wire_services(both, store, clock, Settings()))
    await chat.send("/ocena")
    assert "Którą samoocenę" in chat.text
    assert "Mini ankieta" in chat.buttons
    await chat.press("Mini ankieta")
    assert "Jak nazywa się klaster?" in chat.text
    record = (await store.list_assessments(ALICE.user_key))[0]
    assert record.questionnaire_id == "mini"
