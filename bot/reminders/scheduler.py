"""The delivery loop: one task that sleeps until the next reminder is due.

It wakes early when the schedule changes (an event added, moved or cancelled, a new
subscription), and at least hourly, when it also runs its periodic jobs (the weekly review
digest). A ledger in the store makes each (event time, subscriber, offset) go out
once, across restarts; after downtime, reminders that fell due are sent at start-up if the
event has not started yet, and dropped if it has.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from bot.core.events import Address
from bot.core.ports import Clock, ReminderStore
from bot.core.records import Event
from bot.errors import DeliveryError, RecipientUnavailable
from bot.reminders.catalog import EventCatalog
from bot.reminders.schedule import Reminder, plan, split_due

log = logging.getLogger(__name__)

Deliver = Callable[[Reminder, Event], Awaitable[None]]
#: Work the loop does at every wake-up (at least hourly), e.g. the weekly review digest;
#: it keeps its own once-only rules.
Job = Callable[[datetime], Awaitable[object]]
OnUnreachable = Callable[[Address], Awaitable[None]]


class ReminderScheduler:
    """Plans reminders from the catalog and the store, and sends the due ones."""

    def __init__(
        self,
        catalog: EventCatalog,
        store: ReminderStore,
        deliver: Deliver,
        clock: Clock,
        default_offsets: tuple[int, ...],
        on_unreachable: OnUnreachable | None = None,
        idle_seconds: float = 3600.0,
        jobs: Sequence[Job] = (),
    ) -> None:
        self._catalog = catalog
        self._store = store
        self._deliver = deliver
        self._clock = clock
        self._defaults = default_offsets
        self._on_unreachable = on_unreachable
        self._idle = idle_seconds
        self._jobs = tuple(jobs)
        self._changed = asyncio.Event()
        self._plan: list[Reminder] | None = None
        self._events: dict[str, Event] = {}

    def wake(self) -> None:
        """Note that the schedule changed: replan before the next sleep."""
        self._plan = None
        self._changed.set()

    async def planned(self) -> list[Reminder]:
        """Every reminder still to come, earliest first (computed when the schedule changed)."""
        if self._plan is None:
            now = self._clock.now()
            events = await self._catalog.events()
            subscriptions = await self._store.list_subscriptions()
            owners = {s.owner for s in subscriptions}
            offsets = {}
            for owner in owners:
                mine = await self._store.get_offsets(owner)
                if mine is not None:
                    offsets[owner] = mine
            tz = self._catalog.tz
            reminders = plan(events, subscriptions, offsets, self._defaults, tz, now)
            known = {e.id: e for e in events}
            for group_events, group_subs, group_offsets in await self._catalog.personal():
                personal = plan(group_events, group_subs, {}, group_offsets, tz, now)
                if personal:
                    reminders = sorted([*reminders, *personal], key=lambda r: r.due_at)
                known.update((e.id, e) for e in group_events)
            self._events = known
            self._plan = reminders
        return self._plan

    async def tick(self) -> int:
        """Send every reminder due now; return how many were sent."""
        now = self._clock.now()
        planned = await self.planned()
        due, _ = split_due(planned, now)
        sent = 0
        for reminder in due:
            event = self._events.get(reminder.event_id)
            if event is None or event.cancelled or event.starts_at <= now:
                continue  # the event started or was cancelled meanwhile: drop it
            if not await self._store.claim_delivery(reminder.key, now, reminder.owner):
                continue  # already sent, maybe before a restart
            try:
                await self._deliver(reminder, event)
                sent += 1
                if sent % 100 == 0:
                    await asyncio.sleep(0)  # let conversations run between batches
            except RecipientUnavailable:
                log.info("reminder recipient %s is unreachable; unsubscribing", reminder.owner)
                await self._store.remove_subscriptions(reminder.owner)
                if self._on_unreachable is not None:
                    await self._on_unreachable(reminder.address)
                self._plan = None
            except DeliveryError as exc:
                log.warning("reminder to %s failed, will retry: %s", reminder.owner, exc)
                await self._store.release_delivery(reminder.key, reminder.owner)
            except Exception as exc:  # e.g. a stored event no text can show: skip it, go on
                log.warning(
                    "reminder for event %s cannot be sent; skipped: %s",
                    reminder.event_id,
                    type(exc).__name__,
                )
        if self._plan is not None:
            self._plan = [r for r in self._plan if r.due_at > now]
        for job in self._jobs:
            try:
                await job(now)
            except Exception:  # one job's failure must not stop the reminders
                log.exception("a periodic job of the reminder loop failed")
        return sent

    async def seconds_to_next(self) -> float:
        """Seconds until the next reminder is due (capped at the idle interval)."""
        planned = await self.planned()
        now = self._clock.now()
        upcoming = next((r.due_at for r in planned if r.due_at > now), None)
        if upcoming is None:
            return self._idle
        return max(0.0, min(self._idle, (upcoming - now).total_seconds()))

    async def run(self) -> None:
        """Loop forever: send what is due, then sleep until the next one or a change."""
        while True:
            # Cleared before the work: a change during it makes the wait return at once.
            self._changed.clear()
            try:
                await self.tick()
                delay = await self.seconds_to_next()
            except Exception:
                log.exception("the reminder loop failed; retrying in a minute")
                self._plan = None
                delay = 60.0
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=delay)
