"""Call deadlines from the instrument cards, as events reminders can be set for."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from bot.core.records import Event
from bot.knowledge.model import Card


def deadline_events(cards: Iterable[Card], tz: ZoneInfo) -> list[Event]:
    """An event of category ``call_deadline`` per call with an end date, at 23:59 in ``tz``."""
    events = []
    for card in cards:
        for n, call in enumerate(card.calls, start=1):
            if call.end is None:
                continue
            # A deadline is a day: it runs to the end of that day, local time.
            ends = datetime.combine(call.end, time(23, 59), tzinfo=tz).astimezone(UTC)
            events.append(
                Event(
                    id=f"deadline-{card.id}-{n}",
                    title_pl=f"{card.name.pl} – {call.label.pl}",
                    title_en=f"{card.name.en} – {call.label.en}",
                    starts_at=ends,
                    category="call_deadline",
                    origin="card",
                    url=str(card.sources[0].url),
                    date_only=True,
                )
            )
    return events
