"""Calendar feeds (``CLUSTERBOT_EVENT_FEEDS``): polled hourly, their events kept in step.

Each feed is fetched conditionally (``If-None-Match`` / ``If-Modified-Since``). An event keeps
its identity from the feed's URL and the event's UID, so a later poll updates or cancels the
same event. An event is cancelled when the feed marks it ``STATUS:CANCELLED``, or when a
successful fetch no longer holds it and it has not started yet (feeds drop past events;
those stay as they were). A fetch that fails (an HTTP error, no answer, not a calendar, no
usable event) changes nothing: the feed's events stay, the administrators hear of it once per
failure streak, and the next attempt waits longer each time (1, 2, 4, ... hours, at most a
day). The HTTP client itself lives outside the core, behind :class:`CalendarFetcher`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.core.events import Address, Reply
from bot.core.i18n import Texts
from bot.core.localized import local_moment
from bot.core.markup import escape
from bot.core.ports import CalendarFetcher, Clock, FeedStore, ReminderStore, UserStore
from bot.core.records import Event, FeedState
from bot.reminders.announce import Announcer, moved
from bot.reminders.audience import Send
from bot.reminders.ics import IcsError, from_ics
from bot.reminders.limits import clip

log = logging.getLogger(__name__)

#: How often a working feed is polled.
INTERVAL = timedelta(hours=1)
#: The longest wait between attempts at a failing feed.
MAX_BACKOFF = timedelta(hours=24)
#: Events from feeds land in this category (feeds rarely agree on category names).
CATEGORY = "meeting"


class FeedPollStore(ReminderStore, FeedStore, Protocol):
    """The stores the poller needs: events and the ledger, and each feed's state."""


def feed_event_id(url: str, uid: str) -> str:
    """A stable event id from the feed's URL and the event's UID (short for button payloads)."""
    return (
        "feed-" + hashlib.sha256(f"{url}\n{uid}".encode("utf-8", "surrogatepass")).hexdigest()[:16]
    )


def feed_name(url: str) -> str:
    """The feed as administrators read it: host and path, without a query (it may hold a key)."""
    parts = urlsplit(url)
    return clip(f"{parts.hostname or ''}{parts.path}", 80)


def backoff(
    failures: int, interval: timedelta = INTERVAL, cap: timedelta = MAX_BACKOFF
) -> timedelta:
    """The wait after the ``failures``-th failure in a row: 1, 2, 4, ... intervals, to ``cap``."""
    doubled: timedelta = interval * 2 ** min(max(failures - 1, 0), 16)
    return min(doubled, cap)


