"""Events, subscriptions, the delivery ledger and reminder settings in SQLite."""

from __future__ import annotations

import json
from datetime import date, datetime

from bot.core.events import Address, UserKey
from bot.core.records import Event, StatusDate, Subscription
from bot.errors import StorageError
from storage.codec import dump_time, load_time
from storage.sqlite.database import Concern

_OWNER = "platform = ? AND workspace = ? AND user_id = ?"
_NOBODY = ("", "", "")


def _owner(key: UserKey | None) -> tuple[str, str, str]:
    return _NOBODY if key is None else (key.platform, key.workspace, key.user_id)


class SqliteEvents(Concern):
    """The :class:`EventStore` port."""

    async def save_event(self, event: Event) -> None:
        """Insert or replace an event."""
        await self._db.execute(
            "INSERT OR REPLACE INTO events (id, title_pl, title_en, starts_at, ends_at, place, "
            "url, organiser, category, region, cancelled, date_only, feed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event.id,
                event.title_pl,
                event.title_en,
                dump_time(event.starts_at),
                dump_time(event.ends_at) if event.ends_at else None,
                event.place,
                event.url,
                event.organiser,
                event.category,
                event.region,
                int(event.cancelled),
                int(event.date_only),
                event.feed,
            ),
        )

    async def list_admin_events(self) -> list[Event]:
        """Return every stored event by start and id."""
        rows = await self._db.all(
            "SELECT id, title_pl, title_en, starts_at, ends_at, place, url, organiser, category, "
            "region, cancelled, date_only, feed FROM events ORDER BY starts_at, id"
        )
        return [
            Event(
                id=r[0],
                title_pl=r[1],
                title_en=r[2],
                starts_at=load_time(r[3]),
                ends_at=load_time(r[4]) if r[4] else None,
                place=r[5],
                url=r[6],
                organiser=r[7],
                category=r[8],
                region=r[9],
                origin="feed" if r[12] else "admin",
                cancelled=bool(r[10]),
                date_only=bool(r[11]),
                feed=r[12],
            )
            for r in rows
        ]


class SqliteSubscriptions(Concern):
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
        """Subscribe, or return the identical existing subscription."""
        await self._db.execute(
            "INSERT INTO subscriptions (platform, workspace, user_id, chat_id, kind, target, "
            "region, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (*_owner(owner), address.chat_id, kind, target, region or "", dump_time(now)),
        )
        rows = await self._db.all(
            "SELECT id, platform, workspace, user_id, chat_id, kind, target, region, created_at "
            "FROM subscriptions WHERE platform = ? AND workspace = ? AND user_id = ? "
            "AND kind = ? AND target = ? AND region = ?",
            (*_owner(owner), kind, target, region or ""),
        )
        if not rows:  # pragma: no cover - the row was just inserted or found
            raise StorageError("the subscription was not stored")
        return _subscription(rows[0])

    async def list_subscriptions(self, owner: UserKey | None = None) -> list[Subscription]:
        """Return the owner's (or everyone's) subscriptions, oldest first."""
        query = (
            "SELECT id, platform, workspace, user_id, chat_id, kind, target, region, created_at "
            "FROM subscriptions"
        )
        params: tuple[str, ...] = ()
        if owner is not None:
            query += f" WHERE {_OWNER}"
            params = _owner(owner)
        return [_subscription(r) for r in await self._db.all(query + " ORDER BY id", params)]

    async def remove_subscription(self, owner: UserKey, subscription_id: int) -> bool:
        """Remove one of the owner's subscriptions."""
        outcome = await self._db.execute(
            f"DELETE FROM subscriptions WHERE id = ? AND {_OWNER}",  # noqa: S608
            (subscription_id, *_owner(owner)),
        )
        return outcome.rowcount > 0

    async def remove_subscriptions(self, owner: UserKey) -> int:
        """Remove all the owner's subscriptions."""
        outcome = await self._db.execute(
            f"DELETE FROM subscriptions WHERE {_OWNER}",  # noqa: S608
            _owner(owner),
        )
        return outcome.rowcount


