"""Pure conversion between Telegram updates and core events (no I/O).

Incoming: private messages, commands anywhere (``/cmd@thisbot``), mentions in groups and
button presses become :class:`Incoming` (``private`` tells a private chat from a group).
Outgoing: replies become HTML messages of at most 4096 visible characters (UTF-16 code
units, as Telegram counts them), photos and documents, with inline keyboards.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.core.events import Action, Address, Command, FileUpload, Incoming, Reply, Text
from bot.core.inputs import parse_command
from bot.core.markup import parse, split

PLATFORM = "telegram"
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
_CHOSEN = "\u27a1\ufe0f"  # the arrow that marks the button a user pressed


def utf16_length(text: str) -> int:
    """Count UTF-16 code units, as Telegram's limits do (an emoji is often two)."""
    return len(text.encode("utf-16-le")) // 2


def to_incoming(update: Update, bot_username: str | None) -> Incoming | None:
    """Convert an update, or return ``None`` for updates the assistant ignores.

    Ignored: edits, channel posts, messages from bots, group messages that neither are a
    command nor mention the bot, and commands addressed to another bot.
    """
    update_id = str(update.update_id)
    query = update.callback_query
    if query is not None:
        if query.data is None or query.message is None:
            return None
        address = Address(PLATFORM, str(query.message.chat.id), str(query.from_user.id))
        private = query.message.chat.type == "private"
        hint = query.from_user.language_code
        return Incoming(address, Action(query.data), update_id, hint, private)
    message = update.message
    if message is None or message.from_user is None or message.from_user.is_bot:
        return None
    private = message.chat.type == "private"
    address = Address(PLATFORM, str(message.chat.id), str(message.from_user.id))
    hint = message.from_user.language_code
    if message.text is not None:
        text = message.text
        command = parse_command(text)
        if command is not None:
            name, _, target = command.name.partition("@")
            if target and (bot_username is None or target != bot_username.lower()):
                return None
            return Incoming(address, Command(name, command.args), update_id, hint, private)
        if not private:
            mention = f"@{bot_username}" if bot_username else ""
            if not mention or mention.lower() not in text.lower():
                return None
            text = re.sub(re.escape(mention), "", text, flags=re.IGNORECASE).strip()
        return Incoming(address, Text(text), update_id, hint, private)
    if not private:
        return None
    document = message.document
    if document is not None:
        name = document.file_name or "file"
        mime = document.mime_type or "application/octet-stream"
        return Incoming(address, FileUpload(name, b"", mime), update_id, hint, private)
    # Stickers, photos, voice notes...: something the assistant cannot read.
    return Incoming(
        address, FileUpload("", b"", "application/octet-stream"), update_id, hint, private
    )


def to_html(markup: str) -> str:
    """Render the core markup as Telegram HTML, escaping all text."""
    out = []
    for span in parse(markup):
        piece = html.escape(span.text, quote=False)
        if span.url:
            piece = f'<a href="{html.escape(span.url)}">{piece}</a>'
        if span.italic:
            piece = f"<i>{piece}</i>"
        if span.bold:
            piece = f"<b>{piece}</b>"
        out.append(piece)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One Bot API call: a text message, a photo or a document."""

    kind: str  # "text" | "photo" | "document"
    html: str = ""
    keyboard: InlineKeyboardMarkup | None = None
    data: bytes = b""
    filename: str = ""


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Build the inline keyboard of a reply (``None`` when it has no buttons)."""
    if not reply.buttons:
        return None
    rows = [
        [
            InlineKeyboardButton(b.label, url=b.url)
            if b.url
            else InlineKeyboardButton(b.label, callback_data=b.payload)
            for b in row
        ]
        for row in reply.buttons
    ]
    return InlineKeyboardMarkup(rows)


def to_outgoing(replies: Sequence[Reply]) -> list[Outgoing]:
    """Plan the calls for a list of replies; buttons go on the last call of each reply."""
    calls: list[Outgoing] = []
    for reply in replies:
        start = len(calls)
        if reply.text:
            parts = split(reply.text, MESSAGE_LIMIT, utf16_length)
            calls += [Outgoing("text", to_html(part)) for part in parts]
        if reply.image is not None:
            caption = reply.image.caption
            if caption:
                caption = to_html(split(caption, CAPTION_LIMIT, utf16_length)[0])
            calls.append(Outgoing("photo", caption, data=reply.image.png, filename="chart.png"))
        if reply.document is not None:
            doc = reply.document
            calls.append(Outgoing("document", data=doc.data, filename=doc.name))
        markup = keyboard(reply)
        if markup is not None:
            if len(calls) == start:
                calls.append(Outgoing("text", "\u2063"))  # buttons need a message to sit on
            last = calls[-1]
            calls[-1] = Outgoing(last.kind, last.html, markup, last.data, last.filename)
    return calls


def chosen_label(message: Message, payload: str) -> str | None:
    """Return the label of the button with ``payload`` on ``message``, if it is still there."""
    markup = message.reply_markup
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == payload:
                return button.text
    return None


def acknowledged_html(message: Message, label: str) -> str | None:
    """Return the message's text with the chosen answer appended (``None`` for media)."""
    if message.text is None:
        return None
    return f"{message.text_html}\n\n{_CHOSEN} <b>{html.escape(label, quote=False)}</b>"
