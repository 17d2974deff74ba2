"""The home feature: greeting, main menu, help, language switch and the free-text fallback."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence

from bot.core.events import Action, Button, Command, Reply, Text
from bot.core.feature import Feature, FeatureBase, Handler, Turn
from bot.core.i18n import SUPPORTED_LOCALES
from bot.core.ports import UserStore

PREFIX = "h1"
QuestionAnswerer = Callable[[Turn], Awaitable[list[Reply] | None]]


class HomeFeature(FeatureBase):
    """``/start``, ``/pomoc``, ``/jezyk`` and the menu entries for help and language.

    ``others`` are the features whose help sections follow the general help. ``answer`` is
    the question-answering service tried on free text before saying we did not understand.
    """

    name = "home"
    action_prefix = PREFIX

    def __init__(
        self,
        users: UserStore,
        others: Sequence[Feature] = (),
        answer: QuestionAnswerer | None = None,
        deep_link: Handler | None = None,
    ) -> None:
        self._users = users
        self._others = tuple(others)
        self._answer = answer
        self._deep_link = deep_link

    def commands(self) -> Mapping[str, Handler]:
        """Return the home commands with their Polish and English names."""
        return {
            "start": self.start,
            "menu": self.start,
            "pomoc": self.help,
            "help": self.help,
            "jezyk": self.language,
            "language": self.language,
        }

    def menu_buttons(self, turn: Turn) -> Sequence[Button]:
        """Offer help and a one-tap switch to the other language."""
        other = next(loc for loc in SUPPORTED_LOCALES if loc != turn.locale)
        return (
            Button(turn.t("home.button.help"), f"{PREFIX}:help"),
            Button(turn.t("home.button.language"), f"{PREFIX}:lang:{other}"),
        )

    def help_key(self) -> str | None:
        """Return the key of the general commands' help."""
        return "home.help.commands"

    def is_shared(self, content: Command | Action) -> bool:
        """Menu, help and language in a group; a deep link (``/start CODE``) only privately."""
        if isinstance(content, Command) and content.name in ("start", "menu"):
            return not content.args
        return True

    async def start(self, turn: Turn) -> list[Reply]:
        """Greet and show the main menu; ``/start CODE`` (a deep link) joins a team."""
        if turn.args and self._deep_link is not None:
            return await self._deep_link(turn)
        # The main menu leaves whatever step waited ("Aby wyjść do menu, wpisz /start").
        turn.session.step = None
        return [turn.menu_reply("home.greeting")]

    async def help(self, turn: Turn) -> list[Reply]:
        """Explain what the assistant does and list every feature's commands."""
        sections = [turn.t("home.help.intro")]
        for feature in (*self._others, self):
            key = feature.help_key()
            if key:
                sections.append(turn.t(key))
        return [Reply("\n\n".join(sections), buttons=turn.menu(turn))]

    async def language(self, turn: Turn) -> list[Reply]:
        """Switch to the language named in the argument, or offer the choice."""
        if not turn.args:
            return [self._language_choice(turn, "home.language.choose")]
        wanted = turn.args[0].lower()
        if wanted not in SUPPORTED_LOCALES:
            return [self._language_choice(turn, "home.language.unknown")]
        return await self._switch(turn, wanted)

    async def on_action(self, turn: Turn, fields: list[str]) -> list[Reply]:
        """Handle the menu, help and language buttons."""
        match fields:
            case ["menu"]:
                return await self.start(turn)
            case ["help"]:
                return await self.help(turn)
            case ["lang", wanted] if wanted in SUPPORTED_LOCALES:
                return await self._switch(turn, wanted)
        return [turn.menu_reply("errors.stale_button")]

    async def on_text(self, turn: Turn) -> list[Reply]:
        """Home has no steps that wait for text; treat it as free text."""
        return await self.free_text(turn)

    async def prompt(self, turn: Turn) -> list[Reply]:
        """Home never waits for an answer, so there is nothing to repeat."""
        return []

    async def overview(self, turn: Turn) -> list[Reply]:
        """Greet and offer the main menu."""
        return [turn.menu_reply("home.greeting")]

    async def free_text(self, turn: Turn) -> list[Reply]:
        """Greet on a greeting, let the question service try, else say what we understand."""
        content = turn.incoming.content
        text = content.text if isinstance(content, Text) else ""
        words = ",".join(turn.texts.get(loc, "home.greeting_words") for loc in SUPPORTED_LOCALES)
        if _is_greeting(text, words):
            return await self.start(turn)
        if self._answer is not None:
            answered = await self._answer(turn)
            if answered is not None:
                return answered
        return [turn.menu_reply("home.not_understood")]

    async def _switch(self, turn: Turn, locale: str) -> list[Reply]:
        turn.user.locale = locale
        await self._users.save_user(turn.user)
        return [turn.menu_reply("home.language.changed")]

    def _language_choice(self, turn: Turn, key: str) -> Reply:
        buttons = tuple(
            (Button(turn.texts.get(loc, "home.language.name"), f"{PREFIX}:lang:{loc}"),)
            for loc in SUPPORTED_LOCALES
        )
        return Reply(turn.t(key), buttons=buttons)


def _is_greeting(text: str, words: str) -> bool:
    """Return whether the whole message is one of the comma-separated greeting words."""
    normalized = text.strip().strip("!.?,").strip().lower()
    return normalized in {w.strip().lower() for w in words.split(",") if w.strip()}
