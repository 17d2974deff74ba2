"""The built knowledge base kept on disk between starts (``CLUSTERBOT_INDEX_CACHE``).

Indexing the cards, facts and example questions takes most of the knowledge load. Content
is still read and validated at every start; the index built from it is stored under a key
made of everything it is built from: the validated cards, facts, vocabulary and outside
questions, the stored lexicon and verb endings, this package's source code, the versions of
the libraries that shape it (word lists, lemmas, fuzzy matching, numpy, pydantic) and
Python's. Any change there gives another key, so a stored index is never out of date; the
files of other keys are removed when a new one is written.

The file is a pickle, so it is read only from a directory and a file that belong to the
process's user and that nobody else may write to; anything else, or a file that does not
load, is ignored and the index built again (a warning, never a stop).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

from bot.knowledge.retrieval import KnowledgeBase

log = logging.getLogger(__name__)

#: The libraries whose data or behaviour the built index depends on.
LIBRARIES = ("wordfreq", "simplemma", "rapidfuzz", "numpy", "pydantic", "pydantic-core")
_PREFIX = "knowledge-"
_SUFFIX = ".pickle"
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
    """A directory holding at most one stored knowledge base, under its key."""

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
        try:
            info = path.stat()
            folder = path.parent.stat()
        except OSError:
            return None  # not stored yet
        if not (_owned_and_private(info) and _owned_and_private(folder)):
            log.warning("index cache %s ignored: not ours alone to write", path)
            return None
        try:
            with path.open("rb") as file:
                loaded = pickle.load(file)  # noqa: S301 - our own file, checked above
        except Exception:  # a cut or foreign file may fail in any way while unpickling
            log.warning("index cache %s unreadable; building the index again", path, exc_info=True)
            return None
        if not isinstance(loaded, KnowledgeBase):
            log.warning("index cache %s holds no knowledge base; building it again", path)
            return None
        return loaded

    def _write(self, key: str, built: KnowledgeBase) -> None:
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
            try:
                with os.fdopen(handle, "wb") as file:
                    pickle.dump(built, file, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self.path(key))
                self.stored = self.path(key)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            for old in self.folder.glob(f"{_PREFIX}*{_SUFFIX}"):
                if old.name != self.path(key).name:
                    old.unlink(missing_ok=True)
        except (OSError, pickle.PicklingError) as exc:
            log.warning("index cache not written to %s: %s", self.folder, exc)


def _owned_and_private(info: os.stat_result) -> bool:
    """Whether a file or folder is the process user's and no one else may write to it."""
    owner = getattr(os, "getuid", lambda: info.st_uid)()
    return info.st_uid == owner and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
