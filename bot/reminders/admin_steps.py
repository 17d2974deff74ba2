"""The administrators' flows as data: each flow's steps in order, and how a typed answer is read.

Pure: no I/O, no chat. :mod:`bot.reminders.admin` asks the questions and acts on the answers;
this module says which question comes next (:func:`after`), what a typed answer means (a
change to the event, or the text key of what is wrong with it), and turns the answers into an
:class:`~bot.core.records.Event`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.dates import parse_when
from bot.core.records import Event
from bot.reminders.ics import latest_start
from bot.reminders.limits import MAX_FIELD, MAX_TITLE, safe_url

#: What an administrator types to leave an optional field empty.
NOTHING = "-"


class Flow(Enum):
    """What the administrator is doing (in the order the admin menu offers)."""

    ADD = "add"
    EDIT = "edit"
    CANCEL = "cancel"
    IMPORT = "import"
    BROADCAST = "broadcast"


class Step(Enum):
    """One question of a flow (the value is kept in the session)."""

    TITLE = "title"
    TITLE_EN = "title_en"
    WHEN = "when"
    PLACE = "place"
    URL = "url"
    CATEGORY = "category"
    REGION = "region"
    CONFIRM = "confirm"
    EVENT = "event"
    FIELD = "field"
    TEXT = "text"
    SURE = "sure"
    FILE = "import"


#: Each flow's questions in order. Editing asks one more: the field picked (:data:`EDITABLE`).
PLANS: Mapping[Flow, tuple[Step, ...]] = {
    Flow.ADD: (
        Step.TITLE,
        Step.TITLE_EN,
        Step.WHEN,
        Step.PLACE,
        Step.URL,
        Step.CATEGORY,
        Step.REGION,
        Step.CONFIRM,
    ),
    Flow.EDIT: (Step.EVENT, Step.FIELD),
    Flow.CANCEL: (Step.EVENT, Step.SURE),
    Flow.BROADCAST: (Step.EVENT, Step.TEXT, Step.SURE),
    Flow.IMPORT: (Step.FILE,),
}

#: The fields of an administrator's event that can be changed, in the order offered.
EDITABLE = (Step.TITLE, Step.TITLE_EN, Step.WHEN, Step.PLACE, Step.URL)


@dataclass(slots=True)
class Progress:
    """Where an administrator is in a flow, kept in the conversation session between messages.

    ``answers`` holds what was answered so far: the event's fields (JSON-friendly: the start
    as ISO text), the ``field`` picked to edit, or an announcement's ``text``; ``event`` is the
    event chosen to change, cancel or announce; ``category`` the category an announcement goes
    to.
    """

    flow: Flow
    step: Step
    answers: dict[str, Any] = field(default_factory=dict)
    event: str | None = None
    category: str | None = None

    @classmethod
    def load(cls, data: Mapping[str, Any]) -> Progress | None:
        """Read the session's data; ``None`` when it is not a flow this code knows."""
        try:
            return cls(
                Flow(data["flow"]),
                Step(data["step"]),
                dict(data.get("answers") or {}),
                data.get("event"),
                data.get("category"),
            )
        except (KeyError, ValueError, TypeError):
            return None

    def dump(self) -> dict[str, Any]:
        """The session's data."""
        return {
            "flow": self.flow.value,
            "step": self.step.value,
            "answers": self.answers,
            "event": self.event,
            "category": self.category,
        }


def after(progress: Progress) -> Step | None:
    """The step after the current one; ``None`` when the flow has asked everything."""
    plan = PLANS[progress.flow]
    picked = progress.answers.get("field")
    if progress.flow is Flow.EDIT and picked is not None:
        plan = (*plan, Step(picked))
    position = plan.index(progress.step) if progress.step in plan else len(plan)
    return plan[position + 1] if position + 1 < len(plan) else None


@dataclass(frozen=True, slots=True)
class Reading:
    """What a typed answer is read with: now and the deployment's time zone."""

    now: datetime
    tz: ZoneInfo


#: A typed answer read: the event's fields it sets, or the text key saying what is wrong.
Answer = dict[str, Any] | str


@dataclass(frozen=True, slots=True)
class Typed:
    """A question answered by typing: its text key, the longest answer, how it is read."""

    ask: str
    limit: int
    read: Callable[[str, Reading], Answer]


def _read_title(text: str, _: Reading) -> Answer:
    return {"title_pl": text}


def _read_title_en(text: str, _: Reading) -> Answer:
    return {"title_en": None if text == NOTHING else text}  # None: the same as the Polish one


def _read_when(text: str, reading: Reading) -> Answer:
    now, tz = reading.now, reading.tz
    parsed = parse_when(text, tz, now.astimezone(tz).date())
    if parsed is None:
        return "reminders.admin.bad_when"
    moment, has_time = parsed
    starts = moment.astimezone(UTC)
    if starts <= now:
        return "reminders.admin.past_when"
    if starts > latest_start(now):  # as imports: a date the chat can show
        return "reminders.admin.far_when"
    return {"starts_at": starts.isoformat(), "date_only": not has_time}


def _read_place(text: str, _: Reading) -> Answer:
    return {"place": None if text == NOTHING else text}


def _read_url(text: str, _: Reading) -> Answer:
    if text == NOTHING:
        return {"url": None}
    if safe_url(text) is None:
        return "reminders.admin.bad_url"
    return {"url": text}


def _read_text(text: str, _: Reading) -> Answer:
    return {"text": text}


TYPED: Mapping[Step, Typed] = {
    Step.TITLE: Typed("reminders.admin.ask_title", MAX_TITLE, _read_title),
    Step.TITLE_EN: Typed("reminders.admin.ask_title_en", MAX_TITLE, _read_title_en),
    Step.WHEN: Typed("reminders.admin.ask_when", MAX_FIELD, _read_when),
    Step.PLACE: Typed("reminders.admin.ask_place", MAX_FIELD, _read_place),
    Step.URL: Typed("reminders.admin.ask_url", MAX_FIELD, _read_url),
    Step.TEXT: Typed("reminders.admin.broadcast_text", MAX_FIELD * 10, _read_text),
}


def read(step: Step, text: str, reading: Reading) -> Answer:
    """Read the typed answer to ``step`` (a typed step): its fields, or what is wrong."""
    return TYPED[step].read(text, reading)


def new_event(answers: Mapping[str, Any], event_id: str) -> Event:
    """The event the answers of the add flow describe (the English title defaults to Polish)."""
    title = str(answers["title_pl"])
    return Event(
        id=event_id,
        title_pl=title,
        title_en=answers.get("title_en") or title,
        starts_at=datetime.fromisoformat(answers["starts_at"]),
        category=str(answers["category"]),
        origin="admin",
        place=answers.get("place"),
        url=answers.get("url"),
        region=answers.get("region"),
        date_only=bool(answers.get("date_only")),
    )


def changed(event: Event, answers: Mapping[str, Any]) -> Event:
    """``event`` with the answered fields set (an English title left empty: the Polish one)."""
    fields = {k: v for k, v in answers.items() if k in _EVENT_FIELDS}
    if "starts_at" in fields:
        fields["starts_at"] = datetime.fromisoformat(fields["starts_at"])
    updated = replace(event, **fields)
    if "title_en" in fields and not updated.title_en:
        updated = replace(updated, title_en=updated.title_pl)
    return updated


_EVENT_FIELDS = frozenset({"title_pl", "title_en", "starts_at", "date_only", "place", "url"})
