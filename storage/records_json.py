"""Records as JSON-ready dictionaries, for a user's data export."""

from __future__ import annotations

from typing import Any

from bot.core.ports import AnswerRecord, AssessmentRecord
from bot.core.records import ActionItem, Subscription


def record_json(record: AssessmentRecord) -> dict[str, Any]:
    """An assessment record."""
    return {
        "id": record.id,
        "questionnaire_id": record.questionnaire_id,
        "questionnaire_version": record.questionnaire_version,
        "status": record.status,
        "phase": record.phase,
        "profile": record.profile,
        "created_at": record.created_at.isoformat(),
        "completed_at": record.completed_at.isoformat() if record.completed_at else None,
        "team_of": record.team_of,
    }


def answer_json(answer: AnswerRecord) -> dict[str, Any]:
    """One answer."""
    return {
        "standard_id": answer.standard_id,
        "answer": answer.answer,
        "note": answer.note,
        "answered_at": answer.answered_at.isoformat(),
    }


def subscription_json(sub: Subscription) -> dict[str, Any]:
    """One reminder subscription."""
    return {
        "kind": sub.kind,
        "target": sub.target,
        "region": sub.region,
        "created_at": sub.created_at.isoformat(),
    }


def action_json(item: ActionItem) -> dict[str, Any]:
    """One action-plan step."""
    return {
        "standard_id": item.standard_id,
        "title": item.title,
        "responsible": item.responsible,
        "due_on": item.due_on.isoformat(),
        "done_at": item.done_at.isoformat() if item.done_at else None,
    }
