"""Events, subscriptions, the delivery ledger and reminder settings in PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import asyncpg

from bot.core.events import Address, UserKey
from bot.core.records import Event, StatusDate, Subscription
from bot.errors import StorageError
from storage.postgres.database import Concern, utc

_OWNER = "platform = $1 AND workspace = $2 AND user_id = $3"
_NOBODY = ("", "", "")
_SUBSCRIPTION = "id, platform, workspace, user_id, chat_id, kind, target, region, created_at"
_EVENT_COLUMNS = (
    "id, title_pl, title_en, starts_at, ends_at, place, url, organiser, category, region, "
    "cancelled, date_only, feed"
)


def _owner(key: UserKey | None) -> tuple[str, str, str]:
    return _NOBODY if key is None else (key.platform, key.workspace, key.user_id)


class PostgresEvents(Concern):
    """The :class:`EventStore` port."""

    async def save_event(self, event: Event) -> None:
        """Insert or replace an event."""
        updates = ", ".join(f"{c} = excluded.{c}" for c in _EVENT_COLUMNS.split(", ")[1:])
        await self._db.execute(
            f"INSERT INTO events ({_EVENT_COLUMNS}) "  # noqa: S608 - constant columns
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}",
            event.id,
            event.title_pl,
            event.title_en,
            utc(event.starts_at),
            utc(event.ends_at) if event.ends_at else None,
            event.place,
            event.url,
            event.organiser,
            event.category,
            event.region,
            event.cancelled,
            event.date_only,
            event.feed,
        )

    async def list_admin_events(self) -> list[Event]:
        """Return every stored event by start and id."""
        rows = await self._db.all(
            f"SELECT {_EVENT_COLUMNS} FROM events ORDER BY starts_at, id"  # noqa: S608
        )
        return [
            Event(
                id=r["id"],
                title_pl=r["title_pl"],
                title_en=r["title_en"],
                starts_at=r["starts_at"],
                ends_at=r["ends_at"],
                place=r["place"],
                url=r["url"],
                organiser=r["organiser"],
                category=r["category"],
                region=r["region"],
                origin="feed" if r["feed"] else "admin",
                cancelled=r["cancelled"],
                date_only=r["date_only"],
                feed=r["feed"],
            )
            for r in rows
        ]


class PostgresSubscriptions(Concern):
    """The :class:`SubscriptionStore` port."""

    async def add_subscription(
        self,
        owner: UserKey,
        address: Address,
        kind: str,
        target: str,
        region: str | None,
        now: datetime,
    ) -> Subscription:
        """Subscribe, or return the identical existing subscription.

        An identical one found takes no id: the insert runs only when none is there.
        """
        found = (
            f"SELECT {_SUBSCRIPTION} FROM subscriptions WHERE {_OWNER} "  # noqa: S608
            "AND kind = $4 AND target = $5 AND region = $6"
        )
        rows = await self._db.all(
            f"WITH found AS ({found}), added AS ("  # noqa: S608 - constant SQL
            "INSERT INTO subscriptions (platform, workspace, user_id, kind, target, region, "
            "chat_id, created_at) SELECT $1, $2, $3, $4, $5, $6, $7::text, $8::timestamptz "
            "WHERE NOT EXISTS (SELECT 1 FROM found) ON CONFLICT DO NOTHING "
            f"RETURNING {_SUBSCRIPTION}) SELECT * FROM found UNION ALL SELECT * FROM added",
            *_owner(owner),
            kind,
            target,
            region or "",
            address.chat_id,
            utc(now),
        )
        if not rows:  # another worker inserted it meanwhile: it is there now
            rows = await self._db.all(found, *_owner(owner), kind, target, region or "")
        if not rows:  # pragma: no cover - the row was just inserted or found
            raise StorageError("the subscription was not stored")
        return _subscription(rows[0])

    async def list_subscriptions(self, owner: UserKey | None = None) -> list[Subscription]:
        """Return the owner's (or everyone's) subscriptions, oldest first."""
        query = f"SELECT {_SUBSCRIPTION} FROM subscriptions"  # noqa: S608 - constant columns
        if owner is None:
            rows = await self._db.all(query + " ORDER BY id")
        else:
            rows = await self._db.all(f"{query} WHERE {_OWNER} ORDER BY id", *_owner(owner))
        return [_subscription(r) for r in rows]

    async def remove_subscription(self, owner: UserKey, subscription_id: int) -> bool:
        """Remove one of the owner's subscriptions."""
        removed = await self._db.execute(
            f"DELETE FROM subscriptions WHERE {_OWNER} AND id = $4",  # noqa: S608
            *_owner(owner),
            subscription_id,
        )
        return removed > 0

    async def remove_subscriptions(self, owner: UserKey) -> int:
        """Remove all the owner's subscriptions; return how many."""
        return await self._db.execute(
            f"DELETE FROM subscriptions WHERE {_OWNER}",  # noqa: S608
            *_owner(owner),
        )


