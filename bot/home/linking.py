"""One person on two platforms: a single-use code links an account to another one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from bot.core.codes import new_code
from bot.core.dispatcher import FeatureBase, Handler, Turn
from bot.core.events import Reply
from bot.core.ports import CollabStore
from bot.core.records import OneTimeCode

PREFIX = "l1"
LINK_VALID = timedelta(minutes=10)


class LinkFeature(FeatureBase):
    """``/polacz`` makes a code; ``/polacz KOD`` on the other platform links the accounts."""

    name = "link"
    action_prefix = PREFIX

    def __init__(self, store: CollabStore) -> None:
        self._store = store

    def commands(self) -> Mapping[str, Handler]:
        """Return ``/polacz`` and ``/link``."""
        return {"polacz": self.link, "link": self.link}

    def help_key(self) -> str | None:
        """Return the key of this feature's help section."""
        return "link.help"

    async def link(self, turn: Turn) -> list[Reply]:
        """Without a code: make one. With a code: link this account to its maker."""
        if not turn.args:
            code = new_code()
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
