"""Sends replies through the Slack Web API, translating slack_sdk errors into ours.

Server and connection errors have been retried by the client's retry handlers (set up by
the runner) before they reach this module; here they become ``DeliveryError``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.convert import SlackMessage, to_messages
from bot.core.events import Address, Reply
from bot.errors import DeliveryError, RateLimited, RecipientUnavailable

log = logging.getLogger(__name__)
_GONE = frozenset(
    {
        "channel_not_found",
        "user_not_found",
        "account_inactive",
        "is_archived",
        "not_in_channel",
        "cannot_dm_bot",
        "user_disabled",
    }
)


class SlackMessenger:
    """Implements the core's ``Messenger`` port for Slack."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        self._dm_channels: dict[tuple[str, str], str] = {}  # a cache; Slack is the truth

    async def dm_channel(self, team: str, user: str) -> str:
        """Return the id of the app's direct-message channel with ``user``.

        Raises:
            SlackApiError: Slack refused to open the conversation.

        """
        key = (team, user)
        if key not in self._dm_channels:
            response = await self._client.conversations_open(users=user)
            channel = response.get("channel") or {}
            self._dm_channels[key] = str(channel.get("id"))
        return self._dm_channels[key]

    async def send(
        self, address: Address, replies: Sequence[Reply], thread_ts: str | None = None
    ) -> None:
        """Post the replies in order (files with ``files_upload_v2``).

        Raises:
            RecipientUnavailable: the channel or user is gone or unreachable.
            RateLimited: Slack still refused after the client's retries.
            DeliveryError: any other refusal, or server or connection errors that outlasted
                the client's retries.

        """
        try:
            channel = address.chat_id or await self.dm_channel(
                address.workspace_id or "", address.user_id
            )
            for message in to_messages(replies):
                await self._post(channel, message, thread_ts)
        except SlackApiError as exc:
            error = str(exc.response.get("error", "")) if exc.response is not None else ""
            if error in _GONE:
                raise RecipientUnavailable(error) from exc
            if error == "ratelimited":
                retry = (
                    exc.response.headers.get("Retry-After", "1")
                    if exc.response is not None
                    else "1"
                )
                raise RateLimited(float(retry)) from exc
            status = getattr(exc.response, "status_code", 0)
            if status >= 500:
                log.warning("giving up a post to %s after retries: HTTP %s", _to(address), status)
            raise DeliveryError(error or str(exc)) from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("giving up a post to %s after retries: %r", _to(address), exc)
            raise DeliveryError(f"Slack unreachable: {type(exc).__name__}") from exc

    async def _post(self, channel: str, message: SlackMessage, thread_ts: str | None) -> None:
        if message.file is not None:
            name, data, title = message.file
            await self._client.files_upload_v2(
                channel=channel, file=data, filename=name, title=title
            )
            return
        await self._client.chat_postMessage(
            channel=channel,
            text=message.text,
            blocks=message.blocks,
            thread_ts=thread_ts,
            unfurl_links=False,
            unfurl_media=False,
        )


def _to(address: Address) -> str:
    """Where a post went, for the log: the channel, or the user for their DM."""
    return address.chat_id or f"the DM of {address.user_id}"
