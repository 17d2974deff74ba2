"""What a feature is to the dispatcher: the turn it answers, its protocol and defaults."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Protocol

from bot.core.events import Action, Button, Command, Incoming, Reply
from bot.core.folding import fold
from bot.core.i18n import Texts
from bot.core.ports import SessionState, User

Handler = Callable[["Turn"], Awaitable[list[Reply]]]
ButtonRows = tuple[tuple[Button, ...], ...]


class Fit(Enum):
    """How a typed message fits the step that waits for it."""

    #: What the step asks for: a typed button label, a number or date it parses, a note.
    EXACT = "exact"
    #: Any text would do (a name): taken unless it plainly asks something.
    FREE = "free"
    #: Not what the step expects: a question about something else, or a typo.
    NO = "no"


@dataclass(slots=True)
class Turn:
    """Everything a feature needs to answer one incoming message."""

    incoming: Incoming
    user: User
    session: SessionState
    texts: Texts
    now: datetime
    menu: Callable[[Turn], ButtonRows]
    args: tuple[str, ...] = field(default=())
    #: Set by a feature that erased the user's data: the dispatcher then writes nothing.
    erased: bool = False

    @property
    def locale(self) -> str:
        """The user's language."""
        return self.user.locale

    def t(self, key: str, **params: object) -> str:
        """Return the text ``key`` in the user's language."""
        return self.texts.get(self.user.locale, key, **params)

    def count(self, key: str, n: int, **params: object) -> str:
        """Return the form of ``key`` that agrees with the number ``n`` ("5 lat", "1 rok")."""
        return self.texts.count(self.user.locale, key, n, **params)

    def says(self, key: str, text: str) -> bool:
        """Whether ``text`` is one of the comma-separated words of ``key`` ("tak, yes").

        Case, Polish letters and trailing punctuation do not matter ("Tak!", "usun").
        """
        typed = fold(text.strip().strip(".!"))
        return any(typed == fold(w.strip()) for w in self.t(key).split(",") if w.strip())

    def menu_reply(self, key: str, **params: object) -> Reply:
        """Return the text ``key`` with the main menu's buttons under it."""
        return Reply(self.t(key, **params), buttons=self.menu(self))


class Feature(Protocol):
    """A feature service plugged into the dispatcher.

    ``name`` prefixes the feature's conversation steps (``"assess.note"``); ``action_prefix``
    is the versioned first field of its button payloads (``"a1"`` in ``"a1:42:2.1.1:y"``).
    """

    name: str
    action_prefix: str

    def commands(self) -> Mapping[str, Handler]:
        """Return the command handlers by name, aliases included (``ocena`` and ``assess``)."""
        ...

    def menu_buttons(self, turn: Turn) -> Sequence[Button]:
        """Return this feature's entries of the main menu (may be empty)."""
        ...

    def help_key(self) -> str | None:
        """Return the text key of this feature's section of the help, if it has one."""
        ...

    async def on_action(self, turn: Turn, fields: list[str]) -> list[Reply]:
        """Handle a button press; ``fields`` are the payload split on ``:`` after the prefix."""
        ...

    async def on_text(self, turn: Turn) -> list[Reply]:
        """Handle free text while one of this feature's steps waits for it."""
        ...

    async def prompt(self, turn: Turn) -> list[Reply]:
        """Repeat what this feature's waiting step asks, after input that was refused."""
        ...

    async def overview(self, turn: Turn) -> list[Reply]:
        """Summarise this feature for a home screen (Slack's App Home); may be empty."""
        ...

    def fit(self, turn: Turn, text: str) -> Fit:
        """How ``text`` fits this feature's waiting step (the dispatcher routes by it)."""
        ...

    async def cancel(self, turn: Turn) -> list[Reply]:
        """Leave the waiting step at the user's request (``/anuluj``); keep what is saved."""
        ...

    async def paused(self, turn: Turn) -> Reply | None:
        """Leave a step the user left long ago: say where they were, offer to go on."""
        ...

    def is_shared(self, content: Command | Action) -> bool:
        """Whether this command or button press may be answered where others read it.

        In a group or channel, anything not shared is answered in the user's private chat.
        """
        ...


class FeatureBase:
    """Defaults for a feature reached only by its commands: no menu entry, no steps."""

    name = "base"
    action_prefix = "b0"

    def commands(self) -> Mapping[str, Handler]:
        """Return no commands (override)."""
        return {}

    def menu_buttons(self, turn: Turn) -> Sequence[Button]:
        """No main-menu entry."""
        return ()

    def help_key(self) -> str | None:
        """No help section."""
        return None

    async def overview(self, turn: Turn) -> list[Reply]:
        """Nothing for a home screen."""
        return []

    def is_shared(self, content: Command | Action) -> bool:
        """Personal by default: answered only in a private chat."""
        return False

    async def prompt(self, turn: Turn) -> list[Reply]:
        """No step waits for an answer, so nothing to repeat."""
        return []

    async def on_text(self, turn: Turn) -> list[Reply]:
        """No step waits for text: forget a step left over."""
        turn.session.step = None
        return []

    async def on_action(self, turn: Turn, fields: list[str]) -> list[Reply]:
        """No buttons: any press is stale."""
        return [turn.menu_reply("errors.stale_button")]

    def fit(self, turn: Turn, text: str) -> Fit:
        """A step of a plain feature takes any text that does not plainly ask something."""
        return Fit.FREE

    async def cancel(self, turn: Turn) -> list[Reply]:
        """Forget the waiting step and say so, with the main menu."""
        turn.session.step = None
        turn.session.data.clear()
        return [turn.menu_reply("flow.cancelled")]

    async def paused(self, turn: Turn) -> Reply | None:
        """Forget the waiting step; nothing to go back to."""
        turn.session.step = None
        turn.session.data.clear()
        return None


def prepend(text: str, replies: list[Reply]) -> list[Reply]:
    """Put a short line on top of the next message: one message, not two."""
    if replies and replies[0].text:
        first = replies[0]
        merged = Reply(f"{text}\n\n{first.text}", first.buttons, first.image, first.document)
        return [merged, *replies[1:]]
    return [Reply(text), *replies]
