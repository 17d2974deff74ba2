"""Every event the assistant knows: content, admins' events, call deadlines, status expiry."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.core.i18n import Texts
from bot.core.ports import ReminderStore
from bot.core.records import Event, StatusDate, Subscription

PersonalSource = Callable[[], Awaitable[tuple[list[Event], list[Subscription]]]]

#: Validity of a status in years: KKK 3 years; a first ESCA Bronze label 2 years; a Bronze
#: label renewed within a year after it expired, 3 more years (cluster-analysis.org).
VALIDITY_YEARS = {"kkk": 3, "esca": 2, "esca_renewed": 3}
#: The statuses a user can record, in the order their buttons are shown.
STATUS_KINDS = tuple(VALIDITY_YEARS)
#: Expiry reminders: about 6 months and 1 month before.
EXPIRY_OFFSETS = (183 * 1440, 30 * 1440)
#: A renewal reminder is due at 09:00 on its day: its event ends the day (23:59), 14 h 59 min
#: later, so it still goes out after a morning restart.
RENEWAL_AT = time(23, 59)
RENEWAL_OFFSETS = (14 * 60 + 59,)


def expiry_date(granted_on: date, kind: str) -> date:
    """Return the day a status granted on ``granted_on`` expires."""
    years = VALIDITY_YEARS[kind]
    try:
        return granted_on.replace(year=granted_on.year + years)
    except ValueError:  # 29 February
        return granted_on.replace(year=granted_on.year + years, day=28)


def expiry_event_id(status: StatusDate, what: str = "expiry") -> str:
    """Return a stable, opaque event id for one user's status expiry (or its renewal)."""
    digest = hashlib.sha256(f"{status.owner}|{status.kind}".encode()).hexdigest()[:12]
    return f"{what}-{status.kind}-{digest}"


def renewal_deadline(granted_on: date, kind: str) -> date | None:
    """The last day to renew an expired ESCA label (a year after expiry); ``None`` for KKK.

    A KKK status is not renewed but won again in the ministry's next call.
    """
    if kind == "kkk":
        return None
    expired = expiry_date(granted_on, kind)
    try:
        return expired.replace(year=expired.year + 1)
    except ValueError:  # 29 February
        return expired.replace(year=expired.year + 1, day=28)


class EventCatalog:
    """Merges the event sources; admin events override content events with the same id."""

    def __init__(
        self,
        fixed: Sequence[Event],
        store: ReminderStore,
        texts: Texts,
        tz: ZoneInfo,
        personal: Sequence[tuple[PersonalSource, tuple[int, ...]]] = (),
    ) -> None:
        self._fixed = tuple(fixed)
        self._personal = tuple(personal)
        self._store = store
        self._texts = texts
        self.tz = tz

    async def events(self) -> list[Event]:
        """Every public event (content, call deadlines, admin events), by start time."""
        merged = {e.id: e for e in self._fixed}
        for event in await self._store.list_admin_events():
            merged[event.id] = event
        return sorted(merged.values(), key=lambda e: (e.starts_at, e.id))

    async def get(self, event_id: str) -> Event | None:
        """Return one public event, or ``None``."""
        return next((e for e in await self.events() if e.id == event_id), None)

    async def personal(self) -> list[tuple[list[Event], list[Subscription], tuple[int, ...]]]:
        """Per-user events with their implicit subscriptions and fixed offsets."""
        expiry_events, expiry_subs = await self.expiries()
        renewal_events, renewal_subs = await self.renewals()
        groups: list[tuple[list[Event], list[Subscription], tuple[int, ...]]] = [
            (expiry_events, expiry_subs, EXPIRY_OFFSETS),
            (renewal_events, renewal_subs, RENEWAL_OFFSETS),
        ]
        for source, offsets in self._personal:
            events, subs = await source()
            groups.append((events, subs, offsets))
        return groups

    async def expiries(self) -> tuple[list[Event], list[Subscription]]:
        """Per-user status-expiry events with the implicit subscriptions that deliver them."""
        events: list[Event] = []
        subs: list[Subscription] = []
        for n, status in enumerate(await self._store.list_status_dates(), start=1):
            day = expiry_date(status.granted_on, status.kind)
            event = self._status_event(status, "expiry", day, time(0, 0))
            events.append(event)
            # Reminders already due when the user gave the date are not sent (nor promised).
            since = status.set_at or datetime.min.replace(tzinfo=self.tz)
            subs.append(
                Subscription(-n, status.owner, status.address, "event", event.id, None, since)
            )
        return events, subs

    async def renewals(self) -> tuple[list[Event], list[Subscription]]:
        """Per-user renewal reminders (asked for after a status expired), one on its day."""
        events: list[Event] = []
        subs: list[Subscription] = []
        for n, status in enumerate(await self._store.list_status_dates(), start=1):
            if status.renew_on is None:
                continue
            event = self._status_event(status, "renewal", status.renew_on, RENEWAL_AT)
            events.append(event)
            since = datetime.min.replace(tzinfo=self.tz)
            subs.append(
                Subscription(-n, status.owner, status.address, "event", event.id, None, since)
            )
        return events, subs

    def _status_event(self, status: StatusDate, what: str, day: date, at: time) -> Event:
        key = f"reminders.{what}.{status.kind}"
        starts = datetime.combine(day, at, tzinfo=self.tz)
        return Event(
            id=expiry_event_id(status, what),
            title_pl=self._texts.get("pl", key),
            title_en=self._texts.get("en", key),
            starts_at=starts.astimezone(ZoneInfo("UTC")),
            category=f"status_{what}",
            origin="status",
            date_only=True,
        )
