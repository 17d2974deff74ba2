"""Calendar files: events to ``.ics`` and back, with the icalendar library."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as IcsEvent

from bot.core.records import Event
from bot.reminders.limits import MAX_FIELD, MAX_TITLE, clip, each_shown, safe_url

log = logging.getLogger(__name__)

PRODID = "-//clusterbot//cluster coordinator assistant//PL"


def to_ics(events: Sequence[Event], locale: str, tz: ZoneInfo) -> bytes:
    """Write events as an iCalendar file (UTC times; date-only events as all-day in ``tz``).

    An event that cannot be written (a date ``tz`` cannot hold) is left out and logged.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    stamp = datetime.now(UTC).replace(microsecond=0)
    for item in each_shown(events, lambda event: _component(event, locale, tz, stamp)):
        calendar.add_component(item)
    return bytes(calendar.to_ical())


def _component(event: Event, locale: str, tz: ZoneInfo, stamp: datetime) -> IcsEvent:
    item = IcsEvent()
    item.add("uid", f"{event.id}@clusterbot")
    item.add("summary", clip(event.title(locale), MAX_TITLE))
    item.add("dtstamp", stamp)
    if event.date_only:
        day = event.starts_at.astimezone(tz).date()
        item.add("dtstart", day)
        item.add("dtend", day + timedelta(days=1))
    else:
        item.add("dtstart", event.starts_at)
        if event.ends_at is not None:
            item.add("dtend", event.ends_at)
    if event.place:
        item.add("location", clip(event.place, MAX_FIELD))
    url = safe_url(event.url)
    if url:
        item.add("url", url)
    if event.organiser:
        item.add("description", clip(event.organiser, MAX_FIELD))
    item.add("categories", [event.category])
    if event.cancelled:
        item.add("status", "CANCELLED")
    return item


class IcsError(ValueError):
    """The file is not a calendar we can read."""


def from_ics(data: bytes, category: str, tz_name: str) -> list[Event]:
    """Read the events of an iCalendar file as admin events of ``category``.

    Raises:
        IcsError: the file cannot be parsed or has no event with a start.

    """
    try:
        calendar = Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as exc:
        raise IcsError(str(exc)) from exc
    tz = ZoneInfo(tz_name)
    events: list[Event] = []
    for component in calendar.walk("VEVENT"):
        start = component.get("dtstart")
        summary = str(component.get("summary") or "").strip()
        if start is None or not summary:
            continue
        value = start.dt
        date_only = not isinstance(value, datetime)
        if date_only:
            value = datetime.combine(value, time(0, 0), tzinfo=tz)
        elif value.tzinfo is None:
            value = value.replace(tzinfo=tz)
        end = component.get("dtend")
        end_value = end.dt if end is not None and isinstance(end.dt, datetime) else None
        if end_value is not None and end_value.tzinfo is None:
            end_value = end_value.replace(tzinfo=tz)
        uid = str(component.get("uid") or summary)
        events.append(
            Event(
                id="ics-" + re.sub(r"[^a-z0-9-]+", "-", uid.lower()).strip("-")[:36],
                title_pl=summary,
                title_en=summary,
                starts_at=value.astimezone(UTC),
                ends_at=end_value.astimezone(UTC) if end_value else None,
                place=str(component.get("location")) if component.get("location") else None,
                url=str(component.get("url")) if component.get("url") else None,
                category=category,
                origin="admin",
                date_only=date_only,
            )
        )
    if not events:
        raise IcsError("no event with a start date and a title")
    return events
