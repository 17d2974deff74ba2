"""The PARP questionnaire file: structure, languages, phase rules, provenance, validation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.assessment.model import PHASE_IDS, Questionnaire
from bot.errors import ContentError
from bot.loader import Content, load_content


@pytest.fixture(scope="module")
def parp(content: Content) -> Questionnaire:
    return next(q for q in content.questionnaires if q.id == "parp-standards")


def test_structure_is_5_areas_19_subareas_36_standards(parp: Questionnaire) -> None:
    assert len(parp.areas) == 5
    assert sum(len(a.subareas) for a in parp.areas) == 19
    assert len(parp.standards) == 36
    assert [a.title.pl for a in parp.areas] == [
        "Organizacja",
        "Zasoby",
        "Procesy",
        "Usługi na rzecz członków klastra",
        "Współpraca z otoczeniem",
    ]
    # The reference: Zasoby has 3 sub-areas and 7 standards, Procesy 5 sub-areas.
    zasoby = parp.areas[1]
    assert len(zasoby.subareas) == 3
    assert sum(len(s.standards) for s in zasoby.subareas) == 7
    assert len(parp.areas[2].subareas) == 5


def test_ids_are_unique_and_nested(parp: Questionnaire) -> None:
    ids = [s.id for s in parp.standards]
    assert len(ids) == len(set(ids))
    for standard in parp.standards:
        area, sub = parp.subarea_of[standard.id]
        assert standard.id.startswith(f"{sub.id}.") and sub.id.startswith(f"{area.id}.")


def test_every_text_exists_in_both_languages(parp: Questionnaire) -> None:
    for standard in parp.standards:
        for text in (standard.title, standard.indicator, standard.guidance):
            assert text.pl.strip() and text.en.strip()
            assert text.pl != text.en


def test_every_phase_has_obligatory_standards(parp: Questionnaire) -> None:
    assert [p.id for p in parp.phases] == list(PHASE_IDS)
    for phase in PHASE_IDS:
        assert any(phase in s.obligatory_in for s in parp.standards), phase


def test_financial_stability_is_official_with_its_phase_rule(parp: Questionnaire) -> None:
    standard = parp.require("2.1.1")
    assert standard.title.pl == "Stabilność finansowa"
    assert standard.provenance == "official"
    assert set(standard.obligatory_in) == {"growth", "maturity"}
    # PARP's own wording, verbatim (Portal Innowacji, 20.02.2017), and our translation.
    assert standard.indicator.pl == (
        "Aby spełnić standard koordynator powinien posiadać zabezpieczenie finansowe działań "
        "związanych z bieżącą działalnością klastra na okres co najmniej 1 roku naprzód."
    )
    assert "at least 1 year ahead" in standard.indicator.en
    # Nothing else is presented as PARP's official wording.
    assert [s.id for s in parp.standards if s.provenance == "official"] == ["2.1.1"]


def test_sources_carry_the_date_they_show(parp: Questionnaire) -> None:
    dated = {str(s.url): s.as_of for s in parp.sources}
    zasoby = "https://www.pi.gov.pl/PARP/chapter_86197.asp?soid=2FF366A09E9E47ABABB313CFE3E0C056"
    assert dated[zasoby] == date(2017, 2, 20)  # PARP's page on the area "Zasoby"
    assert all(s.verified_on is None for s in parp.sources)  # nobody checked the live pages


def _raw(content_dir: Path) -> dict[str, object]:
    path = content_dir / "questionnaires" / "parp-standards.yaml"
    return yaml.safe_load(path.read_text("utf-8"))  # type: ignore[no-any-return]


def _write(content_dir: Path, data: dict[str, object]) -> None:
    path = content_dir / "questionnaires" / "parp-standards.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


@pytest.mark.parametrize(
    ("mutate", "field", "reason"),
    [
        (
            lambda d: d["areas"][0]["subareas"][0]["standards"][0]["title"].pop("en"),
            "title.en",
            "Field required",
        ),
        (
            lambda d: d["areas"][0]["subareas"][0]["standards"][1].update(id="1.1.1"),
            "",
            "appears twice",
        ),
        (
            lambda d: d["areas"][0]["subareas"][0]["standards"][0].update(obligatory_in=["teen"]),
            "obligatory_in.0",
            "Input should be",
        ),
        (
            lambda d: d["areas"][1]["subareas"][0]["standards"][0].update(provenance="guess"),
            "provenance",
            "Input should be",
        ),
        (lambda d: d.update(phases=d["phases"][:2]), "", "phases must be exactly"),
        (
            lambda d: d["areas"][2]["subareas"][0]["standards"][0].update(id="9.9.9"),
            "",
            "not inside sub-area",
        ),
    ],
)
def test_broken_questionnaire_names_file_and_field(
    tmp_content: Path, mutate: object, field: str, reason: str
) -> None:
    data = _raw(tmp_content)
    mutate(data)  # type: ignore[operator]
    _write(tmp_content, data)
    with pytest.raises(ContentError) as info:
        load_content(tmp_content)
    assert info.value.file == "questionnaires/parp-standards.yaml"
    assert info.value.field.endswith(field)
    assert reason in info.value.reason


def test_a_second_questionnaire_loads_without_code(tmp_content: Path) -> None:
    data = _raw(tmp_content)
    data["id"] = "mini"
    data["areas"] = data["areas"][:1]  # type: ignore[index]
    data["areas"][0]["subareas"][0]["standards"][0]["obligatory_in"] = list(PHASE_IDS)  # type: ignore[index]
    (tmp_content / "questionnaires" / "mini.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), "utf-8"
    )
    loaded = load_content(tmp_content)
    assert {q.id for q in loaded.questionnaires} == {"parp-standards", "mini"}
