"""Pure conversion between console lines and core events (no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.events import Action, Address, Button, Content, Reply, Text
from bot.core.folding import match_label
from bot.core.inputs import parse_command
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
    return parse_command(stripped) or Text(line)


def _choose(choice: str, buttons: Sequence[Button]) -> Button | None:
    if choice.isdecimal() and len(choice) < 4 and 1 <= int(choice) <= len(buttons):
        return buttons[int(choice) - 1]
    chosen = match_label(choice, [button.label for button in buttons])
    return buttons[chosen] if chosen is not None else None


def render(
    replies: Sequence[Reply], attachments: Sequence[Sequence[str]] | None = None
) -> tuple[str, list[Button]]:
    """Render replies as console text; buttons are numbered ``  [N] label`` across them all.

    ``attachments`` holds, per reply, the lines that stand for its image and document (where
    the runner saved them); without it they are summarised as ``[name, type, size]``.
    """
    lines: list[str] = []
    buttons: list[Button] = []
    for n, reply in enumerate(replies):
        if reply.text:
            lines.append(to_plain(reply.text))
        if attachments is not None:
            lines.extend(attachments[n])
        else:
            lines.extend(_summaries(reply))
        for button in reply.all_buttons:
            buttons.append(button)
            suffix = f" <{button.url}>" if button.url else ""
            lines.append(f"  [{len(buttons)}] {button.label}{suffix}")
        lines.append("")
    return "\n".join(lines), buttons


def _summaries(reply: Reply) -> list[str]:
    lines = []
    if reply.image is not None:
        caption = f" {reply.image.caption}" if reply.image.caption else ""
        lines.append(f"[PNG, {len(reply.image.png)} B]{caption}")
    if reply.document is not None:
        doc = reply.document
        lines.append(f"[{doc.name}, {doc.mime}, {len(doc.data)} B]")
    return lines