class FeedPoller:
    """Polls every configured feed when it is due; :meth:`run` loops, :meth:`poll` is one round."""

    def __init__(
        self,
        urls: Sequence[str],
        fetcher: CalendarFetcher,
        store: FeedPollStore,
        announcer: Announcer,
        *,
        admins: Sequence[Address],
        send: Send,
        users: UserStore,
        texts: Texts,
        tz: ZoneInfo,
        clock: Clock,
        on_change: Callable[[], None],
    ) -> None:
        self._urls = tuple(dict.fromkeys(urls))
        self._fetcher = fetcher
        self._store = store
        self._announcer = announcer
        self._admins = tuple(admins)
        self._send = send
        self._users = users
        self._texts = texts
        self._tz = tz
        self._clock = clock
        self._on_change = on_change

    async def poll(self) -> list[str]:
        """Poll each feed that is due now; return their URLs."""
        now = self._clock.now()
        polled = []
        for url in self._urls:
            state = await self._store.get_feed(url) or FeedState(url)
            if state.next_at is not None and state.next_at > now:
                continue
            polled.append(url)
            try:
                await self._poll_one(state, now)
            except Exception:  # one feed's surprise must not stop the others
                log.exception("calendar feed on %s could not be polled", urlsplit(url).hostname)
                await self._failed(state, now, "broken")
        return polled

    async def seconds_to_next(self) -> float:
        """Seconds until a feed is due (at most one interval)."""
        now = self._clock.now()
        waits = [INTERVAL.total_seconds()]
        for url in self._urls:
            state = await self._store.get_feed(url)
            if state is None or state.next_at is None:
                return 0.0
            waits.append((state.next_at - now).total_seconds())
        return max(0.0, min(waits))

    async def run(self) -> None:
        """Poll forever, sleeping until the next feed is due."""
        while True:
            try:
                await self.poll()
                delay = await self.seconds_to_next()
            except Exception:
                log.exception("the calendar feed loop failed; retrying in a minute")
                delay = 60.0
            await asyncio.sleep(max(delay, 1.0))

    # -- one feed -----------------------------------------------------------------------------

    async def _poll_one(self, state: FeedState, now: datetime) -> None:
        response = await self._fetcher.fetch(state.url, state.etag, state.last_modified)
        if response.problem is not None:
            await self._failed(state, now, response.problem, status=response.status)
            return
        if response.status == 304:
            await self._succeeded(state, now, state.etag, state.last_modified)
            return

        def make_id(uid: str) -> str:
            return feed_event_id(state.url, uid)

        try:
            result = from_ics(response.body, CATEGORY, self._tz.key, now, make_id)
        except IcsError as exc:
            await self._failed(state, now, exc.reason)
            return
        if not result.events:  # an empty answer must not cancel every event of the feed
            await self._failed(state, now, "no_events")
            return
        await self._apply(state.url, result.events, now)
        await self._succeeded(state, now, response.etag, response.last_modified)

    async def _apply(self, url: str, events: list[Event], now: datetime) -> None:
        existing = {e.id: e for e in await self._store.list_admin_events() if e.feed == url}
        fetched = {e.id: dataclasses.replace(e, origin="feed", feed=url) for e in events}
        new: list[Event] = []
        changes: list[tuple[Event, Event]] = []
        gone: list[Event] = []
        saved = 0
        for event_id, event in fetched.items():
            old = existing.get(event_id)
            if old == event:
                continue
            await self._store.save_event(event)
            saved += 1
            if old is None:
                new.append(event)
            elif event.cancelled and not old.cancelled:
                gone.append(event)
            elif moved(old, event):
                changes.append((old, event))
        for event_id, old in existing.items():
            if event_id not in fetched and not old.cancelled and old.starts_at > now:
                cancelled = dataclasses.replace(old, cancelled=True)
                await self._store.save_event(cancelled)
                saved += 1
                gone.append(cancelled)
        if saved:
            self._on_change()  # the reminder loop plans again
        log.info(
            "calendar feed on %s: %d new, %d changed, %d cancelled",
            urlsplit(url).hostname,
            len(new),
            len(changes),
            len(gone),
        )
        await self._announcer.new_events(new, now)
        for old, event in changes:
            if event.starts_at > now:
                await self._announcer.changed(old, event, now)
        for event in gone:
            if event.starts_at > now:
                await self._announcer.cancelled(event, now)

    async def _succeeded(
        self, state: FeedState, now: datetime, etag: str | None, last_modified: str | None
    ) -> None:
        await self._store.save_feed(
            FeedState(state.url, etag, last_modified, ok_at=now, next_at=now + INTERVAL)
        )
        if state.failing_since is not None:
            since = state.failing_since
            await self._tell_admins(
                f"feed-recovered|{state.url}|{since.isoformat()}",
                now,
                "reminders.feeds.recovered",
                url=escape(feed_name(state.url)),
                since=since,
            )

    async def _failed(self, state: FeedState, now: datetime, problem: str, status: int = 0) -> None:
        failures = state.failures + 1
        since = state.failing_since or now
        retry = now + backoff(failures)
        await self._store.save_feed(
            dataclasses.replace(
                state, failures=failures, failing_since=since, problem=problem, next_at=retry
            )
        )
        log.warning(
            "calendar feed on %s failed (%s, %d in a row); next attempt at %s",
            urlsplit(state.url).hostname,
            problem,
            failures,
            retry.isoformat(),
        )
        await self._tell_admins(
            f"feed-failing|{state.url}|{since.isoformat()}",
            now,
            "reminders.feeds.failing",
            url=escape(feed_name(state.url)),
            reason=f"reminders.feeds.reason.{problem}",
            status=status,
            next=retry,
        )

    async def _tell_admins(self, key: str, now: datetime, text_key: str, **params: object) -> None:
        """Send each administrator ``text_key`` once for ``key`` (across restarts)."""
        for address in self._admins:
            owner = address.user_key
            if not await self._store.claim_delivery(f"{key}|{owner}|", now, owner):
                continue
            user = await self._users.get_user(address.user_key)
            locale = user.locale if user else self._texts.default_locale
            values = {name: self._localize(value, locale, params) for name, value in params.items()}
            text = self._texts.get(locale, text_key, **values)
            if not await self._send(address, [Reply(text)]):
                log.warning("an administrator could not be told about a calendar feed")

    def _localize(self, value: object, locale: str, params: dict[str, object]) -> object:
        if isinstance(value, datetime):
            return self._moment(value, locale)
        if isinstance(value, str) and value.startswith("reminders.feeds.reason."):
            known = value if self._texts.has(value) else "reminders.feeds.reason.broken"
            return self._texts.get(locale, known, status=params.get("status", 0))
        return value

    def _moment(self, at: datetime, locale: str) -> str:
        return local_moment(self._texts.translator(locale), at, self._tz)
