"""Action plans, one-time codes and linked accounts in memory."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from bot.core.events import Address, UserKey
from bot.core.records import ActionItem, OneTimeCode
from bot.errors import DuplicateRecord
from storage.memory.tables import CODE_KINDS, Link, Tables, require, utc


class MemoryActionPlans(Tables):
    """The :class:`ActionPlanStore` port."""

    async def add_action(self, item: ActionItem) -> ActionItem:
        """Store an item with a new id and return it."""
        added = dataclasses.replace(item, id=self._next_id("action_items"))
        k = item.owner
        self._actions[added.id] = dataclasses.replace(
            added,
            address=Address(k.platform, item.address.chat_id, k.user_id, k.workspace or None),
            created_at=utc(item.created_at),
            done_at=None if item.done_at is None else utc(item.done_at),
        )
        return added

    async def list_actions(
        self, owner: UserKey | None = None, *, include_done: bool = False
    ) -> list[ActionItem]:
        """Return open (or all) items by due date and id."""
        items = [
            a
            for a in self._actions.values()
            if (include_done or a.done_at is None) and (owner is None or a.owner == owner)
        ]
        return sorted(items, key=lambda a: (a.due_on, a.id))

    async def close_action(self, owner: UserKey, item_id: int, at: datetime) -> bool:
        """Mark an open item of the owner done."""
        item = self._actions.get(item_id)
        if item is None or item.owner != owner or item.done_at is not None:
            return False
        self._actions[item_id] = dataclasses.replace(item, done_at=utc(at))
        return True


class MemoryCodes(Tables):
    """The :class:`CodeStore` port."""

    async def create_code(self, code: OneTimeCode) -> None:
        """Store a new code."""
        if code.code in self._codes:
            raise DuplicateRecord("code", code.code)
        require("kind", code.kind, CODE_KINDS)
        self._codes[code.code] = dataclasses.replace(
            code,
            expires_at=utc(code.expires_at),
            used_at=None if code.used_at is None else utc(code.used_at),
        )

    async def redeem_code(
        self, code: str, kind: str, now: datetime, redeemer: UserKey
    ) -> OneTimeCode | None:
        """Use a code once, if it is valid and not the redeemer's own."""
        found = self._codes.get(code)
        if (
            found is None
            or found.kind != kind
            or found.used_at is not None
            or found.expires_at <= now
        ):
            return None
        if found.owner == redeemer:
            return found
        used = dataclasses.replace(found, used_at=now)
        self._codes[code] = dataclasses.replace(found, used_at=utc(now))
        return used


class MemoryIdentityLinks(Tables):
    """The :class:`IdentityLinks` port."""

    async def link_identity(self, alias: UserKey, canonical: UserKey, at: datetime) -> None:
        """Make ``alias`` act as ``canonical``."""
        self._links[alias] = Link(canonical, utc(at))

    async def canonical(self, key: UserKey) -> UserKey | None:
        """Return the identity ``key`` acts as."""
        link = self._links.get(key)
        return None if link is None else link.canonical

    async def unlink_identity(self, alias: UserKey) -> bool:
        """Make ``alias`` act as itself again."""
        return self._links.pop(alias, None) is not None

    async def list_aliases(self, canonical: UserKey) -> list[UserKey]:
        """Return the accounts linked to ``canonical``, in the order they were linked."""
        ordered = sorted(
            (link.linked_at, alias.platform, alias.workspace, alias.user_id)
            for alias, link in self._links.items()
            if link.canonical == canonical
        )
        return [UserKey(p, w, u) for _, p, w, u in ordered]
