"""Action plans, one-time codes and linked accounts in SQLite."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from bot.core.events import Address, UserKey
from bot.core.records import ActionItem, OneTimeCode
from bot.errors import DuplicateRecord, StorageError
from storage.codec import dump_time, load_time
from storage.sqlite.database import Concern, violated

_OWNER = "platform = ? AND workspace = ? AND user_id = ?"


class SqliteActionPlans(Concern):
    """The :class:`ActionPlanStore` port."""

    async def add_action(self, item: ActionItem) -> ActionItem:
        """Store an item and return it with its id."""
        k = item.owner
        outcome = await self._db.execute(
            "INSERT INTO action_items (platform, workspace, user_id, chat_id, assessment_id, "
            "standard_id, title, responsible, due_on, created_at, done_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                k.platform,
                k.workspace,
                k.user_id,
                item.address.chat_id,
                item.assessment_id,
                item.standard_id,
                item.title,
                item.responsible,
                item.due_on.isoformat(),
                dump_time(item.created_at),
                dump_time(item.done_at) if item.done_at else None,
            ),
        )
        return dataclasses.replace(item, id=int(outcome.lastrowid or 0))

    async def list_actions(
        self, owner: UserKey | None = None, *, include_done: bool = False
    ) -> list[ActionItem]:
        """Return open (or all) items by due date and id."""
        query = (
            "SELECT id, platform, workspace, user_id, chat_id, assessment_id, standard_id, title, "
            "responsible, due_on, created_at, done_at FROM action_items "
            "WHERE (? OR done_at IS NULL)"
        )
        params: tuple[object, ...] = (int(include_done),)
        if owner is not None:
            query += f" AND {_OWNER}"
            params += (owner.platform, owner.workspace, owner.user_id)
        rows = await self._db.all(query + " ORDER BY due_on, id", params)
        return [
            ActionItem(
                id=int(r[0]),
                owner=UserKey(r[1], r[2], r[3]),
                address=Address(r[1], r[4], r[3], r[2] or None),
                assessment_id=int(r[5]),
                standard_id=r[6],
                title=r[7],
                responsible=r[8],
                due_on=date.fromisoformat(r[9]),
                created_at=load_time(r[10]),
                done_at=load_time(r[11]) if r[11] else None,
            )
            for r in rows
        ]

    async def close_action(self, owner: UserKey, item_id: int, at: datetime) -> bool:
        """Mark an open item of the owner done."""
        outcome = await self._db.execute(
            f"UPDATE action_items SET done_at = ? WHERE id = ? AND {_OWNER} "  # noqa: S608
            "AND done_at IS NULL",
            (dump_time(at), item_id, owner.platform, owner.workspace, owner.user_id),
        )
        return outcome.rowcount == 1


class SqliteCodes(Concern):
    """The :class:`CodeStore` port."""

    async def create_code(self, code: OneTimeCode) -> None:
        """Store a new code."""
        k = code.owner
        try:
            await self._db.execute(
                "INSERT INTO codes (code, kind, platform, workspace, user_id, assessment_id, "
                "expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    code.code,
                    code.kind,
                    k.platform,
                    k.workspace,
                    k.user_id,
                    code.assessment_id,
                    dump_time(code.expires_at),
                    dump_time(code.used_at) if code.used_at else None,
                ),
            )
        except StorageError as exc:
            if violated(exc, "UNIQUE"):
                raise DuplicateRecord("code", code.code) from exc.__cause__
            raise

    async def redeem_code(
        self, code: str, kind: str, now: datetime, redeemer: UserKey
    ) -> OneTimeCode | None:
        """Use a code once, if valid and not the redeemer's own (one UPDATE: one winner)."""
        outcome = await self._db.execute(
            "UPDATE codes SET used_at = ? WHERE code = ? AND kind = ? AND used_at IS NULL "
            "AND expires_at > ? AND NOT (platform = ? AND workspace = ? AND user_id = ?)",
            (
                dump_time(now),
                code,
                kind,
                dump_time(now),
                redeemer.platform,
                redeemer.workspace,
                redeemer.user_id,
            ),
        )
        used_at: datetime | None = now if outcome.rowcount == 1 else None
        row = await self._db.one(
            "SELECT platform, workspace, user_id, assessment_id, expires_at, used_at FROM codes "
            "WHERE code = ? AND kind = ?",
            (code, kind),
        )
        if row is None:
            return None
        owner = UserKey(row[0], row[1], row[2])
        own_and_valid = owner == redeemer and row[5] is None and load_time(row[4]) > now
        if used_at is None and not own_and_valid:
            return None  # used, expired or of another kind
        return OneTimeCode(
            code=code,
            kind=kind,
            owner=owner,
            expires_at=load_time(row[4]),
            assessment_id=None if row[3] is None else int(row[3]),
            used_at=used_at,
        )


class SqliteIdentityLinks(Concern):
    """The :class:`IdentityLinks` port (who an account acts as is cached)."""

    async def link_identity(self, alias: UserKey, canonical: UserKey, at: datetime) -> None:
        """Make ``alias`` act as ``canonical``."""
        await self._db.execute(
            "INSERT INTO identity_links (platform, workspace, user_id, c_platform, c_workspace, "
            "c_user_id, linked_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (platform, workspace, user_id) DO UPDATE SET "
            "c_platform = excluded.c_platform, c_workspace = excluded.c_workspace, "
            "c_user_id = excluded.c_user_id, linked_at = excluded.linked_at",
            (
                alias.platform,
                alias.workspace,
                alias.user_id,
                canonical.platform,
                canonical.workspace,
                canonical.user_id,
                dump_time(at),
            ),
        )
        if self._caches.enabled:
            self._caches.links[alias] = canonical

    async def canonical(self, key: UserKey) -> UserKey | None:
        """Return the identity ``key`` acts as."""
        links = self._caches.links
        if key in links:
            return links[key]
        rows = await self._fill(
            f"SELECT c_platform, c_workspace, c_user_id FROM identity_links WHERE {_OWNER}",  # noqa: S608
            (key.platform, key.workspace, key.user_id),
        )
        found = UserKey(*rows[0]) if rows else None
        if self._caches.enabled:
            links[key] = found
        return found

    async def unlink_identity(self, alias: UserKey) -> bool:
        """Make ``alias`` act as itself again."""
        outcome = await self._db.execute(
            f"DELETE FROM identity_links WHERE {_OWNER}",  # noqa: S608
            (alias.platform, alias.workspace, alias.user_id),
        )
        if self._caches.enabled:
            self._caches.links[alias] = None
        return outcome.rowcount == 1

    async def list_aliases(self, canonical: UserKey) -> list[UserKey]:
        """Return the accounts linked to ``canonical``, in the order they were linked."""
        rows = await self._db.all(
            "SELECT platform, workspace, user_id FROM identity_links "
            "WHERE c_platform = ? AND c_workspace = ? AND c_user_id = ? "
            "ORDER BY linked_at, platform, workspace, user_id",
            (canonical.platform, canonical.workspace, canonical.user_id),
        )
        return [UserKey(*row) for row in rows]
