"""Texts of events and reminders: dates in the user's time zone, event cards, reminders."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.core.events import Button, Reply
from bot.core.feature import Turn
from bot.core.i18n import Texts
from bot.core.markup import escape
from bot.core.records import Event
from bot.reminders.limits import MAX_FIELD, MAX_TITLE, clip, safe_url
from bot.reminders.schedule import format_offset

PREFIX = "r1"


def when(event: Event, locale: str, tz: ZoneInfo) -> str:
    """Return the start in ``tz``; the date alone when only a date is known."""
    local = event.starts_at.astimezone(tz)
    if locale == "en":
        return local.strftime("%Y-%m-%d") if event.date_only else local.strftime("%Y-%m-%d %H:%M")
    return local.strftime("%d.%m.%Y") if event.date_only else local.strftime("%d.%m.%Y, %H:%M")


def title(event: Event, locale: str) -> str:
    """Return the title in ``locale``, escaped, never longer than the chat flow allows."""
    return escape(clip(event.title(locale), MAX_TITLE))


def field(text: str) -> str:
    """Return a place or organiser, escaped, never longer than the chat flow allows."""
    return escape(clip(text, MAX_FIELD))


def offsets_text(offsets: tuple[int, ...]) -> str:
    """Write offsets as ``7d, 1d, 2h`` (the notation one types; for input hints)."""
    return ", ".join(format_offset(o) for o in offsets)


def offsets_words(turn: Turn, offsets: tuple[int, ...]) -> str:
    """Write offsets as words for a sentence: "7 dni, 1 dzień i 2 godziny"."""
    words = []
    for minutes in offsets:
        if minutes % 1440 == 0:
            words.append(turn.count("unit.days", minutes // 1440))
        elif minutes % 60 == 0:
            words.append(turn.count("unit.hours", minutes // 60))
        else:
            words.append(turn.count("unit.minutes", minutes))
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + turn.t("reminders.and") + words[-1]


def region_in(turn: Turn, region: str) -> str:
    """A voivodeship inside a sentence: "w województwie lubelskim" (its id is "lubelskie")."""
    located = region[:-1] + "m" if turn.locale == "pl" and region.endswith("kie") else region
    return turn.t("reminders.region_suffix", region=located)


def event_reply(turn: Turn, event: Event, tz: ZoneInfo, *, actions: bool = True) -> Reply:
    """Show one event with its remind, calendar and link buttons."""
    loc = turn.locale
    text = turn.t(
        "reminders.event",
        title=title(event, loc),
        when=when(event, loc, tz),
        place=turn.t("reminders.place", place=field(event.place)) if event.place else "",
        organiser=turn.t("reminders.organiser", organiser=field(event.organiser))
        if event.organiser
        else "",
        category=turn.t(f"reminders.category.{event.category}"),
    )
    if not actions:
        return Reply(text)
    row = [
        Button(turn.t("reminders.button.remind"), f"{PREFIX}:sub:e:{event.id}"),
        Button(turn.t("reminders.button.calendar"), f"{PREFIX}:ics:{event.id}"),
    ]
    rows: list[tuple[Button, ...]] = [tuple(row)]
    url = safe_url(event.url)
    if url:
        rows.append((Button(turn.t("reminders.button.link"), url=url),))
    return Reply(text, buttons=tuple(rows))


def relative(texts: Texts, locale: str, minutes: int) -> str:
    """Say how soon: ``za 7 dni``, ``za 2 godz.``, ``za 30 min``."""
    if minutes % 1440 == 0:
        return texts.get(locale, "reminders.relative.days", n=minutes // 1440)
    if minutes % 60 == 0:
        return texts.get(locale, "reminders.relative.hours", n=minutes // 60)
    return texts.get(locale, "reminders.relative.minutes", n=minutes)


def reminder_reply(texts: Texts, locale: str, event: Event, offset: int, tz: ZoneInfo) -> Reply:
    """Build the reminder message, with the calendar file and the link to hand."""
    place = texts.get(locale, "reminders.place", place=field(event.place)) if event.place else ""
    text = texts.get(
        locale,
        "reminders.reminder",
        relative=relative(texts, locale, offset),
        title=title(event, locale),
        when=when(event, locale, tz),
        place=place,
    )
    rows: list[tuple[Button, ...]] = []
    if event.origin != "status":
        rows.append(
            (Button(texts.get(locale, "reminders.button.calendar"), f"{PREFIX}:ics:{event.id}"),)
        )
    url = safe_url(event.url)
    if url:
        rows.append((Button(texts.get(locale, "reminders.button.link"), url=url),))
    return Reply(text, buttons=tuple(rows))
