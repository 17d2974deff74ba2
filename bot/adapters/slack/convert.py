"""Pure conversion between Slack payloads and core events (no I/O).

Incoming: direct messages, mentions, the ``/klaster`` slash command and Block Kit button
presses. Outgoing: replies become messages of Block Kit sections and actions within Slack's
limits (50 blocks, 3,000 characters a section, 75 a button label, 2,000 a button value).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.core.events import Action, Address, Command, Content, FileUpload, Incoming, Reply, Text
from bot.core.inputs import parse_command
from bot.core.markup import escape, parse, split, to_plain

PLATFORM = "slack"
SECTION_LIMIT = 3000
BLOCKS_PER_MESSAGE = 50
BLOCKS_PER_VIEW = 100
BUTTON_LABEL_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
ELEMENTS_PER_ACTIONS = 25
_CHOSEN = "\u27a1\ufe0f"
_MENTION = re.compile(r"<@[A-Z0-9]+>")
#: ``/klaster <sub>`` words that mean "the rest is a question", in both languages.
QUESTION_WORDS = frozenset({"pytanie", "question", "zapytaj", "ask"})


def _text_content(text: str) -> Content:
    return parse_command(text) or Text(text)


def event_to_incoming(body: dict[str, Any], bot_user_id: str | None) -> Incoming | None:
    """Convert an Events API delivery (DM or mention), or ``None`` for what we ignore.

    Ignored: messages from bots (ourselves included), edits and other subtypes, channel
    messages that are not mentions. A file shared in a direct message becomes a
    ``FileUpload`` without its bytes (the runner downloads them; see :func:`shared_file`).
    """
    event = body.get("event") or {}
    team = str(body.get("team_id") or event.get("team") or "")
    user = event.get("user")
    subtype = event.get("subtype")
    if not user or event.get("bot_id") or user == bot_user_id:
        return None
    if subtype is not None and subtype != "file_share":
        return None
    text = str(event.get("text") or "")
    kind = event.get("type")
    content: Content
    if kind == "message" and event.get("channel_type") == "im":
        file = shared_file(event)
        content = FileUpload(file["name"], b"", file["mimetype"]) if file else _text_content(text)
    elif kind == "app_mention":
        content = _text_content(_MENTION.sub("", text).strip())
    else:
        return None
    channel = str(event.get("channel", ""))
    address = Address(PLATFORM, channel, str(user), team)
    private = kind == "message" or is_direct(channel)
    return Incoming(address, content, update_id=body.get("event_id"), private=private)


def is_direct(channel: str) -> bool:
    """Whether a channel id names a direct-message conversation (Slack's ``D…`` ids)."""
    return channel.startswith("D")


def shared_file(event: dict[str, Any]) -> dict[str, Any] | None:
    """The first file of a ``file_share`` message: name, mimetype, size, id and its URL."""
    files = event.get("files") if event.get("subtype") == "file_share" else None
    if not files or not isinstance(files[0], dict):
        return None
    first = files[0]
    size = first.get("size")
    url = first.get("url_private_download") or first.get("url_private")
    return {
        "id": str(first.get("id") or ""),
        "name": str(first.get("name") or first.get("title") or "file"),
        "mimetype": str(first.get("mimetype") or ""),
        "size": size if isinstance(size, int) else 0,
        "url": url if isinstance(url, str) else None,
    }


def command_to_incoming(body: dict[str, Any], dm_channel: str) -> Incoming:
    """Convert ``/klaster <sub> [args]``; ``pytanie <text>`` is a question, empty is help.

    The conversation continues in the user's direct-message channel ``dm_channel``.
    """
    words = str(body.get("text") or "").split()
    address = Address(PLATFORM, dm_channel, str(body.get("user_id")), str(body.get("team_id")))
    content: Content
    if not words:
        content = Command("pomoc")
    elif words[0].lower() in QUESTION_WORDS:
        content = Text(" ".join(words[1:]))
    else:
        # "/klaster ocena" and "/klaster /ocena" are the same; "/klaster /" is no command.
        content = parse_command("/" + " ".join(words).lstrip("/")) or Command("pomoc")
    update_id = replay_key("cmd", body.get("trigger_id"))
    return Incoming(address, content, update_id=update_id, private=True)  # answered in the DM


def action_to_incoming(body: dict[str, Any], dm_channel: str | None) -> Incoming | None:
    """Convert a Block Kit button press.

    A press on a message answers in that message's channel; a press in App Home (no
    channel) answers in ``dm_channel``.
    """
    actions = body.get("actions") or []
    if not actions or "value" not in actions[0]:
        return None
    user = body.get("user") or {}
    team = str((body.get("team") or {}).get("id") or user.get("team_id") or "")
    channel = str((body.get("channel") or {}).get("id") or dm_channel or "")
    if not channel:
        return None
    address = Address(PLATFORM, channel, str(user.get("id", "")), team)
    update_id = replay_key("act", body.get("trigger_id"), actions[0].get("action_ts"))
    action = Action(str(actions[0]["value"]))
    return Incoming(address, action, update_id=update_id, private=is_direct(channel))


def to_mrkdwn(markup: str) -> str:
    """Render the core markup as Slack mrkdwn, escaping ``&<>`` and the markers in text."""
    out = []
    for span in parse(markup):
        piece = _literal(span.text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if span.url:
            piece = f"<{span.url}|{piece}>"
        if span.italic and piece.strip():
            piece = f"_{piece}_"
        if span.bold and piece.strip():
            piece = f"*{piece}*"
        out.append(piece)
    return "".join(out)


def split_rendered(markup: str, render: Callable[[str], str], limit: int) -> list[str]:
    """Split markup so that each piece renders to at most ``limit`` characters."""
    pieces = split(markup, limit)
    out: list[str] = []
    for piece in pieces:
        if len(render(piece)) <= limit or len(piece) < 2:
            out.append(render(piece))
        else:
            out += split_rendered(piece, render, max(1, limit * 2 // 3))
    return out


@dataclass(slots=True)
class SlackMessage:
    """One ``chat.postMessage`` (blocks and fallback text) or one file upload."""

    text: str = ""
    blocks: list[dict[str, Any]] = field(default_factory=list)
    file: tuple[str, bytes, str] | None = None  # name, data, title


def _button(label: str, payload: str, url: str | None, n: int) -> dict[str, Any]:
    if len(label) > BUTTON_LABEL_LIMIT:
        label = label[: BUTTON_LABEL_LIMIT - 1] + "…"
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": f"b{n}",
    }
    if url:
        button["url"] = url
    else:
        button["value"] = payload[:BUTTON_VALUE_LIMIT]
    return button


def reply_blocks(reply: Reply) -> list[dict[str, Any]]:
    """Block Kit blocks of one reply: sections for its text, actions for its buttons."""
    blocks: list[dict[str, Any]] = []
    if reply.text:
        for piece in split_rendered(reply.text, to_mrkdwn, SECTION_LIMIT):
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": piece}})
    n = 0
    for row in reply.buttons:
        for start in range(0, len(row), ELEMENTS_PER_ACTIONS):
            elements = []
            for button in row[start : start + ELEMENTS_PER_ACTIONS]:
                elements.append(_button(button.label, button.payload, button.url, n))
                n += 1
            blocks.append({"type": "actions", "elements": elements})
    return blocks


def to_messages(replies: Sequence[Reply]) -> list[SlackMessage]:
    """Plan the messages for replies: at most 50 blocks each, files as uploads."""
    messages: list[SlackMessage] = []
    for reply in replies:
        blocks = reply_blocks(reply)
        fallback = to_plain(reply.text)[:3000]
        for start in range(0, len(blocks), BLOCKS_PER_MESSAGE):
            chunk = blocks[start : start + BLOCKS_PER_MESSAGE]
            messages.append(SlackMessage(text=fallback or "…", blocks=_renumber(chunk)))
        if reply.image is not None:
            messages.append(
                SlackMessage(
                    file=(
                        "chart.png",
                        reply.image.png,
                        to_plain(reply.image.caption) or "chart.png",
                    )
                )
            )
        if reply.document is not None:
            doc = reply.document
            messages.append(SlackMessage(file=(doc.name, doc.data, doc.name)))
    return messages


def home_view(replies: Sequence[Reply]) -> dict[str, Any]:
    """Build an App Home view (at most 100 blocks) from overview replies."""
    blocks: list[dict[str, Any]] = []
    for reply in replies:
        if blocks:
            blocks.append({"type": "divider"})
        blocks += reply_blocks(reply)
    return {"type": "home", "blocks": _renumber(blocks[:BLOCKS_PER_VIEW])}


def acknowledged_blocks(
    blocks: Sequence[dict[str, Any]], value: str
) -> tuple[list[dict[str, Any]], str] | None:
    """Replace a message's buttons by a note of the chosen one; ``None`` if it is gone."""
    label = None
    for block in blocks:
        if block.get("type") == "actions":
            for element in block.get("elements", []):
                if element.get("value") == value:
                    label = element.get("text", {}).get("text")
    if label is None:
        return None
    kept = [b for b in blocks if b.get("type") != "actions"]
    note = f"{_CHOSEN} *{to_mrkdwn(escape(label))}*"
    kept.append({"type": "context", "elements": [{"type": "mrkdwn", "text": note}]})
    return kept, label


def _renumber(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give every button of one message or view a unique ``action_id``."""
    n = 0
    for block in blocks:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            element["action_id"] = f"b{n}"
            n += 1
    return blocks


def replay_key(kind: str, trigger_id: object, action_ts: object = "") -> str | None:
    """An update id for a slash command or a button press, so that a replay is dropped.

    Slack gives commands and ``block_actions`` no ``event_id``, but a ``trigger_id`` made
    for each invocation or press (and the action its ``action_ts``): a replayed request
    repeats them, a new command or press does not. The ``kind`` prefix keeps the id apart
    from Events API ids. ``None`` (no de-duplication) without a ``trigger_id``.
    """
    if not trigger_id:
        return None
    return f"{kind}:{trigger_id}:{action_ts or ''}"


#: Slack's mrkdwn has no escape for its markers (only ``&<>`` have entities), so a marker in
#: text is shown as a lookalike that no Slack client parses, as jsx-slack does for link
#: labels. Zero-width characters were the alternative, but Slack treats a zero-width space
#: as a word boundary, which *enables* formatting, and the rules are undocumented; a
#: lookalike is certain, reads the same and keeps the text's length (section limits).
_LOOKALIKES = str.maketrans(
    {
        "*": "\u2217",  # asterisk operator
        "_": "\u02cd",  # modifier letter low macron
        "~": "\u223c",  # tilde operator
        "`": "\u02cb",  # modifier letter grave accent
        "\uff0a": "\ufe61",  # fullwidth asterisk -> small asterisk
        "\uff3f": "\u2e0f",  # fullwidth low line -> paragraphos
        "\uff40": "\u02cb",  # fullwidth grave accent
    }
)
#: What gets a lookalike: every ``~`` and backtick; ``*`` and ``_`` only unless they sit
#: between two letters or digits (``/moje_dane``, ``2*3``), where Slack never formats.
#: Bare web addresses are kept whole so that Slack still links them.
_MARKERS = re.compile(
    r"(?P<url>https?://\S+)"
    r"|(?<![^\W_])[*_\uff0a\uff3f]|[*_\uff0a\uff3f](?![^\W_])|[~`\uff40]"
)


def _literal(text: str) -> str:
    """Make mrkdwn markers in ``text`` show as themselves instead of formatting."""
    return _MARKERS.sub(lambda m: m[0] if m["url"] else m[0].translate(_LOOKALIKES), text)
