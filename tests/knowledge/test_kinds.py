"""The kind model: how each kind of fact is asked, learnt from the example questions."""

from __future__ import annotations

import pytest

from bot.knowledge import kinds
from bot.knowledge.kinds import KindModel

#: Each card asks "when" and "how much" the same way; one card also names its topic.
CARDS = ("a", "b", "c", "d", "e")


def _examples() -> list[tuple[str, str, str]]:
    rows = []
    for card in CARDS:
        rows += [
            (f"kiedy ruszył nabór {card}", "date", card),
            (f"w którym roku ruszył {card}", "date", card),
            (f"ile pieniędzy można dostać w {card}", "amount", card),
            (f"jaka kwota dofinansowania {card}", "amount", card),
        ]
    rows.append(("ile daje smartup", "amount", "a"))
    return rows


def test_a_question_gets_the_kind_its_wording_asks_for() -> None:
    model = KindModel(_examples())
    asked = model.probabilities("A kiedy ruszył ten nowy program?")
    assert max(asked, key=asked.__getitem__) == "date"
    assert sum(asked.values()) == pytest.approx(1.0)
    money = model.probabilities("Jaka kwota przysługuje klastrom?")
    assert money["amount"] > money["date"]


def test_a_word_of_one_topic_says_nothing_about_the_kind() -> None:
    model = KindModel(_examples())
    # "smartup" is asked about one card only: the question is as undecided as one without it.
    assert model.probabilities("smartup") == model.probabilities("zupełnie coś innego")


def test_the_words_must_be_asked_on_enough_cards(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kinds, "MIN_CARDS", len(CARDS) + 1)
    asked = KindModel(_examples()).probabilities("kiedy ruszył nabór")
    assert asked["date"] == pytest.approx(asked["amount"], rel=0.2)  # the priors only


def test_without_examples_nothing_is_known() -> None:
    assert KindModel([]).probabilities("kiedy?") == {}
