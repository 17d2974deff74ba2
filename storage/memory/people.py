"""Users, conversation states and the update log in memory."""

from __future__ import annotations

from datetime import datetime

from bot.core.events import UserKey
from bot.core.records import SessionState, User
from storage.codec import dump_object, dump_time, load_object
from storage.memory.tables import SavedSession, Tables, utc


class MemoryPeople(Tables):
    """The :class:`UserStore`, :class:`SessionStore` and :class:`UpdateLog` ports."""

    async def get_user(self, key: UserKey) -> User | None:
        """Return a copy of the user or ``None``."""
        user = self._users.get(key)
        return None if user is None else User(user.key, user.locale, user.created_at, user.active)

    async def save_user(self, user: User) -> None:
        """Insert or update locale and activity (``created_at`` is kept from the first save)."""
        existing = self._users.get(user.key)
        created = existing.created_at if existing else utc(user.created_at)
        self._users[user.key] = User(user.key, user.locale, created, user.active)

    async def load_session(self, key: UserKey) -> SessionState:
        """Return a copy of the state, or an empty one."""
        saved = self._sessions.get(key)
        if saved is None:
            return SessionState()
        return SessionState(step=saved.step, data=load_object(saved.data))

    async def save_session(self, key: UserKey, state: SessionState) -> None:
        """Store a copy of the state."""
        self._sessions[key] = SavedSession(state.step, dump_object(state.data))

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
