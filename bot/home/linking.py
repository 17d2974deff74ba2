"""One person on two platforms: a single-use code links an account to another one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from bot.core.dispatcher import Handler, Turn
from bot.core.events import Button, Reply
from bot.core.ports import CollabStore
from bot.core.records import OneTimeCode

PREFIX = "l1"
LINK_VALID = timedelta(minutes=10)
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class LinkFeature:
    """``/polacz`` makes a code; ``/polacz KOD`` on the other platform links the accounts."""

    name = "link"
    action_prefix = PREFIX

    def __init__(self, store: CollabStore) -> None:
        self._store = store

    def commands(self) -> Mapping[str, Handler]:
        """Return ``/polacz`` and ``/link``."""
        return {"polacz": self.link, "link": self.link}

    def menu_buttons(self, turn: Turn) -> Sequence[Button]:
        """Reached by command."""
        return ()

    def help_key(self) -> str | None:
        """Return the key of this feature's help section."""
        return "link.help"

    async def overview(self, turn: Turn) -> list[Reply]:
        """Nothing for a home screen."""
        return []

    async def prompt(self, turn: Turn) -> list[Reply]:
        """No steps."""
        return []

    async def on_text(self, turn: Turn) -> list[Reply]:
        """No steps."""
        turn.session.step = None
        return []

    async def on_action(self, turn: Turn, fields: list[str]) -> list[Reply]:
        """No buttons."""
        return [turn.menu_reply("errors.stale_button")]

    async def link(self, turn: Turn) -> list[Reply]:
        """Without a code: make one. With a code: link this account to its maker."""
        import secrets

        if not turn.args:
            code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
            await self._store.create_code(
                OneTimeCode(code, "link", turn.user.key, turn.now + LINK_VALID)
            )
            return [Reply(turn.t("link.code", code=code))]
        redeemed = await self._store.redeem_code(
            turn.args[0].strip().upper(), "link", turn.now, turn.user.key
        )
        if redeemed is None:
            return [Reply(turn.t("link.bad_code"))]
        account = turn.incoming.address.user_key
        if redeemed.owner in (account, turn.user.key):
            return [Reply(turn.t("link.same"))]
        await self._store.link_identity(account, redeemed.owner, turn.now)
        return [Reply(turn.t("link.linked"))]
