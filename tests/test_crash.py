"""Crash safety: 50 self-evaluations in a real process, SIGKILL in the middle, restart.

Every answer a user saw acknowledged ("Zapisano 2.1.1: …") must be on disk, and each user
must continue at the right question. SIGTERM then stops the process cleanly (exit 0).
"""

from __future__ import annotations

import asyncio
import re
import signal
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import REPO_CONTENT_DIR
from bot.loader import load_content
from tests.fakes.telegram_api import TOKEN, FakeBotApi, button_press, private_text
from tests.helpers import clean_env, start_bot_process
from tests.sample import PROFILE

USERS = list(range(1001, 1051))
SAVED = re.compile(r"^Zapisano (\d\.\d\.\d):")


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


async def start_bot(api: FakeBotApi, db: Path) -> asyncio.subprocess.Process:
    env = clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api.base_url,
        TELEGRAM_MAX_RATE="1000",
        CLUSTERBOT_DB_PATH=str(db),
    )
    before = len(api.sent("setMyCommands"))
    process = await start_bot_process(env, stdout=asyncio.subprocess.DEVNULL)
    await api.wait_for(lambda: len(api.sent("setMyCommands")) > before, within=60)
    return process


def sent_to(api: FakeBotApi, user: int) -> int:
    return sum(1 for c in api.sent() if int(c.params["chat_id"]) == user)


async def step(api: FakeBotApi, user: int, update: dict[str, object]) -> None:
    before = sent_to(api, user)
    api.queue(update)
    await api.wait_for(lambda: sent_to(api, user) > before, within=60)
    await asyncio.sleep(0.02)


async def drive(api: FakeBotApi, user: int, stop: asyncio.Event) -> None:
    await step(api, user, private_text(user, "/ocena"))
    for value in PROFILE:
        await step(api, user, private_text(user, value))
    message, data = api.button(user, "faza rozwoju")
    await step(api, user, button_press(user, message, data))
    while not stop.is_set():
        message, data = api.button(user, "Spełnia")
        await step(api, user, button_press(user, message, data))


def acknowledged(api: FakeBotApi, user: int) -> set[str]:
    return {m.group(1) for t in api.texts(user) if (m := SAVED.match(t))}


def phase_of(db: Path, user: int) -> str | None:
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT phase FROM assessments WHERE user_id = ? AND status = 'in_progress'",
            (str(user),),
        ).fetchone()
    return None if row is None else row[0]


def stored(db: Path, user: int) -> set[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT a.standard_id FROM answers a JOIN assessments s ON s.id = a.assessment_id "
            "WHERE s.user_id = ? AND s.status = 'in_progress'",
            (str(user),),
        ).fetchall()
    return {r[0] for r in rows}


async def test_sigkill_loses_no_acknowledged_answer_and_users_continue(
    api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "crash.sqlite3"
    process = await start_bot(api, db)
    stop = asyncio.Event()
    drivers = [asyncio.create_task(drive(api, user, stop)) for user in USERS]
    try:
        # Let the users get well into the standards, then pull the plug mid-flight.
        await api.wait_for(lambda: sum(len(acknowledged(api, u)) for u in USERS) >= 150, within=240)
    finally:
        process.send_signal(signal.SIGKILL)
        await process.wait()
        stop.set()
        for task in drivers:
            task.cancel()
        await asyncio.gather(*drivers, return_exceptions=True)
    assert process.returncode == -signal.SIGKILL

    order = [s.id for s in load_content(REPO_CONTENT_DIR).questionnaires[0].standards]
    for user in USERS:
        assert acknowledged(api, user) <= stored(db, user), user

    process = await start_bot(api, db)
    try:
        # Updates that were in flight at the kill are delivered again and handled first (their
        # replies must not be taken for the replies to what the users send next).
        await api.wait_for(lambda: not api.pending(), within=60)
        await api.quiet()
        for user in USERS:
            await step(api, user, private_text(user, "/ocena"))
            message, data = api.button(user, "Kontynuuj")
            await step(api, user, button_press(user, message, data))
            shown = api.texts(user)[-1]
            if phase_of(db, user) is None:  # killed before the phase was chosen
                assert "W jakiej fazie" in shown or "Profil klastra" in shown, (user, shown[:80])
                continue
            on_disk = stored(db, user)
            expected = next(sid for sid in order if sid not in on_disk)
            assert f"{expected} " in shown, (user, expected, shown[:80])
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, stderr.decode()[-2000:]
