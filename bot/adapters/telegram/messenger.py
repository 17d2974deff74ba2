"""Sends replies through the Bot API, translating PTB errors into ours.

A call that fails for a server error (5xx) or a network error is retried with exponential
backoff and jitter for a bounded time, then given up with ``DeliveryError``; refusals (4xx)
are not retried, and ``RetryAfter`` is left to PTB's ``AIORateLimiter``.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from telegram import Bot, InputFile, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.adapters.telegram.convert import Outgoing, to_outgoing
from bot.core.events import Address, Reply
from bot.errors import DeliveryError, RateLimited, RecipientUnavailable

log = logging.getLogger(__name__)
_GONE = ("chat not found", "user is deactivated", "bot was kicked", "bot was blocked")
_METHODS = {"text": "sendMessage", "photo": "sendPhoto", "document": "sendDocument"}


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long a send failing for a server or network error is retried.

    The n-th wait is ``first * 2**n`` seconds, at most ``longest``, of which a random half
    is dropped (so many chats failing at once do not retry in step); the call is given up
    once the next wait would end more than ``total`` seconds after the first attempt.
    """

    total: float = 30.0
    first: float = 0.5
    longest: float = 8.0

    def wait(self, retry: int) -> float:
        """The pause before retry number ``retry`` (1 for the first)."""
        ceiling = min(self.longest, self.first * 2.0 ** (retry - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - jitter, not secrecy


class TelegramMessenger:
    """Implements the core's ``Messenger`` port for Telegram."""

    def __init__(self, bot: Bot, retry: RetryPolicy | None = None) -> None:
        self._bot = bot
        self._retry = retry or RetryPolicy()

    async def send(self, address: Address, replies: Sequence[Reply]) -> None:
        """Send the replies in order.

        Raises:
            RecipientUnavailable: the user blocked the bot or the chat is gone.
            RateLimited: Telegram still refused after the rate limiter's retries.
            DeliveryError: any other refusal, or server errors past the retry time.

        """
        # A user's private chat has the user's id (PRIVATE_CHAT: the core knows only the user).
        chat_id = int(address.chat_id or address.user_id)
        for call in to_outgoing(replies):
            try:
                await self._send_retrying(chat_id, call)
            except Forbidden as exc:
                raise RecipientUnavailable(str(exc)) from exc
            except RetryAfter as exc:
                raise RateLimited(_seconds(exc)) from exc
            except BadRequest as exc:
                if any(reason in str(exc).lower() for reason in _GONE):
                    raise RecipientUnavailable(str(exc)) from exc
                raise DeliveryError(str(exc)) from exc
            except TelegramError as exc:
                raise DeliveryError(self._describe(exc)) from exc

    async def _send_retrying(self, chat_id: int, call: Outgoing) -> None:
        """Send one call; retry it while Telegram's servers or the network fail."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        retry = 0
        while True:
            try:
                await self._send(chat_id, call)
                return
            except BadRequest:
                raise  # a 400 is PTB's NetworkError too, but sending it again cannot help
            except NetworkError as exc:  # 5xx, a refused or broken connection, a timeout
                retry += 1
                wait = self._retry.wait(retry)
                method = _METHODS.get(call.kind, call.kind)
                if loop.time() + wait - started > self._retry.total:
                    log.warning(
                        "giving up %s to chat %s after %d attempts in %.1f s: %s",
                        method,
                        chat_id,
                        retry,
                        loop.time() - started,
                        self._describe(exc),
                    )
                    raise
                log.debug(
                    "%s to chat %s failed (%s); retry %d in %.2f s",
                    method,
                    chat_id,
                    self._describe(exc),
                    retry,
                    wait,
                )
                await asyncio.sleep(wait)

    def _describe(self, exc: TelegramError) -> str:
        # A transport error may quote the request URL, which holds the token.
        return str(exc).replace(self._bot.token, "<token>")

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
