"""Answer quality on the evaluation set: a frozen test part, a dev part, and invariants.

The test part was written and mapped to facts before the retrieval was tuned (see
``tests/knowledge/qa.py``); its fingerprint below fails the suite if any case changes.
"""

from __future__ import annotations

import asyncio
import re
from functools import cache

import pytest

from bot.config import REPO_CONTENT_DIR
from bot.loader import Content, load_content
from tests.knowledge.qa import (
    Report,
    answer_all,
    fingerprint,
    load_part,
    stray_numbers,
)

#: sha256 of the test part's cases as written before tuning (commit 42bfe3e).
FROZEN = "33086723e2d94dc96f665877364914428fa88dd4c6e1428c8c64d89e74d8324f"
#: The fresh part, written after the retrieval tuning, is frozen too.
FROZEN_FRESH = "5e233053281d1cb1ca6c5a6ea6c7fcf5ced3fa9804479f7c315d4ea5db1c3009"
STYLES = {"formal", "colloquial", "plain", "en"}
WRAPPERS = (
    "Dzień dobry, mam pytanie: {q}",
    "a jeszcze jedno – {q}",
    "czy możesz mi powiedzieć {q}",
    "powiedz proszę, {q}",
    # … and what follows it: thanks, a signature, an emoji.
    "{q} Z góry dziękuję za pomoc!",
    "{q}\nPozdrawiam, Anna Kowalska",
    "{q} 🙏",
)


@cache
def _content() -> Content:
    return load_content(REPO_CONTENT_DIR)


@cache
def _report(part: str) -> Report:
    return Report(asyncio.run(answer_all(_content(), load_part(part))))


def test_the_test_part_is_frozen() -> None:
    assert fingerprint("test") == FROZEN, "the frozen test part must not change"
    assert fingerprint("fresh") == FROZEN_FRESH, "the fresh part must not change"


@pytest.mark.parametrize("part", ["dev", "val", "val2", "val3", "test", "fresh"])
def test_each_part_covers_styles_cards_and_refusals(part: str) -> None:
    cases = load_part(part)
    facts = _content().knowledge_base.facts
    in_scope = [c for c in cases if c.in_scope]
    out = [c for c in cases if not c.in_scope]
    assert {c.style for c in in_scope} == STYLES
    assert all(c.facts and all(f in facts for f in c.facts) for c in in_scope)
    assert len(out) >= 20 and sum(bool(c.near) for c in out) >= len(out) // 2 - 1
    cards = {c.id for c in _content().knowledge_base.content.cards}
    if part in ("test", "fresh"):
        assert {c.card for c in in_scope} == cards


def test_the_whole_set_is_big_enough() -> None:
    cases = load_part("dev") + load_part("test")
    assert len(cases) >= 300
    assert sum(not c.in_scope for c in cases) >= 40


def test_frozen_part_leads_with_the_expected_fact_and_refuses_the_rest() -> None:
    report = _report("test")
    # Floors at the level measured when this change landed (README: "Answer quality");
    # they catch a regression, the README reports the figures and the target.
    assert report.in_scope.share >= FLOOR_IN_SCOPE, _misses(report)
    assert report.refused.share >= FLOOR_REFUSED, _misses(report)


def test_dev_part_does_not_regress() -> None:
    report = _report("dev")
    assert report.in_scope.share >= FLOOR_DEV, _misses(report)


def test_fresh_part_does_not_regress() -> None:
    report = _report("fresh")
    assert report.in_scope.share >= FLOOR_FRESH, _misses(report)
    assert report.refused.share >= FLOOR_REFUSED, _misses(report)


@pytest.mark.parametrize(
    ("part", "in_scope", "refused"),
    [
        ("val", 0.95, 0.925),
        ("val2", 0.92, 0.89),
        ("val3", 0.89, 0.87),
        ("val4", 0.92, 0.70),
        # Written blind in the session before the latest; the naming-then-asking-elsewhere
        # questions are its weak point.
        ("val5", 0.89, 0.65),
        # Written blind from the reference in the latest session, as the frozen test part was.
        ("val6", 0.97, 0.81),
        # The same, written at the end of the latest session (blind: 92.9%, 33/38).
        ("val7", 0.94, 0.84),
        # Written blind at the start of the session before the latest: one question per fact
        # (blind: 94.5%, 29/36), and per card and ask-type as the frozen part was (blind: 81.2%,
        # 27/36).
        ("val8", 0.93, 0.78),
        ("val9", 0.82, 0.72),
        # The same as val9, written blind once val9 had been tuned on (blind: 76.9%, 14/32):
        # general questions and off-topic ones that name our topics are the weak points.
        ("val10", 0.76, 0.40),
        # The same again, once val10 had been tuned on (blind: 83.6%, 22/34).
        ("val11", 0.81, 0.60),
        # Questions told after a word about the asker's cluster: refusals are the weak point.
        ("context", 0.83, 0.73),
    ],
)
def test_validation_parts_do_not_regress(part: str, in_scope: float, refused: float) -> None:
    report = _report(part)
    assert report.in_scope.share >= in_scope, _misses(report)
    assert report.refused.share >= refused, _misses(report)


@pytest.mark.parametrize(
    "part",
    [
        "dev",
        "val2",
        "val3",
        "val4",
        "val5",
        "val6",
        "val7",
        "val8",
        "val9",
        "val10",
        "val11",
        "context",
        "test",
        "fresh",
    ],
)
def test_no_number_in_an_answer_that_its_cited_facts_do_not_hold(part: str) -> None:
    facts = _content().knowledge_base.facts
    for outcome in _report(part).outcomes:
        if outcome.answered:
            assert not stray_numbers(outcome.text, facts), (outcome.case.q, outcome.text)


def test_wrapping_a_question_never_changes_the_answer() -> None:
    in_scope = [o for o in _report("test").outcomes if o.case.in_scope and o.answered][:50]
    assert len(in_scope) == 50
    for wrapper in WRAPPERS:
        cases = [
            o.case.__class__(
                q=wrapper.format(q=_lower_first(o.case.q)),
                card=o.case.card,
                facts=o.case.facts,
                ask=o.case.ask,
                style=o.case.style,
            )
            for o in in_scope
        ]
        wrapped = asyncio.run(answer_all(_content(), cases))
        changed = [
            (o.case.q, o.lead, w.lead)
            for o, w in zip(in_scope, wrapped, strict=True)
            if o.lead != w.lead
        ]
        assert not changed, (wrapper, changed)


def _lower_first(question: str) -> str:
    """ "Jaka była …" reads "… mam pytanie: jaka była …" inside a wrapper."""
    if re.match(r"[A-ZĄĆĘŁŃÓŚŹŻ][a-ząćęłńóśźż]", question):
        return question[0].lower() + question[1:]
    return question


def _misses(report: Report) -> list[tuple[str, tuple[str, ...], str | None]]:
    return [(o.case.q, o.case.facts, o.lead) for o in report.misses()]


# Measured with each word in its own sentence and the sentence that asks read alone (test
# 90.4%, dev 90.9%; val2 92.8% and 92.3%, context 85.0% and 75.0% above), each less one case;
# the fresh part less three.
FLOOR_IN_SCOPE = 0.898
FLOOR_REFUSED = 0.925
FLOOR_DEV = 0.905
FLOOR_FRESH = 0.84  # measured 85.9% (146/170)
