"""Users, conversation states and the update log in PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from bot.core.events import UserKey
from bot.core.records import SessionState, User
from storage.codec import dump_object, load_object
from storage.postgres.database import Concern, utc

_BY_USER = "platform = $1 AND workspace = $2 AND user_id = $3"


class PostgresPeople(Concern):
    """The :class:`UserStore`, :class:`SessionStore` and :class:`UpdateLog` ports."""

    async def get_user(self, key: UserKey) -> User | None:
        """Return the user or ``None``."""
        row = await self._db.one(
            f"SELECT locale, created_at, active FROM users WHERE {_BY_USER}",  # noqa: S608
            key.platform,
            key.workspace,
            key.user_id,
        )
        return None if row is None else User(key, row[0], row[1], row[2])

    async def save_user(self, user: User) -> None:
        """Insert the user, or update the locale and activity of a known one.

        Raises:
            ValueError: ``user.created_at`` is naive (nothing is stored).

        """
        k = user.key
        await self._db.execute(
            "INSERT INTO users (platform, workspace, user_id, locale, created_at, active) "
            "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (platform, workspace, user_id) "
            "DO UPDATE SET locale = excluded.locale, active = excluded.active",
            k.platform,
            k.workspace,
            k.user_id,
            user.locale,
            utc(user.created_at),
            user.active,
        )

    async def load_session(self, key: UserKey) -> SessionState:
        """Return the stored state (parsed afresh: the caller's own) or an empty one."""
        row = await self._db.one(
            f"SELECT step, data FROM sessions WHERE {_BY_USER}",  # noqa: S608
            key.platform,
            key.workspace,
            key.user_id,
        )
        if row is None:
            return SessionState()
        return SessionState(step=row[0], data=load_object(row[1]))

    async def save_session(self, key: UserKey, state: SessionState) -> None:
        """Replace the stored state.

        Raises:
            TypeError: ``state.data`` holds a value JSON cannot (nothing is stored).

        """
        await self._db.execute(
            "INSERT INTO sessions (platform, workspace, user_id, step, data) "
            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (platform, workspace, user_id) "
            "DO UPDATE SET step = excluded.step, data = excluded.data",
            key.platform,
            key.workspace,
            key.user_id,
            state.step,
            dump_object(state.data),
        )

    async def seen(self, update_key: str) -> bool:
        """Return whether the id was remembered (by any worker)."""
        row = await self._db.one(
            "SELECT 1 FROM processed_updates WHERE update_key = $1", update_key
        )
        return row is not None

    async def remember(self, update_key: str, at: datetime) -> None:
        """Remember the id (first time wins)."""
        await self._db.execute(
            "INSERT INTO processed_updates (update_key, seen_at) VALUES ($1, $2) "
            "ON CONFLICT (update_key) DO NOTHING",
            update_key,
            utc(at),
        )

    async def forget_before(self, cutoff: datetime) -> int:
        """Drop ids older than ``cutoff``; return how many."""
        return await self._db.execute(
            "DELETE FROM processed_updates WHERE seen_at < $1", utc(cutoff)
        )
