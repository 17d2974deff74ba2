"""Where the console keeps the files a chat platform would send: a folder the user can open."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

#: Anything but letters (Polish ones too), digits, ``.``, ``-`` and ``_`` becomes ``_``.
_UNSAFE = re.compile(r"[^\w.\-]+")
#: Names Windows refuses for a file whatever its extension (the folder may be shared).
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)), *(f"LPT{n}" for n in range(10))}
)
_MAX_STEM = 100
_MAX_SUFFIX = 12
_MAX_COPIES = 10_000


def safe_name(name: str, fallback: str) -> str:
    """A file name that stays inside the folder and opens anywhere.

    Directories, control characters, spaces and punctuation are dropped or become ``_``; a
    leading dot (a hidden file, ``..``) is removed; the stem is cut to 100 characters and
    the extension kept. ``fallback`` is used when nothing is left.
    """
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    base = _UNSAFE.sub("_", base).strip("._-")
    if not base:
        base = fallback
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem or len(suffix) > _MAX_SUFFIX:
        stem, suffix = base, ""
    stem = stem[:_MAX_STEM].rstrip("._-") or fallback.partition(".")[0]
    if stem.upper() in _RESERVED:
        stem += "_"
    return f"{stem}.{suffix}" if suffix else stem


class FileShelf:
    """Saves files into one folder (created when first needed), never over an older one."""

    def __init__(self, directory: Path, cwd: Path | None = None) -> None:
        """Keep files in ``directory``; paths inside ``cwd`` (default: now's) print relative."""
        self.directory = directory
        self._cwd = (cwd or Path.cwd()).resolve()

    def save(self, name: str, data: bytes) -> Path:
        """Write ``data`` as ``name`` (made safe); ``name-2.ext``, ``name-3.ext`` … if taken.

        Raises:
            OSError: the folder cannot be created or the file written.

        """
        self.directory.mkdir(parents=True, exist_ok=True)
        stem, dot, suffix = name.rpartition(".")
        if not dot:
            stem, suffix = name, ""
        for copy in range(1, _MAX_COPIES + 1):
            candidate = name if copy == 1 else f"{stem}-{copy}{dot}{suffix}"
            path = self.directory / candidate
            try:
                # "x": created here or not at all, so two saves never share a file.
                file = path.open("xb")
            except FileExistsError:
                continue
            try:
                with file:
                    file.write(data)
            except OSError:
                path.unlink(missing_ok=True)  # no half-written file left (a full disk)
                raise
            return path
        raise FileExistsError(os.fspath(self.directory / name))

    def shown(self, path: Path) -> str:
        """The path to print: relative to the working directory when inside it."""
        full = path.resolve()
        try:
            return os.fspath(full.relative_to(self._cwd))
        except ValueError:
            return os.fspath(full)
