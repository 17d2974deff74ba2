"""Texts of events and reminders: dates in the user's time zone, event cards, reminders."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from bot.core.events import Button, Reply
from bot.core.feature import Turn
from bot.core.i18n import Texts
from bot.core.localized import Translate, local_moment
from bot.core.markup import escape
from bot.core.records import Event
from bot.reminders.limits import MAX_FIELD, MAX_TITLE, clip, safe_url

PREFIX = "r1"


def when(event: Event, t: Translate, tz: ZoneInfo) -> str:
    """Return the start in ``tz``; the date alone when only a date is known."""
    return local_moment(t, event.starts_at, tz, date_only=event.date_only)


def title(event: Event, locale: str) -> str:
    """Return the title in ``locale``, escaped, never longer than the chat flow allows."""
    return escape(clip(event.title(locale), MAX_TITLE))


def field(text: str) -> str:
    """Return a place or organiser, escaped, never longer than the chat flow allows."""
    return escape(clip(text, MAX_FIELD))


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
    return event_card(turn.t, turn.locale, event, tz, actions=actions)


def event_card(
    t: Callable[..., str], locale: str, event: Event, tz: ZoneInfo, *, actions: bool = True
) -> Reply:
    """Show one event in ``locale`` (``t`` looks texts up in it), with its buttons.

    The same card in a reply and in a message sent outside a request (a new event).
    """
    text = t(
        "reminders.event",
        title=title(event, locale),
        when=when(event, t, tz),
        place=t("reminders.place", place=field(event.place)) if event.place else "",
        organiser=t("reminders.organiser", organiser=field(event.organiser))
        if event.organiser
        else "",
        category=t(f"reminders.category.{event.category}"),
    )
    if not actions:
        return Reply(text)
    row = [
        Button(t("reminders.button.remind"), f"{PREFIX}:sub:e:{event.id}"),
        Button(t("reminders.button.calendar"), f"{PREFIX}:ics:{event.id}"),
    ]
    rows: list[tuple[Button, ...]] = [tuple(row)]
    url = safe_url(event.url)
    if url:
        rows.append((Button(t("reminders.button.link"), url=url),))
    return Reply(text, buttons=tuple(rows))


def relative(texts: Texts, locale: str, minutes: int) -> str:
    """Say how soon: ``za 7 dni``, ``za 2 godz.``, ``za 30 min``."""
    if minutes % 1440 == 0:
        return texts.get(locale, "reminders.relative.days", n=minutes // 1440)
    if minutes % 60 == 0:
        return texts.get(locale, "reminders.relative.hours", n=minutes // 60)
    return texts.get(locale, "reminders.relative.minutes", n=minutes)


def reminder_reply(texts: Texts, locale: str, event: Event, offset: int, tz: ZoneInfo) -> Reply:
    """Build the reminder message, with the calendar file and the link to hand.

    A renewal reminder (category ``status_renewal``) is due on its day: it says what to do
    rather than how soon.
    """
    if event.category == "status_renewal":
        return Reply(texts.get(locale, "reminders.renewal_reminder", title=title(event, locale)))
    place = texts.get(locale, "reminders.place", place=field(event.place)) if event.place else ""
    text = texts.get(
        locale,
        "reminders.reminder",
        relative=relative(texts, locale, offset),
        title=title(event, locale),
        when=when(event, texts.translator(locale), tz),
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


def moved_notice(texts: Texts, locale: str, event: Event, tz: ZoneInfo) -> Reply:
    """Tell a subscriber an event's new time or place (an administrator's change or a feed's)."""
    place = f", {field(event.place)}" if event.place else ""
    return Reply(
        texts.get(
            locale,
            "reminders.moved_notice",
            title=title(event, locale),
            when=when(event, texts.translator(locale), tz),
            place=place,
        )
    )


def cancelled_notice(texts: Texts, locale: str, event: Event, tz: ZoneInfo) -> Reply:
    """Tell a subscriber an event was cancelled."""
    return Reply(
        texts.get(
            locale,
            "reminders.cancelled_notice",
            title=title(event, locale),
            when=when(event, texts.translator(locale), tz),
        )
    )
