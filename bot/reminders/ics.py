"""Calendar files: events to ``.ics`` and back, with the icalendar library.

An import holds each VEVENT to what the administrators' chat flow allows: a start (and an
end) that parses and lies between :data:`EARLIEST` and :data:`YEARS_AHEAD` years from now,
an end not before the start, titles and places cut to the chat flow's limits, and http(s)
links only. An event that fails is skipped with a reason; the rest are imported.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as IcsEvent

from bot.core.records import Event
from bot.reminders.limits import MAX_FIELD, MAX_TITLE, clip, each_shown, safe_url

log = logging.getLogger(__name__)

PRODID = "-//clusterbot//cluster coordinator assistant//PL"
#: Nothing a coordinator plans starts before this; earlier dates are typing errors.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
#: Nor more than this many years ahead (a year-9999 date cannot even be shown in local time).
YEARS_AHEAD = 10
#: The longest UID kept as it is in an event's id (a longer one is cut and hashed).
ID_SLUG = 36
#: How much of a title the import report repeats.
REPORT_TITLE = 60


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
    """The file is not a calendar we can read.

    ``reason`` is ``unreadable`` or ``no_events`` (or ``too_big``, raised by the caller).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Problem:
    """Why an event was skipped, or what was changed in one that was kept.

    ``title`` is the event's title, shortened for the report. ``reason`` is one of
    ``no_title``, ``no_start``, ``bad_start``, ``bad_end``, ``out_of_range``,
    ``end_before_start``, ``broken`` (skipped) or ``title_cut``, ``place_cut``,
    ``url_dropped`` (kept).
    """

    title: str
    reason: str


@dataclass(frozen=True, slots=True)
class IcsImport:
    """What a calendar file holds: the usable events, the skipped ones, the changes made."""

    events: list[Event] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    changed: list[Problem] = field(default_factory=list)


class _Skip(Exception):
    """One VEVENT is not usable, for ``reason``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def from_ics(
    data: bytes,
    category: str,
    tz_name: str,
    now: datetime,
    make_id: Callable[[str], str] | None = None,
) -> IcsImport:
    """Read the events of an iCalendar file as admin events of ``category``.

    ``now`` sets the latest start accepted (:func:`latest_start`). The result may
    hold no event at all when every one was skipped; the caller says why. ``make_id`` makes an
    event's id from its UID (default :func:`event_id`); a ``STATUS:CANCELLED`` event comes
    back cancelled, so it cancels the event with the same UID.

    Raises:
        IcsError: the file cannot be parsed as a calendar, or holds no VEVENT.

    """
    try:
        calendar = Calendar.from_ical(data)
        components = calendar.walk("VEVENT")
    except Exception as exc:  # any parser failure on untrusted bytes means "not a calendar"
        log.debug("calendar file unreadable: %s", type(exc).__name__)
        raise IcsError("unreadable") from exc
    if not components:
        raise IcsError("no_events")
    tz = ZoneInfo(tz_name)
    latest = latest_start(now)
    result = IcsImport()
    ids: set[str] = set()
    for component in components:
        summary = _text(component, "summary")
        shown = clip(summary, REPORT_TITLE)
        try:
            event = _event(component, summary, category, tz, latest, make_id or event_id)
        except _Skip as skip:
            result.skipped.append(Problem(shown, skip.reason))
            continue
        except Exception as exc:  # garbage values icalendar refuses: skip this event only
            log.debug("calendar event unreadable: %s", type(exc).__name__)
            result.skipped.append(Problem(shown, "broken"))
            continue
        if event.id in ids:  # a repeated UID (say, one occurrence of a series changed)
            result.skipped.append(Problem(shown, "duplicate"))
            continue
        ids.add(event.id)
        result.events.append(event)
        if len(summary) > MAX_TITLE:
            result.changed.append(Problem(shown, "title_cut"))
        if len(_text(component, "location")) > MAX_FIELD:
            result.changed.append(Problem(shown, "place_cut"))
        if _text(component, "url") and event.url is None:
            result.changed.append(Problem(shown, "url_dropped"))
    return result


def _event(
    component: Any,
    summary: str,
    category: str,
    tz: ZoneInfo,
    latest: datetime,
    make_id: Callable[[str], str],
) -> Event:
    if not summary:
        raise _Skip("no_title")
    if component.get("dtstart") is None:
        raise _Skip("no_start")
    start, date_only = _moment(component, "dtstart", tz, "bad_start")
    if not EARLIEST <= start <= latest:
        raise _Skip("out_of_range")
    end: datetime | None = None
    if component.get("dtend") is not None:
        end_value, end_is_date = _moment(component, "dtend", tz, "bad_end")
        if end_value < start:
            raise _Skip("end_before_start")
        if end_value > latest:
            raise _Skip("out_of_range")
        end = None if end_is_date else end_value  # an all-day end is implied, not stored
    uid = _text(component, "uid") or summary
    place = _text(component, "location")
    return Event(
        id=make_id(uid),
        title_pl=clip(summary, MAX_TITLE),
        title_en=clip(summary, MAX_TITLE),
        starts_at=start,
        ends_at=end,
        place=clip(place, MAX_FIELD) if place else None,
        url=safe_url(_text(component, "url")),
        category=category,
        origin="admin",
        date_only=date_only,
        cancelled=_text(component, "status").upper() == "CANCELLED",
    )


def event_id(uid: str) -> str:
    """An event's id from its UID: the UID itself when short, else cut with a hash of it.

    Outlook's UIDs share their first 40 characters, so a cut alone would make every event
    of such a file one and the same.
    """
    slug = re.sub(r"[^a-z0-9-]+", "-", uid.lower()).strip("-")
    if slug and len(slug) <= ID_SLUG:
        return f"ics-{slug}"
    digest = hashlib.sha256(uid.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"ics-{slug[: ID_SLUG - 13].strip('-')}-{digest}" if slug else f"ics-{digest}"


def _text(component: Any, name: str) -> str:
    """A text property, stripped; the first one when the file repeats it."""
    value = component.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() if value is not None else ""


def _moment(component: Any, name: str, tz: ZoneInfo, reason: str) -> tuple[datetime, bool]:
    """A start or end in UTC, and whether it is a date alone; floating times are in ``tz``."""
    try:
        value = component.decoded(name)
    except Exception as exc:  # icalendar refuses the value: a wrong format or a bad date
        raise _Skip(reason) from exc
    if isinstance(value, datetime):
        local, date_only = (value if value.tzinfo else value.replace(tzinfo=tz)), False
    elif isinstance(value, date):
        local, date_only = datetime.combine(value, time(0, 0), tzinfo=tz), True
    else:  # a repeated property, a period or a duration is not a start we can use
        raise _Skip(reason)
    try:
        return local.astimezone(UTC), date_only
    except (OverflowError, ValueError) as exc:  # the first or last days datetime can hold
        raise _Skip("out_of_range") from exc


def latest_start(now: datetime) -> datetime:
    """Return the latest start an import accepts: :data:`YEARS_AHEAD` years after ``now``."""
    try:
        return now.replace(year=now.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return now.replace(year=now.year + YEARS_AHEAD, day=28)
