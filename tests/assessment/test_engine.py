"""Question order and profile answer checks."""

from __future__ import annotations

import pytest

from bot.assessment.engine import (
    MET,
    SKIPPED,
    Problem,
    next_profile_field,
    next_standard,
    parse_profile_value,
    previous_standard,
)
from bot.assessment.model import ProfileSpec, Questionnaire
from bot.loader import Content


@pytest.fixture(scope="module")
def q(content: Content) -> Questionnaire:
    return content.questionnaires[0]


@pytest.fixture(scope="module")
def spec(content: Content) -> ProfileSpec:
    return content.profile


def test_first_unanswered_comes_next(q: Questionnaire) -> None:
    ids = [s.id for s in q.standards]
    assert next_standard(q, {}) == ids[0]
    assert next_standard(q, {ids[0]: MET, ids[2]: MET}) == ids[1]


def test_skipped_come_back_at_the_end(q: Questionnaire) -> None:
    ids = [s.id for s in q.standards]
    answers: dict[str, str | None] = {sid: MET for sid in ids}
    answers[ids[3]] = SKIPPED
    answers[ids[10]] = SKIPPED
    answers[ids[20]] = None
    assert next_standard(q, answers) == ids[20]
    answers[ids[20]] = MET
    assert next_standard(q, answers) == ids[3]
    # Skipping a skipped one again moves on, and the last one ends the pass.
    assert next_standard(q, answers, after=ids[3]) == ids[10]
    assert next_standard(q, answers, after=ids[10]) is None


def test_previous(q: Questionnaire) -> None:
    assert previous_standard(q, q.standards[0].id) is None
    assert previous_standard(q, "2.1.1") == "1.2.2"


def test_profile_order(spec: ProfileSpec) -> None:
    assert next_profile_field(spec, {}).id == "name"  # type: ignore[union-attr]
    full = {f.id: 1 for f in spec.fields}
    assert next_profile_field(spec, full) is None


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        ("name", "  Klaster   Mebli  ", "Klaster Mebli"),
        ("name", "", Problem("assess.profile.empty")),
        ("name", "x" * 201, Problem("assess.profile.too_long", (("limit", 200),))),
        ("members", "1 200", 1200),
        ("members", "0", "bad_integer"),
        ("members", "dużo", "bad_integer"),
        ("members", "-5", "bad_integer"),
        ("employment", "0", 0),
        ("founded", "2015", 2015),
        ("founded", "1989", "bad_year"),
        ("founded", "2027", "bad_year"),
        ("legal_form", "Fundacja", "found"),
        ("legal_form", "association", "assoc"),
        ("legal_form", "spółdzielnia", Problem("assess.profile.use_buttons")),
        ("region", "Mazowieckie", "mz"),
    ],
)
def test_profile_values(spec: ProfileSpec, field: str, raw: str, expected: object) -> None:
    result = parse_profile_value(spec.field(field), raw, this_year=2026)  # type: ignore[arg-type]
    if isinstance(expected, str) and expected.startswith("bad_"):
        assert isinstance(result, Problem) and result.key == f"assess.profile.{expected}"
    else:
        assert result == expected
