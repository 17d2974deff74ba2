"""Checks on raw user input before any feature sees it (pure functions)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.core.events import Command
from bot.core.folding import fold

COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
MAX_PAYLOAD_BYTES = 64
#: Largest file the adapters download for the core (an .ics calendar is a few KB).
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why an input was refused: a text key and its parameters."""

    key: str
    params: tuple[tuple[str, object], ...] = ()


def parse_command(text: str) -> Command | None:
    """Read a typed ``/name arg1 arg2`` as a command; ``None`` when the text is not one.

    The name is lower-cased and kept as typed otherwise (the dispatcher checks it, so
    ``/ocena@klaster_bot`` keeps its ``@target`` for the Telegram adapter to judge). A slash
    with no name after it (``/``, ``/ ``) is not a command: it stays text. One space between
    the slash and the name is forgiven (``/ ocena``).
    """
    stripped = text.strip()
    if not stripped.startswith("/"):
        return None
    words = stripped[1:].split()
    if not words:
        return None
    name, *args = words
    return Command(name.lower(), tuple(args))


def clean_text(text: str) -> str:
    """Drop control characters (keeping newlines and tabs) and surrounding whitespace."""
    kept = (
        c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs", "Cn", "Co")
    )
    return "".join(kept).strip()


def check_text(text: str, max_chars: int) -> Rejection | None:
    """Return why a cleaned text cannot be used, or ``None`` when it can."""
    if not text:
        return Rejection("errors.empty")
    if len(text) > max_chars:
        return Rejection("errors.too_long", (("limit", max_chars),))
    return None


def check_payload(payload: str) -> bool:
    """Return whether a button payload is well-formed enough to route."""
    return (
        0 < len(payload.encode("utf-8", "surrogatepass")) <= MAX_PAYLOAD_BYTES
        and payload.isprintable()
        and ":" in payload
    )


_WORD = re.compile(r"[^\W_]+")
_NUMBER_LIKE = re.compile(r"[\d\s.,:/\-–%]+")


def is_number_like(text: str) -> bool:
    """Whether ``text`` is only a number, a date or an id ("3", "2.1.1", "10.03.2026")."""
    return bool(_NUMBER_LIKE.fullmatch(text.strip()))


def question_word(
    text: str, interrogatives: frozenset[str], fillers: frozenset[tuple[str, ...]] = frozenset()
) -> str | None:
    """The question word ``text`` opens with, after fillers ("a", "dzień dobry"), or ``None``.

    "a co to jest KKK" opens with "co"; "Dzień dobry, kiedy nabór" with "kiedy". Words are
    folded (``bot.core.folding.fold``), as ``interrogatives`` and ``fillers`` must be.
    """
    words = [fold(w) for w in _WORD.findall(text)]
    start, moved = 0, True
    while moved:
        moved = False
        for filler in sorted(fillers, key=len, reverse=True):
            if tuple(words[start : start + len(filler)]) == filler:
                start += len(filler)
                moved = True
                break
    return words[start] if start < len(words) and words[start] in interrogatives else None
