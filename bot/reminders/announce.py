"""Messages about events sent outside a request: new events, changed times, cancellations.

Each message is claimed in the delivery ledger before it is sent, under a key naming the
event, the change and the person, so a poll repeated after a restart tells nobody twice.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.events import Button, Reply
from bot.core.i18n import Texts
from bot.core.ports import DeliveryLedger
from bot.core.records import Event, Subscription
from bot.reminders import render
from bot.reminders.audience import Audience, Send
from bot.reminders.limits import each_shown
from bot.reminders.render import PREFIX, cancelled_notice, event_card, moved_notice

log = logging.getLogger(__name__)

#: Up to this many new events at once get a message each; more, one message listing them.
MAX_CARDS = 3


def fingerprint(event: Event) -> str:
    """What a subscriber would notice changing: the time, whether only a date, the place."""
    seen = f"{event.starts_at.isoformat()}|{event.date_only}|{event.place}|{event.cancelled}"
    return hashlib.sha256(seen.encode()).hexdigest()[:10]


def moved(old: Event, new: Event) -> bool:
    """Whether a subscriber must hear of the change (time, place, or back from cancelled)."""
    return fingerprint(old) != fingerprint(new) and not new.cancelled


class Announcer:
    """Tells subscribers about events: new ones to the watchers, changes to the subscribed."""

    def __init__(
        self, ledger: DeliveryLedger, audience: Audience, texts: Texts, tz: ZoneInfo, send: Send
    ) -> None:
        self._ledger = ledger
        self._audience = audience
        self._texts = texts
        self._tz = tz
        self._send = send

    async def new_events(self, events: Sequence[Event], now: datetime) -> int:
        """Tell everyone watching for new events about the upcoming ones; return how many."""
        fresh = [e for e in events if not e.cancelled and e.starts_at > now]
        if not fresh:
            return 0
        told = 0
        for sub in await self._audience.watchers():
            unseen = [e for e in fresh if await self._claim(f"new|{e.id}", sub, now)]
            if not unseen:
                continue
            locale = await self._audience.locale_of(sub)
            if await self._send(sub.address, self._new_replies(locale, unseen)):
                told += 1
        return told

    def _new_replies(self, locale: str, events: list[Event]) -> list[Reply]:
        def t(key: str, **params: object) -> str:
            return self._texts.get(locale, key, **params)

        if len(events) <= MAX_CARDS:
            cards = each_shown(events, lambda e: event_card(t, locale, e, self._tz))
            head = t("reminders.new_event") if len(cards) == 1 else ""
            head = head or t("reminders.new_events", count=len(cards))
            return [Reply(head), *cards]

        def line(event: Event) -> str:
            when = render.when(event, t, self._tz)
            return t("reminders.new_event_line", when=when, title=render.title(event, locale))

        lines = [t("reminders.new_events", count=len(events)), *each_shown(events, line)]
        button = (Button(t("reminders.button.show_events"), f"{PREFIX}:list"),)
        return [Reply("\n".join(lines), buttons=(button,))]

    async def changed(self, old: Event, new: Event, now: datetime) -> int:
        """Tell the event's subscribers its new time or place (once per change)."""
        key = f"moved|{new.id}|{fingerprint(old)}>{fingerprint(new)}"

        def notice(locale: str) -> list[Reply]:
            return [moved_notice(self._texts, locale, new, self._tz)]

        return await self._tell_subscribers(new, key, notice, now)

    async def cancelled(self, event: Event, now: datetime) -> int:
        """Tell the event's subscribers it was cancelled (once)."""

        def notice(locale: str) -> list[Reply]:
            return [cancelled_notice(self._texts, locale, event, self._tz)]

        return await self._tell_subscribers(event, f"cancelled|{event.id}", notice, now)

    async def _tell_subscribers(
        self, event: Event, key: str, replies_for: Callable[[str], list[Reply]], now: datetime
    ) -> int:
        told = 0
        for sub in await self._audience.of_event(event):
            if not await self._claim(key, sub, now):
                continue
            try:
                replies = replies_for(await self._audience.locale_of(sub))
            except Exception as exc:  # an event no text can show: tell nobody, go on
                log.warning("a notice about event %s cannot be written: %s", event.id, exc)
                return told
            if await self._send(sub.address, replies):
                told += 1
        return told

    async def _claim(self, key: str, sub: Subscription, now: datetime) -> bool:
        # The owner column lets erasing a person's data find the row; the key stays as before.
        return await self._ledger.claim_delivery(f"{key}|{sub.owner}|", now, owner=sub.owner)
