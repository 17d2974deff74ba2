"""In-memory stores: the reference implementation, used by tests; a module per concern.

They give the same answers, ids and errors as ``storage.sqlite`` (the contract tests in
``tests/storage`` hold both to it): values callers may change are copied on every read and
write, times come back in UTC, ids are never reused, and what SQLite's schema refuses is
refused here with the same error.
"""

from __future__ import annotations

from typing import Any

from bot.core.events import UserKey
from storage.export import user_export
from storage.memory.assessments import MemoryAssessments
from storage.memory.collaboration import MemoryActionPlans, MemoryCodes, MemoryIdentityLinks
from storage.memory.feeds import MemoryContentChanges, MemoryFeeds
from storage.memory.people import MemoryPeople
from storage.memory.privacy import MemoryErasure
from storage.memory.reminders import (
    MemoryEvents,
    MemoryLedger,
    MemoryReminderPrefs,
    MemorySubscriptions,
)
from storage.memory.web import MemoryConsents, MemoryOverview, MemoryWebTokens

__all__ = ["MemoryStorage"]


class MemoryStorage(
    MemoryPeople,
    MemoryAssessments,
    MemoryEvents,
    MemorySubscriptions,
    MemoryLedger,
    MemoryReminderPrefs,
    MemoryActionPlans,
    MemoryCodes,
    MemoryIdentityLinks,
    MemoryErasure,
    MemoryFeeds,
    MemoryContentChanges,
    MemoryWebTokens,
    MemoryConsents,
    MemoryOverview,
):
    """Every store in dictionaries: the concerns over one set of tables."""

    async def export_user(self, key: UserKey) -> dict[str, Any]:
        """Return everything stored about ``key`` (the same export as every store)."""
        return await user_export(self, key)

    async def close(self) -> None:
        """Nothing to release."""
