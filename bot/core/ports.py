"""The seams between the core and the outside: stores, the clock and the messenger.

Each store port is a small ``typing.Protocol`` of a few methods; ``storage.memory``,
``storage.sqlite`` and ``storage.postgres`` implement every one; one contract test class per port
(``tests/storage/``) holds them to the same answers, ids and errors. The composite ports
(:class:`AssessmentStore`, :class:`ReminderStore`, :class:`CollabStore`) bundle the narrow
ones a feature needs together. The adapters implement :class:`Messenger`;
:mod:`bot.core.clock` the clock. The records the ports exchange live in
:mod:`bot.core.records`.

Errors: any store method may raise :class:`bot.errors.StorageError` when the database fails
(:class:`bot.errors.DatabaseLost` once its file is gone), and a value the schema refuses
(an unknown status or kind) raises :class:`bot.errors.StorageError` too; a raw driver
exception never leaves a store. The "Raises" sections name only what a caller can meet
with a healthy database. Every write is committed when its call returns.
"""

from __future__ import annotations

from collections.abc import Sequence
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

# Records that the ports' users have always imported from here.
from bot.core.records import AnswerRecord as AnswerRecord
from bot.core.records import AssessmentRecord as AssessmentRecord
from bot.core.records import FeedResponse as FeedResponse
from bot.core.records import SessionState as SessionState
from bot.core.records import User as User


class UserStore(Protocol):
    """Users, keyed by :class:`UserKey`."""

    async def get_user(self, key: UserKey) -> User | None:
        """Return the user, or ``None`` if we have never met them. Called on every turn."""
        ...

    async def save_user(self, user: User) -> None:
        """Insert the user or update their locale and ``active`` flag (first contact stays)."""
        ...


class SessionStore(Protocol):
    """Conversation state, one per user."""

    async def load_session(self, key: UserKey) -> SessionState:
        """Return a copy of the user's state, or an empty :class:`SessionState` when none."""
        ...

    async def save_session(self, key: UserKey, state: SessionState) -> None:
        """Replace the user's state; committed when this returns (before any reply is sent).

        Raises:
            TypeError: ``state.data`` holds a value JSON cannot (nothing is stored).

        """
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


class AssessmentRecords(Protocol):
    """Assessments; ids are never reused, not even after their owner's data is erased."""

    async def create_assessment(
        self, owner: UserKey, questionnaire_id: str, version: str, now: datetime
    ) -> AssessmentRecord:
        """Create an ``in_progress`` assessment and return it with its new id."""
        ...

    async def get_assessment(self, assessment_id: int) -> AssessmentRecord | None:
        """Return a copy of the assessment, or ``None`` if there is no such id."""
        ...

    async def list_assessments(self, owner: UserKey) -> list[AssessmentRecord]:
        """Return the owner's assessments, newest first (empty list when none)."""
        ...

    async def update_assessment(self, record: AssessmentRecord) -> None:
        """Store every field of ``record`` except ``id``, ``owner`` and ``created_at``.

        Raises:
            bot.errors.RecordNotFound: no assessment has ``record.id`` (nothing is stored).

        """
        ...

    async def list_team(self, assessment_id: int) -> list[AssessmentRecord]:
        """Return the members' assessments joined to a coordinator's one (empty when none)."""
        ...


class AnswerStore(Protocol):
    """The answers of an assessment, by standard id."""

    async def list_answers(self, assessment_id: int) -> dict[str, AnswerRecord]:
        """Return the answers by standard id (empty when none or no such assessment)."""
        ...

    async def save_answer(self, assessment_id: int, answer: AnswerRecord) -> None:
        """Insert or replace the answer to ``answer.standard_id``.

        Raises:
            bot.errors.RecordNotFound: no assessment has ``assessment_id`` (nothing stored).

        """
        ...

    async def record_answer(self, record: AssessmentRecord, answer: AnswerRecord) -> None:
        """Store the answer and the assessment's fields together: both or neither.

        An answer and the question it moves the assessment on to are one step; a crash
        between the two would resume at a question already answered.

        Raises:
            bot.errors.RecordNotFound: no assessment has ``record.id`` (nothing is stored).

        """
        ...

    async def delete_answers(self, assessment_id: int, standard_ids: Sequence[str]) -> None:
        """Remove the answers to these standards (unknown ids are ignored)."""
        ...


class AssessmentStore(AssessmentRecords, AnswerStore, Protocol):
    """Assessments and their answers, as the assessment feature uses them."""


class EventStore(Protocol):
    """Events added by administrators or read from calendar feeds."""

    async def save_event(self, event: Event) -> None:
        """Insert or replace an event by id (``cancelled`` included).

        It is read back with ``origin`` ``feed`` when it has a ``feed``, else ``admin``.
        """
        ...

    async def list_admin_events(self) -> list[Event]:
        """Return every stored event by start and id, cancelled ones included."""
        ...


