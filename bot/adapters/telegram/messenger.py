"""Sends replies through the Bot API, translating PTB errors into ours."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from telegram import Bot, InputFile, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.adapters.telegram.convert import Outgoing, to_outgoing
from bot.core.events import Address, Reply
from bot.errors import DeliveryError, RateLimited, RecipientUnavailable

log = logging.getLogger(__name__)
_GONE = ("chat not found", "user is deactivated", "bot was kicked", "bot was blocked")


class TelegramMessenger:
    """Implements the core's ``Messenger`` port for Telegram."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, address: Address, replies: Sequence[Reply]) -> None:
        """Send the replies in order.

        Raises:
            RecipientUnavailable: the user blocked the bot or the chat is gone.
            RateLimited: Telegram still refused after the rate limiter's retries.
            DeliveryError: any other refusal.

        """
        # A user's private chat has the user's id (PRIVATE_CHAT: the core knows only the user).
        chat_id = int(address.chat_id or address.user_id)
        for call in to_outgoing(replies):
            try:
                await self._send(chat_id, call)
            except Forbidden as exc:
                raise RecipientUnavailable(str(exc)) from exc
            except RetryAfter as exc:
                raise RateLimited(_seconds(exc)) from exc
            except BadRequest as exc:
                if any(reason in str(exc).lower() for reason in _GONE):
                    raise RecipientUnavailable(str(exc)) from exc
                raise DeliveryError(str(exc)) from exc
            except TelegramError as exc:
                raise DeliveryError(str(exc)) from exc

    async def _send(self, chat_id: int, call: Outgoing) -> None:
        if call.kind == "photo":
            await self._bot.send_photo(
                chat_id,
                InputFile(call.data, filename=call.filename),
                caption=call.html or None,
                parse_mode=ParseMode.HTML,
                reply_markup=call.keyboard,
            )
        elif call.kind == "document":
            await self._bot.send_document(
                chat_id, InputFile(call.data, filename=call.filename), reply_markup=call.keyboard
            )
        else:
            await self._bot.send_message(
                chat_id,
                call.html,
                parse_mode=ParseMode.HTML,
                reply_markup=call.keyboard,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )


def _seconds(exc: RetryAfter) -> float:
    # PTB_TIMEDELTA is set by the runner, so retry_after is a timedelta without warnings.
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
