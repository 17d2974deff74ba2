"""The log never carries a token, a secret or a message body, at any level.

First the policy on single records; then a real ``clusterbot run`` at DEBUG with Telegram
(webhook, then polling) and Slack's HTTP mode against the local fakes, fed messages,
malformed and oversized requests, and unsigned 1 MB posts; its whole stderr is scanned.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import signal
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest

from bot import logs
from tests.fakes.slack_api import (
    BOT_TOKEN,
    BOT_USER,
    SIGNING_SECRET,
    FakeSlackApi,
    block_action,
    dm_event,
    signed_headers,
)
from tests.fakes.telegram_api import TOKEN, FakeBotApi, button_press, private_text
from tests.helpers import clean_env, start_bot_process

WEBHOOK_SECRET = "webhook-secret-for-the-log-test"
APP_TOKEN = "xapp-1-never-logged"
#: What users typed: neither may reach the log.
BODY = "Tajna notatka żurawinowa 4711"
CLUSTER = "Klaster Bursztynowy Szlak"
SECRETS = [
    ("TELEGRAM_BOT_TOKEN", TOKEN),
    ("TELEGRAM_BOT_TOKEN", TOKEN.partition(":")[2]),
    ("TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET),
    ("SLACK_BOT_TOKEN", BOT_TOKEN),
    ("SLACK_APP_TOKEN", APP_TOKEN),
    ("SLACK_SIGNING_SECRET", SIGNING_SECRET),
]
#: Every form in which a secret must not show: raw, and the token as in a URL.
FORBIDDEN = [
    TOKEN,
    TOKEN.partition(":")[2],
    quote(TOKEN, safe=""),
    WEBHOOK_SECRET,
    BOT_TOKEN,
    APP_TOKEN,
    SIGNING_SECRET,
    BODY,
    CLUSTER,
]


# -- the policy, one record at a time ---------------------------------------------------------


def written(*records: logging.LogRecord, level: int = logging.DEBUG) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(logs.FORMAT))
    handler.addFilter(logs.LogPolicy(level, logs.Redactor(SECRETS)))
    for record in records:
        handler.handle(record)
    return stream.getvalue()


def record(
    name: str, level: int, msg: str, *args: object, exc: BaseException | None = None
) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord(name, level, __file__, 1, msg, args or None, exc_info)


def test_secrets_are_replaced_by_their_names_in_message_arguments_and_traceback() -> None:
    try:
        raise ValueError(f"cannot reach http://127.0.0.1/bot{quote(TOKEN, safe='')}/getMe")
    except ValueError as exc:
        error = exc
    text = written(
        record("telegram.ext.Updater", logging.ERROR, "Set Bot API URL: %s/bot%s", "x", TOKEN),
        record("slack_sdk.web", logging.WARNING, "headers %s", {"Authorization": BOT_TOKEN}),
        record("bot.adapters.slack.runner", logging.ERROR, "failed", exc=error),
        record("bot.app", logging.INFO, f"signing with {SIGNING_SECRET} and {APP_TOKEN}"),
    )
    assert "Set Bot API URL: x/bot<TELEGRAM_BOT_TOKEN>" in text
    assert "'Authorization': '<SLACK_BOT_TOKEN>'" in text
    assert "http://127.0.0.1/bot<TELEGRAM_BOT_TOKEN>/getMe" in text  # in the traceback
    assert "signing with <SLACK_SIGNING_SECRET> and <SLACK_APP_TOKEN>" in text
    assert not [s for s in FORBIDDEN if s in text]


def test_only_our_loggers_speak_at_debug_and_bolt_not_below_warning() -> None:
    text = written(
        record("bot.adapters.telegram.transport", logging.DEBUG, "bot api sendMessage: HTTP 200"),
        record("storage.sqlite", logging.DEBUG, "ours too"),
        record("telegram.ext.Application", logging.DEBUG, "Processing update %s", BODY),
        record("aiosqlite", logging.DEBUG, "executing %s", CLUSTER),
        record("slack_bolt.AsyncRequestVerification", logging.INFO, "body: %s", BODY),
        record("runner.py:_on_message", logging.DEBUG, "Responding with body %s", BODY),
        record("telegram.request.BaseRequest", logging.ERROR, 'invalid JSON "%s"', BODY),
        record("telegram.ext.AIORateLimiter", logging.INFO, "Rate limit hit. Retrying"),
        record("slack_bolt.AsyncApp", logging.WARNING, "Unhandled request"),
    )
    assert "bot api sendMessage: HTTP 200" in text and "ours too" in text
    assert "Rate limit hit" in text and "Unhandled request" in text
    assert BODY not in text and CLUSTER not in text
    # A configured level above a floor still holds for libraries.
    assert written(record("telegram.ext.AIORateLimiter", logging.INFO, "hit"), level=30) == ""


# -- a real process ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def telegram() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlackApi]:
    server = FakeSlackApi()
    await server.start()
    yield server
    await server.stop()


async def say(api: FakeBotApi, update: dict[str, Any], replies: int = 1) -> None:
    """Send ``update`` and wait for its ``replies`` messages (the next step needs them all)."""
    before = len(api.sent())
    api.queue(update)
    await api.wait_for(lambda: len(api.sent()) >= before + replies, within=60)


JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


class Slack:
    """Posts to the bot's Slack endpoint as Slack (signed) or as anyone (unsigned)."""

    def __init__(self, http: httpx.AsyncClient, port: int, api: FakeSlackApi) -> None:
        self.http, self.port, self.api = http, port, api
        self.url = f"http://127.0.0.1:{port}/slack/events"

    async def post(self, body: bytes, content_type: str = JSON, *, signed: bool = True) -> int:
        headers = {"Content-Type": content_type, **(signed_headers(body) if signed else {})}
        return (await self.http.post(self.url, content=body, headers=headers)).status_code

    async def dm(self, payload: object) -> None:
        before = len(self.api.sent())
        assert await self.post(json.dumps(payload, ensure_ascii=False).encode()) == 200
        await self.api.settle(before, within=60)

    async def post_chunked(self, chunked_body: bytes) -> bytes:
        """Post a chunked body as written (httpx would frame it right); return the status."""
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        writer.write(head + chunked_body)
        await writer.drain()
        status = (await reader.readline()).split()[1]
        writer.close()
        await writer.wait_closed()
        return status


