"""The small text markup every reply uses, and its parser for the adapters.

Syntax: ``**bold**``, ``__italic__``, ``[label](https://url)``; a backslash makes the next
markup character literal. Lists are plain lines starting with ``•``. Anything a user typed
must pass through :func:`escape` before it is put into a reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPECIAL = frozenset("\\*_[]()")
_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(([^)\s]+)\)")
_ESCAPED = re.compile(r"\\([\\*_\[\]()])")


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
    spans: list[Span] = []
    buf: list[str] = []
    bold = italic = False

    def flush() -> None:
        if buf:
            spans.append(Span("".join(buf), bold, italic))
            buf.clear()

    i, n = 0, len(markup)
    while i < n:
        c = markup[i]
        if c == "\\" and i + 1 < n and markup[i + 1] in _SPECIAL:
            buf.append(markup[i + 1])
            i += 2
        elif markup.startswith("**", i):
            flush()
            bold = not bold
            i += 2
        elif markup.startswith("__", i):
            flush()
            italic = not italic
            i += 2
        elif c == "[" and (m := _LINK.match(markup, i)):
            flush()
            spans.append(Span(_ESCAPED.sub(r"\1", m.group(1)), bold, italic, m.group(2)))
            i = m.end()
        else:
            buf.append(c)
            i += 1
    flush()
    return spans


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
