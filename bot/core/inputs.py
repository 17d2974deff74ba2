"""Checks on raw user input before any feature sees it (pure functions)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


def looks_like_question(text: str, interrogatives: frozenset[str]) -> bool:
    """Whether ``text`` plainly asks something: a question mark, or a question word first.

    ``interrogatives`` are folded question words ("ile", "czy", "jak", "what", …); the
    folding is the caller's (``bot.core.folding.fold``).
    """
    if "?" in text:
        return True
    words = _WORD.findall(text)
    return bool(words) and fold(words[0]) in interrogatives
