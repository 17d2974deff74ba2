"""The deployment settings the reminders feature and its administrators' flows need."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    """Deployment settings the feature needs."""

    tz: ZoneInfo
    default_offsets: tuple[int, ...]
    admins: frozenset[str]
