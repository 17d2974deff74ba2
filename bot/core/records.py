"""Records the features and storage exchange through the ports (see :mod:`bot.core.ports`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.core.events import Address, UserKey


@dataclass(slots=True)
class User:
    """A person we have met: their platform identity, chosen language and first contact."""

    key: UserKey
    locale: str
    created_at: datetime
    active: bool = True


@dataclass(slots=True)
class SessionState:
    """Where a user is in a conversation.

    ``step`` names the feature step waiting for free text (``None`` when nothing waits);
    ``data`` holds that step's JSON-serialisable scratch values.
    """

    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> SessionState:
        """A deep copy (the data is JSON: dicts, lists and scalars)."""
        return SessionState(self.step, copy_json(self.data))


def copy_json(data: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of a JSON object (dicts, lists and immutable scalars only).

    What parsing its JSON text again would give, without the text: several times faster
    than :func:`copy.deepcopy`, which the stores and every turn would otherwise pay for.
    """
    return {key: _copy_value(value) for key, value in data.items()}


def _copy_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy_value(item) for item in value]
    return value  # str, int, float, bool, None: immutable


@dataclass(slots=True)
class AssessmentRecord:
    """One self-evaluation of one owner over one questionnaire.

    ``status`` is ``in_progress``, ``completed`` or ``abandoned``. ``cursor`` names the
    question on screen (a profile field id, ``"phase"``, a standard id, or ``None``), so a
    button from any other question is recognised as stale. ``baseline`` holds the answers of
    a previous assessment copied for review (standard id -> answer code).
    """

    id: int
    owner: UserKey
    questionnaire_id: str
    questionnaire_version: str
    status: str
    created_at: datetime
    updated_at: datetime
    phase: str | None = None
    profile: dict[str, Any] = field(default_factory=dict)
    cursor: str | None = None
    baseline: dict[str, str] = field(default_factory=dict)
    completed_at: datetime | None = None
    team_of: int | None = None


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """The answer to one standard: code ``y``/``n``/``u``/``s`` (or ``None``) and a note."""

    standard_id: str
    answer: str | None
    note: str
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class Event:
    """An event from any origin (content, an admin, a card's call deadline), times in UTC.

    ``feed`` is the URL of the calendar feed an event came from (origin ``feed``), so a
    later poll of that feed updates or cancels the same event.
    """

    id: str
    title_pl: str
    title_en: str
    starts_at: datetime
    category: str
    origin: str = "content"  # content | admin | card | feed | status
    ends_at: datetime | None = None
    place: str | None = None
    url: str | None = None
    organiser: str | None = None
    region: str | None = None
    cancelled: bool = False
    date_only: bool = False
    feed: str | None = None

    def title(self, locale: str) -> str:
        """Return the title in ``locale``."""
        return self.title_en if locale == "en" else self.title_pl


@dataclass(frozen=True, slots=True)
class Subscription:
    """A user's wish to be reminded: of one event, a category, or everything.

    Kind ``new`` is different: one message about each event added later (from a feed or by
    an administrator), no reminders before events. ``region`` narrows a category or "all"
    subscription to one voivodeship (events without a region, national ones, still match).
    """

    id: int
    owner: UserKey
    address: Address
    kind: str  # event | category | all | new
    target: str
    region: str | None
    created_at: datetime

    def matches(self, event: Event) -> bool:
        """Whether this subscription covers ``event``."""
        if self.kind == "event":
            return self.target == event.id
        if self.region is not None and event.region not in (None, self.region):
            return False
        if self.kind == "category":
            return self.target == event.category
        return self.kind == "all"


@dataclass(frozen=True, slots=True)
class StatusDate:
    """When a cluster got a status that expires (``kkk``, ``esca``, ``esca_renewed``), per user.

    ``set_at``: when the user gave the date (``None`` for dates stored before it was kept);
    expiry reminders that were already due then are not sent. ``renew_on``: the day the user
    asked to be reminded about renewing a status that has expired (``None``: not asked).
    """

    owner: UserKey
    address: Address
    kind: str
    granted_on: date
    set_at: datetime | None = None
    renew_on: date | None = None


@dataclass(frozen=True, slots=True)
class ActionItem:
    """A step of a cluster's action plan: an unmet standard, who does it, and by when."""

    id: int
    owner: UserKey
    address: Address
    assessment_id: int
    standard_id: str
    title: str
    responsible: str
    due_on: date
    created_at: datetime
    done_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class OneTimeCode:
    """A code that works once before it expires: a team invitation or an account link."""

    code: str
    kind: str  # invite | link
    owner: UserKey
    expires_at: datetime
    assessment_id: int | None = None
    used_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ContentChange:
    """A change to a card recorded by an administrator in chat, shown above the file's content.

    ``kind``: ``call`` (a new call: ``start``, ``end``, ``budget``), ``open`` or ``closed`` (the
    card's call marked as such), ``note`` (a correction: ``text``). ``url`` is its source.
    """

    card: str
    kind: str
    author: str
    created_at: datetime
    url: str
    start: date | None = None
    end: date | None = None
    budget: str | None = None
    text: str | None = None
    id: int = 0


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the poller knows about one calendar feed (``CLUSTERBOT_EVENT_FEEDS``).

    ``etag`` and ``last_modified`` come from the last successful answer and go back as
    ``If-None-Match`` / ``If-Modified-Since``. ``failures`` counts the current failure streak,
    which began at ``failing_since`` (``None`` while the feed works); ``problem`` names the
    last failure. ``next_at`` is when to poll it again (``None``: at once).
    """

    url: str
    etag: str | None = None
    last_modified: str | None = None
    ok_at: datetime | None = None
    failures: int = 0
    failing_since: datetime | None = None
    problem: str | None = None
    next_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class FeedResponse:
    """One answer of a calendar server.

    ``status`` 200 carries ``body``; 304 means "not modified". ``problem`` names why there
    is nothing to use (``http`` with the status, ``timeout``, ``network``, ``too_big``,
    ``scheme``); it is ``None`` for 200 and 304.
    """

    status: int
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    problem: str | None = None
