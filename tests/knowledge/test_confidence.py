"""Which of two close cards answers: the one whose answer explains more of the question."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.knowledge.confidence import explains_more


@dataclass(frozen=True)
class Answer:
    score: float
    confidence: float
    lead: None = None


@pytest.mark.parametrize(
    ("first", "second", "swap"),
    [
        # Close scores, the second explains much more: it leads.
        (Answer(3.6, 0.71), Answer(3.05, 0.95), True),
        # The second explains only a little more: the better score stays first.
        (Answer(3.6, 0.80), Answer(3.5, 0.90), False),
        # The second is far behind on the question's words.
        (Answer(4.0, 0.60), Answer(2.5, 0.99), False),
        # The first would be refused: promoting the second would answer what we refuse.
        (Answer(3.0, 0.40), Answer(2.9, 0.90), False),
    ],
)
def test_the_card_explaining_clearly_more_leads_only_among_answers(
    first: Answer, second: Answer, swap: bool
) -> None:
    assert explains_more(first, second) is swap
