"""The seams between the core and the outside: stores, the clock and the messenger.

Each port is a small ``typing.Protocol``. ``storage.memory`` and ``storage.sqlite`` implement
every store; the adapters implement :class:`Messenger`; :mod:`bot.core.clock` the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from bot.core.events import Address, Reply, UserKey
from bot.core.records import (
    ActionItem,
    ContentChange,
    Event,
    FeedState,
    OneTimeCode,
    StatusDate,
    Subscription,
)


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


class UserStore(Protocol):
    """Users, keyed by :class:`UserKey`."""

    async def get_user(self, key: UserKey) -> User | None:
        """Return the user, or ``None`` if we have never met them. Called on every turn."""
        ...

    async def save_user(self, user: User) -> None:
        """Insert the user or update their locale and ``active`` flag; committed on return."""
        ...


class SessionStore(Protocol):
    """Conversation state, one per user."""

    async def load_session(self, key: UserKey) -> SessionState:
        """Return the user's state, or an empty :class:`SessionState` when there is none."""
        ...

    async def save_session(self, key: UserKey, state: SessionState) -> None:
        """Replace the user's state; committed when this returns (before any reply is sent)."""
        ...


class UpdateLog(Protocol):
    """Platform delivery ids already processed, so a redelivery is handled once."""

    async def seen(self, update_key: str) -> bool:
        """Return ``True`` if ``update_key`` was remembered before."""
        ...

    async def remember(self, update_key: str, at: datetime) -> None:
        """Record ``update_key`` as processed at ``at``; remembering twice is harmless."""
        ...

    async def forget_before(self, cutoff: datetime) -> int:
        """Drop ids remembered before ``cutoff`` (keeps the log bounded); return how many."""
        ...


class Clock(Protocol):
    """The current time, controllable in tests."""

    def now(self) -> datetime:
        """Return the current time as an aware UTC datetime."""
        ...


class Messenger(Protocol):
    """Sends replies to an address outside a request (reminders, broadcasts)."""

    async def send(self, address: Address, replies: Sequence[Reply]) -> None:
        """Deliver ``replies`` in order.

        Raises:
            bot.errors.RecipientUnavailable: the user blocked the bot or is gone.
            bot.errors.RateLimited: the platform asked us to wait.

        """
        ...


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


class AssessmentStore(Protocol):
    """Assessments and their answers; every write is committed when the call returns."""

    async def create_assessment(
        self, owner: UserKey, questionnaire_id: str, version: str, now: datetime
    ) -> AssessmentRecord:
        """Create an ``in_progress`` assessment and return it with its new id."""
        ...

    async def get_assessment(self, assessment_id: int) -> AssessmentRecord | None:
        """Return the assessment, or ``None`` if there is no such id."""
        ...

    async def list_assessments(self, owner: UserKey) -> list[AssessmentRecord]:
        """Return the owner's assessments, newest first (empty list when none)."""
        ...

    async def update_assessment(self, record: AssessmentRecord) -> None:
        """Store every field of ``record`` except ``id``, ``owner`` and ``created_at``."""
        ...

    async def list_team(self, assessment_id: int) -> list[AssessmentRecord]:
        """Return the members' assessments joined to a coordinator's one (empty when none)."""
        ...

    async def list_answers(self, assessment_id: int) -> dict[str, AnswerRecord]:
        """Return the answers by standard id (empty when none)."""
        ...

    async def save_answer(self, assessment_id: int, answer: AnswerRecord) -> None:
        """Insert or replace the answer to ``answer.standard_id``."""
        ...

    async def record_answer(self, record: AssessmentRecord, answer: AnswerRecord) -> None:
        """Store the answer and the assessment's fields together: both or neither.

        An answer and the question it moves the assessment on to are one step; a crash
        between the two would resume at a question already answered.
        """
        ...

    async def delete_answers(self, assessment_id: int, standard_ids: Sequence[str]) -> None:
        """Remove the answers to these standards (unknown ids are ignored)."""
        ...


