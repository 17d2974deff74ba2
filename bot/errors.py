"""The one exception tree of the assistant.

::

    BotError
    ├── ConfigError            settings from the environment are unusable
    ├── ContentError           a file under content/ is missing or invalid (file, field)
    ├── StorageError           the database misbehaves
    │   ├── StorageUnavailable the database cannot be opened (path, reason)
    │   │   └── DatabaseInUse  another process owns the file (path, pid, host)
    │   ├── DatabaseLost       the file was deleted or replaced while open (path, reason)
    │   ├── RecordNotFound     a write names a record that is not stored (kind, id)
    │   └── DuplicateRecord    a new record's key is taken already (kind, key)
    └── DeliveryError          a platform refused to take a message
        ├── RecipientUnavailable  the user blocked the bot or left (do not retry)
        └── RateLimited           the platform asked us to wait (retry_after seconds)

SDK errors are translated into these at the adapter boundary (``raise ... from exc``).
"""

from __future__ import annotations


class BotError(Exception):
    """Root of every error the assistant raises on purpose."""


class ConfigError(BotError):
    """The settings taken from the environment cannot be used."""


class ContentError(BotError):
    """A content file is missing or invalid.

    Attributes:
        file: path of the offending file, relative to the content directory when possible.
        field: dotted location of the bad value inside the file ("" for the whole file).
        reason: what is wrong, in words a content editor understands.

    """

    def __init__(self, file: str, field: str, reason: str) -> None:
        self.file = file
        self.field = field
        self.reason = reason
        where = f"{file}: {field}" if field else file
        super().__init__(f"{where}: {reason}")


class StorageError(BotError):
    """The database failed in a way the caller cannot fix."""


class StorageUnavailable(StorageError):
    """The database cannot be opened.

    Attributes:
        path: the database path from the settings.
        reason: the operating system's or SQLite's explanation.

    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot open the database at {path}: {reason}")


class DatabaseInUse(StorageUnavailable):
    """Another process holds the database file's lock: one process owns a SQLite file.

    Attributes:
        pid: the owner's process id as its lock file says (``None`` when unreadable).
        host: the owner's host name as its lock file says (``None`` when unreadable).

    """

    def __init__(self, path: str, pid: int | None, host: str | None) -> None:
        self.pid = pid
        self.host = host
        owner = f"pid {pid if pid is not None else '?'} on host {host or '?'}"
        super().__init__(
            path,
            f"another clusterbot process owns it ({owner}); one process serves a SQLite "
            "database; several workers need PostgreSQL (CLUSTERBOT_DATABASE_URL)",
        )


class DatabaseLost(StorageError):
    """The database file was deleted or replaced under the running bot.

    Writes would land in a file nobody will read again, so none is acknowledged any more.

    Attributes:
        path: the database path from the settings.
        reason: what happened to the file.

    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"the database file {path} {reason}; nothing more can be stored")


class DatabaseUnreachable(StorageError):
    """The database server cannot be reached for now (network, restart, failover).

    Nothing of the failed operation was stored; a later try may succeed, and the stores
    reconnect by themselves.
    """


class RecordNotFound(StorageError):
    """A write refers to a record that is not stored (an unknown or erased id).

    Attributes:
        kind: what kind of record, e.g. ``assessment``.
        id: the id that names none.

    """

    def __init__(self, kind: str, id: object) -> None:
        self.kind = kind
        self.id = id
        super().__init__(f"no {kind} {id!r} is stored")


class DuplicateRecord(StorageError):
    """A new record's key is taken already; the stored record stays as it was.

    Attributes:
        kind: what kind of record, e.g. ``code``.
        key: the key that is taken.

    """

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"a {kind} {key!r} is stored already")


class DeliveryError(BotError):
    """A platform did not accept a message we tried to send."""


class RecipientUnavailable(DeliveryError):
    """The recipient blocked the bot, left, or no longer exists; retrying will not help."""


class RateLimited(DeliveryError):
    """The platform asked us to slow down.

    Attributes:
        retry_after: seconds to wait before the next attempt.

    """

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(f"rate limited, retry after {retry_after:g} s")
