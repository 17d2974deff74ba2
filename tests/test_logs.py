"""The log never carries a token, a secret or a message body, at any level.

The policy on single records; then a real ``clusterbot run`` whose token is rejected.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

import pytest

from bot import logs
from tests.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET
from tests.fakes.telegram_api import TOKEN, FakeBotApi
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


@pytest.fixture
async def telegram() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


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
