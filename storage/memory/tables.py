"""What the in-memory stores hold, shared by their concerns, and the schema's rules."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.core.events import UserKey
from bot.core.records import (
    ActionItem,
    AnswerRecord,
    AssessmentRecord,
    ContentChange,
    Event,
    FeedState,
    OneTimeCode,
    StatusDate,
    Subscription,
    User,
)
from bot.core.web_ports import Consent, WebToken
from bot.errors import StorageError
from storage.codec import dump_time, load_time

#: The values the SQLite schema's CHECK constraints accept, refused here alike.
ASSESSMENT_STATUSES = ("in_progress", "completed", "abandoned")
ANSWER_CODES = (None, "y", "n", "u", "s")
SUBSCRIPTION_KINDS = ("event", "category", "all", "new")
STATUS_KINDS = ("kkk", "esca", "esca_renewed")
CODE_KINDS = ("invite", "link")
CHANGE_KINDS = ("call", "open", "closed", "note")

#: The ledger's owner columns of a delivery that belongs to nobody's data.
NOBODY = ("", "", "")


def require(field: str, value: object, allowed: Collection[object]) -> None:
    """Refuse a value the SQLite schema would refuse, with the error SQLite's store raises.

    Raises:
        StorageError: ``value`` is not one of ``allowed``.

    """
    if value not in allowed:
        raise StorageError(f"the database refused the operation: {field} {value!r}")


def utc(moment: datetime) -> datetime:
    """``moment`` as SQLite's store gives it back: in UTC, microseconds at most.

    Raises:
        ValueError: ``moment`` is naive (not stored, as in SQLite).

    """
    if moment.tzinfo is UTC:
        return moment  # the usual case: nothing to convert
    return load_time(dump_time(moment))


def owner_columns(key: UserKey | None) -> tuple[str, str, str]:
    """The ledger's owner columns of ``key`` (:data:`NOBODY` for ``None``)."""
    return NOBODY if key is None else (key.platform, key.workspace, key.user_id)


@dataclass(frozen=True, slots=True)
class SavedSession:
    """A conversation state as stored: the step and its data as JSON text."""

    step: str | None
    data: str


@dataclass(frozen=True, slots=True)
class Link:
    """An account acting as another identity since ``linked_at``."""

    canonical: UserKey
    linked_at: datetime


class Tables:
    """Every in-memory table, and the last id given out per table (ids are never reused).

    Each concern of :class:`storage.memory.MemoryStorage` derives from this class; the store
    combines them over one set of tables. Records that callers may change (users, sessions,
    assessments) are copied on the way in and out; the others are frozen.
    """

    def __init__(self) -> None:
        self._users: dict[UserKey, User] = {}
        self._sessions: dict[UserKey, SavedSession] = {}
        self._updates: dict[str, str] = {}
        self._assessments: dict[int, AssessmentRecord] = {}
        self._answers: dict[int, dict[str, AnswerRecord]] = {}
        self._events: dict[str, Event] = {}
        self._subscriptions: dict[int, Subscription] = {}
        # (owner, kind, target, region) -> id: finding a duplicate must not read them all.
        self._subscription_ids: dict[tuple[UserKey, str, str, str | None], int] = {}
        self._ledger: dict[tuple[str, tuple[str, str, str]], datetime] = {}
        self._offsets: dict[UserKey, tuple[int, ...]] = {}
        self._status: dict[tuple[UserKey, str], StatusDate] = {}
        self._actions: dict[int, ActionItem] = {}
        self._codes: dict[str, OneTimeCode] = {}
        self._links: dict[UserKey, Link] = {}
        self._feeds: dict[str, FeedState] = {}
        self._changes: list[ContentChange] = []
        self._web_tokens: dict[str, WebToken] = {}
        self._consents: dict[UserKey, Consent] = {}
        self._last_ids: dict[str, int] = {}

    def _next_id(self, table: str) -> int:
        """A new id for ``table``: one more than the last given out, deleted or not."""
        self._last_ids[table] = self._last_ids.get(table, 0) + 1
        return self._last_ids[table]
