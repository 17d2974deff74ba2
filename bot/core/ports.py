"""The seams between the core and the outside: stores, the clock and the messenger.

Each port is a small ``typing.Protocol``. ``storage.memory`` and ``storage.sqlite`` implement
every store; the adapters implement :class:`Messenger`; :mod:`bot.core.clock` the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.core.events import Address, Reply, UserKey


@dataclass(slots=True)
class User:
    """A person we have met: their platform identity, chosen language and first contact."""

    key: UserKey
    locale: str
    created_at: datetime


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
        """Insert the user or update their locale; committed when this returns."""
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
