"""``clusterbot run`` with a Telegram token: a real process against the fake Bot API."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.core.dispatcher import Dispatcher
from bot.errors import ConfigError
from bot.loader import Content
from tests.fakes.telegram_api import TOKEN, FakeBotApi, private_text
from tests.helpers import clean_env, start_bot_process


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


async def test_run_starts_telegram_and_stops_cleanly_on_sigterm(
    api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    env = clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api.base_url,
        CLUSTERBOT_DB_PATH=str(db),
        CLUSTERBOT_LOG_LEVEL="INFO",
    )
    process = await start_bot_process(env, stdout=asyncio.subprocess.PIPE)
    try:
        await api.wait_for(lambda: api.sent("setMyCommands"), within=30)
        api.queue(private_text(7, "/start"))
        await api.wait_for(lambda: api.sent(), within=30)
        assert "Dzień dobry" in api.sent()[0].params["text"]
        # A user who blocked the bot is stored as inactive.
        api.fail(
            "sendMessage",
            403,
            {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            },
        )
        api.queue(private_text(8, "/start"))
        await api.wait_for(lambda: len(api.sent()) == 2, within=30)
        await asyncio.sleep(0.3)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()
    log = stderr.decode()
    assert TOKEN not in log and TOKEN.split(":")[1] not in log  # no token in the logs
    assert "Dzień dobry" not in log  # no message bodies either
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute("SELECT user_id, active FROM users").fetchall())
    assert rows == {"7": 1, "8": 0}


def test_webhook_needs_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://bot.example.org/telegram")
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        load_settings()


def test_file_url_follows_the_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    default = load_settings()
    assert default.telegram_file_url == default.telegram_api_base_url[: -len("/bot")] + "/file/bot"
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    assert load_settings().telegram_file_url == "http://127.0.0.1:8081/file/bot"
    monkeypatch.setenv("TELEGRAM_API_FILE_URL", "http://files.local/file/bot")
    assert load_settings().telegram_file_url == "http://files.local/file/bot"


def test_every_command_in_the_menus_exists(content: Content, dispatcher: Dispatcher) -> None:
    for locale in ("pl", "en"):
        menu = content.menus[locale].pairs()
        assert len(menu) >= 6
        assert {name for name, _ in menu} <= dispatcher.command_names


def test_slack_token_needs_a_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
        load_settings()
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    assert load_settings().slack_signing_secret is not None
