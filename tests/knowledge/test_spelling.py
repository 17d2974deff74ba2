"""Letter likeness: example questions compared by four-letter pieces of their words."""

from __future__ import annotations

import pytest

from bot.knowledge import retrieval
from bot.knowledge.spelling import SpellingIndex, pieces
from bot.loader import Content


def test_pieces_fold_and_pad_each_word() -> None:
    assert pieces("Łódź") == frozenset({" lod", "lodz", "odz "})
    assert pieces("KKK") == frozenset({" kkk", "kkk "})
    assert pieces("a") == frozenset({" a "})  # a word shorter than a piece is one piece
    assert pieces("?!") == frozenset()


def test_a_misspelt_or_clipped_question_still_resembles_its_example() -> None:
    index = SpellingIndex(
        [
            ("poir-233", "budget", "Jaki był budżet na umiędzynarodowienie krajowych klastrów?"),
            ("esca", "price", "Ile kosztuje srebrna odznaka ESCA?"),
            ("esca", "valid", "Jak długo ważna jest srebrna odznaka?"),
            ("kkk", "points", "Ile punktów trzeba zdobyć w konkursie o status KKK?"),
        ]
    )
    found = index.resemblance("umiedzynarodowienie klastrow kluczwych budzet")
    assert max(found.facts, key=found.facts.__getitem__) == "budget"
    assert max(found.cards, key=found.cards.__getitem__) == "poir-233"
    assert all(0 < value <= 1 for value in found.facts.values())
    assert not SpellingIndex([("c", "f", "Ile kosztuje?")]).resemblance("???").facts


def test_an_unknown_question_resembles_nothing() -> None:
    index = SpellingIndex([("esca", "price", "Ile kosztuje srebrna odznaka ESCA?")])
    assert index.resemblance("pogoda w Zakopanem").facts == {}


def test_letter_likeness_picks_the_fact_asked(
    content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typed without Polish letters, how much funding FENG 2.17 gives (its share); without the
    letter likeness the answer opens with the limits we did not find."""
    question = "feng 2.17 rozwoj oferty klastrow dla firm ile dofinansowania"
    kb = content.knowledge_base
    hit = kb.search(question)[0]
    assert hit.lead is not None and hit.lead.id == "feng-217-share-2023"
    monkeypatch.setattr(retrieval, "SPELLING_SHARE", 0.0)
    hit = kb.search(question)[0]
    assert hit.lead is not None and hit.lead.id != "feng-217-share-2023"
