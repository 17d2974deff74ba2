"""Runs python-telegram-bot's Application inside our event loop, as transport only.

PTB fetches updates by long polling; in webhook mode our own aiohttp server (the one Slack's
HTTP mode uses, with `/healthz`) checks the secret token and has PTB handle each update
before answering Telegram. With several workers, only the one holding a lease polls. Our
callback converts each update, hands it to the core and sends the replies. No
ConversationHandler and no persistence: state lives in our storage.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import TracebackType

from aiohttp import web
from telegram import BotCommand, CallbackQuery, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.adapters.telegram.convert import acknowledged_html, chosen_label, to_incoming
from bot.adapters.telegram.fairness import ChatFirstProcessor, FairRateLimiter
from bot.adapters.telegram.messenger import RetryPolicy, TelegramMessenger
from bot.adapters.telegram.transport import AiohttpRequest
from bot.adapters.web import application, serve
from bot.core.events import Address, FileUpload, Incoming, Reply
from bot.core.inputs import MAX_FILE_BYTES
from bot.core.ordering import Leader
from bot.errors import DeliveryError, RecipientUnavailable

log = logging.getLogger(__name__)

Handle = Callable[[Incoming], Awaitable[list[Reply]]]
OnUnreachable = Callable[[Address], Awaitable[None]]
ALLOWED_UPDATES = ["message", "callback_query"]
#: Updates handled at once, one per chat at most (each chat's stay in order: the update
#: processor and the dispatcher lock per chat and per user). A button press waits on three Bot
#: API calls, so more in flight keeps the CPU busy: in the Telegram benchmark 32 handled 363
#: updates/s, 16 318 and 8 302 (medians of 4).
CONCURRENT_UPDATES = 32
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    """What the runner needs from the settings."""

    token: str
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"  # noqa: S104 - behind a reverse proxy in production
    webhook_port: int = 8443
    webhook_path: str = "telegram"
    webhook_secret: str | None = None
    polling_timeout: float = 10.0
    concurrent_updates: int = CONCURRENT_UPDATES
    max_retries: int = 3
    max_rate: float = 30.0
    #: How long a send failing for a server or network error is retried (tests: ms).
    send_retry: RetryPolicy = field(default_factory=RetryPolicy)
    #: More routes on the webhook's server (the web view, when it shares the port).
    routes: Callable[[web.Application], None] | None = None


class TelegramRunner:
    """Starts PTB on enter, stops it on exit; exposes the messenger for reminders."""

    def __init__(
        self,
        config: TelegramConfig,
        handle: Handle,
        commands: Mapping[str | None, Sequence[tuple[str, str]]],
        on_unreachable: OnUnreachable,
        leader: Leader | None = None,
    ) -> None:
        self._config = config
        #: With several workers, only the one holding this lease polls (webhooks need none).
        self._leader = leader
        self._leading: asyncio.Task[None] | None = None
        self._handle = handle
        self._commands = commands
        self._on_unreachable = on_unreachable
        #: Callback queries answered in the webhook's HTTP response (webhook mode only).
        self._answered_inline: set[str] = set()
        self._app: Application | None = None  # type: ignore[type-arg]
        self._web: web.AppRunner | None = None
        self.messenger: TelegramMessenger | None = None
        self.port: int | None = None

    async def __aenter__(self) -> TelegramRunner:
        cfg = self._config
        builder = ApplicationBuilder()
        if cfg.webhook_url:
            builder = builder.updater(None)  # our server feeds the update queue
        app = (
            builder.token(cfg.token)
            .base_url(cfg.base_url)
            .base_file_url(cfg.base_file_url)
            # PTB's default pool for bot calls is 256 connections; long polling needs one.
            .request(AiohttpRequest(connection_pool_size=256))
            .get_updates_request(AiohttpRequest(connection_pool_size=1))
            # A chat waits for its turn without holding a slot, and sends take turns by chat:
            # one user's flood does not keep the others waiting.
            .concurrent_updates(ChatFirstProcessor(cfg.concurrent_updates))
            .rate_limiter(FairRateLimiter(cfg.max_rate, cfg.max_retries))
            .build()
        )
        app.add_handler(TypeHandler(Update, self._on_update))
        app.add_error_handler(self._on_error)
        self._app = app
        await app.initialize()
        self.messenger = TelegramMessenger(app.bot, cfg.send_retry)
        await self._set_commands()
        await app.start()
        if cfg.webhook_url:
            await self._start_webhook()
        elif self._leader is None:
            await self._start_polling()
        else:
            self._leading = asyncio.create_task(self._poll_while_leading(self._leader))
        return self

    async def _start_polling(self) -> None:
        updater = self._app.updater if self._app is not None else None
        if updater is None:  # pragma: no cover - ApplicationBuilder always makes one
            raise RuntimeError("PTB built no updater")
        await updater.start_polling(
            timeout=int(self._config.polling_timeout), allowed_updates=ALLOWED_UPDATES
        )
        log.info("telegram long polling started")

    async def _poll_while_leading(self, leader: Leader) -> None:
        """Poll while this worker holds the lease; wait for it again when it is lost.

        Telegram lets one consumer poll a bot: the others wait instead of fighting over
        ``getUpdates`` (409 Conflict), and one takes over when the leader's lease lapses.
        """
        while True:
            await leader.acquire()
            try:
                await self._start_polling()
            except Exception:
                log.exception("telegram polling did not start; giving the lead up")
                await leader.release()
                await asyncio.sleep(1)
                continue
            await leader.lost()
            updater = self._app.updater if self._app is not None else None
            if updater is not None and updater.running:
                await updater.stop()
            log.info("telegram long polling stopped: another worker may lead now")

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        app = self._app
        if app is None:
            return
        if self._web is not None:
            await self._web.cleanup()  # no new updates; PTB still handles the queued ones
        if self._leading is not None:
            self._leading.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._leading
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if self._leader is not None:
            await self._leader.release()
        if app.running:
            await app.stop()
        await app.shutdown()
        log.info("telegram stopped")

    async def _start_webhook(self) -> None:
        cfg = self._config
        assert self._app is not None and cfg.webhook_url  # noqa: S101 - webhook mode only
        web_app = application()
        web_app.router.add_post(f"/{cfg.webhook_path.strip('/')}", self._on_webhook)
        if cfg.routes is not None:
            cfg.routes(web_app)
        self._web, self.port = await serve(web_app, cfg.webhook_listen, cfg.webhook_port)
        await self._app.bot.set_webhook(
            url=cfg.webhook_url, secret_token=cfg.webhook_secret, allowed_updates=ALLOWED_UPDATES
        )
        log.info("telegram webhook listening on %s:%s", cfg.webhook_listen, self.port)

    async def _on_webhook(self, request: web.Request) -> web.Response:
        """Accept an update only with the secret token; replays are dropped by update id."""
        expected = self._config.webhook_secret or ""
        given = request.headers.get(SECRET_HEADER, "")
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            log.debug("webhook request with a missing or wrong secret token")
            return web.Response(status=403)
        app = self._app
        raw = await request.read()  # beyond the server's limit: 413, raised by aiohttp
        try:
            data = json.loads(raw)  # UTF-8 whatever the charset claims, as Telegram sends
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
            update = Update.de_json(data, app.bot if app is not None else None)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            log.debug("webhook request refused with 400: %d bytes, not an update", len(raw))
            return web.Response(status=400)
        if app is None or not app.running:
            return web.Response(status=503)  # Telegram delivers it again later
        query = update.callback_query
        if query is not None:
            self._answered_inline.add(query.id)  # before the handler can look
        # Handled before Telegram hears "200": a worker killed mid-turn has acknowledged
        # nothing, so Telegram delivers the update again (to another worker, behind a load
        # balancer); a redelivery of a handled update is dropped by its id.
        await app.update_processor.process_update(update, app.process_update(update))
        if query is None:
            return web.Response(status=200)
        # Telegram runs one Bot API method given in the webhook's response: the button's
        # spinner stops without a request of our own.
        return web.json_response({"method": "answerCallbackQuery", "callback_query_id": query.id})

    @property
    def username(self) -> str | None:
        """The bot's @username (known once started), for deep links."""
        return self._app.bot.username if self._app is not None else None

    def start_link(self, code: str) -> str | None:
        """A link that opens the chat with the bot and sends ``/start <code>``."""
        return f"https://t.me/{self.username}?start={code}" if self.username else None

    async def _set_commands(self) -> None:
        assert self._app is not None  # noqa: S101 - called after build
        for language, commands in self._commands.items():
            listed = [BotCommand(name, description) for name, description in commands]
            await self._app.bot.set_my_commands(listed, language_code=language)

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        app = self._app
        username = app.bot.username if app is not None else None
        query = update.callback_query
        answered_inline = query is not None and query.id in self._answered_inline
        if query is not None:
            self._answered_inline.discard(query.id)
        incoming = to_incoming(update, username)
        if incoming is None:
            log.debug("telegram update %s ignored", update.update_id)
            return
        started = time.perf_counter()
        address = incoming.address
        # ChatFirstProcessor runs this chat's updates one at a time, in arrival order, so
        # they are handled (and answered) in that order.
        answering = None
        if query is not None and not answered_inline:
            # Stop the button's spinner while the core works: no need to wait for it.
            answering = asyncio.ensure_future(self._answer_query(query))
        incoming = await self._with_file(update, incoming)
        replies = await self._handle(incoming)
        if replies:
            # In a group the pressed message is everyone's: its buttons stay for the others.
            pressed = query.message if query is not None and incoming.private else None
            if query is not None and isinstance(pressed, Message) and query.data:
                # Mark the pressed message and send the replies side by side.
                await asyncio.gather(
                    self._acknowledge(pressed, query.data),
                    self.deliver(address, replies),
                )
            else:
                await self.deliver(address, replies)
        if answering is not None:
            await answering
        log.debug(
            "telegram update %s (%s) handled in %.1f ms, %d replies",
            update.update_id,
            type(incoming.content).__name__,
            (time.perf_counter() - started) * 1000,
            len(replies),
        )

    async def _with_file(self, update: Update, incoming: Incoming) -> Incoming:
        """Download a sent document (up to 1 MB) so the core sees its bytes."""
        document = update.message.document if update.message else None
        if document is None or not isinstance(incoming.content, FileUpload):
            return incoming
        if (document.file_size or 0) > MAX_FILE_BYTES:
            return incoming  # the core refuses an empty file politely
        try:
            tg_file = await document.get_file()
            data = bytes(await tg_file.download_as_bytearray())
        except TelegramError as exc:
            log.warning("downloading a document failed: %s", exc)
            return incoming
        return replace(incoming, content=replace(incoming.content, data=data))

    async def deliver(self, address: Address, replies: Sequence[Reply]) -> None:
        """Send replies; a user who blocked the bot is reported, other failures logged."""
        assert self.messenger is not None  # noqa: S101 - set on enter
        try:
            await self.messenger.send(address, replies)
        except RecipientUnavailable:
            log.info("telegram user %s is unreachable; marking inactive", address.user_id)
            await self._on_unreachable(address)
        except DeliveryError as exc:
            log.warning("telegram delivery to chat %s failed: %s", address.chat_id, exc)

    @staticmethod
    async def _answer_query(query: CallbackQuery) -> None:
        try:
            await query.answer()
        except TelegramError as exc:
            log.debug("answering a callback query failed: %s", exc)

    async def _acknowledge(self, message: Message, payload: str) -> None:
        """Remove the pressed message's keyboard and show the chosen answer on it."""
        label = chosen_label(message, payload)
        try:
            text = acknowledged_html(message, label) if label else None
            if text is not None:
                await message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=None)
            else:
                await message.edit_reply_markup(reply_markup=None)
        except TelegramError as exc:
            log.debug("could not update the pressed message: %s", exc)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram update handling failed", exc_info=context.error)
