"""CSV and JSON exports of a self-evaluation's answers, with the questionnaire version."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from bot.assessment.report_data import ReportData

CSV_FIELDS = (
    "questionnaire_id",
    "questionnaire_version",
    "assessment_id",
    "phase",
    "standard_id",
    "area",
    "subarea",
    "title",
    "obligatory",
    "provenance",
    "answer",
    "note",
    "answered_at",
)


def answers_csv(data: ReportData, locale: str) -> bytes:
    """One row per standard (unanswered ones with an empty answer), UTF-8 with BOM for Excel."""
    q, record = data.questionnaire, data.record
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
    writer.writeheader()
    for standard in q.standards:
        area, sub = q.subarea_of[standard.id]
        answer = data.answers.get(standard.id)
        writer.writerow(
            {
                "questionnaire_id": q.id,
                "questionnaire_version": record.questionnaire_version,
                "assessment_id": record.id,
                "phase": record.phase or "",
                "standard_id": standard.id,
                "area": area.title.get(locale),
                "subarea": sub.title.get(locale),
                "title": standard.title.get(locale),
                "obligatory": "yes" if record.phase in standard.obligatory_in else "no",
                "provenance": standard.provenance,
                "answer": answer.answer or "" if answer else "",
                "note": answer.note if answer else "",
                "answered_at": answer.answered_at.isoformat() if answer else "",
            }
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def answers_json(data: ReportData) -> bytes:
    """The assessment, its profile and answers, and the questionnaire version, as JSON."""
    record = data.record
    payload: dict[str, Any] = {
        "questionnaire": {"id": data.questionnaire.id, "version": record.questionnaire_version},
        "assessment": {
            "id": record.id,
            "status": record.status,
            "phase": record.phase,
            "profile": record.profile,
            "created_at": record.created_at.isoformat(),
            "completed_at": record.completed_at.isoformat() if record.completed_at else None,
        },
        "score": {
            "verdict": data.score.verdict,
            "met": data.score.met,
            "total": data.score.total,
            "percent": data.score.percent,
        },
        "answers": [
            {
                "standard_id": sid,
                "answer": answer.answer,
                "note": answer.note,
                "answered_at": answer.answered_at.isoformat(),
            }
            for sid, answer in sorted(
                data.answers.items(), key=lambda item: data.questionnaire.index.get(item[0], 999)
            )
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
