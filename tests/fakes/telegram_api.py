"""A fake Telegram Bot API on 127.0.0.1 for the real PTB client, recording every call."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.recording import Recording

TOKEN = "123456:TEST-token"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Klaster", "username": "klaster_test_bot"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)


class FakeBotApi(Recording):
    """Answers the Bot API methods the assistant uses; tests queue updates and read calls."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        #: Called with every recorded call, as it arrives (drivers wait on these, not poll).
        self.listeners: list[Callable[[Call], None]] = []
        self.messages: list[dict[str, Any]] = []
        self.files: dict[str, bytes] = {}
        self._updates: list[dict[str, Any]] = []
        self._new_update = asyncio.Event()
        self._message_ids = itertools.count(1000)
        self._update_ids = itertools.count(1)
        self.fail_next: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        #: Methods that fail on every call until removed (a Bot API outage).
        self.down: dict[str, tuple[int, dict[str, Any]]] = {}
        #: Calls refused for breaking a Bot API rule (a text too long, ...).
        self.refused: list[Call] = []
        self.runner: web.AppRunner | None = None
        self.port = 0
        #: Set by ``setWebhook``: (url, secret). With ``push_to_webhook``, queued updates are
        #: posted there instead of waiting for ``getUpdates``.
        self.webhook: tuple[str, str] | None = None
        self.push_to_webhook = False
        self._pushing: set[asyncio.Task[None]] = set()
        self._client: Any = None

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_post(r"/bot{token}/{method}", self._handle)
        app.router.add_get(r"/file/bot{token}/{path:.+}", self._file)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        self._new_update.set()
        if self._client is not None:
            await self._client.close()
        if self.runner is not None:
            await self.runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- what tests do ----------------------------------------------------------------------

    def queue(self, update: dict[str, Any]) -> int:
        update = {"update_id": next(self._update_ids), **update}
        if self.push_to_webhook and self.webhook is not None:
            task = asyncio.get_running_loop().create_task(self._push(update, *self.webhook))
            self._pushing.add(task)
            task.add_done_callback(self._pushing.discard)
            return int(update["update_id"])
        self._updates.append(update)
        self._new_update.set()
        return int(update["update_id"])

    async def _push(self, update: dict[str, Any], url: str, secret: str) -> None:
        """Deliver an update to the webhook as Telegram does, and run the method the bot may
        give in its response (recorded like any other call)."""
        import aiohttp

        if self._client is None:
            self._client = aiohttp.ClientSession()
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
        async with self._client.post(url, json=update, headers=headers) as response:
            body = await response.read()
        if response.status != 200 or not body:
            return
        data = json.loads(body)
        if isinstance(data, dict) and "method" in data:
            call = Call(str(data.pop("method")), data)
            self.calls.append(call)
            for listener in self.listeners:
                listener(call)

    def requeue(self, update_id: int, update: dict[str, Any]) -> None:
        """Deliver an update again with the same id (a redelivery)."""
        self._updates.append({"update_id": update_id, "_again": True, **update})
        self._new_update.set()

    def pending(self) -> int:
        """Updates not yet confirmed by a later ``getUpdates`` offset."""
        return len(self._updates)

    def fail(self, method: str, status: int, body: dict[str, Any]) -> None:
        self.fail_next.setdefault(method, []).append((status, body))

    def sent(self, method: str = "sendMessage") -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [
            str(c.params.get("text", ""))
            for c in self.sent()
            if chat_id is None or int(c.params["chat_id"]) == chat_id
        ]

    def button(self, chat_id: int, label_part: str) -> tuple[dict[str, Any], str]:
        """Find the newest message to ``chat_id`` with a button whose label contains the text."""
        for message in reversed(self.messages):
            if message["chat"]["id"] != chat_id:
                continue
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if label_part in button["text"] and "callback_data" in button:
                        return message, button["callback_data"]
        raise AssertionError(f"no button {label_part!r} sent to {chat_id}")

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != TOKEN:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                if part.filename:  # type: ignore[union-attr]
                    files[part.name or ""] = await part.read()  # type: ignore[union-attr]
                else:
                    params[part.name or ""] = _decode(await part.text())  # type: ignore[union-attr]
        else:
            form = await request.post()
            params = {k: _decode(str(v)) for k, v in form.items()}
        call = Call(method, params, files)
        if method != "getUpdates":
            self.calls.append(call)
            for listener in self.listeners:
                listener(call)
        failures = self.fail_next.get(method)
        if failures:
            status, body = failures.pop(0)
            return web.json_response(body, status=status)
        if method in self.down:
            status, body = self.down[method]
            return web.json_response(body, status=status)
        problem = _breaks_a_limit(params)
        if problem is not None:
            self.refused.append(call)
            return web.json_response(
                {"ok": False, "error_code": 400, "description": f"Bad Request: {problem}"},
                status=400,
            )
        result = await getattr(self, f"_{method}", self._true)(params)
        return web.json_response({"ok": True, "result": result})

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.Response(status=401)
        data = self.files.get(request.match_info["path"])
        return web.Response(body=data) if data is not None else web.Response(status=404)

    async def _getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params["file_id"])
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(self.files.get(file_id, b"")),
            "file_path": file_id,
        }

    async def _true(self, params: dict[str, Any]) -> bool:
        return True

    async def _setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = (str(params["url"]), str(params.get("secret_token", "")))
        return True

    async def _getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    async def _getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        # Like Telegram: an update stays pending until a later call confirms it through
        # ``offset``. A redelivery (``_again``) is handed out once whatever the offset.
        offset = int(params.get("offset", 0) or 0)
        timeout = min(float(params.get("timeout", 0) or 0), 1.0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset or u.get("_again")]
        if not self._updates and timeout:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), timeout)
            except TimeoutError:
                return []
        ready = self._updates[:100]
        for update in ready:
            update.pop("_again", None)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        return [dict(u) for u in ready]

    def _message(self, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message = {
            "message_id": next(self._message_ids),
            "date": 1_700_000_000,
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": BOT_USER,
        }
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        message.update(extra)
        self.messages.append(message)
        return message

    async def _sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params, text=_visible(str(params["text"])))

    async def _sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(
            params, photo=[{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
        )

    async def _sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params, document={"file_id": "d", "file_unique_id": "d"})

    async def _editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params, text=_visible(str(params["text"])))

    async def _editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params)


