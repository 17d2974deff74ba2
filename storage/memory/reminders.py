"""Events, subscriptions, the delivery ledger and reminder settings in memory."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from bot.core.events import Address, UserKey
from bot.core.records import Event, StatusDate, Subscription
from storage.memory.tables import (
    NOBODY,
    STATUS_KINDS,
    SUBSCRIPTION_KINDS,
    Tables,
    owner_columns,
    require,
    utc,
)


def _address(owner: UserKey, address: Address) -> Address:
    """What is kept of an address: the chat, on the owner's platform (as SQLite keeps it)."""
    return Address(owner.platform, address.chat_id, owner.user_id, owner.workspace or None)


class MemoryEvents(Tables):
    """The :class:`EventStore` port."""

    async def save_event(self, event: Event) -> None:
        """Insert or replace an event (its origin is read back from its feed)."""
        self._events[event.id] = dataclasses.replace(
            event,
            origin="feed" if event.feed else "admin",
            starts_at=utc(event.starts_at),
            ends_at=None if event.ends_at is None else utc(event.ends_at),
        )

    async def list_admin_events(self) -> list[Event]:
        """Return every stored event by start and id."""
        return sorted(self._events.values(), key=lambda e: (e.starts_at, e.id))


class MemorySubscriptions(Tables):
    """The :class:`SubscriptionStore` port; a duplicate is found by an index, not a scan."""

    async def add_subscription(
        self,
        owner: UserKey,
        address: Address,
        kind: str,
        target: str,
        region: str | None,
        now: datetime,
    ) -> Subscription:
        """Subscribe, or return the identical existing subscription."""
        require("kind", kind, SUBSCRIPTION_KINDS)
        same = (owner, kind, target, region or None)
        existing = self._subscription_ids.get(same)
        if existing is not None:
            return self._subscriptions[existing]
        sub = Subscription(
            self._next_id("subscriptions"),
            owner,
            _address(owner, address),
            kind,
            target,
            region or None,
            utc(now),
        )
        self._subscriptions[sub.id] = sub
        self._subscription_ids[same] = sub.id
        return sub

    async def list_subscriptions(self, owner: UserKey | None = None) -> list[Subscription]:
        """Return the owner's (or everyone's) subscriptions, oldest first."""
        # Ids only grow and a dict keeps insertion order: its values are oldest first.
        return [s for s in self._subscriptions.values() if owner is None or s.owner == owner]

    async def remove_subscription(self, owner: UserKey, subscription_id: int) -> bool:
        """Remove one of the owner's subscriptions."""
        sub = self._subscriptions.get(subscription_id)
        if sub is None or sub.owner != owner:
            return False
        self._drop_subscription(sub)
        return True

    async def remove_subscriptions(self, owner: UserKey) -> int:
        """Remove all the owner's subscriptions."""
        mine = [s for s in self._subscriptions.values() if s.owner == owner]
        for sub in mine:
            self._drop_subscription(sub)
        return len(mine)

    def _drop_subscription(self, sub: Subscription) -> None:
        del self._subscriptions[sub.id]
        del self._subscription_ids[(sub.owner, sub.kind, sub.target, sub.region)]


class MemoryLedger(Tables):
    """The :class:`DeliveryLedger` port: one entry per (key, owner)."""

    async def claim_delivery(self, key: str, at: datetime, owner: UserKey | None = None) -> bool:
        """Claim a delivery; ``False`` when it was claimed before."""
        # Inlined owner_columns(): this runs once for every reminder sent.
        entry = (key, NOBODY if owner is None else (owner.platform, owner.workspace, owner.user_id))
        if entry in self._ledger:
            return False
        self._ledger[entry] = at  # never read back: no conversion
        return True

    async def release_delivery(self, key: str, owner: UserKey | None = None) -> None:
        """Forget a claim."""
        self._ledger.pop((key, owner_columns(owner)), None)


class MemoryReminderPrefs(Tables):
    """The :class:`ReminderPrefs` port."""

    async def get_offsets(self, owner: UserKey) -> tuple[int, ...] | None:
        """Return the owner's offsets or ``None``."""
        return self._offsets.get(owner)

    async def set_offsets(self, owner: UserKey, offsets: tuple[int, ...] | None) -> None:
        """Store or clear the owner's offsets."""
        if offsets is None:
            self._offsets.pop(owner, None)
        else:
            self._offsets[owner] = tuple(int(x) for x in offsets)

    async def set_status_date(
        self,
        owner: UserKey,
        address: Address,
        kind: str,
        granted_on: date | None,
        at: datetime | None = None,
    ) -> None:
        """Store or forget a status date (a new date clears the renewal reminder)."""
        if granted_on is None:
            self._status.pop((owner, kind), None)
            return
        require("kind", kind, STATUS_KINDS)
        self._status[(owner, kind)] = StatusDate(
            owner, _address(owner, address), kind, granted_on, None if at is None else utc(at)
        )

    async def set_renewal(self, owner: UserKey, kind: str, renew_on: date | None) -> bool:
        """Set or clear the renewal reminder day of a stored status date."""
        status = self._status.get((owner, kind))
        if status is None:
            return False
        self._status[(owner, kind)] = dataclasses.replace(status, renew_on=renew_on)
        return True

    async def list_status_dates(self) -> list[StatusDate]:
        """Return every status date, by owner and kind."""
        return sorted(
            self._status.values(),
            key=lambda s: (s.owner.platform, s.owner.workspace, s.owner.user_id, s.kind),
        )
