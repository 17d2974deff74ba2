"""The questions of the administrators' flows, as replies with their buttons (no I/O).

Every button's payload is ``r1:adm:…``; a button shows plain text, so an event's title goes on
it raw (cut at a word by :func:`~bot.core.events.button_label`), never escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.events import Button, Reply, button_label
from bot.core.feature import Turn
from bot.core.markup import escape
from bot.core.records import Event
from bot.reminders import render
from bot.reminders.admin_steps import EDITABLE, TYPED, Flow, Step, new_event
from bot.reminders.model import CATEGORIES, REGIONS
from bot.reminders.render import PREFIX

#: Events offered to choose from, soonest first.
MAX_CHOICES = 20

Rows = tuple[tuple[Button, ...], ...]


def button(turn: Turn, key: str, value: str) -> Button:
    """A button of the admin flows: the text ``key``, the payload ``r1:adm:<value>``."""
    return Button(turn.t(key), f"{PREFIX}:adm:{value}")


def cancel_row(turn: Turn) -> tuple[Button, ...]:
    """The row under every question: leave the flow, nothing changed."""
    return (button(turn, "reminders.button.cancel", "abort"),)


def menu(turn: Turn) -> Reply:
    """The admin menu: one button per flow."""
    rows = tuple((button(turn, f"reminders.admin.{f.value}", f.value),) for f in Flow)
    return Reply(turn.t("reminders.admin.menu"), buttons=rows)


def typed(turn: Turn, step: Step, tz: ZoneInfo) -> Reply:
    """The question of a step answered by typing."""
    # Only the date's question names a placeholder (the time zone); the others ignore it.
    return Reply(turn.t(TYPED[step].ask, tz=tz.key), buttons=(cancel_row(turn),))


def category(turn: Turn) -> Reply:
    """Which category a new event belongs to."""
    rows = tuple(
        (Button(turn.t(f"reminders.category.{c}"), f"{PREFIX}:adm:cat:{c}"),) for c in CATEGORIES
    )
    return Reply(turn.t("reminders.admin.ask_category"), buttons=(*rows, cancel_row(turn)))


def region(turn: Turn) -> Reply:
    """Which voivodeship a new event is for (or the whole country)."""
    first = (Button(turn.t("reminders.button.whole_country"), f"{PREFIX}:adm:reg:-"),)
    names = [Button(r, f"{PREFIX}:adm:reg:{i}") for i, r in enumerate(REGIONS)]
    rows = tuple(tuple(names[i : i + 2]) for i in range(0, len(names), 2))
    return Reply(turn.t("reminders.admin.ask_region"), buttons=(first, *rows, cancel_row(turn)))


def fields(turn: Turn) -> Reply:
    """Which field of the event to change."""
    rows = tuple(
        (button(turn, f"reminders.admin.field.{f.value}", f"fld:{f.value}"),) for f in EDITABLE
    )
    return Reply(turn.t("reminders.admin.choose_field"), buttons=(*rows, cancel_row(turn)))


def calendar_file(turn: Turn) -> Reply:
    """Ask for the ``.ics`` file to import."""
    return Reply(turn.t("reminders.admin.import_prompt"), buttons=(cancel_row(turn),))


def events(turn: Turn, flow: Flow, catalog: Iterable[Event], now: datetime) -> Reply | None:
    """The upcoming events to choose from (and, for an announcement, the categories).

    Only administrators' own events can be changed or cancelled; ``None`` when there is
    nothing to choose.
    """
    choices = [
        e
        for e in catalog
        if e.starts_at > now and not e.cancelled and (flow is Flow.BROADCAST or e.origin == "admin")
    ]
    rows = [
        (Button(button_label(e.title(turn.locale)), f"{PREFIX}:adm:ev:{e.id}"),)
        for e in choices[:MAX_CHOICES]
    ]
    if flow is Flow.BROADCAST:
        rows += [
            (Button(turn.t(f"reminders.category.{c}"), f"{PREFIX}:adm:bc:{c}"),) for c in CATEGORIES
        ]
    if not rows:
        return None
    key = "broadcast_target" if flow is Flow.BROADCAST else "choose_event"
    return Reply(turn.t(f"reminders.admin.{key}"), buttons=(*rows, cancel_row(turn)))


def summary(turn: Turn, answers: Mapping[str, Any], tz: ZoneInfo) -> Reply:
    """The new event as answered, with the button that saves it."""
    event = new_event(answers, "draft")
    none = turn.t("reminders.admin.none")
    text = turn.t(
        "reminders.admin.summary",
        title=escape(event.title_pl),
        title_en=escape(event.title_en),
        when=render.when(event, turn.t, tz),
        place=escape(event.place) if event.place else none,
        url=escape(event.url) if event.url else none,
        category=turn.t(f"reminders.category.{event.category}"),
        region=f", {event.region}" if event.region else "",
    )
    buttons = ((button(turn, "reminders.button.save", "save"),), cancel_row(turn))
    return Reply(turn.t("reminders.admin.confirm", summary=text), buttons=buttons)


def sure_to_cancel(turn: Turn, event: Event) -> Reply:
    """Whether to cancel ``event`` (its subscribers will hear)."""
    title = render.title(event, turn.locale)
    return Reply(turn.t("reminders.admin.confirm_cancel", title=title), buttons=_yes_or_no(turn))


def sure_to_send(turn: Turn, count: int, text: str) -> Reply:
    """Whether to send the announcement ``text`` to ``count`` people."""
    asked = turn.t("reminders.admin.broadcast_confirm", count=count, text=escape(text))
    return Reply(asked, buttons=_yes_or_no(turn))


def _yes_or_no(turn: Turn) -> Rows:
    return ((button(turn, "reminders.button.confirm", "yes"),), cancel_row(turn))
