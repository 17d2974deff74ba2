"""`clusterbot run` with ``CLUSTERBOT_WEB_PORT``: the console chat and the web view together."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
from pathlib import Path

import aiohttp

from tests.fakes.telegram_api import TOKEN, FakeBotApi, private_text
from tests.helpers import clean_env, start_bot_process

LINK = re.compile(rb"http://127\.0\.0\.1:\d+/panel/signin/[A-Za-z0-9_-]{43}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def signs_in(link: str, port: int) -> None:
    """A browser-like client uses the sign-in link and sees the overview and ``/healthz``."""
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        async with http.post(link, allow_redirects=False) as response:
            assert response.status == 303
        async with http.get(f"http://127.0.0.1:{port}/panel") as response:
            assert response.status == 200
            assert "Przegląd samoocen klastrów" in await response.text()
        async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert await response.json() == {"ok": True}


async def test_the_console_admin_signs_in_to_the_running_process(tmp_path: Path) -> None:
    port = free_port()
    env = clean_env(
        CLUSTERBOT_DB_PATH=str(tmp_path / "bot.sqlite3"),
        CLUSTERBOT_WEB_PORT=str(port),
        CLUSTERBOT_ADMINS="console:local",
    )
    process = await start_bot_process(
        env, stdout=asyncio.subprocess.PIPE, stdin=asyncio.subprocess.PIPE
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write(b"/panel\n")
        await process.stdin.drain()
        seen = b""
        while (found := LINK.search(seen)) is None:
            line = await asyncio.wait_for(process.stdout.readline(), 60)
            assert line, f"the process ended without a link: {seen.decode(errors='replace')}"
            seen += line
        await signs_in(found.group().decode(), port)
    finally:
        process.stdin.close()
        code = await asyncio.wait_for(process.wait(), 60)
    assert code == 0
    # The web view stopped with the chat.
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


async def test_the_web_view_shares_the_telegram_webhook_port(tmp_path: Path) -> None:
    port = free_port()
    api = FakeBotApi()
    await api.start()
    env = clean_env(
        CLUSTERBOT_DB_PATH=str(tmp_path / "bot.sqlite3"),
        CLUSTERBOT_WEB_PORT=str(port),
        CLUSTERBOT_ADMINS="telegram:7",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api.base_url,
        TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram",
        TELEGRAM_WEBHOOK_SECRET="s3cret-webhook-token",
        TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
        TELEGRAM_WEBHOOK_PORT=str(port),
    )
    process = await start_bot_process(env, stdout=asyncio.subprocess.DEVNULL)
    try:
        await api.wait_for(lambda: api.webhook is not None, within=60)
        api.push_to_webhook = True
        api.queue(private_text(7, "/panel"))
        await api.wait_for(lambda: bool(api.sent()), within=60)
        found = LINK.search(api.sent()[-1].params["text"].encode())
        assert found is not None, api.sent()[-1].params["text"]
        await signs_in(found.group().decode(), port)
    finally:
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 60)
        await api.stop()
    assert code == 0
