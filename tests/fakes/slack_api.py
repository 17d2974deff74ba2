"""A fake Slack Web API on 127.0.0.1 for the real slack_sdk client, recording every call."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.recording import Recording

BOT_TOKEN = "xoxb-test-token"
SIGNING_SECRET = "test-signing-secret"
BOT_USER = "UBOT"


@dataclass
class Call:
    method: str
    params: dict[str, Any]


class FakeSlackApi(Recording):
    """Answers the Web API methods the assistant uses; tests read the recorded calls."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.uploads: list[bytes] = []
        #: Files users shared, served at ``file_url(id)`` to the bot token only.
        self.files: dict[str, bytes] = {}
        self.downloads: list[str] = []
        self.messages: list[dict[str, Any]] = []
        self.fail_next: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = {}
        #: Methods that fail on every call until removed: with an HTTP status and body, or
        #: (status 0) by dropping the connection.
        self.down: dict[str, tuple[int, dict[str, Any]]] = {}
        self._ts = itertools.count(1)
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._handle)
        app.router.add_get("/api/{method}", self._handle)  # files.info is a GET in slack_sdk
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/files/{file_id}", self._download)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def fail(
        self, method: str, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        self.fail_next.setdefault(method, []).append((status, body, headers or {}))

    def sent(self, method: str = "chat.postMessage") -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def texts(self) -> list[str]:
        out = []
        for call in self.sent():
            blocks = call.params.get("blocks") or []
            if isinstance(blocks, str):
                blocks = json.loads(blocks)
            out.append("\n".join(b["text"]["text"] for b in blocks if b.get("type") == "section"))
        return out

    def button(self, channel: str, label_part: str) -> tuple[dict[str, Any], str]:
        """Find the newest message in ``channel`` with a button whose label contains the text."""
        for message in reversed(self.messages):
            if message["channel"] != channel:
                continue
            for block in message["blocks"]:
                for element in block.get("elements", []) if block.get("type") == "actions" else []:
                    if label_part in element["text"]["text"] and "value" in element:
                        return message, element["value"]
        raise AssertionError(f"no button {label_part!r} in {channel}")

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        else:
            params.update(await request.post())
        self.calls.append(Call(method, params))
        failures = self.fail_next.get(method)
        if failures:
            status, body, headers = failures.pop(0)
            return web.json_response(body, status=status, headers=headers)
        if method in self.down:
            status, body = self.down[method]
            if status == 0 and request.transport is not None:
                request.transport.close()  # the client sees the server disconnect
            return web.json_response(body, status=status or 500)
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        result = handler(params) if handler else {}
        return web.json_response({"ok": True, **result})

    def file_url(self, file_id: str) -> str:
        return f"http://127.0.0.1:{self.port}/files/{file_id}"

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        self.downloads.append(file_id)
        if request.headers.get("Authorization") != f"Bearer {BOT_TOKEN}":
            return web.Response(status=403)
        data = self.files.get(file_id)
        return web.Response(body=data) if data is not None else web.Response(status=404)

    def _files_info(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file", ""))
        return {"file": {"id": file_id, "url_private_download": self.file_url(file_id)}}

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads.append(await request.read())
        return web.Response(text="OK")

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "user_id": BOT_USER,
            "bot_id": "BBOT",
            "team_id": "T1",
            "user": "klaster",
            "team": "Test",
        }

    def _chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        ts = f"1700000000.{next(self._ts):06d}"
        self.messages.append(
            {"channel": params.get("channel"), "ts": ts, "blocks": params.get("blocks") or []}
        )
        return {"channel": params.get("channel"), "ts": ts}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"channel": params.get("channel"), "ts": params.get("ts")}

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"channel": {"id": "D" + str(params.get("users"))}}

    def _files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ts)}"
        return {"upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}", "file_id": file_id}

    def _files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"files": [{"id": "F1", "title": "file"}]}


def signed_headers(
    body: bytes, timestamp: int | None = None, secret: str = SIGNING_SECRET
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


_event_ids = itertools.count(1)
_trigger_ids = itertools.count(1)


def trigger_id() -> str:
    """A new ``trigger_id``, as Slack makes one for each command or button press."""
    return f"{next(_trigger_ids)}.1700000000.abcdef"


def dm_event(
    text: str, user: str = "U1", team: str = "T1", event_id: str | None = None
) -> dict[str, Any]:
    return {
        "type": "event_callback",
        "team_id": team,
        "api_app_id": "A1",
        "event_id": event_id or f"Ev{next(_event_ids)}",
        "event_time": int(time.time()),
        "event": {
            "type": "message",
            "channel_type": "im",
            "channel": f"D{user}",
            "user": user,
            "text": text,
            "ts": f"{time.time():.6f}",
            "team": team,
        },
    }


def dm_file_event(file: dict[str, Any], user: str = "U1", team: str = "T1") -> dict[str, Any]:
    """A file shared in the DM with the bot (``message`` with subtype ``file_share``)."""
    payload = dm_event("", user, team)
    payload["event"] |= {"subtype": "file_share", "files": [file]}
    return payload


def block_action(
    message: dict[str, Any], value: str, user: str = "U1", team: str = "T1"
) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": team},
        "user": {"id": user, "team_id": team},
        "api_app_id": "A1",
        "channel": {"id": message["channel"]},
        "message": {"ts": message["ts"], "blocks": message["blocks"], "text": ""},
        "container": {"type": "message", "message_ts": message["ts"]},
        "trigger_id": trigger_id(),
        "actions": [
            {
                "action_id": "b0",
                "block_id": "x",
                "type": "button",
                "value": value,
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
