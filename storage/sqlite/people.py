"""Users, conversation states and the update log in SQLite."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.core.events import UserKey
from bot.core.records import SessionState, User
from storage.codec import dump_object, dump_time, load_object, load_time
from storage.sqlite.caches import StoredSession
from storage.sqlite.database import Concern

_SEEN = "SELECT 1 FROM processed_updates WHERE update_key = ?"
_BY_USER = "platform = ? AND workspace = ? AND user_id = ?"


class SqlitePeople(Concern):
    """The :class:`UserStore`, :class:`SessionStore` and :class:`UpdateLog` ports."""

    async def get_user(self, key: UserKey) -> User | None:
        """Return a copy of the user or ``None``."""
        users = self._caches.users
        if key in users:
            user = users[key]
        else:
            row = await self._first_row(
                key,
                f"SELECT locale, created_at, active FROM users WHERE {_BY_USER}",  # noqa: S608
            )
            user = None if row is None else User(key, row[0], load_time(row[1]), bool(row[2]))
            if self._caches.enabled:
                users[key] = user
        return None if user is None else User(user.key, user.locale, user.created_at, user.active)

    async def save_user(self, user: User) -> None:
        """Insert the user, or update the locale and activity of a known one."""
        k = user.key
        await self._db.execute(
            "INSERT INTO users (platform, workspace, user_id, locale, created_at, active) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, workspace, user_id) "
            "DO UPDATE SET locale = excluded.locale, active = excluded.active",
            (
                k.platform,
                k.workspace,
                k.user_id,
                user.locale,
                dump_time(user.created_at),
                int(user.active),
            ),
        )
        # The stored first contact wins over the one given: read the row back when needed.
        self._caches.users.pop(k, None)

    async def load_session(self, key: UserKey) -> SessionState:
        """Return a copy of the stored state or an empty one."""
        sessions = self._caches.sessions
        if key in sessions:
            stored = sessions[key]
        else:
            row = await self._first_row(
                key,
                f"SELECT step, data FROM sessions WHERE {_BY_USER}",  # noqa: S608
            )
            stored = None if row is None else StoredSession(row[0], row[1])
            if self._caches.enabled:
                sessions[key] = stored
        if stored is None:
            return SessionState()
        return SessionState(step=stored.step, data=load_object(stored.data))

    async def save_session(self, key: UserKey, state: SessionState) -> None:
        """Replace the stored state."""
        data = dump_object(state.data)
        await self._db.execute(
            "INSERT INTO sessions (platform, workspace, user_id, step, data) "
            "VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (platform, workspace, user_id) "
            "DO UPDATE SET step = excluded.step, data = excluded.data",
            (key.platform, key.workspace, key.user_id, state.step, data),
        )
        if self._caches.enabled:
            self._caches.sessions[key] = StoredSession(state.step, data)

    async def seen(self, update_key: str) -> bool:
        """Return whether the id was remembered.

        Every update asks this, and no cache can answer "not yet", so it is the one read of
        a turn that reaches the file: on the event loop, through the probe (see
        :meth:`Database.peek`).
        """
        rows = self._db.peek(_SEEN, (update_key,))
        if rows is None:
            rows = await self._db.all(_SEEN, (update_key,))
        return bool(rows)

    async def remember(self, update_key: str, at: datetime) -> None:
        """Remember the id (first time wins)."""
        await self._db.execute(
            "INSERT INTO processed_updates (update_key, seen_at) VALUES (?, ?) "
            "ON CONFLICT (update_key) DO NOTHING",
            (update_key, dump_time(at)),
        )

    async def forget_before(self, cutoff: datetime) -> int:
        """Drop ids older than ``cutoff``."""
        outcome = await self._db.execute(
            "DELETE FROM processed_updates WHERE seen_at < ?", (dump_time(cutoff),)
        )
        return outcome.rowcount

    async def _first_row(self, key: UserKey, sql: str) -> Any:
        """The first row of ``sql`` (selecting by the owner's columns), ``None`` if none."""
        rows = await self._fill(sql, (key.platform, key.workspace, key.user_id))
        return rows[0] if rows else None
