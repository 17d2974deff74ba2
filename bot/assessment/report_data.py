"""Everything a report shows, gathered once (pure data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.assessment.insights import Readiness
from bot.assessment.model import ProfileSpec, Questionnaire
from bot.assessment.scoring import Score
from bot.core.ports import AnswerRecord, AssessmentRecord


@dataclass(frozen=True, slots=True)
class ReportData:
    """One assessment with its score, the previous score and the reference points."""

    questionnaire: Questionnaire
    record: AssessmentRecord
    answers: dict[str, AnswerRecord]
    score: Score
    previous: Score | None
    readiness: Readiness
    generated_at: datetime
    profile_spec: ProfileSpec

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
        items = []
        for key in keys:
            value = self.record.profile[key]
            field = self.profile_spec.field(key)
            option = field.option(str(value)) if field is not None else None
            items.append((key, option.label.get(locale) if option else str(value)))
        return items
