"""Runs slack-bolt's AsyncApp as transport: Socket Mode, or HTTP with signed requests.

Every request is acknowledged at once; the work happens after the acknowledgement. In HTTP
mode we serve Bolt's aiohttp application ourselves, on the configured host and port.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryState
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.convert import (
    acknowledged_blocks,
    action_to_incoming,
    command_to_incoming,
    event_to_incoming,
    home_view,
    shared_file,
)
from bot.adapters.slack.http import web_app
from bot.adapters.slack.messenger import SlackMessenger
from bot.adapters.web import serve
from bot.core.events import Address, FileUpload, Incoming, Reply
from bot.core.inputs import MAX_FILE_BYTES
from bot.core.ordering import KeyedLocks
from bot.errors import DeliveryError, RecipientUnavailable

log = logging.getLogger(__name__)

Handle = Callable[[Incoming], Awaitable[list[Reply]]]
Overview = Callable[[Address], Awaitable[list[Reply]]]
OnUnreachable = Callable[[Address], Awaitable[None]]
COMMAND = "/klaster"
#: Where Slack serves the files users share (``url_private_download``).
SLACK_FILE_HOST = "files.slack.com"
#: Retries of a Web API call after a server or connection error. slack_sdk waits 0.5 s
#: doubling, plus up to 1 s of jitter, so four retries give up after about 8 to 12 s.
SERVER_RETRIES = 4


class AnyServerErrorRetryHandler(AsyncServerErrorRetryHandler):
    """slack_sdk's server-error handler for every 5xx (its own retries only 500 and 503)."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code >= 500


@dataclass(frozen=True, slots=True)
class SlackConfig:
    """What the runner needs from the settings."""

    bot_token: str
    app_token: str | None = None
    signing_secret: str | None = None
    api_url: str = "https://slack.com/api/"
    http_host: str = "0.0.0.0"  # noqa: S104 - behind a reverse proxy in production
    http_port: int = 3000
    path: str = "/slack/events"
    #: More routes on the HTTP mode's server (the web view, when it shares the port).
    routes: Callable[[web.Application], None] | None = None


