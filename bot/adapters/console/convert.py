"""Pure conversion between console lines and core events (no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.events import Action, Address, Button, Command, Content, Reply, Text
from bot.core.folding import fold
from bot.core.markup import to_plain

ADDRESS = Address(platform="console", chat_id="local", user_id="local")


@dataclass(frozen=True, slots=True)
class OpenLink:
    """The user chose a link button; the console can only show its address."""

    url: str


def parse_line(line: str, buttons: Sequence[Button]) -> Content | OpenLink:
    """Turn a typed line into a command, a button press or text.

    A number from 1 to the count of shown buttons, or a button's label (any case, with or
    without its emoji and Polish letters), presses that button; a line starting with ``/``
    is a command; anything else is text.
    """
    stripped = line.strip()
    chosen = _choose(stripped, buttons)
    if chosen is not None:
        return OpenLink(chosen.url) if chosen.url else Action(chosen.payload)
    if stripped.startswith("/") and len(stripped) > 1:
        name, *args = stripped[1:].split()
        return Command(name.lower(), tuple(args))
    return Text(line)


def _choose(choice: str, buttons: Sequence[Button]) -> Button | None:
    if choice.isdecimal() and len(choice) < 4 and 1 <= int(choice) <= len(buttons):
        return buttons[int(choice) - 1]
    wanted = _plain_label(choice)
    for button in buttons:
        if wanted and _plain_label(button.label) == wanted:
            return button
    return None


def _plain_label(label: str) -> str:
    """A label as one would type it: no emoji or marks, no Polish letters, any case.

    "✅ Spełnia" is pressed by typing "spelnia" as well as "Spełnia".
    """
    words = "".join(c if c.isalnum() or c.isspace() else " " for c in label)
    return " ".join(fold(words).split())


def render(replies: Sequence[Reply]) -> tuple[str, list[Button]]:
    """Render replies as console text; buttons are numbered ``  [N] label`` across them all."""
    lines: list[str] = []
    buttons: list[Button] = []
    for reply in replies:
        if reply.text:
            lines.append(to_plain(reply.text))
        if reply.image is not None:
            caption = f" {reply.image.caption}" if reply.image.caption else ""
            lines.append(f"[PNG, {len(reply.image.png)} B]{caption}")
        if reply.document is not None:
            doc = reply.document
            lines.append(f"[{doc.name}, {doc.mime}, {len(doc.data)} B]")
        for button in reply.all_buttons:
            buttons.append(button)
            suffix = f" <{button.url}>" if button.url else ""
            lines.append(f"  [{len(buttons)}] {button.label}{suffix}")
        lines.append("")
    return "\n".join(lines), buttons
