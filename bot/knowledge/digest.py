"""The administrators' weekly digest of cards due for review.

From Monday 09:00 (local time) each administrator gets, once per ISO week, a message listing
the cards whose ``review_by`` has come, each with a button that opens it, and how many facts
may have gone stale. "Once" holds across restarts: the delivery ledger records the week and
the administrator before anything is sent. A week with nothing due sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.events import Address, Button, Reply, button_label
from bot.core.i18n import Texts
from bot.core.localized import local_date
from bot.core.ports import ReminderStore, UserStore
from bot.knowledge.answer import PREFIX
from bot.knowledge.freshness import due_cards, due_items
from bot.knowledge.model import Card

log = logging.getLogger(__name__)

Send = Callable[[Address, Sequence[Reply]], Awaitable[bool]]
#: When in the week the digest goes out (it goes out later in the week if the bot was down).
SEND_AT = time(9, 0)
#: How many cards get a button (Telegram keyboards and Slack blocks stay readable).
MAX_BUTTONS = 10


def admin_address(account: str) -> Address:
    """The private chat of an account listed in ``CLUSTERBOT_ADMINS``.

    ``platform:user`` or ``slack:workspace:user``; an empty chat means the private one.
    """
    parts = account.split(":")
    if len(parts) >= 3:
        return Address(parts[0], "", parts[-1], parts[1])
    return Address(parts[0], "", parts[-1])


class ReviewDigest:
    """Sends the weekly digest; called by the reminder loop at every wake-up."""

    def __init__(
        self,
        cards: Iterable[Card],
        admins: Iterable[str],
        ledger: ReminderStore,
        users: UserStore,
        texts: Texts,
        tz: ZoneInfo,
        send: Send,
        default_locale: str = "pl",
    ) -> None:
        self._cards = tuple(cards)
        self._admins = tuple(sorted(admins))
        self._ledger = ledger
        self._users = users
        self._texts = texts
        self._tz = tz
        self._send = send
        self._locale = default_locale

    async def __call__(self, now: datetime) -> int:
        """Send this week's digest to every administrator who has not had it; return how many."""
        local = now.astimezone(self._tz)
        monday = (local - timedelta(days=local.weekday())).date()
        if local < datetime.combine(monday, SEND_AT, tzinfo=self._tz) or not self._admins:
            return 0
        today = local.date()
        due = due_cards(self._cards, today)
        if not due:
            return 0
        stale = sum(1 for item in due_items(self._cards, today) if item.fact is not None)
        year, week, _ = local.isocalendar()
        sent = 0
        for account in self._admins:
            address = admin_address(account)
            key = f"review-digest|{year}-W{week:02d}|{account}"
            if not await self._ledger.claim_delivery(key, now):
                continue  # already sent this week, maybe before a restart
            user = await self._users.get_user(address.user_key)
            locale = user.locale if user is not None else self._locale
            if await self._send(address, [self.reply(locale, due, stale)]):
                sent += 1
            else:
                log.warning("the review digest for %s could not be sent", account)
        return sent

    def reply(self, locale: str, due: Sequence[Card], stale: int) -> Reply:
        """The digest: the cards due (oldest first), each with a button, and the stale count."""

        def t(key: str, **params: object) -> str:
            return self._texts.get(locale, key, **params)

        lines = [t("knowledge.digest.title", count=len(due))]
        lines += [
            t(
                "knowledge.digest.card",
                name=card.name.get(locale),
                date=local_date(t, card.review_by),
            )
            for card in due
        ]
        lines.append(t("knowledge.digest.stale", count=stale))
        buttons = tuple(
            (Button(button_label(card.name.get(locale)), f"{PREFIX}:card:{card.id}"),)
            for card in due[:MAX_BUTTONS]
        )
        return Reply("\n".join(lines), buttons=buttons)
