"""Erasing everything stored about a person from PostgreSQL."""

from __future__ import annotations

from bot.core.events import UserKey
from storage.postgres.database import Concern
from storage.schema import OWNED_TABLES

_OWNER = "platform = $1 AND workspace = $2 AND user_id = $3"


class PostgresErasure(Concern):
    """The erasing half of the :class:`PrivacyStore` port (the export reads the ports)."""

    async def delete_user(self, key: UserKey) -> None:
        """Erase everything about ``key`` and the accounts linked to it, in one transaction."""
        who = (key.platform, key.workspace, key.user_id)
        async with self._db.transaction() as tx:
            linked = await tx.all(
                "SELECT platform, workspace, user_id FROM identity_links "
                "WHERE c_platform = $1 AND c_workspace = $2 AND c_user_id = $3",
                *who,
            )
            for k in [who, *[(r[0], r[1], r[2]) for r in linked]]:
                # The answers go with their assessments (ON DELETE CASCADE).
                for table in OWNED_TABLES:
                    await tx.execute(f"DELETE FROM {table} WHERE {_OWNER}", *k)  # noqa: S608
                await tx.execute(
                    "DELETE FROM identity_links "
                    "WHERE c_platform = $1 AND c_workspace = $2 AND c_user_id = $3",
                    *k,
                )
