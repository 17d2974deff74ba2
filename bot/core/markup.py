"""The small text markup every reply uses, and its parser for the adapters.

Syntax: ``**bold**``, ``__italic__``, ``[label](https://url)``; a backslash makes the next
markup character literal. Lists are plain lines starting with ``•``. Anything a user typed
must pass through :func:`escape` before it is put into a reply.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

_SPECIAL = frozenset("\\*_[]()")
_REGIONAL = ("\U0001f1e6", "\U0001f1ff")  # regional indicator symbols, paired into flags
_ESCAPED = re.compile(r"\\([\\*_\[\]()])")
#: One token of markup, tried in this order; a run of plain text up to the next character
#: that may start markup, or any single character that did not.
_TOKEN = re.compile(
    r"\\(?P<escaped>[\\*_\[\]()])"
    r"|(?P<bold>\*\*)"
    r"|(?P<italic>__)"
    r"|(?P<link>\[(?P<label>(?:\\.|[^\]\\])*)\]\((?P<url>[^)\s]+)\))"
    r"|(?P<text>[^\\*_\[]+|(?s:.))",
)


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with one style; ``url`` is set for a link."""

    text: str
    bold: bool = False
    italic: bool = False
    url: str | None = None


def escape(text: str) -> str:
    """Make ``text`` show literally, whatever markup characters it contains."""
    return "".join("\\" + c if c in _SPECIAL else c for c in text)


def parse(markup: str) -> list[Span]:
    """Split markup into styled spans; unbalanced markers style the rest of the text."""
    return list(_parse(markup))


@functools.lru_cache(maxsize=4096)
def _parse(markup: str) -> tuple[Span, ...]:
    # Cached: the same questions and menus are rendered for every user, and adapters parse a
    # reply more than once (to measure it for splitting, then to render it).
    spans: list[Span] = []
    buf: list[str] = []
    bold = italic = False

    def flush() -> None:
        if buf:
            spans.append(Span("".join(buf), bold, italic))
            buf.clear()

    for m in _TOKEN.finditer(markup):
        kind = m.lastgroup
        if kind == "text":
            buf.append(m.group())
        elif kind == "escaped":
            buf.append(m.group("escaped"))
        elif kind == "bold":
            flush()
            bold = not bold
        elif kind == "italic":
            flush()
            italic = not italic
        else:  # a link
            flush()
            label = _ESCAPED.sub(r"\1", m.group("label"))
            spans.append(Span(label, bold, italic, m.group("url")))
    flush()
    return tuple(spans)


def to_plain(markup: str) -> str:
    """Render markup as plain text; a link shows as ``label (url)``."""
    out = []
    for span in parse(markup):
        if span.url and span.url != span.text:
            out.append(f"{span.text} ({span.url})")
        else:
            out.append(span.text)
    return "".join(out)


def visible_length(markup: str, measure: Callable[[str], int] = len) -> int:
    """Count what a reader sees (link addresses excluded), in code points or by ``measure``."""
    return sum(measure(span.text) for span in parse(markup))


def split(markup: str, limit: int, measure: Callable[[str], int] = len) -> list[str]:
    """Split markup into pieces of at most ``limit`` visible characters.

    Cuts at paragraph boundaries first, then at line ends, then at spaces, and only as a
    last resort inside a word. Adapters use it for platform message-size limits; ``measure``
    counts a text's length the platform's way (code points by default, UTF-16 units for
    Telegram) and must add up over characters.
    """
    if visible_length(markup, measure) <= limit:
        return [markup]
    pieces: list[str] = []
    for separator in ("\n\n", "\n", " "):
        parts = markup.split(separator)
        if len(parts) == 1:
            continue
        current = ""
        for part in parts:
            candidate = f"{current}{separator}{part}" if current else part
            if visible_length(candidate, measure) <= limit:
                current = candidate
                continue
            if current:
                pieces.append(current)
            if visible_length(part, measure) <= limit:
                current = part
            else:
                pieces.extend(split(part, limit, measure))
                current = ""
        if current:
            pieces.append(current)
        return pieces
    return _cut(markup, limit, measure)


def _cut(markup: str, limit: int, measure: Callable[[str], int]) -> list[str]:
    """Cut markup without separators between characters, keeping each piece's styles.

    It works on the parsed spans, so no cut falls inside an escape, a marker or a link, and
    a piece that starts inside bold text starts bold again. A character is never split (a
    UTF-16 surrogate pair stays whole) and a combining mark or joiner stays with the
    character before it.
    """
    pieces: list[list[Span]] = [[]]
    used = 0
    for span in parse(markup):
        text = span.text
        while text:
            fits = _fitting(text, limit - used, measure)
            if fits == 0 and used == 0:
                # One cluster wider than the whole limit (a letter under thousands of marks):
                # cut it at the limit, not one character a message.
                fits = _fitting(text, limit, measure, whole=False) or 1
            if fits:
                pieces[-1].append(replace(span, text=text[:fits]))
                used += measure(text[:fits])
                text = text[fits:]
            if text:
                pieces.append([])
                used = 0
    return [_to_markup(piece) for piece in pieces if piece]


def _fitting(text: str, room: int, measure: Callable[[str], int], *, whole: bool = True) -> int:
    """How many leading characters of ``text`` fit in ``room`` (without parting a cluster)."""
    used = n = 0
    for char in text:
        used += measure(char)
        if used > room:
            break
        n += 1
    while whole and 0 < n < len(text) and _clings(text, n):
        n -= 1
    return n


def _clings(text: str, n: int) -> bool:
    """Whether a cut before ``text[n]`` would part what a reader sees as one character."""
    before, after = text[n - 1], text[n]
    if before == "\u200d" or after in "\u200d\ufe0e\ufe0f":  # joiner, presentation selectors
        return True
    if "\U0001f3fb" <= after <= "\U0001f3ff" or "\U000e0020" <= after <= "\U000e007f":
        return True  # a skin tone, or a tag of a regional flag
    if unicodedata.category(after).startswith("M"):
        return True  # a combining mark
    # A flag is a pair of regional indicators: never cut after an odd one of a run.
    run = 0
    while run < n and _REGIONAL[0] <= text[n - 1 - run] <= _REGIONAL[1]:
        run += 1
    return run % 2 == 1 and _REGIONAL[0] <= after <= _REGIONAL[1]


def _to_markup(spans: Sequence[Span]) -> str:
    """Write spans back as markup; :func:`parse` of the result gives the same spans."""
    out = []
    for span in spans:
        text = f"[{escape(span.text)}]({span.url})" if span.url else escape(span.text)
        markers = ("**" if span.bold else "") + ("__" if span.italic else "")
        out.append(f"{markers}{text}{markers[::-1]}")
    return "".join(out)