async def up(http: httpx.AsyncClient, url: str) -> None:
    for _ in range(600):
        try:
            if (await http.get(url)).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)  # waiting for the server to listen, not for silence
    raise AssertionError(f"{url} never answered")


async def use_telegram(api: FakeBotApi, http: httpx.AsyncClient, webhook: str) -> None:
    """A self-evaluation's profile with the cluster's name, a text, a press; bad requests."""
    api.push_to_webhook = True
    await say(api, private_text(7, "/ocena"), replies=2)  # what it does, the first question
    await say(api, private_text(7, CLUSTER))
    await say(api, private_text(7, BODY))
    message, data = api.button(7, "stowarzyszenie")
    await say(api, button_press(7, message, data))
    secret = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    for bad in (b"\xff not json", b"[" * 100_000, b'{"update_id": "x"}'):
        assert (await http.post(webhook, content=bad, headers=secret)).status_code == 400, bad[:9]
    huge = b'{"update_id": 1, "x": "' + b"a" * (2 << 20) + b'"}'
    assert (await http.post(webhook, content=huge, headers=secret)).status_code == 413


async def use_slack(slack: Slack) -> None:
    """A question naming the cluster, a text, a press, the bot's own message; bad requests."""
    await slack.dm(dm_event(f"Czy {CLUSTER} dostanie grant?"))
    await slack.dm(dm_event(BODY))
    message, value = slack.api.button("DU1", "")
    before = len(slack.api.calls)
    assert (
        await slack.post(
            urlencode({"payload": json.dumps(block_action(message, value))}).encode(), FORM
        )
        == 200
    )
    await slack.api.wait_for(lambda: len(slack.api.calls) > before, within=60)
    assert (
        await slack.post(json.dumps(dm_event(BODY, user=BOT_USER), ensure_ascii=False).encode())
        == 200
    )
    malformed = [
        (b"{not json", JSON),
        (b"\xff\xfe\x00binary", JSON),
        (b"[" * 100_000, JSON),
        (b"[1, 2]", JSON),
        (b'{"type": "event_callback", "team": 5}', JSON),
        (b"", JSON),
        (b"payload=%7Bnot+json", FORM),
    ]
    for body, content_type in malformed:
        for signed in (True, False):
            assert await slack.post(body, content_type, signed=signed) == 400, (body[:9], signed)
    # A broken chunked body fails in aiohttp's parser, before our handler.
    assert await slack.post_chunked(b"ZZ\r\n{}\r\n0\r\n\r\n") == b"400"
    assert await slack.post(json.dumps({"text": BODY * 80_000}, ensure_ascii=False).encode()) == 413
    unsigned = json.dumps(dm_event(BODY), ensure_ascii=False).encode()
    assert await slack.post(unsigned, signed=False) == 401


