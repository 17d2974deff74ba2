"""How values cross into and out of storage: JSON objects and UTC timestamps."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import JsonValue, TypeAdapter

from bot.core.records import AssessmentRecord, copy_json

_OBJECT = TypeAdapter(dict[str, JsonValue])


def dump_object(data: dict[str, Any]) -> str:
    """Serialise a JSON object compactly; raises ``TypeError`` for non-JSON values."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def load_object(raw: str) -> dict[str, Any]:
    """Parse and validate a stored JSON object."""
    return dict(_OBJECT.validate_json(raw))


def dump_time(moment: datetime) -> str:
    """Serialise an aware datetime as ISO 8601 in UTC (sortable as text)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def load_time(raw: str) -> datetime:
    """Parse a timestamp written by :func:`dump_time`."""
    return datetime.fromisoformat(raw).astimezone(UTC)


def copy_record(
    record: AssessmentRecord,
    profile: dict[str, Any] | None = None,
    baseline: dict[str, str] | None = None,
) -> AssessmentRecord:
    """A copy of a stored assessment record that a reader may change freely.

    ``profile`` and ``baseline``, when given, are used as they are (objects the caller
    already owns) instead of copies of the record's.
    """
    return AssessmentRecord(
        id=record.id,
        owner=record.owner,
        questionnaire_id=record.questionnaire_id,
        questionnaire_version=record.questionnaire_version,
        status=record.status,
        created_at=record.created_at,
        updated_at=record.updated_at,
        phase=record.phase,
        profile=copy_json(record.profile) if profile is None else profile,
        cursor=record.cursor,
        baseline=dict(record.baseline) if baseline is None else baseline,  # flat: str -> str
        completed_at=record.completed_at,
        team_of=record.team_of,
    )
