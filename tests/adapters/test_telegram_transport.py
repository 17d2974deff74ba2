"""PTB's calls over our aiohttp transport: results, uploads and failures as PTB expects them."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import NetworkError, TimedOut

from bot.adapters.telegram.transport import AiohttpRequest
from tests.fakes.telegram_api import TOKEN, FakeBotApi


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi()
    await fake.start()
    yield fake
    await fake.stop()


def bot_on(base_url: str, **timeouts: float) -> Bot:
    return Bot(TOKEN, base_url=base_url, request=AiohttpRequest(8, **timeouts))


async def test_calls_and_uploads_reach_the_api_with_their_parameters(api: FakeBotApi) -> None:
    async with bot_on(api.base_url) as bot:
        message = await bot.send_message(42, "Zażółć <b>gęślą</b>", parse_mode="HTML")
        assert message.chat.id == 42 and message.text
        await bot.send_document(42, InputFile(b"%PDF-1.4 raport", filename="raport.pdf"))
    sent = api.sent("sendMessage")[0].params
    assert sent["text"] == "Zażółć <b>gęślą</b>" and sent["parse_mode"] == "HTML"
    upload = api.sent("sendDocument")[0]
    assert upload.files["document"] == b"%PDF-1.4 raport"


async def test_an_unreachable_server_is_a_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bot = bot_on(f"http://127.0.0.1:{port}/bot")
    await bot.request.initialize()  # Bot.initialize would call getMe first
    try:
        with pytest.raises(NetworkError) as info:
            await bot.send_message(42, "x")
        assert not isinstance(info.value, TimedOut)
        assert "aiohttp.ClientConnectorError" in str(info.value)  # mapped by us, not PTB
    finally:
        await bot.request.shutdown()


async def test_a_server_that_does_not_answer_in_time_is_a_timeout() -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post(r"/bot{token}/{method}", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    bot = bot_on(f"http://127.0.0.1:{port}/bot", read_timeout=0.2)
    await bot.request.initialize()
    try:
        with pytest.raises(TimedOut):
            await bot.answer_callback_query("1")
    finally:
        await bot.request.shutdown()
        await runner.cleanup()


def test_the_default_read_timeout_is_reported_for_long_polling() -> None:
    assert AiohttpRequest().read_timeout == 5.0
    assert AiohttpRequest(read_timeout=None).read_timeout is None
