"""The dates of a KKK status or an ESCA Bronze label: expiry reminders, or renewal once expired.

A date whose status is still valid brings reminders about 6 months and 1 month before it
expires, and the reply promises only those still ahead. A status that has already expired is
said so ("ten status wygasł 10.03.2026", "ta odznaka wygasła …"), with how it can be renewed,
and a button asks for one reminder about the renewal: 4 weeks from today, or a week before
an ESCA label's renewal deadline (a year after expiry) when that comes sooner.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.dates import parse_when
from bot.core.events import Button, Reply
from bot.core.feature import Turn
from bot.core.localized import local_date
from bot.core.ports import ReminderPrefs
from bot.core.records import StatusDate
from bot.reminders.catalog import EXPIRY_OFFSETS, STATUS_KINDS, expiry_date, renewal_deadline
from bot.reminders.render import PREFIX
from bot.reminders.schedule import due_time

STEP_STATUS = "remind.status"
#: A renewal reminder comes this long after the user asks for it ...
RENEWAL_AFTER = timedelta(weeks=4)
#: ... or this long before an ESCA label's renewal deadline, when that is sooner.
BEFORE_DEADLINE = timedelta(weeks=1)


def renewal_day(granted_on: date, kind: str, today: date) -> date:
    """The day to remind about renewing a status that expired (see the module docstring)."""
    day = today + RENEWAL_AFTER
    deadline = renewal_deadline(granted_on, kind)
    if deadline is not None and deadline > today:
        day = min(day, deadline - BEFORE_DEADLINE)
    return max(day, today + timedelta(days=1))


class StatusFlow:
    """Taking a status date in chat, and the renewal button."""

    def __init__(self, store: ReminderPrefs, tz: ZoneInfo, on_change: Callable[[], None]) -> None:
        self.store = store
        self.tz = tz
        self.on_change = on_change

    def today(self, turn: Turn) -> date:
        """The user's date today (in the deployment's time zone)."""
        return turn.now.astimezone(self.tz).date()

    def prompt(self, turn: Turn, kind: str) -> Reply:
        """Ask for the date of ``kind``."""
        return Reply(
            turn.t("reminders.status_prompt", what=turn.t(f"reminders.status_what.{kind}"))
        )

    async def take(self, turn: Turn, text: str) -> list[Reply]:
        """Store the typed date (or forget it on "usuń"), and say what will follow."""
        kind = str(turn.session.data.get("kind", "kkk"))
        if kind not in STATUS_KINDS:
            kind = "kkk"
        store, who, address = self.store, turn.user.key, turn.incoming.address
        if turn.says("reminders.delete_words", text):
            await store.set_status_date(who, address, kind, None)
            self.on_change()
            turn.session.step, turn.session.data = None, {}
            return [Reply(turn.t("reminders.status_removed"))]
        tz = self.tz
        parsed = parse_when(text, tz, self.today(turn))
        granted: date | None = parsed[0].date() if parsed else None
        # Without a year, "the next such date" would be in the future: a grant date is past.
        if granted is None or granted > turn.now.date() or granted.year < 2010:
            return [Reply(turn.t("reminders.status_bad")), self.prompt(turn, kind)]
        await store.set_status_date(who, address, kind, granted, at=turn.now)
        self.on_change()
        turn.session.step, turn.session.data = None, {}
        return [self.saved(turn, StatusDate(who, address, kind, granted, turn.now))]

    def saved(self, turn: Turn, status: StatusDate) -> Reply:
        """What the user hears after giving a date: the reminders still ahead, or expiry."""
        kind, expires = status.kind, expiry_date(status.granted_on, status.kind)
        when = local_date(turn.t, expires)
        if expires <= self.today(turn):
            return self._expired(turn, status, when)
        starts = datetime.combine(expires, time(0, 0), tzinfo=self.tz).astimezone(UTC)
        ahead = [o for o in EXPIRY_OFFSETS if due_time(starts, o, self.tz) >= turn.now]
        key = {2: "status_saved", 1: "status_saved_month"}.get(len(ahead), "status_saved_soon")
        what = turn.t(f"reminders.status_kind.{kind}")
        return Reply(turn.t(f"reminders.{key}", kind=what, expires=when))

    def _expired(self, turn: Turn, status: StatusDate, when: str) -> Reply:
        kind, today = status.kind, self.today(turn)
        lines = [turn.t(f"reminders.status_expired.{kind}", expired=when)]
        deadline = renewal_deadline(status.granted_on, kind)
        if deadline is None:
            lines.append(turn.t("reminders.renewal_how.kkk"))
        elif deadline > today:
            lines.append(
                turn.t("reminders.renewal_how.esca", deadline=local_date(turn.t, deadline))
            )
        else:
            lines.append(
                turn.t("reminders.renewal_how.esca_over", deadline=local_date(turn.t, deadline))
            )
        day = local_date(turn.t, renewal_day(status.granted_on, kind, today))
        button = Button(turn.t("reminders.button.renewal", date=day), f"{PREFIX}:renew:{kind}")
        return Reply("\n".join(lines), buttons=((button,),))

    async def renew(self, turn: Turn, kind: str) -> list[Reply] | None:
        """Set the renewal reminder of an expired status; ``None`` when there is none to renew."""
        today = self.today(turn)
        mine = [
            s
            for s in await self.store.list_status_dates()
            if s.owner == turn.user.key and s.kind == kind
        ]
        if not mine or expiry_date(mine[0].granted_on, kind) > today:
            return None
        day = renewal_day(mine[0].granted_on, kind, today)
        await self.store.set_renewal(turn.user.key, kind, day)
        self.on_change()
        text = turn.t(
            "reminders.renewal_set",
            date=local_date(turn.t, day),
            what=turn.t(f"reminders.renewal_of.{kind}"),
        )
        return [Reply(text)]

    def line(self, turn: Turn, status: StatusDate) -> str:
        """One stored date in the user's list: since when, and when it expires or expired."""
        expires = expiry_date(status.granted_on, status.kind)
        params = {
            "kind": turn.t(f"reminders.status_kind.{status.kind}"),
            "date": local_date(turn.t, status.granted_on),
            "expires": local_date(turn.t, expires),
        }
        if expires > self.today(turn):
            return turn.t("reminders.status_line", **params)
        line = turn.t(f"reminders.status_line_expired.{status.kind}", **params)
        if status.renew_on is not None:
            line += turn.t("reminders.status_renewal", date=local_date(turn.t, status.renew_on))
        return line
