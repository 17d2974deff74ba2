"""``/zgody``: whether a person's finished self-evaluations count in the anonymised overview.

Asked once, after the first finished self-evaluation (Tak / Nie); changed any time with
``/zgody``. No answer counts as "no": only a "yes" puts results in the overview. The question
is optional: it is never repeated after other messages, and its buttons stay valid.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.events import Button, Reply, Text
from bot.core.feature import FeatureBase, Fit, Handler, Turn
from bot.core.web_ports import Consent, ConsentStore

PREFIX = "g1"
STEP_ASK = "consent.ask"


class ConsentFeature(FeatureBase):
    """The overview consent: the question after a self-evaluation and ``/zgody``."""

    name = "consent"
    action_prefix = PREFIX

    def __init__(self, store: ConsentStore) -> None:
        self._store = store

    def commands(self) -> Mapping[str, Handler]:
        """Return the commands in Polish and English."""
        return {"zgody": self.show, "consents": self.show}

    def help_key(self) -> str | None:
        """Return the key of this feature's help section."""
        return "web.consent.help"

    async def show(self, turn: Turn) -> list[Reply]:
        """Say what the person agreed to, with buttons to change it."""
        consent = await self._store.get_consent(turn.user.key)
        state = "none" if consent is None else "yes" if consent.overview else "no"
        turn.session.step, turn.session.data = STEP_ASK, {}
        text = f"{turn.t(f'web.consent.status_{state}')}\n\n{turn.t('web.consent.about')}"
        return [Reply(text, buttons=self._buttons(turn))]

    async def ask_once(self, turn: Turn) -> list[Reply]:
        """The question after a finished self-evaluation, unless it was answered before."""
        if await self._store.get_consent(turn.user.key) is not None:
            return []
        turn.session.step, turn.session.data = STEP_ASK, {}
        return [Reply(turn.t("web.consent.ask"), buttons=self._buttons(turn))]

    def fit(self, turn: Turn, text: str) -> Fit:
        """A typed yes or no answers the question; anything else is something else."""
        words = ("web.consent.agree_words", "web.consent.refuse_words")
        return Fit.EXACT if any(turn.says(key, text) for key in words) else Fit.NO

    async def on_text(self, turn: Turn) -> list[Reply]:
        """Take a typed "tak" or "nie"."""
        content = turn.incoming.content
        word = content.text if isinstance(content, Text) else ""
        if turn.says("web.consent.agree_words", word):
            return await self.on_action(turn, ["overview", "y"])
        if turn.says("web.consent.refuse_words", word):
            return await self.on_action(turn, ["overview", "n"])
        # Anything else: the question stays on screen with its buttons, and is not asked again.
        turn.session.step, turn.session.data = None, {}
        return [Reply(turn.t("web.consent.use_buttons"), buttons=self._buttons(turn))]

    async def prompt(self, turn: Turn) -> list[Reply]:
        """Nothing: the question is optional and is not repeated after other messages."""
        return []

    async def on_action(self, turn: Turn, fields: list[str]) -> list[Reply]:
        """Store the choice (the buttons stay valid: pressing one again changes nothing)."""
        if turn.session.step == STEP_ASK:
            turn.session.step, turn.session.data = None, {}
        match fields:
            case ["overview", ("y" | "n") as choice]:
                given = choice == "y"
                await self._store.set_consent(Consent(turn.user.key, given, turn.now))
                return [turn.menu_reply("web.consent.given" if given else "web.consent.refused")]
        return [turn.menu_reply("errors.stale_button")]

    @staticmethod
    def _buttons(turn: Turn) -> tuple[tuple[Button, ...], ...]:
        return (
            (Button(turn.t("web.consent.yes"), f"{PREFIX}:overview:y"),),
            (Button(turn.t("web.consent.no"), f"{PREFIX}:overview:n"),),
        )