def _decode(value: str) -> Any:
    """PTB sends non-string parameters JSON-encoded inside the form."""
    if value[:1] in "{[" or value in ("true", "false") or value.lstrip("-").isdigit():
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


#: Telegram's limits, in UTF-16 code units of the text after entity parsing.
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _breaks_a_limit(params: dict[str, Any]) -> str | None:
    """What Telegram would answer to an over-long text or caption (``None`` if it fits)."""
    html_mode = str(params.get("parse_mode", "")).upper() == "HTML"
    for name, limit, problem in (
        ("text", TEXT_LIMIT, "message is too long"),
        ("caption", CAPTION_LIMIT, "message caption is too long"),
    ):
        if name not in params:
            continue
        value = str(params[name])
        if utf16_units(_visible(value) if html_mode else value) > limit:
            return problem
    return None


def _visible(html_text: str) -> str:
    import re
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", "", html_text))


_user_ids = itertools.count(1)


def private_text(user_id: int, text: str, language: str = "pl") -> dict[str, Any]:
    return {
        "message": {
            "message_id": next(_user_ids),
            "date": 1_700_000_000,
            "chat": {"id": user_id, "type": "private"},
            "from": {
                "id": user_id,
                "is_bot": False,
                "first_name": "Ala",
                "language_code": language,
            },
            "text": text,
            **(
                {"entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]}
                if text.startswith("/")
                else {}
            ),
        }
    }


def group_text(chat_id: int, user_id: int, text: str) -> dict[str, Any]:
    update = private_text(user_id, text)
    update["message"]["chat"] = {"id": chat_id, "type": "group", "title": "Klaster"}
    return update


def button_press(user_id: int, message: dict[str, Any], data: str) -> dict[str, Any]:
    return {
        "callback_query": {
            "id": str(next(_user_ids)),
            "from": {"id": user_id, "is_bot": False, "first_name": "Ala", "language_code": "pl"},
            "chat_instance": "ci",
            "data": data,
            "message": message,
        }
    }


def private_document(user_id: int, file_id: str, name: str, size: int) -> dict[str, Any]:
    update = private_text(user_id, "x")
    message = update["message"]
    del message["text"]
    message.pop("entities", None)
    message["document"] = {
        "file_id": file_id,
        "file_unique_id": file_id,
        "file_name": name,
        "mime_type": "text/calendar",
        "file_size": size,
    }
    return update
