"""The small text markup every reply uses, and its parser for the adapters.

Syntax: ``**bold**``, ``__italic__``, ``[label](https://url)``; a backslash makes the next
markup character literal. Lists are plain lines starting with ``•``. Anything a user typed
must pass through :func:`escape` before it is put into a reply.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_SPECIAL = frozenset("\\*_[]()")
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


def visible_length(markup: str) -> int:
    """Count the characters a reader sees (link addresses excluded)."""
    return sum(len(span.text) for span in parse(markup))


def split(markup: str, limit: int) -> list[str]:
    """Split markup into pieces of at most ``limit`` visible characters.

    Cuts at paragraph boundaries first, then at line ends, then at spaces, and only as a
    last resort inside a word. Adapters use it for platform message-size limits.
    """
    if visible_length(markup) <= limit:
        return [markup]
    pieces: list[str] = []
    for separator in ("\n\n", "\n", " "):
        parts = markup.split(separator)
        if len(parts) == 1:
            continue
        current = ""
        for part in parts:
            candidate = f"{current}{separator}{part}" if current else part
            if visible_length(candidate) <= limit:
                current = candidate
                continue
            if current:
                pieces.append(current)
            if visible_length(part) <= limit:
                current = part
            else:
                pieces.extend(split(part, limit))
                current = ""
        if current:
            pieces.append(current)
        return pieces
    return [markup[i : i + limit] for i in range(0, len(markup), limit)]