class ReminderStore(Protocol):
    """Admin events, subscriptions, the delivery ledger and per-user reminder settings."""

    async def save_event(self, event: Event) -> None:
        """Insert or replace an admin event (``cancelled`` included)."""
        ...

    async def list_admin_events(self) -> list[Event]:
        """Return every admin event, cancelled ones included (empty list when none)."""
        ...

    async def add_subscription(
        self,
        owner: UserKey,
        address: Address,
        kind: str,
        target: str,
        region: str | None,
        now: datetime,
    ) -> Subscription:
        """Subscribe; an identical existing subscription is returned instead of a copy."""
        ...

    async def list_subscriptions(self, owner: UserKey | None = None) -> list[Subscription]:
        """Return the owner's subscriptions, or everyone's when ``owner`` is ``None``."""
        ...

    async def remove_subscription(self, owner: UserKey, subscription_id: int) -> bool:
        """Remove one of the owner's subscriptions; ``False`` if it is not theirs or gone."""
        ...

    async def remove_subscriptions(self, owner: UserKey) -> int:
        """Remove all of the owner's subscriptions (a user who blocked the bot)."""
        ...

    async def claim_delivery(self, key: str, at: datetime) -> bool:
        """Record a reminder as delivered; ``False`` when it already was (send nothing)."""
        ...

    async def release_delivery(self, key: str) -> None:
        """Undo a claim whose sending failed for a reason worth retrying."""
        ...

    async def get_offsets(self, owner: UserKey) -> tuple[int, ...] | None:
        """Return the owner's reminder offsets in minutes, or ``None`` for the default."""
        ...

    async def set_offsets(self, owner: UserKey, offsets: tuple[int, ...] | None) -> None:
        """Store the owner's offsets (``None`` returns to the deployment default)."""
        ...

    async def set_status_date(
        self,
        owner: UserKey,
        address: Address,
        kind: str,
        granted_on: date | None,
        at: datetime | None = None,
    ) -> None:
        """Store (or with ``None`` forget) when the owner's cluster got a status.

        ``at`` is when the user gave it (``StatusDate.set_at``); a new date clears the
        renewal reminder.
        """
        ...

    async def set_renewal(self, owner: UserKey, kind: str, renew_on: date | None) -> bool:
        """Set (or with ``None`` clear) the day to remind about renewing a status.

        Returns ``False`` when the owner has no date stored for ``kind`` (nothing is set).
        """
        ...

    async def list_status_dates(self) -> list[StatusDate]:
        """Return every stored status date."""
        ...


class CollabStore(Protocol):
    """Action plans, one-time codes and linked accounts."""

    async def add_action(self, item: ActionItem) -> ActionItem:
        """Store a new action item (its ``id`` is assigned) and return it."""
        ...

    async def list_actions(self, owner: UserKey | None = None) -> list[ActionItem]:
        """Return the owner's open items (everyone's when ``owner`` is ``None``), by due date."""
        ...

    async def close_action(self, owner: UserKey, item_id: int, at: datetime) -> bool:
        """Mark the owner's item done; ``False`` when it is not theirs or already closed."""
        ...

    async def create_code(self, code: OneTimeCode) -> None:
        """Store a new one-time code."""
        ...

    async def redeem_code(
        self, code: str, kind: str, now: datetime, redeemer: UserKey
    ) -> OneTimeCode | None:
        """Use a code once: return it marked used, or ``None`` if unknown, used or expired.

        The code's own maker cannot use it up: they get it back unused (``used_at`` None).
        """
        ...

    async def link_identity(self, alias: UserKey, canonical: UserKey, at: datetime) -> None:
        """Make ``alias`` act as ``canonical`` from now on."""
        ...

    async def canonical(self, key: UserKey) -> UserKey | None:
        """Return the identity ``key`` acts as, or ``None`` when it is not linked."""
        ...

    async def unlink_identity(self, alias: UserKey) -> bool:
        """Make ``alias`` act as itself again; ``False`` when it was not linked."""
        ...

    async def list_aliases(self, canonical: UserKey) -> list[UserKey]:
        """Return the accounts linked to ``canonical`` (empty list when none)."""
        ...


class PrivacyStore(Protocol):
    """Everything stored about one person, to hand over or erase."""

    async def export_user(self, key: UserKey) -> dict[str, Any]:
        """Return all data stored about ``key`` as JSON-ready values (empty dict when none)."""
        ...

    async def delete_user(self, key: UserKey) -> None:
        """Erase everything stored about ``key`` (and accounts linked to it)."""
        ...


class ContentChangeStore(Protocol):
    """Changes to cards that administrators record in chat (who, when, with a source)."""

    async def add_content_change(self, change: ContentChange) -> ContentChange:
        """Store ``change`` and return it with its new id (ids are never reused)."""
        ...

    async def list_content_changes(self, card: str | None = None) -> list[ContentChange]:
        """Return the changes (of one card, or all), oldest first."""
        ...


class FeedStore(Protocol):
    """The poller's memory of each calendar feed; the feeds' events are admin events."""

    async def get_feed(self, url: str) -> FeedState | None:
        """Return what is known about the feed at ``url``, or ``None`` before its first poll."""
        ...

    async def save_feed(self, state: FeedState) -> None:
        """Insert or replace the state of ``state.url``; committed on return."""
        ...


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


class CalendarFetcher(Protocol):
    """Fetches iCalendar feeds over HTTP(S); implemented by ``bot.adapters.calendar_feeds``."""

    async def fetch(self, url: str, etag: str | None, last_modified: str | None) -> FeedResponse:
        """GET ``url``, conditionally when ``etag`` or ``last_modified`` is known.

        Never raises for what the server or the network does: that is ``problem``.
        """
        ...
