"""Erasing everything stored about a person from SQLite."""

from __future__ import annotations

from bot.core.events import UserKey
from storage.schema import OWNED_TABLES
from storage.sqlite.database import Concern
from storage.writer import Statement

_OWNER = "platform = ? AND workspace = ? AND user_id = ?"


class SqliteErasure(Concern):
    """The erasing half of the :class:`PrivacyStore` port (the export reads the ports)."""

    async def delete_user(self, key: UserKey) -> None:
        """Erase everything about ``key`` and the accounts linked to it, in one transaction."""
        who = (key.platform, key.workspace, key.user_id)
        linked = await self._db.all(
            "SELECT platform, workspace, user_id FROM identity_links "
            "WHERE c_platform = ? AND c_workspace = ? AND c_user_id = ?",
            who,
        )
        unit: list[Statement] = []
        for k in [who, *[tuple(r) for r in linked]]:
            unit.append(
                (
                    "DELETE FROM answers WHERE assessment_id IN "  # noqa: S608 - constant SQL
                    f"(SELECT id FROM assessments WHERE {_OWNER})",
                    k,
                )
            )
            unit += [(f"DELETE FROM {table} WHERE {_OWNER}", k) for table in OWNED_TABLES]  # noqa: S608
            unit.append(
                (
                    "DELETE FROM identity_links WHERE c_platform = ? AND c_workspace = ? "
                    "AND c_user_id = ?",
                    k,
                )
            )
        await self._db.write(unit)
        self._caches.clear()  # rare: simpler to start cold than to trace every linked row
