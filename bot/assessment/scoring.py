"""Scoring a self-evaluation for a phase: the verdict, per-area results, what is missing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from bot.assessment.engine import MET, NOT_MET, SKIPPED, UNKNOWN
from bot.assessment.model import Area, Questionnaire

Verdict = Literal["positive", "negative", "incomplete"]


@dataclass(frozen=True, slots=True)
class AreaScore:
    """Results of one area."""

    area: Area
    total: int
    met: int
    answered: int
    obligatory_unmet: tuple[str, ...]

    @property
    def percent(self) -> int:
        """Share of the area's standards met, in whole percent."""
        return round(100 * self.met / self.total) if self.total else 0

    @property
    def fully_met(self) -> bool:
        """Whether every standard of the area is met."""
        return self.met == self.total


@dataclass(frozen=True, slots=True)
class Score:
    """The outcome of a self-evaluation for one phase.

    The verdict is ``positive`` only when every standard obligatory in the phase is met.
    An obligatory standard answered "does not meet" or "don't know" makes it ``negative``
    ("don't know" counts as not met and is listed separately); otherwise an obligatory
    standard without an answer (or skipped) makes it ``incomplete``.
    """

    phase: str
    verdict: Verdict
    total: int
    met: int
    answered: int
    areas: tuple[AreaScore, ...]
    obligatory_unmet: tuple[str, ...]
    obligatory_unknown: tuple[str, ...]
    obligatory_missing: tuple[str, ...]
    optional_unmet: tuple[str, ...]
    skipped: tuple[str, ...]

    @property
    def percent(self) -> int:
        """Share of all standards met, in whole percent."""
        return round(100 * self.met / self.total) if self.total else 0


def score(questionnaire: Questionnaire, phase: str, answers: Mapping[str, str | None]) -> Score:
    """Score the answers (standard id -> answer code) for ``phase``."""
    unmet: list[str] = []
    unknown: list[str] = []
    missing: list[str] = []
    optional_unmet: list[str] = []
    skipped: list[str] = []
    areas: list[AreaScore] = []
    for area in questionnaire.areas:
        total = met = answered = 0
        area_unmet: list[str] = []
        for sub in area.subareas:
            for standard in sub.standards:
                code = answers.get(standard.id)
                obligatory = phase in standard.obligatory_in
                total += 1
                met += code == MET
                answered += code in (MET, NOT_MET, UNKNOWN)
                if code == SKIPPED:
                    skipped.append(standard.id)
                if code in (NOT_MET, UNKNOWN):
                    if obligatory:
                        unmet.append(standard.id)
                        area_unmet.append(standard.id)
                        if code == UNKNOWN:
                            unknown.append(standard.id)
                    else:
                        optional_unmet.append(standard.id)
                elif code != MET and obligatory:
                    missing.append(standard.id)
        areas.append(AreaScore(area, total, met, answered, tuple(area_unmet)))
    verdict: Verdict = "negative" if unmet else "incomplete" if missing else "positive"
    return Score(
        phase=phase,
        verdict=verdict,
        total=sum(a.total for a in areas),
        met=sum(a.met for a in areas),
        answered=sum(a.answered for a in areas),
        areas=tuple(areas),
        obligatory_unmet=tuple(unmet),
        obligatory_unknown=tuple(unknown),
        obligatory_missing=tuple(missing),
        optional_unmet=tuple(optional_unmet),
        skipped=tuple(skipped),
    )
