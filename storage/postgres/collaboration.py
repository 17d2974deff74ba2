"""Action plans, one-time codes and linked accounts in PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from bot.core.events import Address, UserKey
from bot.core.records import ActionItem, OneTimeCode
from bot.errors import DuplicateRecord, StorageError
from storage.postgres.database import Concern, utc, violated

_OWNER = "platform = $1 AND workspace = $2 AND user_id = $3"


class PostgresActionPlans(Concern):
    """The :class:`ActionPlanStore` port."""

    async def add_action(self, item: ActionItem) -> ActionItem:
        """Store an item and return it with its id."""
        k = item.owner
        row = await self._db.one(
            "INSERT INTO action_items (platform, workspace, user_id, chat_id, assessment_id, "
            "standard_id, title, responsible, due_on, created_at, done_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            k.platform,
            k.workspace,
            k.user_id,
            item.address.chat_id,
            item.assessment_id,
            item.standard_id,
            item.title,
            item.responsible,
            item.due_on,
            utc(item.created_at),
            utc(item.done_at) if item.done_at else None,
        )
        if row is None:  # pragma: no cover - RETURNING always gives the row
            raise StorageError("the new action item got no id")
        return dataclasses.replace(item, id=int(row[0]))

    async def list_actions(
        self, owner: UserKey | None = None, *, include_done: bool = False
    ) -> list[ActionItem]:
        """Return open (or all) items by due date and id."""
        query = (
            "SELECT id, platform, workspace, user_id, chat_id, assessment_id, standard_id, title, "
            "responsible, due_on, created_at, done_at FROM action_items "
            "WHERE ($1 OR done_at IS NULL)"
        )
        args: tuple[object, ...] = (include_done,)
        if owner is not None:
            query += " AND platform = $2 AND workspace = $3 AND user_id = $4"
            args += (owner.platform, owner.workspace, owner.user_id)
        rows = await self._db.all(query + " ORDER BY due_on, id", *args)
        return [
            ActionItem(
                id=int(r["id"]),
                owner=UserKey(r["platform"], r["workspace"], r["user_id"]),
                address=Address(r["platform"], r["chat_id"], r["user_id"], r["workspace"] or None),
                assessment_id=int(r["assessment_id"]),
                standard_id=r["standard_id"],
                title=r["title"],
                responsible=r["responsible"],
                due_on=r["due_on"],
                created_at=r["created_at"],
                done_at=r["done_at"],
            )
            for r in rows
        ]

    async def close_action(self, owner: UserKey, item_id: int, at: datetime) -> bool:
        """Mark an open item of the owner done."""
        closed = await self._db.execute(
            f"UPDATE action_items SET done_at = $5 WHERE {_OWNER} AND id = $4 "  # noqa: S608
            "AND done_at IS NULL",
            owner.platform,
            owner.workspace,
            owner.user_id,
            item_id,
            utc(at),
        )
        return closed == 1


class PostgresCodes(Concern):
    """The :class:`CodeStore` port."""

    async def create_code(self, code: OneTimeCode) -> None:
        """Store a new code.

        Raises:
            DuplicateRecord: the code exists already (the stored one stays).

        """
        k = code.owner
        try:
            await self._db.execute(
                "INSERT INTO codes (code, kind, platform, workspace, user_id, assessment_id, "
                "expires_at, used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                code.code,
                code.kind,
                k.platform,
                k.workspace,
                k.user_id,
                code.assessment_id,
                utc(code.expires_at),
                utc(code.used_at) if code.used_at else None,
            )
        except StorageError as exc:
            if violated(exc, "UNIQUE"):
                raise DuplicateRecord("code", code.code) from exc.__cause__
            raise

    async def redeem_code(
        self, code: str, kind: str, now: datetime, redeemer: UserKey
    ) -> OneTimeCode | None:
        """Use a code once, if valid and not the redeemer's own (one UPDATE: one winner)."""
        at = utc(now)
        used = await self._db.execute(
            "UPDATE codes SET used_at = $3 WHERE code = $1 AND kind = $2 AND used_at IS NULL "
            "AND expires_at > $3 AND NOT (platform = $4 AND workspace = $5 AND user_id = $6)",
            code,
            kind,
            at,
            redeemer.platform,
            redeemer.workspace,
            redeemer.user_id,
        )
        used_at: datetime | None = now if used == 1 else None
        row = await self._db.one(
            "SELECT platform, workspace, user_id, assessment_id, expires_at, used_at FROM codes "
            "WHERE code = $1 AND kind = $2",
            code,
            kind,
        )
        if row is None:
            return None
        owner = UserKey(row["platform"], row["workspace"], row["user_id"])
        own_and_valid = owner == redeemer and row["used_at"] is None and row["expires_at"] > at
        if used_at is None and not own_and_valid:
            return None  # used, expired or of another kind
        assessment_id = row["assessment_id"]
        return OneTimeCode(
            code=code,
            kind=kind,
            owner=owner,
            expires_at=row["expires_at"],
            assessment_id=None if assessment_id is None else int(assessment_id),
            used_at=used_at,
        )


class PostgresIdentityLinks(Concern):
    """The :class:`IdentityLinks` port (every worker reads the link from the database)."""

    async def link_identity(self, alias: UserKey, canonical: UserKey, at: datetime) -> None:
        """Make ``alias`` act as ``canonical``."""
        await self._db.execute(
            "INSERT INTO identity_links (platform, workspace, user_id, c_platform, c_workspace, "
            "c_user_id, linked_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
            "ON CONFLICT (platform, workspace, user_id) DO UPDATE SET "
            "c_platform = excluded.c_platform, c_workspace = excluded.c_workspace, "
            "c_user_id = excluded.c_user_id, linked_at = excluded.linked_at",
            alias.platform,
            alias.workspace,
            alias.user_id,
            canonical.platform,
            canonical.workspace,
            canonical.user_id,
            utc(at),
        )

    async def canonical(self, key: UserKey) -> UserKey | None:
        """Return the identity ``key`` acts as."""
        row = await self._db.one(
            f"SELECT c_platform, c_workspace, c_user_id FROM identity_links WHERE {_OWNER}",  # noqa: S608
            key.platform,
            key.workspace,
            key.user_id,
        )
        return None if row is None else UserKey(row[0], row[1], row[2])

    async def unlink_identity(self, alias: UserKey) -> bool:
        """Make ``alias`` act as itself again."""
        removed = await self._db.execute(
            f"DELETE FROM identity_links WHERE {_OWNER}",  # noqa: S608
            alias.platform,
            alias.workspace,
            alias.user_id,
        )
        return removed == 1

    async def list_aliases(self, canonical: UserKey) -> list[UserKey]:
        """Return the accounts linked to ``canonical``, in the order they were linked."""
        rows = await self._db.all(
            "SELECT platform, workspace, user_id FROM identity_links "
            "WHERE c_platform = $1 AND c_workspace = $2 AND c_user_id = $3 "
            "ORDER BY linked_at, platform, workspace, user_id",
            canonical.platform,
            canonical.workspace,
            canonical.user_id,
        )
        return [UserKey(r[0], r[1], r[2]) for r in rows]
