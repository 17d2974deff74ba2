"""A user's data: ``/moje_dane`` sends it all as JSON; ``/usun_dane`` erases it all.

Only the account the data belongs to can erase it: asked from an account linked to it, the
confirmation goes to the owner's own account.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from bot.core.events import Button, Document, Reply, Text, private_chat
from bot.core.feature import FeatureBase, Fit, Handler, Turn
from bot.core.ports import PrivacyStore
from bot.home.linking import Notify, describe_account

PREFIX = "d1"
STEP_CONFIRM = "privacy.confirm"


class PrivacyFeature(FeatureBase):
    """Data export and erasure, with a confirmation before erasing."""

    name = "privacy"
    action_prefix = PREFIX

    def __init__(self, store: PrivacyStore, notify: Notify) -> None:
        self._store = store
        self._notify = notify

    def commands(self) -> Mapping[str, Handler]:
        """Return the commands in Polish and English."""
        return {
            "moje_dane": self.export,
            "mydata": self.export,
            "usun_dane": self.ask_delete,
            "deletedata": self.ask_delete,
        }

    def help_key(self) -> str | None:
        """Return the key of this feature's help section."""
        return "privacy.help"

    async def export(self, turn: Turn) -> list[Reply]:
        """Send everything stored about the user as a JSON file."""
        data = await self._store.export_user(turn.user.key)
        body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        return [
            Reply(
                turn.t("privacy.export"),
                document=Document("moje-dane.json", body, "application/json"),
            )
        ]

    async def ask_delete(self, turn: Turn) -> list[Reply]:
        """Ask for confirmation before erasing: here, or on the owner's own account."""
        buttons = (
            (Button(turn.t("privacy.confirm"), f"{PREFIX}:erase"),),
            (Button(turn.t("privacy.cancel"), f"{PREFIX}:keep"),),
        )
        ask = Reply(turn.t("privacy.ask"), buttons=buttons)
        if self._is_owner(turn):
            turn.session.step, turn.session.data = STEP_CONFIRM, {}
            return [ask]
        # turn.user is the owner: the question goes out in their language, saying who asks.
        asker = describe_account(turn.texts, turn.locale, turn.incoming.address.user_key)
        text = f"{turn.t('privacy.asked_by_link', account=asker)}\n{ask.text}"
        sent = await self._notify(private_chat(turn.user.key), [Reply(text, buttons=buttons)])
        key = "privacy.ask_owner" if sent else "privacy.owner_only"
        return [Reply(turn.t(key, **self._owner(turn)))]

    def fit(self, turn: Turn, text: str) -> Fit:
        """A typed yes or no answers the confirmation; anything else is not an answer."""
        words = ("privacy.agree_words", "privacy.refuse_words")
        return Fit.EXACT if any(turn.says(key, text) for key in words) else Fit.NO

    async def on_text(self, turn: Turn) -> list[Reply]:
        """Take a typed "tak" or "nie"; anything else repeats the question."""
        content = turn.incoming.content
        word = content.text if isinstance(content, Text) else ""
        if turn.says("privacy.agree_words", word):
            return await self.on_action(turn, ["erase"])
        if turn.says("privacy.refuse_words", word):
            return await self.on_action(turn, ["keep"])
        return [Reply(turn.t("privacy.use_buttons")), *await self.prompt(turn)]

    async def prompt(self, turn: Turn) -> list[Reply]:
        """Ask the confirmation again."""
        return await self.ask_delete(turn) if turn.session.step == STEP_CONFIRM else []

    async def on_action(self, turn: Turn, fields: list[str]) -> list[Reply]:
        """Erase after confirmation (from the owner's own account), or keep."""
        if turn.session.step == STEP_CONFIRM:
            turn.session.step, turn.session.data = None, {}
        match fields:
            case ["erase"] if not self._is_owner(turn):
                return [Reply(turn.t("privacy.owner_only", **self._owner(turn)))]
            case ["erase"]:
                await self._store.delete_user(turn.user.key)
                turn.erased = True
                return [Reply(turn.t("privacy.deleted"))]
            case ["keep"]:
                return [Reply(turn.t("privacy.kept"))]
        return [turn.menu_reply("errors.stale_button")]

    @staticmethod
    def _is_owner(turn: Turn) -> bool:
        """Whether the message comes from the account the data belongs to (not a link)."""
        return turn.incoming.address.user_key == turn.user.key

    @staticmethod
    def _owner(turn: Turn) -> dict[str, str]:
        return {"account": describe_account(turn.texts, turn.locale, turn.user.key)}
