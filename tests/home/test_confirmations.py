"""Yes/no confirmations answered by typing, and questions asked while one waits."""

from __future__ import annotations

import pytest

from bot.core.dispatcher import Dispatcher
from storage.memory import MemoryStorage
from tests.helpers import ALICE, Chat


@pytest.fixture
def chat(dispatcher: Dispatcher) -> Chat:
    return Chat(dispatcher)


async def test_a_typed_no_keeps_the_data(chat: Chat, store: MemoryStorage) -> None:
    await chat.send("/ocena")
    await chat.send("Klaster Wschodni")
    await chat.send("/usun_dane")
    await chat.send("Nie")
    assert "niczego nie usunąłem" in chat.text
    assert await store.list_assessments(ALICE.user_key)


async def test_a_typed_yes_without_polish_letters_erases(chat: Chat, store: MemoryStorage) -> None:
    await chat.send("/ocena")
    await chat.send("Klaster Wschodni")
    await chat.send("/usun_dane")
    await chat.send("usun")
    assert "Usunięte" in chat.text
    assert await store.list_assessments(ALICE.user_key) == []


async def test_a_question_while_the_erasure_waits_is_answered_and_nothing_erased(
    chat: Chat, store: MemoryStorage
) -> None:
    await chat.send("/ocena")
    await chat.send("Klaster Wschodni")
    await chat.send("/usun_dane")
    await chat.send("co to jest KKK?")
    assert "Wracamy do pytania o usunięcie danych" in chat.text
    assert "Tego nie da się cofnąć" in chat.last[-1].text
    await chat.send("hmm")
    assert "Napisz „tak” lub „nie”" in chat.text
    assert await store.list_assessments(ALICE.user_key)
    await chat.press("Nie, zostaw")
    await chat.send("tak")  # no confirmation waits any more: not an erasure
    assert await store.list_assessments(ALICE.user_key)
