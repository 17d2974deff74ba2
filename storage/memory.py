"""In-memory stores: the reference implementation, used by tests.

Values are copied (JSON round trip) on every read and write, so a caller that mutates what
it got back sees the same behaviour as with SQLite.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.events import UserKey
from bot.core.ports import SessionState, User
from storage.codec import dump_object, dump_time, load_object, load_time


class MemoryStorage:
    """Users, sessions and the update log in dictionaries."""

    def __init__(self) -> None:
        self._users: dict[UserKey, tuple[str, str]] = {}
        self._sessions: dict[UserKey, tuple[str | None, str]] = {}
        self._updates: dict[str, str] = {}

    async def close(self) -> None:
        """Nothing to release."""

    async def get_user(self, key: UserKey) -> User | None:
        """Return the user or ``None``."""
        row = self._users.get(key)
        if row is None:
            return None
        return User(key=key, locale=row[0], created_at=load_time(row[1]))

    async def save_user(self, user: User) -> None:
        """Insert or update the user's locale (``created_at`` is kept from the first save)."""
        existing = self._users.get(user.key)
        created = existing[1] if existing else dump_time(user.created_at)
        self._users[user.key] = (user.locale, created)

    async def load_session(self, key: UserKey) -> SessionState:
        """Return a copy of the state, or an empty one."""
        row = self._sessions.get(key)
        if row is None:
            return SessionState()
        return SessionState(step=row[0], data=load_object(row[1]))

    async def save_session(self, key: UserKey, state: SessionState) -> None:
        """Store a copy of the state."""
        self._sessions[key] = (state.step, dump_object(state.data))

    async def seen(self, update_key: str) -> bool:
        """Return whether the id was remembered."""
        return update_key in self._updates

    async def remember(self, update_key: str, at: datetime) -> None:
        """Remember the id (first time wins)."""
        self._updates.setdefault(update_key, dump_time(at))

    async def forget_before(self, cutoff: datetime) -> int:
        """Drop ids older than ``cutoff``."""
        limit = dump_time(cutoff)
        old = [k for k, at in self._updates.items() if at < limit]
        for k in old:
            del self._updates[k]
        return len(old)
