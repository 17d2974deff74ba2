"""``/panel``: an administrator's one-time sign-in link to the anonymised overview."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.events import Reply
from bot.core.feature import FeatureBase, Handler, Turn
from bot.core.localized import local_moment
from bot.core.markup import escape
from bot.core.weblinks import SIGN_IN_MINUTES, WebLinks


class PanelFeature(FeatureBase):
    """Sends administrators (``CLUSTERBOT_ADMINS``) a sign-in link; others get a polite no."""

    name = "panel"
    action_prefix = "w1"

    def __init__(self, links: WebLinks | None, admins: frozenset[str]) -> None:
        self._links = links
        self._admins = admins

    def commands(self) -> Mapping[str, Handler]:
        """Return the command (the same word in both languages)."""
        return {"panel": self.sign_in}

    async def sign_in(self, turn: Turn) -> list[Reply]:
        """A sign-in link for the account that asked (not a linked one), if it is an admin."""
        account = turn.incoming.address.user_key
        if account.account not in self._admins:
            return [Reply(turn.t("web.panel.not_admin"))]
        if self._links is None:
            return [Reply(turn.t("web.disabled"))]
        link = await self._links.sign_in_link(account, turn.now)
        until = local_moment(turn.t, link.expires_at, self._links.tz)
        url = escape(link.url)  # a secret may hold "__", which would start italics
        text = turn.t("web.panel.link", url=url, minutes=SIGN_IN_MINUTES, time=until)
        return [Reply(text)]
