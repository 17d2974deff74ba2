"""Platform-neutral events: what comes in from a chat and what goes back out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Address:
    """Where a message came from and where replies go.

    ``workspace_id`` separates Slack workspaces; it is ``None`` on Telegram and the console.
    """

    platform: str
    chat_id: str
    user_id: str
    workspace_id: str | None = None

    @property
    def user_key(self) -> UserKey:
        """The identity of the person behind this address (chat-independent)."""
        return UserKey(self.platform, self.workspace_id or "", self.user_id)


@dataclass(frozen=True, slots=True)
class UserKey:
    """A person on one platform account: (platform, workspace or "", user id)."""

    platform: str
    workspace: str
    user_id: str

    @property
    def account(self) -> str:
        """``platform:user`` or ``slack:workspace:user``, as ``CLUSTERBOT_ADMINS`` lists it."""
        return ":".join(p for p in (self.platform, self.workspace, self.user_id) if p)

    def __str__(self) -> str:
        return f"{self.platform}:{self.workspace}:{self.user_id}"


#: The ``chat_id`` of an address that means "this user's private chat with the bot". Each
#: platform's messenger finds that chat itself (Telegram: the user's id; Slack: the DM that
#: ``conversations.open`` returns), so the core can write to a person it knows only by key.
PRIVATE_CHAT = ""


def private_chat(key: UserKey) -> Address:
    """The address of ``key``'s private chat with the bot (see :data:`PRIVATE_CHAT`)."""
    return Address(key.platform, PRIVATE_CHAT, key.user_id, key.workspace or None)


@dataclass(frozen=True, slots=True)
class Text:
    """Free text typed by the user."""

    text: str


@dataclass(frozen=True, slots=True)
class Command:
    """A slash command: ``/name arg1 arg2`` (name lower-case, without the slash)."""

    name: str
    args: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Action:
    """A button press, carrying the button's payload string."""

    payload: str


@dataclass(frozen=True, slots=True)
class FileUpload:
    """A file the user sent."""

    name: str
    data: bytes
    mime: str


Content = Text | Command | Action | FileUpload


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message from a user, converted by an adapter.

    ``update_id`` is the platform's delivery id (Telegram ``update_id``, Slack ``event_id``);
    a second delivery with the same id is dropped. ``locale_hint`` is the language the
    platform reports for the user (``"pl"``, ``"en-US"``), used when we first meet them.
    ``private`` is ``True`` only in a chat nobody else reads (a private chat, a Slack DM,
    the console): elsewhere the dispatcher answers personal commands in the user's private
    chat. It defaults to ``False`` so that an adapter that forgets to say is safe.
    """

    address: Address
    content: Content
    update_id: str | None = None
    locale_hint: str | None = None
    private: bool = False


#: What every platform shows of a button's label without cutting it (Telegram and Slack allow more).
BUTTON_LABEL = 64


def button_label(text: str, limit: int = BUTTON_LABEL) -> str:
    """``text``, or its first words and "…", in at most ``limit`` characters (never mid-word)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:–-(„") + "…"


@dataclass(frozen=True, slots=True)
class Button:
    """A button: pressing it sends ``payload`` back, or opens ``url`` when that is set."""

    label: str
    payload: str = ""
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Image:
    """A PNG picture with an optional caption in plain text."""

    png: bytes
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """A file to send: name, bytes and MIME type."""

    name: str
    data: bytes
    mime: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to show the user.

    ``text`` uses the small markup of :mod:`bot.core.markup`; each adapter renders it for its
    platform and splits it where the platform's limits demand.
    """

    text: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    image: Image | None = None
    document: Document | None = None

    @property
    def all_buttons(self) -> tuple[Button, ...]:
        """Every button of every row, in reading order."""
        return tuple(b for row in self.buttons for b in row)
