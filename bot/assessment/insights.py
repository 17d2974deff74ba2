"""What to do next: recommendations, KKK and ESCA readiness, comparison with PARP 2015.

Pure functions over a questionnaire, answers, a score and ``content/readiness.yaml``. The
readiness check is an orientation aid, not an official assessment, and says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.assessment.engine import MET, NOT_MET, UNKNOWN
from bot.assessment.model import Questionnaire, Standard
from bot.assessment.scoring import Score
from bot.core.localized import Localized, Source


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Parp2015(_Frozen):
    """PARP's published 2015 verification averages (per area id and overall)."""

    label: Localized
    overall: int = Field(ge=0, le=100)
    areas: dict[str, int]
    source: Source


class KkkArea(_Frozen):
    """One of the five KKK assessment areas and the standards that speak to it."""

    title: Localized
    standards: tuple[str, ...] = Field(min_length=1)


class KkkRules(_Frozen):
    """KKK eligibility thresholds and assessment areas.

    ``area_min_percent`` is our orientation threshold (not the call's): the share of an
    assessment area's related standards that should be met.
    """

    min_years: int
    min_members: int
    area_min_percent: int = Field(default=75, ge=1, le=100)
    source: Source
    areas: tuple[KkkArea, ...] = Field(min_length=5, max_length=5)


class EscaRules(_Frozen):
    """ECCP listing criteria needed for an ESCA Bronze label."""

    source: Source
    min_members: int


class Readiness(_Frozen):
    """``content/readiness.yaml``."""

    parp_2015: Parp2015
    kkk: KkkRules
    esca_bronze: EscaRules


def recommendations(
    q: Questionnaire, phase: str, codes: Mapping[str, str | None]
) -> list[Standard]:
    """What to work on, obligatory in the phase first, then by area.

    Unmet standards ("no" or "don't know") and the obligatory ones with no answer yet.
    """
    wanted = [
        s
        for s in q.standards
        if codes.get(s.id) in (NOT_MET, UNKNOWN)
        or (phase in s.obligatory_in and codes.get(s.id) not in (MET, NOT_MET, UNKNOWN))
    ]
    return sorted(wanted, key=lambda s: (phase not in s.obligatory_in, q.index[s.id]))


@dataclass(frozen=True, slots=True)
class Check:
    """One readiness item: a text key, whether it is met (``None`` when unknown), details."""

    key: str
    ok: bool | None
    params: tuple[tuple[str, object], ...] = ()


def kkk_readiness(
    rules: KkkRules,
    q: Questionnaire,
    profile: Mapping[str, Any],
    codes: Mapping[str, str | None],
    year: int,
) -> list[Check]:
    """Years of operation, members, and how the answers cover the five KKK areas.

    An area below the threshold whose unanswered standards could still lift it over is
    unknown (``None``), not failed.
    """
    checks: list[Check] = []
    founded = profile.get("founded")
    if isinstance(founded, int):
        years = year - founded
        checks.append(
            Check("years", years >= rules.min_years, (("years", years), ("min", rules.min_years)))
        )
    else:
        checks.append(Check("years", None, (("years", "?"), ("min", rules.min_years))))
    members = profile.get("members")
    if isinstance(members, int):
        checks.append(
            Check(
                "members",
                members >= rules.min_members,
                (("members", members), ("min", rules.min_members)),
            )
        )
    else:
        checks.append(Check("members", None, (("members", "?"), ("min", rules.min_members))))
    for area in rules.areas:
        ids = [s.id for s in q.standards if s.id.startswith(area.standards)]
        met = sum(1 for i in ids if codes.get(i) == MET)
        missing = sum(1 for i in ids if codes.get(i) not in (MET, NOT_MET, UNKNOWN))
        share = round(100 * met / len(ids)) if ids else 0
        best = round(100 * (met + missing) / len(ids)) if ids else 0
        threshold = rules.area_min_percent
        ok = True if share >= threshold else None if best >= threshold else False
        checks.append(
            Check(
                "area",
                ok,
                (
                    ("area", area.title),
                    ("met", met),
                    ("total", len(ids)),
                    ("percent", share),
                    ("threshold", threshold),
                    ("missing", missing),
                ),
            )
        )
    return checks


ESCA_QUESTIONS = ("eccp_team", "eccp_website", "eccp_types")


def esca_readiness(rules: EscaRules, profile: Mapping[str, Any]) -> list[Check]:
    """The ECCP listing criteria; unanswered ones are ``None`` (to be asked)."""
    members = profile.get("members")
    checks = [
        Check(
            "esca_members",
            members >= rules.min_members if isinstance(members, int) else None,
            (("members", members if isinstance(members, int) else "?"), ("min", rules.min_members)),
        ),
    ]
    for key in ESCA_QUESTIONS:
        value = profile.get(key)
        checks.append(Check(key, None if value not in ("yes", "no") else value == "yes"))
    return checks


@dataclass(frozen=True, slots=True)
class Change:
    """Percent met now and in the previous assessment, overall and per area id."""

    overall: tuple[int, int]
    areas: dict[str, tuple[int, int]]


def change_since(previous: Score, current: Score) -> Change:
    """Compare two scores of the same questionnaire."""
    before = {a.area.id: a.percent for a in previous.areas}
    return Change(
        overall=(previous.percent, current.percent),
        areas={a.area.id: (before.get(a.area.id, 0), a.percent) for a in current.areas},
    )
