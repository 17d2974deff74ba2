"""How values cross into and out of storage: JSON objects and UTC timestamps."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import JsonValue, TypeAdapter

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
