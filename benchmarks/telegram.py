"""Telegram end to end: our assistant vs a bare python-telegram-bot echo bot, same driver.

Both run the real PTB ``Application`` against the same local fake Bot API. The driver plays
N users; each sends a message (or presses the button) and waits for the bot's reply before
the next. Ours does complete self-evaluations; the echo bot answers each message with its
text. Throughput is updates handled per second; latency runs from queuing an update to the
bot's first message back. Ratios are ours/echo within the same run.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, MessageHandler, filters

from tests.fakes.telegram_api import TOKEN, FakeBotApi, button_press, private_text
from tests.sample import PROFILE


class Driver:
    def __init__(self, api: FakeBotApi) -> None:
        self.api = api
        self.latencies: list[float] = []
        self.updates = 0
        self._seen = 0
        self._counts: dict[int, int] = {}

    def _count(self, user: int) -> int:
        # Read only the calls recorded since the last look: the driver must not slow down
        # as the recorded calls pile up (ours makes more calls per update than echo).
        calls = self.api.calls
        for call in calls[self._seen :]:
            if call.method == "sendMessage":
                chat = int(call.params["chat_id"])
                self._counts[chat] = self._counts.get(chat, 0) + 1
        self._seen = len(calls)
        return self._counts.get(user, 0)

    async def send(self, user: int, update: dict[str, Any], expect: int = 1) -> None:
        """Queue an update; wait for the first reply (latency) and all ``expect`` replies."""
        before = self._count(user)
        start = time.perf_counter()
        self.api.queue(update)
        while self._count(user) <= before:  # noqa: ASYNC110 - polling recorded calls
            await asyncio.sleep(0.0005)
        self.latencies.append(time.perf_counter() - start)
        while self._count(user) < before + expect:  # noqa: ASYNC110
            await asyncio.sleep(0.0005)
        self.updates += 1


async def _ours_user(driver: Driver, user: int) -> None:
    # Replies per update: the intro and the first question; one question per profile answer
    # (two after the last: "saved" and the phase); the phase and the first standard; then
    # one message per answer ("saved" on top of the next question).
    await driver.send(user, private_text(user, "/ocena"), expect=2)
    for n, value in enumerate(PROFILE):
        await driver.send(user, private_text(user, value), expect=2 if n == len(PROFILE) - 1 else 1)
    message, data = driver.api.button(user, "faza rozwoju")
    await driver.send(user, button_press(user, message, data), expect=2)
    for _ in range(36):
        message, data = driver.api.button(user, "Spełnia")
        await driver.send(user, button_press(user, message, data), expect=1)


async def _echo_user(driver: Driver, user: int) -> None:
    for n in range(47):
        await driver.send(user, private_text(user, f"wiadomość {n}"))


async def _ours(users: int) -> Driver:
    from bot.adapters.telegram.runner import TelegramConfig, TelegramRunner
    from bot.app import build_services
    from bot.config import REPO_CONTENT_DIR, Settings
    from bot.core.clock import SystemClock
    from bot.core.events import Address
    from bot.loader import load_content
    from storage.sqlite import SqliteStorage

    api = FakeBotApi()
    await api.start()
    content = load_content(REPO_CONTENT_DIR)
    with tempfile.TemporaryDirectory() as tmp:
        store = await SqliteStorage.open(str(Path(tmp) / "tg.sqlite3"))
        services = build_services(content, store, SystemClock(), Settings(rate_limit="1000/1"))
        services.dispatcher.features[0]._visuals = None  # type: ignore[attr-defined]
        config = TelegramConfig(
            token=TOKEN,
            base_url=api.base_url,
            base_file_url=api.file_url,
            polling_timeout=1,
            max_rate=1000,
        )

        async def unreachable(address: Address) -> None:
            return None

        runner = TelegramRunner(config, services.dispatcher.handle, {}, unreachable)
        await runner.__aenter__()
        driver = Driver(api)
        try:
            await asyncio.gather(*(_ours_user(driver, 5000 + n) for n in range(users)))
        finally:
            await runner.__aexit__(None, None, None)
            await store.close()
            await api.stop()
    return driver


async def _echo(users: int) -> Driver:
    api = FakeBotApi()
    await api.start()

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(update.message.text)

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(api.base_url)
        .base_file_url(api.file_url)
        .concurrent_updates(8)
        .rate_limiter(AIORateLimiter(overall_max_rate=1000))
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    driver = Driver(api)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=1)
        try:
            await asyncio.gather(*(_echo_user(driver, 5000 + n) for n in range(users)))
        finally:
            await app.updater.stop()
            await app.stop()
    await api.stop()
    return driver


def _figures(driver: Driver, elapsed: float) -> tuple[float, float]:
    latencies = sorted(driver.latencies)
    return driver.updates / elapsed, latencies[
        min(len(latencies) - 1, int(len(latencies) * 0.99))
    ] * 1000


def run(quick: bool = False) -> dict[str, float]:
    """Measure ours and echo in alternation; print; return the medians of the ratios."""
    users = 5 if quick else 20
    repeats = 1 if quick else 3
    pairs = []
    for _ in range(repeats):
        start = time.perf_counter()
        ours = asyncio.run(_ours(users))
        ours_tput, ours_p99 = _figures(ours, time.perf_counter() - start)
        start = time.perf_counter()
        echo = asyncio.run(_echo(users))
        echo_tput, echo_p99 = _figures(echo, time.perf_counter() - start)
        pairs.append((ours_tput, ours_p99, echo_tput, echo_p99))
    med = [statistics.median(p[i] for p in pairs) for i in range(4)]
    throughput_ratio = statistics.median(p[0] / p[2] for p in pairs)
    p99_ratio = statistics.median(p[1] / p[3] for p in pairs)
    print(f"telegram: {users} users x 47 updates, real PTB Application, median of {repeats}")
    print(f"  ours  {med[0]:8.0f} updates/s   p99 {med[1]:7.1f} ms  (self-evaluations, SQLite)")
    print(f"  echo  {med[2]:8.0f} updates/s   p99 {med[3]:7.1f} ms  (bare PTB echo bot)")
    print(f"  ours/echo: throughput {throughput_ratio:.2f}, p99 {p99_ratio:.2f}")
    return {
        "telegram_updates_per_s": med[0],
        "telegram_echo_updates_per_s": med[2],
        "telegram_throughput_ratio": throughput_ratio,
        "telegram_p99_ratio": p99_ratio,
    }
