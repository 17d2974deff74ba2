"""The built knowledge base kept on disk between starts (``CLUSTERBOT_INDEX_CACHE``).

Indexing the cards, facts and example questions takes most of the knowledge load. Content
is still read and validated at every start; the index built from it is stored under a key
made of everything it is built from: the validated cards, facts, vocabulary and outside
questions, the stored lexicon and verb endings, this package's source code, the versions of
the libraries that shape it (word lists, lemmas, fuzzy matching, numpy, pydantic) and
Python's. Any change there gives another key, so a stored index is never out of date; of
the other keys' files, the newest few are kept (two versions sharing the folder) and the
rest removed when a new one is written.

The file is a pickle, so it is read only from a directory and a file that belong to the
process's user and that nobody else may write to, checked on the handles it is read
through; anything else, or a file that does not load, is ignored and the index built again
(a warning, never a stop).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

from bot.knowledge.retrieval import KnowledgeBase

log = logging.getLogger(__name__)

#: The libraries whose data or behaviour the built index depends on.
LIBRARIES = ("wordfreq", "simplemma", "rapidfuzz", "numpy", "pydantic", "pydantic-core")
#: How many keys' indexes are kept (two checkouts or versions sharing the folder).
KEPT = 3
_PREFIX = "knowledge-"
_SUFFIX = ".pickle"
_TEMPORARY = ".tmp-"
_LOOSE_FOLDER = (
    "index cache %s not used: the folder must be this user's alone to write (chmod go-w)"
)
_PACKAGE = Path(__file__).resolve().parent


def code_fingerprint(package: Path = _PACKAGE) -> bytes:
    """What the index's making depends on besides content: our code, libraries, Python."""
    digest = hashlib.sha256(sys.version.encode())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version};".encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.digest()


def cache_key(parts: Iterable[bytes], code: bytes | None = None) -> str:
    """The key of an index built from ``parts`` (content) by ``code`` (ours by default)."""
    digest = hashlib.sha256(code_fingerprint() if code is None else code)
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:32]


class IndexCache:
    """A directory holding the stored knowledge bases of the last few keys."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        #: The file the last knowledge base was read from or written to (None: neither).
        self.stored: Path | None = None

    def path(self, key: str) -> Path:
        """Where the index of ``key`` is stored."""
        return self.folder / f"{_PREFIX}{key}{_SUFFIX}"

    def knowledge_base(self, key: str, build: Callable[[], KnowledgeBase]) -> KnowledgeBase:
        """The stored index of ``key``, or one built now and stored (when the folder allows)."""
        self.stored = None
        stored = self._read(self.path(key))
        if stored is not None:
            self.stored = self.path(key)
            return stored
        built = build()
        self._write(key, built)
        return built

    def _read(self, path: Path) -> KnowledgeBase | None:
        """The knowledge base in ``path``, when the folder and the file are ours alone.

        Both are checked on the handles read through, not on their names: a folder or file
        swapped for another between the check and the reading is not read.
        """
        try:
            folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return None  # nothing stored yet
        try:
            if not _owned_and_private(os.fstat(folder)):
                log.warning(_LOOSE_FOLDER, path.parent)
                return None
            try:
                handle = os.open(path.name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder)
            except OSError:
                return None  # not stored under this key (or a link, which is not read)
            with os.fdopen(handle, "rb") as file:
                if not _owned_and_private(os.fstat(file.fileno())):
                    log.warning("index cache %s ignored: not this user's alone to write", path)
                    return None
                loaded = pickle.load(file)  # noqa: S301 - our own file, checked above
        except Exception:  # a cut or foreign file may fail in any way while unpickling
            log.warning("index cache %s unreadable; building the index again", path, exc_info=True)
            return None
        finally:
            os.close(folder)
        if not isinstance(loaded, KnowledgeBase):
            log.warning("index cache %s holds no knowledge base; building it again", path)
            return None
        return loaded

    def _write(self, key: str, built: KnowledgeBase) -> None:
        """Store ``built`` under ``key``; keep the other most recent ``KEPT`` keys' files."""
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _owned_and_private(self.folder.stat()):  # it would not be read back
                log.warning(_LOOSE_FOLDER, self.folder)
                return
            handle, temporary = tempfile.mkstemp(prefix=_TEMPORARY, dir=self.folder)
            try:
                with os.fdopen(handle, "wb") as file:
                    pickle.dump(built, file, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self.path(key))
                self.stored = self.path(key)
            finally:
                Path(temporary).unlink(missing_ok=True)
            self._tidy()
        except Exception as exc:  # storing is an optimisation: never a reason not to start
            log.warning("index cache not written to %s: %s", self.folder, exc)

    def _tidy(self) -> None:
        """Remove all but the ``KEPT`` newest indexes, and what a killed writer left."""
        stored = sorted(self.folder.glob(f"{_PREFIX}*{_SUFFIX}"), key=_modified, reverse=True)
        left = [p for p in self.folder.glob(f"{_TEMPORARY}*") if time.time() - _modified(p) > 3600]
        for old in [*stored[KEPT:], *left]:
            old.unlink(missing_ok=True)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _owned_and_private(info: os.stat_result) -> bool:
    """Whether a file or folder is the process user's and no one else may write to it."""
    owner = getattr(os, "getuid", lambda: info.st_uid)()
    return info.st_uid == owner and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
