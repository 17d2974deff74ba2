"""One owner per SQLite file: an exclusive lock beside it, and a watch on the file's identity.

The stores cache what the file holds and one writer groups the commits, so a second process
on the same file would read stale state and overwrite the first one's writes. The owner
therefore holds ``flock`` on ``<database>.lock`` (which names its pid and host) while the
database is open; the kernel drops the lock when the process ends, however it ends, so a
killed owner never blocks the next start. The lock file itself stays: removing it would let
a process that opened the old one and a process that creates a new one both "own" the file;
so a lock file removed or replaced under a running owner counts as losing the database.

The owner also remembers which file it opened (device and inode). Once the path names
another file, or none, every commit lands in a file nobody will read again; :meth:`check`
says so, and keeps saying so. Our WAL and its index then must not stay beside the path:
SQLite would read them as part of whatever file is there now (a restored copy) or is
created next (:meth:`discard_sidecars`).
"""

from __future__ import annotations

import fcntl
import os
import socket
from contextlib import suppress

from bot.errors import DatabaseInUse, DatabaseLost

#: Appended to the database path to name its lock file.
LOCK_SUFFIX = ".lock"
#: The files SQLite keeps beside a database in WAL mode, found by the database's path.
SIDECAR_SUFFIXES = ("-wal", "-shm")

#: What tells one file from another on this machine: device and inode.
FileIdentity = tuple[int, int]


def identity_of(path: str) -> FileIdentity:
    """The identity of the file ``path`` names now (``OSError`` when none)."""
    stat = os.stat(path)
    return stat.st_dev, stat.st_ino


class Ownership:
    """A process's claim on a database file: the lock and the file's identity."""

    def __init__(self, path: str, lock_fd: int | None) -> None:
        self.path = path
        self._lock_fd = lock_fd
        self._lock: FileIdentity | None = None
        if lock_fd is not None:
            stat = os.fstat(lock_fd)
            self._lock = stat.st_dev, stat.st_ino
        self._identity: FileIdentity | None = None
        self._sidecars: dict[str, FileIdentity] = {}
        self._lost: DatabaseLost | None = None
        self._file_gone = False  # lost with the file itself (not only its lock file)

    @property
    def lost(self) -> DatabaseLost | None:
        """Why the file is lost, once :meth:`check` found it so."""
        return self._lost

    @classmethod
    def claim(cls, path: str) -> Ownership:
        """Take the database's lock without waiting and write our pid and host into it.

        Raises:
            DatabaseInUse: another process (or another open store in this one) holds it.
            OSError: the lock file cannot be created or written.

        """
        lock_path = lock_path_of(path)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid, host = _read_owner(fd)
            os.close(fd)
            raise DatabaseInUse(path, pid, host) from None
        except BaseException:
            os.close(fd)
            raise
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {socket.gethostname()}\n".encode(), 0)
        except BaseException:
            os.close(fd)  # closing the descriptor releases the lock
            raise
        return cls(path, fd)

    @classmethod
    def unclaimed(cls, path: str) -> Ownership:
        """A watch on the file's identity without the lock (a second view of an owned file)."""
        return cls(path, None)

    def remember_file(self) -> None:
        """Note which files the path names now: the ones the connections have just opened.

        Raises:
            OSError: the database file cannot be found.

        """
        self._identity = identity_of(self.path)
        for suffix in SIDECAR_SUFFIXES:
            with suppress(FileNotFoundError):
                self._sidecars[suffix] = identity_of(self.path + suffix)

    def check(self) -> None:
        """Raise when the path no longer names the file that was opened (sticky).

        Safe from any thread: it only reads the file system and sets one attribute.

        Raises:
            DatabaseLost: the file was deleted, replaced, or cannot be looked at any more.

        """
        if self._lost is not None:
            raise self._lost.with_traceback(None)
        if self._identity is None:
            return
        reason = _changed(self.path, self._identity)
        self._file_gone = reason is not None
        if reason is None and self._lock is not None:
            # Without its lock file, a second process could take the database any moment.
            lock = _changed(lock_path_of(self.path), self._lock)
            reason = f"lost its lock file, which {lock}" if lock else None
        if reason is None:
            return
        self._lost = DatabaseLost(self.path, reason)
        raise self._lost

    def discard_sidecars(self) -> None:
        """Once the file is lost, remove our WAL and WAL index from beside its path.

        Only files that are still the ones opened go: whatever another program put there since
        stays. Copy the WAL into the lost file first (a checkpoint), or its last commits go.
        """
        if not self._file_gone:
            return  # the path is still ours: these files hold its latest commits
        for suffix, identity in self._sidecars.items():
            name = self.path + suffix
            with suppress(OSError):
                if identity_of(name) == identity:
                    os.unlink(name)

    def release(self) -> None:
        """Give the lock up (once); the lock file stays for the next owner."""
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            os.close(fd)


def _changed(path: str, identity: FileIdentity) -> str | None:
    """Why ``path`` no longer names the file ``identity`` (``None`` while it does)."""
    try:
        now = identity_of(path)  # one stat: a few µs, a commit about 100
    except FileNotFoundError:
        return "was deleted or moved away"
    except OSError as exc:
        return f"cannot be checked any more ({exc.strerror or exc})"
    return None if now == identity else "was replaced by another file"


def lock_path_of(path: str) -> str:
    """The lock file of a database: beside the real file, whatever link leads to it."""
    return os.path.realpath(path) + LOCK_SUFFIX


def _read_owner(fd: int) -> tuple[int | None, str | None]:
    """The pid and host the holder wrote into the lock file, as far as they can be read."""
    try:
        words = os.pread(fd, 512, 0).decode("utf-8", "replace").split()
    except OSError:
        return None, None
    pid = int(words[0]) if words and words[0].isdigit() else None
    host = words[1] if len(words) > 1 else None
    return pid, host
