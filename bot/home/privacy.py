"""A user's data: ``/moje_dane`` sends it all as JSON; ``/usun_dane`` erases it all."""

from __future__ import annotations

import json
from collections.abc import Mapping

from bot.core.dispatcher import FeatureBase, Handler, Turn
from bot.core.events import Button, Document, Reply
from bot.core.ports import PrivacyStore

PREFIX = "d1"


class PrivacyFeature(FeatureBase):
    """Data export and erasure, with a confirmation before erasing."""

    name = "privacy"
    action_prefix = PREFIX

    def __init__(self, store: PrivacyStore) -> None:
        self._store = store

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
        """Ask for confirmation before erasing."""
        buttons = (
            (Button(turn.t("privacy.confirm"), f"{PREFIX}:erase"),),
            (Button(turn.t("privacy.cancel"), f"{PREFIX}:keep"),),
        )
        return [Reply(turn.t("privacy.ask"), buttons=buttons)]

    async def on_action(self, turn: Turn, fields: list[str]) -> list[Reply]:
        """Erase after confirmation, or keep."""
        match fields:
            case ["erase"]:
                await self._store.delete_user(turn.user.key)
                turn.erased = True
                return [Reply(turn.t("privacy.deleted"))]
            case ["keep"]:
                return [Reply(turn.t("privacy.kept"))]
        return [turn.menu_reply("errors.stale_button")]