class SqliteLedger(Concern):
    """The :class:`DeliveryLedger` port: one row per (key, owner)."""

    async def claim_delivery(self, key: str, at: datetime, owner: UserKey | None = None) -> bool:
        """Claim a delivery; ``False`` when it was claimed before."""
        outcome = await self._db.execute(
            "INSERT INTO delivery_ledger (key, platform, workspace, user_id, delivered_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (key, *_owner(owner), dump_time(at)),
        )
        return outcome.rowcount == 1

    async def release_delivery(self, key: str, owner: UserKey | None = None) -> None:
        """Forget a claim."""
        await self._db.execute(
            f"DELETE FROM delivery_ledger WHERE key = ? AND {_OWNER}",  # noqa: S608
            (key, *_owner(owner)),
        )


class SqliteReminderPrefs(Concern):
    """The :class:`ReminderPrefs` port: offsets, status dates and renewal days."""

    async def get_offsets(self, owner: UserKey) -> tuple[int, ...] | None:
        """Return the owner's offsets or ``None``."""
        row = await self._db.one(
            f"SELECT offsets FROM reminder_settings WHERE {_OWNER}",  # noqa: S608
            _owner(owner),
        )
        return None if row is None else tuple(int(x) for x in json.loads(row[0]))

    async def set_offsets(self, owner: UserKey, offsets: tuple[int, ...] | None) -> None:
        """Store or clear the owner's offsets."""
        if offsets is None:
            await self._db.execute(
                f"DELETE FROM reminder_settings WHERE {_OWNER}",  # noqa: S608
                _owner(owner),
            )
            return
        await self._db.execute(
            "INSERT INTO reminder_settings (platform, workspace, user_id, offsets) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (platform, workspace, user_id) "
            "DO UPDATE SET offsets = excluded.offsets",
            (*_owner(owner), json.dumps(list(offsets))),
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
                f"DELETE FROM status_dates WHERE {_OWNER} AND kind = ?",  # noqa: S608
                (*_owner(owner), kind),
            )
            return
        await self._db.execute(
            "INSERT INTO status_dates (platform, workspace, user_id, chat_id, kind, granted_on, "
            "set_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform, workspace, user_id, kind) "
            "DO UPDATE SET granted_on = excluded.granted_on, chat_id = excluded.chat_id, "
            "set_at = excluded.set_at, renew_on = NULL",
            (
                *_owner(owner),
                address.chat_id,
                kind,
                granted_on.isoformat(),
                dump_time(at) if at else None,
            ),
        )

    async def set_renewal(self, owner: UserKey, kind: str, renew_on: date | None) -> bool:
        """Set or clear the renewal reminder day of a stored status date."""
        outcome = await self._db.execute(
            f"UPDATE status_dates SET renew_on = ? WHERE {_OWNER} AND kind = ?",  # noqa: S608
            (renew_on.isoformat() if renew_on else None, *_owner(owner), kind),
        )
        return outcome.rowcount > 0

    async def list_status_dates(self) -> list[StatusDate]:
        """Return every status date, by owner and kind."""
        rows = await self._db.all(
            "SELECT platform, workspace, user_id, chat_id, kind, granted_on, set_at, renew_on "
            "FROM status_dates ORDER BY platform, workspace, user_id, kind"
        )
        return [
            StatusDate(
                owner=UserKey(r[0], r[1], r[2]),
                address=Address(r[0], r[3], r[2], r[1] or None),
                kind=r[4],
                granted_on=date.fromisoformat(r[5]),
                set_at=load_time(r[6]) if r[6] else None,
                renew_on=date.fromisoformat(r[7]) if r[7] else None,
            )
            for r in rows
        ]


def _subscription(r: tuple[object, ...]) -> Subscription:
    """A ``subscriptions`` row as a record (an empty region is none)."""
    sid, platform, workspace, user_id, chat_id, kind, target, region, created = map(str, r)
    return Subscription(
        id=int(sid),
        owner=UserKey(platform, workspace, user_id),
        address=Address(platform, chat_id, user_id, workspace or None),
        kind=kind,
        target=target,
        region=region or None,
        created_at=load_time(created),
    )
