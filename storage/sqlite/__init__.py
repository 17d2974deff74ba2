"""SQLite stores in one file, in WAL mode, migrated at start-up: a module per concern."""

from __future__ import annotations

from typing import Any

from bot.core.events import UserKey
from bot.errors import StorageError
from storage.export import user_export
from storage.sqlite.assessments import SqliteAssessments
from storage.sqlite.caches import DEFAULT_CACHE_SIZE, Caches
from storage.sqlite.collaboration import SqliteActionPlans, SqliteCodes, SqliteIdentityLinks
from storage.sqlite.database import Database
from storage.sqlite.feeds import SqliteContentChanges, SqliteFeeds, read_content_changes
from storage.sqlite.people import SqlitePeople
from storage.sqlite.privacy import SqliteErasure
from storage.sqlite.reminders import (
    SqliteEvents,
    SqliteLedger,
    SqliteReminderPrefs,
    SqliteSubscriptions,
)
from storage.sqlite.web import SqliteConsents, SqliteOverview, SqliteWebTokens

__all__ = ["DEFAULT_CACHE_SIZE", "SqliteStorage", "read_content_changes"]


class SqliteStorage(
    SqlitePeople,
    SqliteAssessments,
    SqliteEvents,
    SqliteSubscriptions,
    SqliteLedger,
    SqliteReminderPrefs,
    SqliteActionPlans,
    SqliteCodes,
    SqliteIdentityLinks,
    SqliteErasure,
    SqliteFeeds,
    SqliteContentChanges,
    SqliteWebTokens,
    SqliteConsents,
    SqliteOverview,
):
    """Every store in one SQLite file: the concerns over one :class:`Database` and its caches.

    When a write method returns, its data is committed and survives a killed process. What a
    conversation turn reads (the account's link, the user, the conversation state, the
    assessment on screen and its answers) is also kept in bounded caches (see
    ``storage.sqlite.caches``), so only one process may write the file: :meth:`open` takes
    the file's lock (see ``storage.ownership``).
    """

    def __init__(self, db: Database, caches: Caches) -> None:
        super().__init__(db, caches)
        self.path = db.path

    @classmethod
    async def open(
        cls, path: str, cache_size: int = DEFAULT_CACHE_SIZE, *, exclusive: bool = True
    ) -> SqliteStorage:
        """Lock, open (creating if needed) and migrate the database at ``path``.

        ``cache_size`` bounds the caches (people and assessments); 0 turns them off.
        ``exclusive=False`` skips the lock: only for a second view of a file this process
        owns already (tests compare the owner's caches with the file through one).

        Raises:
            DatabaseInUse: another process (or another exclusive store) owns the file.
            StorageUnavailable: the file or its directory cannot be created or read, or the
                file is not a SQLite database.

        """
        return cls(await Database.open(path, exclusive=exclusive), Caches(cache_size))

    async def export_user(self, key: UserKey) -> dict[str, Any]:
        """Return everything stored about ``key`` (the same export as every store)."""
        return await user_export(self, key)

    async def schema_version(self) -> int:
        """Return ``PRAGMA user_version`` (the number of the last applied migration)."""
        return await self._db.schema_version()

    async def wait_lost(self) -> StorageError:
        """Wait until the database file is found deleted or replaced, and return the error."""
        return await self._db.wait_lost()

    async def close(self) -> None:
        """Commit the queued writes, close the connections, give the file's lock back (once)."""
        await self._db.close()
