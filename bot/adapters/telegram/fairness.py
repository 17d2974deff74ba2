"""Fair shares for every chat: one chat's backlog cannot hold up the others.

With PTB's own update processor an update takes a shared slot first and then waits for its
chat's turn inside it, so a flood from one chat fills every slot with updates that only wait.
:class:`ChatFirstProcessor` turns this around: an update waits for its chat's turn first and
takes a shared slot only when it can run. :class:`FairRateLimiter` does the same for
sends: each chat has at most one request waiting for the overall rate limit, whose queue is
first come, first served, so the chats with something to send take turns.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Hashable
from contextlib import AsyncExitStack
from typing import Any

from telegram import Update
from telegram.ext import AIORateLimiter, BaseUpdateProcessor

from bot.core.ordering import KeyedLocks

#: What a Bot API call returns to the rate limiter.
Result = bool | dict[str, Any] | list[dict[str, Any]]
#: PTB's own bound on updates in flight: never reached, so every update gets its task at once
#: and waits in our queues instead (a waiting task costs a few kB).
UNBOUNDED = 2**31 - 1


class ChatFirstProcessor(BaseUpdateProcessor):
    """Runs each chat's updates one at a time, in arrival order, on ``slots`` shared slots."""

    __slots__ = ("_chats", "_slots")

    def __init__(self, slots: int) -> None:
        super().__init__(UNBOUNDED)
        self._slots = asyncio.Semaphore(slots)
        self._chats = KeyedLocks()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's turn, then for a free slot, then handle the update."""
        key = _chat_of(update)
        if key is None:  # nothing to keep in order with
            async with self._slots:
                await coroutine
            return
        # PTB starts update tasks in arrival order and this lock is their first wait, so each
        # chat's updates run (and are answered) in the order they came.
        async with self._chats.hold(key), self._slots:
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB waits for the update tasks itself."""


def _chat_of(update: object) -> Hashable | None:
    if not isinstance(update, Update):
        return None
    chat, user = update.effective_chat, update.effective_user
    if chat is None and user is None:
        return None
    return (chat.id if chat else None, user.id if user else None)


class FairRateLimiter(AIORateLimiter):
    """PTB's ``AIORateLimiter`` with at most one request per chat waiting for the limits.

    Everything else is PTB's: the overall rate, 20 requests a minute per group, and after
    a ``RetryAfter`` every request waits and the refused one is retried.
    """

    __slots__ = ("_waiting",)

    def __init__(self, overall_max_rate: float, max_retries: int) -> None:
        super().__init__(overall_max_rate=overall_max_rate, max_retries=max_retries)
        self._waiting = KeyedLocks()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Queue behind this chat's previous request, then behind the other chats' ones."""
        chat_id = data.get("chat_id")
        if chat_id is None:  # not a message to a chat: the overall limit does not apply
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        async with AsyncExitStack() as turn:
            await turn.enter_async_context(self._waiting.hold(str(chat_id)))

            async def admitted(*call_args: Any, **call_kwargs: Any) -> Result:
                # Past the limits now: the chat's next request may queue while this one is
                # on the wire (a retry after RetryAfter does not queue again).
                await turn.aclose()
                return await callback(*call_args, **call_kwargs)

            return await super().process_request(
                admitted, args, kwargs, endpoint, data, rate_limit_args
            )
