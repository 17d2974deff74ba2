"""Who hears what about events, and telling them: one message per person, in their language.

The audience of an event is everyone whose subscriptions cover it (the event itself, its
category, everything; a region narrows a subscription); the watchers are those who asked to
hear of each new event; a category's audience is everyone who would hear of an event of that
category anywhere in Poland. A person who holds several matching subscriptions counts once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime

from bot.core.events import Address, Reply
from bot.core.ports import SubscriptionStore, UserStore
from bot.core.records import Event, Subscription

log = logging.getLogger(__name__)

Send = Callable[[Address, Sequence[Reply]], Awaitable[bool]]
#: Replies in one language, written once for everyone who speaks it.
RepliesFor = Callable[[str], list[Reply]]


class Audience:
    """Finds the people who hear about an event, a category, or each new event."""

    def __init__(
        self, subscriptions: SubscriptionStore, users: UserStore, default_locale: str
    ) -> None:
        self._subscriptions = subscriptions
        self._users = users
        self._default_locale = default_locale

    async def of_event(self, event: Event) -> list[Subscription]:
        """One subscription per person whose subscriptions cover ``event``."""
        return one_each(
            s for s in await self._subscriptions.list_subscriptions() if s.matches(event)
        )

    async def of_category(self, category: str, now: datetime) -> list[Subscription]:
        """Everyone who would hear of an event of ``category`` (any region, or nationwide)."""
        return await self.of_event(Event("probe", "", "", now, category))

    async def watchers(self) -> list[Subscription]:
        """Everyone who asked for a message about each new event."""
        subs = await self._subscriptions.list_subscriptions()
        return one_each(s for s in subs if s.kind == "new")

    async def locale_of(self, sub: Subscription) -> str:
        """The person's language (the deployment's default when we do not know them)."""
        user = await self._users.get_user(sub.owner)
        return user.locale if user else self._default_locale


class Notifier:
    """Sends replies to an audience, each person in their language; counts who got them."""

    def __init__(self, audience: Audience, send: Send | None) -> None:
        self._audience = audience
        self._send = send

    async def tell(self, subs: Sequence[Subscription], replies_for: RepliesFor) -> int:
        """Send each person ``replies_for(their language)``; return how many got them.

        A language whose replies cannot be written (a stored event no template can show) is
        logged and skipped: the administrator's change stands, the others still hear.
        """
        if self._send is None:
            return 0
        count = 0
        written: dict[str, list[Reply] | None] = {}
        for sub in subs:
            locale = await self._audience.locale_of(sub)
            if locale not in written:
                try:
                    written[locale] = replies_for(locale)
                except Exception as exc:  # see the docstring
                    log.warning("a notice in %s cannot be written: %s", locale, type(exc).__name__)
                    written[locale] = None
            replies = written[locale]
            if replies is not None and await self._send(sub.address, replies):
                count += 1
        return count


def one_each(subs: Iterable[Subscription]) -> list[Subscription]:
    """One subscription per person (a person may hold several that match), first kept."""
    seen: dict[object, Subscription] = {}
    for sub in subs:
        seen.setdefault(sub.owner, sub)
    return list(seen.values())