class SlackRunner:
    """Starts Bolt on enter (Socket Mode or HTTP), stops it on exit."""

    def __init__(
        self,
        config: SlackConfig,
        handle: Handle,
        overview: Overview,
        on_unreachable: OnUnreachable,
    ) -> None:
        self._config = config
        self._handle = handle
        self._overview = overview
        self._on_unreachable = on_unreachable
        self._locks = KeyedLocks()
        client = AsyncWebClient(
            token=config.bot_token,
            base_url=config.api_url,
            retry_handlers=[
                AsyncConnectionErrorRetryHandler(max_retry_count=SERVER_RETRIES),
                AnyServerErrorRetryHandler(max_retry_count=SERVER_RETRIES),
                AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            ],
        )
        self.client = client
        self.messenger = SlackMessenger(client)
        self.app = AsyncApp(
            client=client,
            signing_secret=config.signing_secret or "socket-mode-has-no-signatures",
            request_verification_enabled=config.app_token is None,
            process_before_response=False,
        )
        self.app.event("message")(self._on_message)
        self.app.event("app_mention")(self._on_message)
        self.app.event("app_home_opened")(self._on_home)
        self.app.command(COMMAND)(self._on_command)
        self.app.action(re.compile(".+"))(self._on_action)
        self._socket: AsyncSocketModeHandler | None = None
        self._web: web.AppRunner | None = None
        self.port: int | None = None

    async def __aenter__(self) -> SlackRunner:
        cfg = self._config
        if cfg.app_token:
            self._socket = AsyncSocketModeHandler(self.app, cfg.app_token)
            await self._socket.connect_async()  # type: ignore[no-untyped-call]
            log.info("slack socket mode connected")
            return self
        if not cfg.signing_secret:
            raise ValueError("HTTP mode needs a signing secret")
        self._web, self.port = await serve(
            web_app(self.app, cfg.path, cfg.routes), cfg.http_host, cfg.http_port
        )
        log.info("slack HTTP mode listening on %s:%s%s", cfg.http_host, self.port, cfg.path)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
        if self._web is not None:
            await self._web.cleanup()
        log.info("slack stopped")

    # -- listeners (Bolt has acknowledged before these run, or they ack first) ---------------

    async def _on_message(self, body: dict[str, Any], context: dict[str, Any]) -> None:
        incoming = event_to_incoming(body, context.get("bot_user_id"))
        if incoming is None:
            return
        event = body.get("event") or {}
        thread = (
            event.get("thread_ts") or event.get("ts")
            if event.get("type") == "app_mention"
            else None
        )
        await self._process(incoming, thread_ts=thread, event=event)

    async def _on_command(self, ack: Callable[..., Awaitable[None]], body: dict[str, Any]) -> None:
        await ack()
        dm = await self._dm_channel(str(body.get("team_id")), str(body.get("user_id")))
        if dm is None:
            return
        await self._process(command_to_incoming(body, dm))

    async def _on_action(self, ack: Callable[..., Awaitable[None]], body: dict[str, Any]) -> None:
        await ack()
        user = body.get("user") or {}
        team = str((body.get("team") or {}).get("id") or user.get("team_id") or "")
        dm = None if body.get("channel") else await self._dm_channel(team, str(user.get("id")))
        incoming = action_to_incoming(body, dm)
        if incoming is None:
            return
        message = body.get("message")
        value = str(body["actions"][0].get("value", ""))
        # In a channel the pressed message is everyone's: its buttons stay for the others.
        mine = (message, value) if isinstance(message, dict) and incoming.private else None
        await self._process(incoming, pressed=mine)

    async def _on_home(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        user = str(event.get("user"))
        team = str(body.get("team_id") or "")
        address = Address("slack", str(event.get("channel") or user), user, team)
        replies = await self._overview(address)
        try:
            await self.client.views_publish(user_id=user, view=home_view(replies))
        except SlackApiError as exc:
            log.warning(
                "publishing App Home failed: %s", exc.response.get("error") if exc.response else exc
            )

    # -- the work ---------------------------------------------------------------------------

    async def _process(
        self,
        incoming: Incoming,
        thread_ts: str | None = None,
        pressed: tuple[dict[str, Any], str] | None = None,
        event: dict[str, Any] | None = None,
    ) -> None:
        address = incoming.address
        async with self._locks.hold((address.workspace_id, address.chat_id, address.user_id)):
            if event is not None:  # a shared file is fetched in its turn, in order
                incoming = await self._with_file(event, incoming)
            replies = await self._handle(incoming)
            if not replies:
                return
            if pressed is not None:
                await self._acknowledge(address.chat_id, *pressed)
            await self.deliver(address, replies, thread_ts)

    async def deliver(
        self, address: Address, replies: Sequence[Reply], thread_ts: str | None = None
    ) -> None:
        """Post replies; a user who is gone is reported, other failures logged."""
        try:
            await self.messenger.send(address, replies, thread_ts)
        except RecipientUnavailable:
            log.info("slack user %s is unreachable; marking inactive", address.user_id)
            await self._on_unreachable(address)
        except DeliveryError as exc:
            log.warning("slack delivery to %s failed: %s", address.chat_id, exc)

    async def _acknowledge(self, channel: str, message: dict[str, Any], value: str) -> None:
        """Show the chosen answer on the pressed message and remove its buttons."""
        changed = acknowledged_blocks(message.get("blocks") or [], value)
        if changed is None or not message.get("ts"):
            return
        blocks, label = changed
        try:
            await self.client.chat_update(
                channel=channel, ts=message["ts"], blocks=blocks, text=label
            )
        except SlackApiError as exc:
            log.debug("could not update the pressed message: %s", exc)

    async def _with_file(self, event: dict[str, Any], incoming: Incoming) -> Incoming:
        """Download a file shared in a DM (up to 1 MB) so the core sees its bytes.

        The bot token goes only to Slack's file host (or the configured API host): a URL
        elsewhere in an event is not fetched. Anything that fails leaves the file empty,
        which the core refuses politely.
        """
        file = shared_file(event)
        if file is None or not isinstance(incoming.content, FileUpload):
            return incoming
        if file["size"] > MAX_FILE_BYTES:
            return incoming
        url = file["url"]
        if not url and file["id"]:
            try:
                info = await self.client.files_info(file=file["id"])
            except SlackApiError as exc:
                log.warning("files.info failed: %s", exc)
                return incoming
            url = (info.get("file") or {}).get("url_private_download")
        if not isinstance(url, str) or not self._trusted(url):
            log.warning("not downloading a shared file from an unexpected host")
            return incoming
        headers = {"Authorization": f"Bearer {self._config.bot_token}"}
        try:
            async with (
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as session,
                session.get(url, headers=headers) as response,
            ):
                if response.status != 200:
                    log.warning("downloading a shared file failed: HTTP %s", response.status)
                    return incoming
                data = await response.content.read(MAX_FILE_BYTES + 1)
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("downloading a shared file failed: %s", type(exc).__name__)
            return incoming
        if len(data) > MAX_FILE_BYTES:
            return incoming
        return replace(incoming, content=replace(incoming.content, data=data))

    def _trusted(self, url: str) -> bool:
        parts = urlsplit(url)
        api = urlsplit(self._config.api_url)
        if (parts.scheme, parts.netloc) == (api.scheme, api.netloc):
            return True  # a proxy or the tests' fake serving the API and files
        return parts.scheme == "https" and parts.hostname == SLACK_FILE_HOST

    async def _dm_channel(self, team: str, user: str) -> str | None:
        try:
            return await self.messenger.dm_channel(team, user)
        except SlackApiError as exc:
            log.warning("cannot open a DM with %s: %s", user, exc)
            return None
