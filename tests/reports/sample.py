"""Report data built directly (no conversation): any number of unmet standards, a plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.assessment.report_data import ReportData
from bot.assessment.scoring import score
from bot.core.ports import AnswerRecord, AssessmentRecord
from bot.core.records import ActionItem
from bot.loader import Content
from tests.helpers import ALICE

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PROFILE = {
    "name": "Klaster Technologii Wodorowych Pomorza Zachodniego",
    "coordinator": "Fundacja Rozwoju Regionu",
    "legal_form": "assoc",
    "sector": "energetyka",
    "members": 45,
    "founded": 2015,
    "region": "zp",
}


def report_data(
    content: Content,
    unmet: int = 3,
    *,
    phase: str = "growth",
    plan_steps: int = 3,
    notes: bool = False,
    unanswered: int = 0,
    name: str | None = None,
) -> ReportData:
    """``unmet`` standards answered "no" (obligatory ones first), the rest "yes"."""
    q = content.questionnaires[0]
    ordered = sorted(q.standards, key=lambda s: (phase not in s.obligatory_in, q.index[s.id]))
    not_met = {s.id for s in ordered[:unmet]}
    missing = {s.id for s in ordered[::-1][:unanswered]} - not_met
    answers = {
        s.id: AnswerRecord(
            s.id,
            "n" if s.id in not_met else "y",
            f"Notatka do {s.id}: omówić na zarządzie klastra w marcu." if notes else "",
            NOW,
        )
        for s in q.standards
        if s.id not in missing
    }
    record = AssessmentRecord(
        id=7,
        owner=ALICE.user_key,
        questionnaire_id=q.id,
        questionnaire_version=q.version,
        status="completed",
        created_at=NOW,
        updated_at=NOW,
        phase=phase,
        profile={**PROFILE, **({"name": name} if name is not None else {})},
        completed_at=NOW,
    )
    plan = tuple(
        ActionItem(
            id=i + 1,
            owner=ALICE.user_key,
            address=ALICE,
            assessment_id=7,
            standard_id=s.id,
            title=s.title.get("pl"),
            responsible="Anna Kowalska",
            due_on=date(2026, 4, 1) + timedelta(days=21 * i),
            created_at=NOW,
        )
        for i, s in enumerate(ordered[: min(plan_steps, max(unmet, 0))])
    )
    return ReportData(
        questionnaire=q,
        record=record,
        answers=answers,
        score=score(q, phase, {sid: a.answer for sid, a in answers.items()}),
        previous=None,
        readiness=content.readiness,
        generated_at=NOW,
        profile_spec=content.profile,
        plan=plan,
    )
