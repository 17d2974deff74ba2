"""Everything a report shows, gathered once (pure data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.assessment.insights import Readiness
from bot.assessment.model import ProfileSpec, Questionnaire
from bot.assessment.scoring import Score
from bot.core.ports import AnswerRecord, AssessmentRecord
from bot.core.records import ActionItem


@dataclass(frozen=True, slots=True)
class ReportData:
    """One assessment with its score, the previous score and the reference points.

    ``plan`` holds the owner's open action-plan steps, soonest first (empty when the report
    is made without them).
    """

    questionnaire: Questionnaire
    record: AssessmentRecord
    answers: dict[str, AnswerRecord]
    score: Score
    previous: Score | None
    readiness: Readiness
    generated_at: datetime
    profile_spec: ProfileSpec
    plan: tuple[ActionItem, ...] = ()

    @property
    def codes(self) -> dict[str, str | None]:
        """Answer codes by standard id."""
        return {sid: a.answer for sid, a in self.answers.items()}

    def profile_items(self, locale: str) -> list[tuple[str, str]]:
        """The profile as (field id, shown value), choice options by their labels."""
        order = [f.id for f in self.profile_spec.fields]
        keys = sorted(
            self.record.profile, key=lambda k: (order.index(k) if k in order else len(order), k)
        )
        return [(k, self.profile_spec.shown(k, self.record.profile[k], locale)) for k in keys]
