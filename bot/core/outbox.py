"""Messages sent outside a request (reminders, notices, private answers), routed by platform."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.core.events import Address, Reply
from bot.core.ports import Messenger, UserStore
from bot.errors import DeliveryError, RecipientUnavailable

log = logging.getLogger(__name__)


class Outbox:
    """Routes messages sent outside a request (reminders, notices) to each platform."""

    def __init__(self, users: UserStore) -> None:
        self._messengers: dict[str, Messenger] = {}
        self._users = users

    def register(self, platform: str, messenger: Messenger) -> None:
        """Let ``platform``'s messenger deliver from now on."""
        self._messengers[platform] = messenger

    async def send(self, address: Address, replies: Sequence[Reply]) -> None:
        """Deliver, or raise ``RecipientUnavailable`` / ``DeliveryError``."""
        messenger = self._messengers.get(address.platform)
        if messenger is None:
            raise DeliveryError(f"no messenger for {address.platform}")
        await messenger.send(address, replies)

    async def try_send(self, address: Address, replies: Sequence[Reply]) -> bool:
        """Deliver and report success; an unreachable user is marked inactive."""
        try:
            await self.send(address, replies)
        except RecipientUnavailable:
            await self.mark_unreachable(address)
            return False
        except DeliveryError as exc:
            log.warning("notice to %s failed: %s", address.platform, exc)
            return False
        return True

    async def mark_unreachable(self, address: Address) -> None:
        """Mark the user inactive: the platform refused delivery (they blocked the bot)."""
        user = await self._users.get_user(address.user_key)
        if user is not None and user.active:
            user.active = False
            await self._users.save_user(user)
