"""The verdict for each phase: positive only when every obligatory standard is met."""

from __future__ import annotations

import pytest

from bot.assessment.engine import MET, NOT_MET, SKIPPED, UNKNOWN
from bot.assessment.model import PHASE_IDS, Questionnaire
from bot.assessment.scoring import score
from bot.loader import Content


@pytest.fixture(scope="module")
def q(content: Content) -> Questionnaire:
    return content.questionnaires[0]


def all_met(q: Questionnaire) -> dict[str, str | None]:
    return {s.id: MET for s in q.standards}


def obligatory(q: Questionnaire, phase: str) -> list[str]:
    return [s.id for s in q.standards if phase in s.obligatory_in]


def optional(q: Questionnaire, phase: str) -> list[str]:
    return [s.id for s in q.standards if phase not in s.obligatory_in]


@pytest.mark.parametrize("phase", PHASE_IDS)
def test_all_met_is_positive(q: Questionnaire, phase: str) -> None:
    result = score(q, phase, all_met(q))
    assert result.verdict == "positive"
    assert (result.met, result.total, result.percent) == (36, 36, 100)
    assert all(a.fully_met for a in result.areas)


@pytest.mark.parametrize("phase", PHASE_IDS)
def test_one_obligatory_unmet_is_negative(q: Questionnaire, phase: str) -> None:
    answers = all_met(q)
    target = obligatory(q, phase)[-1]
    answers[target] = NOT_MET
    result = score(q, phase, answers)
    assert result.verdict == "negative"
    assert result.obligatory_unmet == (target,)
    area = next(a for a in result.areas if target.startswith(a.area.id + "."))
    assert area.obligatory_unmet == (target,) and not area.fully_met
    assert result.percent == round(100 * 35 / 36)


@pytest.mark.parametrize("phase", PHASE_IDS)
def test_only_optional_unmet_is_positive(q: Questionnaire, phase: str) -> None:
    answers = all_met(q)
    for sid in optional(q, phase):
        answers[sid] = NOT_MET
    result = score(q, phase, answers)
    assert result.verdict == "positive"
    assert result.optional_unmet == tuple(optional(q, phase))
    assert result.obligatory_unmet == ()


@pytest.mark.parametrize("phase", PHASE_IDS)
def test_dont_know_counts_as_unmet_and_is_flagged(q: Questionnaire, phase: str) -> None:
    answers = all_met(q)
    target = obligatory(q, phase)[0]
    answers[target] = UNKNOWN
    result = score(q, phase, answers)
    assert result.verdict == "negative"
    assert result.obligatory_unknown == (target,)


@pytest.mark.parametrize("phase", PHASE_IDS)
def test_skipped_obligatory_is_incomplete(q: Questionnaire, phase: str) -> None:
    answers = all_met(q)
    target = obligatory(q, phase)[0]
    answers[target] = SKIPPED
    result = score(q, phase, answers)
    assert result.verdict == "incomplete"
    assert result.obligatory_missing == (target,)
    assert result.skipped == (target,)


@pytest.mark.parametrize("phase", PHASE_IDS)
def test_unanswered_obligatory_is_incomplete_but_unmet_wins(q: Questionnaire, phase: str) -> None:
    answers = all_met(q)
    first, second = obligatory(q, phase)[:2]
    del answers[first]
    assert score(q, phase, answers).verdict == "incomplete"
    answers[second] = NOT_MET
    assert score(q, phase, answers).verdict == "negative"


def test_financial_stability_matters_only_from_growth(q: Questionnaire) -> None:
    answers = all_met(q)
    answers["2.1.1"] = NOT_MET
    assert score(q, "embryonic", answers).verdict == "positive"
    assert score(q, "growth", answers).verdict == "negative"
    assert score(q, "maturity", answers).verdict == "negative"


def test_what_to_work_on_names_skipped_obligatory_standards_too(q: Questionnaire) -> None:
    from bot.assessment.insights import recommendations

    obligatory = [s.id for s in q.standards if "growth" in s.obligatory_in]
    optional = [s.id for s in q.standards if "growth" not in s.obligatory_in]
    codes: dict[str, str | None] = dict.fromkeys((s.id for s in q.standards), MET)
    codes[obligatory[0]] = SKIPPED  # decides the verdict: incomplete
    codes[obligatory[1]] = NOT_MET
    codes[optional[0]] = NOT_MET
    wanted = [s.id for s in recommendations(q, "growth", codes)]
    assert wanted == [obligatory[0], obligatory[1], optional[0]]
