"""What reminders are due, and when: pure functions of events, subscriptions and the clock.

Day offsets ("7 days before") keep the local wall-clock time across a DST change; hour and
minute offsets are exact durations. Times are aware UTC datetimes everywhere else.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.events import Address, UserKey
from bot.core.folding import fold
from bot.core.records import Event, Subscription

log = logging.getLogger(__name__)

#: Unit words as people type them, folded, by the start they share: "dni", "dzień", "days",
#: "godziny", "hours", "min", "tydzień", "weeks". A bare unit counts one ("dzień przed").
_UNIT_STARTS = (
    ("tydz", 7 * 1440),
    ("tyg", 7 * 1440),
    ("week", 7 * 1440),
    ("w", 7 * 1440),
    ("dz", 1440),
    ("dn", 1440),
    ("day", 1440),
    ("d", 1440),
    ("godz", 60),
    ("hour", 60),
    ("g", 60),
    ("h", 60),
    ("min", 1),
    ("m", 1),
)
#: Words between offsets that say nothing: "3 dni i 1 dzień przed", "2 days and 1 hour before".
_FILLER = frozenset({"i", "oraz", "and", "przed", "before", "wczesniej", "earlier", "na"})
_PART = re.compile(r"(\d{1,4})?\s*([a-z]+)")
#: Numbers written as words ("dwa dni", "two weeks", "a day"), folded.
_NUMBER_WORDS = {
    "jeden": 1, "jedna": 1, "jedno": 1, "dwa": 2, "dwie": 2, "trzy": 3, "cztery": 4,
    "piec": 5, "szesc": 6, "siedem": 7, "osiem": 8, "dziewiec": 9, "dziesiec": 10,
    "czternascie": 14, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "fourteen": 14,
}  # fmt: skip


def parse_offsets(text: str) -> tuple[int, ...]:
    """Parse ``"7d,1d,2h"``, ``"14d 3d 1d"`` or ``"3 dni i 1 dzień przed"`` into minutes.

    Largest first, each once.

    Raises:
        ValueError: a part is not a number with a unit (``m``, ``h``, ``d``, or a word for
            minutes, hours, days or weeks), or the list is empty, or an offset exceeds one
            year.

    """
    words = fold(text).replace(",", " ").replace(";", " ").split()
    words = [str(_NUMBER_WORDS.get(w, w)) for w in words if w not in _FILLER]
    rest = " ".join(words)
    minutes = set()
    position = 0
    while position < len(rest):
        if rest[position] == " ":
            position += 1
            continue
        match = _PART.match(rest, position)
        unit = _unit(match.group(2)) if match else None
        if match is None or unit is None:
            raise ValueError(f"not an offset: {rest[position:].split()[0]!r}")
        value = int(match.group(1) or 1) * unit
        if not 0 < value <= 366 * 1440:
            raise ValueError(f"offset out of range: {match.group().strip()!r}")
        minutes.add(value)
        position = match.end()
    if not minutes:
        raise ValueError("no offsets")
    return tuple(sorted(minutes, reverse=True))


def _unit(word: str) -> int | None:
    """Minutes in one unit word, or ``None`` when it names no unit."""
    for start, size in _UNIT_STARTS:
        if word.startswith(start) and (len(start) > 1 or len(word) == 1):
            return size
    return None


def due_time(starts_at: datetime, offset_minutes: int, tz: ZoneInfo) -> datetime:
    """When a reminder ``offset_minutes`` before ``starts_at`` is due (UTC)."""
    if offset_minutes % 1440 == 0:
        local = starts_at.astimezone(tz).replace(tzinfo=None)
        shifted = local - timedelta(days=offset_minutes // 1440)
        return shifted.replace(tzinfo=tz).astimezone(starts_at.tzinfo)
    return starts_at - timedelta(minutes=offset_minutes)


@dataclass(frozen=True, slots=True)
class Reminder:
    """One reminder to send: an event, a subscriber, an offset, and when."""

    due_at: datetime
    event_id: str
    starts_at: datetime
    owner: UserKey
    address: Address
    offset: int

    @property
    def key(self) -> str:
        """The ledger key: the same event time, subscriber and offset are sent once."""
        return f"{self.event_id}|{self.starts_at.isoformat()}|{self.owner}|{self.offset}"


def plan(
    events: Iterable[Event],
    subscriptions: Iterable[Subscription],
    offsets: Mapping[UserKey, tuple[int, ...]],
    default_offsets: tuple[int, ...],
    tz: ZoneInfo,
    now: datetime,
) -> list[Reminder]:
    """Every reminder still to come for events that have not started, earliest first.

    An offset that had already passed when the user subscribed is skipped: subscribing two
    hours before a meeting sends no "7 days before" reminder.
    """
    upcoming = [e for e in events if not e.cancelled and e.starts_at > now and _plannable(e, tz)]
    by_id = {e.id: e for e in upcoming}
    by_category: dict[str, list[Event]] = {}
    for event in upcoming:
        by_category.setdefault(event.category, []).append(event)
    chosen: dict[tuple[str, str, int], Reminder] = {}
    # Many subscribers share an event: compute each (event, offset) due time once.
    due_cache: dict[tuple[str, int], datetime] = {}
    for sub in subscriptions:
        if sub.kind == "new":  # news of new events, not reminders before them
            continue
        if sub.kind == "event":
            candidates = [by_id[sub.target]] if sub.target in by_id else []
        elif sub.kind == "category":
            candidates = by_category.get(sub.target, [])
        else:
            candidates = upcoming
        owner = str(sub.owner)  # hashed once per subscription, not per reminder
        sub_offsets = offsets.get(sub.owner, default_offsets)
        for event in candidates:
            if not sub.matches(event):
                continue
            for offset in sub_offsets:
                due = due_cache.get((event.id, offset))
                if due is None:
                    due = due_cache[(event.id, offset)] = due_time(event.starts_at, offset, tz)
                if due < sub.created_at:
                    continue
                key = (event.id, owner, offset)
                if key not in chosen:
                    chosen[key] = Reminder(
                        due, event.id, event.starts_at, sub.owner, sub.address, offset
                    )
    ordered = sorted(chosen.items(), key=lambda item: (item[1].due_at, item[0]))
    return [reminder for _, reminder in ordered]


def _plannable(event: Event, tz: ZoneInfo) -> bool:
    """Whether ``tz`` can hold the start: a stored year-9999 start must not stop every plan.

    An upcoming start that converts to local time also converts back after a day offset.
    """
    try:
        event.starts_at.astimezone(tz)
    except (OverflowError, ValueError):
        log.warning("event %s starts beyond the dates %s can hold; not planned", event.id, tz)
        return False
    return True


def split_due(planned: list[Reminder], now: datetime) -> tuple[list[Reminder], datetime | None]:
    """Split a sorted plan into what is due now and when the next one is due."""
    due = [r for r in planned if r.due_at <= now]
    later = next((r.due_at for r in planned if r.due_at > now), None)
    return due, later
