"""Case and diacritic folding for matching what people type (``Łódź`` → ``lodz``)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence


def _strip(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


#: Latin letters with diacritics (Latin-1 and Extended-A) mapped once to their plain forms;
#: ``ł`` has no decomposition and is mapped by hand.
_TABLE = {cp: _strip(chr(cp)) for cp in range(0xC0, 0x250) if _strip(chr(cp)) != chr(cp)}
_TABLE.update({ord("ł"): "l", ord("Ł"): "L"})


#: How many characters' folded forms are remembered at most.
_KEPT = 4096


class _Folding(dict[int, str]):
    """Every character's folded form, each worked out the first time it is met.

    A character decomposes by itself, so folding a text character by character is folding
    it whole; most texts hold a few characters outside ASCII („”, –) that stay as they are.
    At most ``_KEPT`` characters are remembered, however many kinds a user sends.
    """

    def __missing__(self, codepoint: int) -> str:
        folded = _strip(chr(codepoint))
        if len(self) < _KEPT:
            self[codepoint] = folded
        return folded


_FOLDING = _Folding(_TABLE)


def fold(text: str) -> str:
    """Lower-case and strip diacritics (and compatibility forms: "ﬁ" → "fi")."""
    lowered = text.lower()
    return lowered if lowered.isascii() else lowered.translate(_FOLDING)


def fold_letters(lowered: str) -> str:
    """Strip the diacritics of Latin letters from a lower-case word (fast; no NFKD)."""
    return lowered.translate(_TABLE)


def either_spelling(phrase: str) -> str:
    """A regular expression matching ``phrase`` with or without its diacritics, letter by letter.

    "proszę o informację" matches "prosze o informacje" and "proszę o informacje" too (with
    ``re.IGNORECASE``, any case). A typographic apostrophe matches a straight one.
    """
    parts = []
    for char in phrase:
        plain = fold_letters(char.lower())
        if char in "'’":
            parts.append("['’]")
        elif plain != char.lower():
            parts.append(f"[{re.escape(char)}{re.escape(plain)}]")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def plain_label(label: str) -> str:
    """A label as one would type it: no emoji or marks, no Polish letters, any case.

    "✅ Spełnia" is pressed by typing "spelnia" as well as "Spełnia".
    """
    words = "".join(c if c.isalnum() or c.isspace() else " " for c in label)
    return " ".join(fold(words).split())


@functools.lru_cache(maxsize=4096)
def _plain_words(label: str) -> tuple[str, tuple[str, ...]]:
    plain = plain_label(label)
    return plain, tuple(plain.split())


def match_label(typed: str, labels: Sequence[str]) -> int | None:
    """Which of ``labels`` a typed text presses: its index, or ``None``.

    The whole label as one would type it ("spelnia" for "✅ Spełnia") wins; otherwise the
    words typed must stand together in exactly one label ("rozwoju" for "faza rozwoju",
    "wstecz" for "⬅️ Wstecz"); "nie", in "Nie spełnia" and "Nie wiem", presses nothing.
    """
    wanted = plain_label(typed)
    if not wanted:
        return None
    plain = [_plain_words(label) for label in labels]
    for i, (label, _) in enumerate(plain):
        if label == wanted:
            return i
    words = tuple(wanted.split())
    found = [
        i
        for i, (label, parts) in enumerate(plain)
        if wanted in label  # cheap first: most typed answers are in no label at all
        and any(parts[k : k + len(words)] == words for k in range(len(parts) - len(words) + 1))
    ]
    return found[0] if len(found) == 1 and len(wanted) >= 4 else None
