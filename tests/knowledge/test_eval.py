"""Answer quality on the evaluation set: the right card on top, and honest refusals."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.knowledge.service import KnowledgeFeature
from bot.loader import Content

EVAL = Path(__file__).resolve().parents[1] / "data" / "qa_eval.yaml"


def _questions() -> list[dict[str, str | None]]:
    return yaml.safe_load(EVAL.read_text("utf-8"))["questions"]  # type: ignore[no-any-return]


def test_the_set_is_big_and_varied_enough() -> None:
    questions = _questions()
    assert len(questions) >= 80
    assert sum(q["card"] is None for q in questions) >= 15
    english = re.compile(r"\b(what|how|who|does|can|price|grant|label|registration)\b")
    assert sum(bool(english.search(str(q["q"]))) for q in questions) >= 6


def test_top1_accuracy_in_scope_and_refusals_out_of_scope(content: Content) -> None:
    feature = KnowledgeFeature(content.knowledge_base)
    in_scope = [q for q in _questions() if q["card"]]
    out_of_scope = [q for q in _questions() if not q["card"]]
    right = [q for q in in_scope if (hit := feature.best(str(q["q"]))) and hit.card.id == q["card"]]
    refused = [q for q in out_of_scope if feature.best(str(q["q"])) is None]
    accuracy = len(right) / len(in_scope)
    refusal = len(refused) / len(out_of_scope)
    wrong = [q["q"] for q in in_scope if q not in right]
    answered = [q["q"] for q in out_of_scope if q not in refused]
    assert accuracy >= 0.9, (accuracy, wrong)
    assert refusal >= 0.9, (refusal, answered)
