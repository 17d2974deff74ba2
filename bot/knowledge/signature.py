"""A message's signature: the closing it ends with and the name under it are not asked.

People paste e-mails: "Ile kosztuje srebro?", a blank line, "Z poważaniem", "Jan Nowak". The name
under the closing made the question longer than it is and could change the fact that leads.
A closing (``closings`` in ``content/knowledge.yaml``) is a signature's start when it is the
last one in the message, opens a sentence or a line, follows something that is more than a
greeting, and what comes after it is a signature's: no question mark, no postscript, at most
``MAX_WORDS`` words, each a name (capitalised), a number, a short word ("dr", "ICT") or an
abbreviation ("prof.", "tel."), e-mail and web addresses aside. So "Pozdrawiam wszystkich! Ile
kosztuje …?", "Cheers, what is ESCA Gold" and "… Pozdrawiam. PS kiedy nabór FENG" keep what
they ask. Before that, the footer a mail or chat app adds ("Sent from my iPhone", "Wysłane z
iPhone'a": ``footers``) goes, when it is on a line of its own at the very end with at most
``FOOTER_WORDS`` words after its beginning and no question mark. The work is linear in the
message's length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.folding import either_spelling

#: The most words a signature holds after its closing ("prof. dr hab. Anna Nowak, Prezes
#: Zarządu Klastra X" is ten).
MAX_WORDS = 12
#: The most words after a footer's beginning ("Sent from my" + "Samsung Galaxy smartphone").
FOOTER_WORDS = 4
_WORD = re.compile(r"[^\W_]+")
_LETTER = re.compile(r"[^\W\d_]")
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+", re.IGNORECASE)
_POSTSCRIPT = frozenset({"ps", "pps"})
_SENTENCE_END = ".!?…\n"


def alternatives(phrases: Iterable[str]) -> str:
    """A regular-expression alternation of ``phrases``, the longest first.

    Each matches with or without its Polish letters (``either_spelling``).
    """
    return "|".join(either_spelling(p) for p in sorted(phrases, key=len, reverse=True))


def courtesy_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """Greetings and framing ("Dzień dobry", "mam pytanie:") as whole words; none: nothing."""
    found = alternatives(phrases)
    return re.compile(rf"(?<!\w)(?:{found})(?!\w)" if found else r"(?!x)x", re.IGNORECASE)


class Signature:
    """Finds the signature a message ends with."""

    def __init__(
        self, closings: Iterable[str], courtesy: re.Pattern[str], footers: Iterable[str] = ()
    ) -> None:
        """``courtesy``: greetings and framing, which alone are no question to keep."""
        words = alternatives(closings)
        self._closing = re.compile(rf"(?<![^\W_])(?:{words})(?![^\W_])", re.I) if words else None
        self._courtesy = courtesy
        starts = alternatives(footers)
        self._footer = re.compile(rf"\n[ \t]*(?:{starts})(?![^\W_])", re.I) if starts else None

    def cut(self, text: str) -> str:
        """``text`` without the app's footer and the signature it ends with."""
        text = self._without_footer(text)
        found = list(self._closing.finditer(text)) if self._closing else []
        if not found:
            return text
        last = found[-1]
        before, tail = text[: last.start()], text[last.end() :]
        return before if self._opens(before) and _signs(tail) else text

    def _without_footer(self, text: str) -> str:
        """``text`` without an app's footer on the last line that holds anything."""
        if self._footer is None:
            return text
        body = text.rstrip()
        line = body.rfind("\n")
        found = self._footer.match(body, line) if line >= 0 else None
        if found is None:
            return text
        rest = body[found.end() :]
        if "?" in rest or len(_WORD.findall(rest)) > FOOTER_WORDS:
            return text
        return body[:line]

    def _opens(self, before: str) -> bool:
        """Whether a closing after ``before`` opens a sentence after something asked."""
        told = before.rstrip(" \t")
        if told and told[-1] not in _SENTENCE_END:
            return False
        return _LETTER.search(self._courtesy.sub(" ", told)) is not None


def _signs(tail: str) -> bool:
    """Whether what follows a closing is a signature's (names, titles, numbers, addresses)."""
    tail = _ADDRESS.sub(" ", tail)
    if "?" in tail:
        return False
    words = list(_WORD.finditer(tail))
    if len(words) > MAX_WORDS:
        return False
    for word in words:
        written = word.group()
        if written.lower() in _POSTSCRIPT:
            return False
        abbreviated = tail[word.end() : word.end() + 1] == "."
        if not (written[0].isupper() or written.isdigit() or len(written) <= 3 or abbreviated):
            return False
    return True