class SubscriptionStore(Protocol):
    """Who wants reminders of what; ids are never reused after a removal."""

    async def add_subscription(
        self,
        owner: UserKey,
        address: Address,
        kind: str,
        target: str,
        region: str | None,
        now: datetime,
    ) -> Subscription:
        """Subscribe; an identical existing subscription is returned instead of a copy.

        Only ``address.chat_id`` is kept: the subscription is delivered on the owner's
        platform, to the owner, in that chat.
        """
        ...

    async def list_subscriptions(self, owner: UserKey | None = None) -> list[Subscription]:
        """Return the owner's subscriptions (everyone's for ``None``), oldest first."""
        ...

    async def remove_subscription(self, owner: UserKey, subscription_id: int) -> bool:
        """Remove one of the owner's subscriptions; ``False`` if it is not theirs or gone."""
        ...

    async def remove_subscriptions(self, owner: UserKey) -> int:
        """Remove all of the owner's subscriptions (a user who blocked the bot); how many."""
        ...


class DeliveryLedger(Protocol):
    """What was sent already: each (key, owner) once, across restarts.

    ``owner`` names the person a delivery went to, so erasing their data erases its rows
    too; ``None`` for a delivery that belongs to nobody's data. The key is opaque here.
    """

    async def claim_delivery(self, key: str, at: datetime, owner: UserKey | None = None) -> bool:
        """Record a delivery as made; ``False`` when it already was (send nothing)."""
        ...

    async def release_delivery(self, key: str, owner: UserKey | None = None) -> None:
        """Undo a claim whose sending failed for a reason worth retrying (none: no-op)."""
        ...


class ReminderPrefs(Protocol):
    """Per-person reminder settings: offsets, status dates and renewal days."""

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
        renewal reminder. Only ``address.chat_id`` is kept, as for subscriptions.
        """
        ...

    async def set_renewal(self, owner: UserKey, kind: str, renew_on: date | None) -> bool:
        """Set (or with ``None`` clear) the day to remind about renewing a status.

        Returns ``False`` when the owner has no date stored for ``kind`` (nothing is set).
        """
        ...

    async def list_status_dates(self) -> list[StatusDate]:
        """Return every stored status date, by owner and kind."""
        ...


class ReminderStore(EventStore, SubscriptionStore, DeliveryLedger, ReminderPrefs, Protocol):
    """Events, subscriptions, the delivery ledger and reminder settings together."""


class ActionPlanStore(Protocol):
    """Steps of action plans; ids are never reused."""

    async def add_action(self, item: ActionItem) -> ActionItem:
        """Store a new action item (its ``id`` is assigned) and return it."""
        ...

    async def list_actions(
        self, owner: UserKey | None = None, *, include_done: bool = False
    ) -> list[ActionItem]:
        """Return the owner's (everyone's for ``None``) open items by due date and id.

        ``include_done`` adds the closed ones (a data export).
        """
        ...

    async def close_action(self, owner: UserKey, item_id: int, at: datetime) -> bool:
        """Mark the owner's item done; ``False`` when it is not theirs or already closed."""
        ...


class CodeStore(Protocol):
    """One-time codes: team invitations and account links."""

    async def create_code(self, code: OneTimeCode) -> None:
        """Store a new one-time code.

        Raises:
            bot.errors.DuplicateRecord: the code exists already (the stored one stays).

        """
        ...

    async def redeem_code(
        self, code: str, kind: str, now: datetime, redeemer: UserKey
    ) -> OneTimeCode | None:
        """Use a code once: return it marked used, or ``None`` if unknown, used or expired.

        The code's own maker cannot use it up: they get it back unused (``used_at`` None).
        """
        ...


class IdentityLinks(Protocol):
    """Accounts that act as another identity (one person on two platforms)."""

    async def link_identity(self, alias: UserKey, canonical: UserKey, at: datetime) -> None:
        """Make ``alias`` act as ``canonical`` from now on (replacing an earlier link)."""
        ...

    async def canonical(self, key: UserKey) -> UserKey | None:
        """Return the identity ``key`` acts as, or ``None`` when it is not linked."""
        ...

    async def unlink_identity(self, alias: UserKey) -> bool:
        """Make ``alias`` act as itself again; ``False`` when it was not linked."""
        ...

    async def list_aliases(self, canonical: UserKey) -> list[UserKey]:
        """Return the accounts linked to ``canonical`` in the order they were linked."""
        ...


class CollabStore(ActionPlanStore, CodeStore, IdentityLinks, Protocol):
    """Action plans, one-time codes and linked accounts together."""


class PrivacyStore(Protocol):
    """Everything stored about one person, to hand over or erase."""

    async def export_user(self, key: UserKey) -> dict[str, Any]:
        """Return all data stored about ``key`` as JSON-ready values (empty dict when none).

        Every store returns the same export for the same data (``storage.export``).
        """
        ...

    async def delete_user(self, key: UserKey) -> None:
        """Erase everything stored about ``key`` (and accounts linked to it) at once."""
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
        """Insert or replace the state of ``state.url``."""
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


class CalendarFetcher(Protocol):
    """Fetches iCalendar feeds over HTTP(S); implemented by ``bot.adapters.calendar_feeds``."""

    async def fetch(self, url: str, etag: str | None, last_modified: str | None) -> FeedResponse:
        """GET ``url``, conditionally when ``etag`` or ``last_modified`` is known.

        Never raises for what the server or the network does: that is ``problem``.
        """
        ...