async def test_a_debug_log_of_a_real_run_has_no_token_secret_body_or_traceback(
    telegram: FakeBotApi, slack: FakeSlackApi, tmp_path: Path
) -> None:
    tg_port, slack_port = free_port(), free_port()
    webhook = f"http://127.0.0.1:{tg_port}/telegram"
    env = clean_env(
        CLUSTERBOT_LOG_LEVEL="DEBUG",
        CLUSTERBOT_DB_PATH=str(tmp_path / "bot.sqlite3"),
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=telegram.base_url,
        TELEGRAM_WEBHOOK_URL=webhook,
        TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
        TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
        TELEGRAM_WEBHOOK_PORT=str(tg_port),
        TELEGRAM_MAX_RATE="1000",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        SLACK_HTTP_HOST="127.0.0.1",
        SLACK_HTTP_PORT=str(slack_port),
    )
    log_path = tmp_path / "stderr.log"
    with log_path.open("wb") as stderr:
        process = await start_bot_process(env, stdout=asyncio.subprocess.DEVNULL, stderr=stderr)
        try:
            async with httpx.AsyncClient(timeout=60) as http:
                await telegram.wait_for(lambda: telegram.webhook is not None, within=60)
                await up(http, f"http://127.0.0.1:{slack_port}/healthz")
                await use_telegram(telegram, http, webhook)
                bot = Slack(http, slack_port, slack)
                await use_slack(bot)
                # 20 unsigned posts of 1 MB (under the limit, so the signature is checked);
                # each is logged before it is answered, so the file has grown by then.
                big = json.dumps(dm_event(BODY + "x" * 999_000), ensure_ascii=False).encode()
                before = log_path.stat().st_size
                for _ in range(20):
                    assert await bot.post(big, signed=False) == 401
                grown = log_path.stat().st_size - before
        finally:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 60)
    log = log_path.read_text("utf-8", errors="replace")
    assert process.returncode == 0, log[-3000:]
    assert [s for s in FORBIDDEN if s in log] == []
    assert "Traceback" not in log, log[log.index("Traceback") - 300 :][:3000]
    assert grown < 8 * 1024, grown  # the lines of 20 refusals, not their 20 MB
    # DEBUG still says what happened: methods, ids and timings.
    assert "bot api sendMessage: HTTP 200" in log
    assert "telegram update 4 (Action) handled in" in log
    assert "slack event_callback/message Ev" in log


async def test_a_debug_log_of_long_polling_has_no_token_or_body(
    telegram: FakeBotApi, tmp_path: Path
) -> None:
    env = clean_env(
        CLUSTERBOT_LOG_LEVEL="DEBUG",
        CLUSTERBOT_DB_PATH=str(tmp_path / "bot.sqlite3"),
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=telegram.base_url,
    )
    process = await start_bot_process(env, stdout=asyncio.subprocess.DEVNULL)
    try:
        await telegram.wait_for(lambda: telegram.sent("setMyCommands"), within=60)
        await say(telegram, private_text(7, "/ocena"))
        await say(telegram, private_text(7, CLUSTER))
        await say(telegram, private_text(7, BODY))
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    log = stderr.decode("utf-8", errors="replace")
    assert process.returncode == 0, log[-3000:]
    assert [s for s in FORBIDDEN if s in log] == []
    assert "bot api getUpdates: HTTP 200" in log


async def test_a_rejected_token_is_reported_without_the_token(
    telegram: FakeBotApi, tmp_path: Path
) -> None:
    wrong = "999:WRONG-secret-token"  # the fake Bot API answers 401 to any token but TOKEN
    env = clean_env(
        CLUSTERBOT_DB_PATH=str(tmp_path / "bot.sqlite3"),
        TELEGRAM_BOT_TOKEN=wrong,
        TELEGRAM_API_BASE_URL=telegram.base_url,
    )
    process = await start_bot_process(env, stdout=asyncio.subprocess.DEVNULL)
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    log = stderr.decode("utf-8", errors="replace")
    assert process.returncode == 1, log[-3000:]
    assert "The token `<TELEGRAM_BOT_TOKEN>` was rejected by the server." in log
    assert "WRONG-secret-token" not in log