class PostgresLedger(Concern):
    """The :class:`DeliveryLedger` port: one row per (key, owner), whichever worker claims."""

    async def claim_delivery(self, key: str, at: datetime, owner: UserKey | None = None) -> bool:
        """Claim a delivery; ``False`` when it was claimed before (by any worker)."""
        claimed = await self._db.execute(
            "INSERT INTO delivery_ledger (platform, workspace, user_id, key, delivered_at) "
            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            *_owner(owner),
            key,
            utc(at),
        )
        return claimed == 1

    async def release_delivery(self, key: str, owner: UserKey | None = None) -> None:
        """Forget a claim."""
        await self._db.execute(
            f"DELETE FROM delivery_ledger WHERE {_OWNER} AND key = $4",  # noqa: S608
            *_owner(owner),
            key,
        )


class PostgresReminderPrefs(Concern):
    """The :class:`ReminderPrefs` port: offsets, status dates and renewal days."""

    async def get_offsets(self, owner: UserKey) -> tuple[int, ...] | None:
        """Return the owner's offsets or ``None``."""
        row = await self._db.one(
            f"SELECT offsets FROM reminder_settings WHERE {_OWNER}",  # noqa: S608
            *_owner(owner),
        )
        return None if row is None else tuple(int(x) for x in row[0])

    async def set_offsets(self, owner: UserKey, offsets: tuple[int, ...] | None) -> None:
        """Store or clear the owner's offsets."""
        if offsets is None:
            await self._db.execute(
                f"DELETE FROM reminder_settings WHERE {_OWNER}",  # noqa: S608
                *_owner(owner),
            )
            return
        await self._db.execute(
            "INSERT INTO reminder_settings (platform, workspace, user_id, offsets) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (platform, workspace, user_id) "
            "DO UPDATE SET offsets = excluded.offsets",
            *_owner(owner),
            list(offsets),
        )

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
            await self._db.execute(
                f"DELETE FROM status_dates WHERE {_OWNER} AND kind = $4",  # noqa: S608
                *_owner(owner),
                kind,
            )
            return
        await self._db.execute(
            "INSERT INTO status_dates (platform, workspace, user_id, kind, chat_id, granted_on, "
            "set_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
            "ON CONFLICT (platform, workspace, user_id, kind) "
            "DO UPDATE SET granted_on = excluded.granted_on, chat_id = excluded.chat_id, "
            "set_at = excluded.set_at, renew_on = NULL",
            *_owner(owner),
            kind,
            address.chat_id,
            granted_on,
            utc(at) if at else None,
        )

    async def set_renewal(self, owner: UserKey, kind: str, renew_on: date | None) -> bool:
        """Set or clear the renewal reminder day of a stored status date."""
        updated = await self._db.execute(
            f"UPDATE status_dates SET renew_on = $5 WHERE {_OWNER} AND kind = $4",  # noqa: S608
            *_owner(owner),
            kind,
            renew_on,
        )
        return updated > 0

    async def list_status_dates(self) -> list[StatusDate]:
        """Return every status date, by owner and kind."""
        rows = await self._db.all(
            "SELECT platform, workspace, user_id, chat_id, kind, granted_on, set_at, renew_on "
            "FROM status_dates ORDER BY platform, workspace, user_id, kind"
        )
        return [
            StatusDate(
                owner=UserKey(r["platform"], r["workspace"], r["user_id"]),
                address=Address(r["platform"], r["chat_id"], r["user_id"], r["workspace"] or None),
                kind=r["kind"],
                granted_on=r["granted_on"],
                set_at=r["set_at"],
                renew_on=r["renew_on"],
            )
            for r in rows
        ]


def _subscription(r: asyncpg.Record) -> Subscription:
    """A ``subscriptions`` row as a record (an empty region is none)."""
    return Subscription(
        id=int(r["id"]),
        owner=UserKey(r["platform"], r["workspace"], r["user_id"]),
        address=Address(r["platform"], r["chat_id"], r["user_id"], r["workspace"] or None),
        kind=r["kind"],
        target=r["target"],
        region=r["region"] or None,
        created_at=r["created_at"],
    )
