"""One `clusterbot run` per database file, and a file that disappears under a running bot.

Real processes in Telegram mode against the fake Bot API, as in ``tests/test_crash.py``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.loader import Content
from tests.fakes.telegram_api import FakeBotApi, button_press, private_text
from tests.helpers import clean_env, start_bot_process
from tests.sample import PROFILE
from tests.test_crash import api, start_bot, step

__all__ = ["api"]  # the fixture, shared with the crash test

USER = 2001


async def test_a_second_run_on_the_same_database_exits_2_naming_the_first(
    api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "owned.sqlite3"
    first = await start_bot(api, db)
    try:
        second = await start_bot_process(
            clean_env(CLUSTERBOT_DB_PATH=str(db)), stdout=asyncio.subprocess.PIPE
        )
        out, err = await asyncio.wait_for(second.communicate(), 60)
        assert second.returncode == 2, err.decode()
        assert out == b""  # no chat started
        [message] = err.decode().splitlines()
        assert str(db) in message
        assert f"pid {first.pid} on host {socket.gethostname()}" in message
        assert "PostgreSQL" in message
        # The owner did not notice anything and still answers.
        await step(api, USER, private_text(USER, "/start"))
        assert "Dzień dobry" in api.texts(USER)[-1]
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    # A killed owner leaves its lock to the kernel: the next start owns the file.
    again = await start_bot(api, db)
    try:
        await step(api, USER, private_text(USER, "/jezyk en"))
        assert "English" in api.texts(USER)[-1]
    finally:
        again.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(again.communicate(), 60)
    assert again.returncode == 0, err.decode()[-2000:]


@asynccontextmanager
async def running_bot(api: FakeBotApi, db: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    """A bot that is expected to stop by itself; killed if it has not when the test ends."""
    process = await start_bot(api, db)
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.communicate()


async def answer_first_standard(api: FakeBotApi) -> None:
    await step(api, USER, private_text(USER, "/ocena"))
    for value in PROFILE:
        await step(api, USER, private_text(USER, value))
    message, data = api.button(USER, "faza rozwoju")
    await step(api, USER, button_press(USER, message, data))
    message, data = api.button(USER, "Spełnia")
    await step(api, USER, button_press(USER, message, data))
    await api.quiet()  # the acknowledgement and the next question are both sent
    assert any(text.startswith("Zapisano 1.1.1") for text in api.texts(USER))


def replace_with_another_database(db: Path) -> None:
    other = db.with_name("restored.sqlite3")
    with sqlite3.connect(other) as raw:
        raw.execute("CREATE TABLE notes (body TEXT)")
    raw.close()
    os.replace(other, db)


def files_in(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()}


def tables(db: Path) -> list[str]:
    with sqlite3.connect(db) as raw:
        names = [r[0] for r in raw.execute("SELECT name FROM sqlite_master")]
    raw.close()
    return names


@pytest.mark.parametrize("loss", ["deleted", "replaced"])
async def test_a_lost_database_file_stops_the_bot_before_an_answer_is_acknowledged(
    api: FakeBotApi, tmp_path: Path, content: Content, loss: str
) -> None:
    db = tmp_path / "bot.sqlite3"
    async with running_bot(api, db) as process:
        await answer_first_standard(api)
        seen = len(api.texts(USER))
        if loss == "deleted":
            db.unlink()
        else:
            replace_with_another_database(db)
        message, data = api.button(USER, "Spełnia")
        api.queue(button_press(USER, message, data))
        _, err = await asyncio.wait_for(process.communicate(), 60)
    log = err.decode()
    assert process.returncode == 1, log[-2000:]
    reason = "was deleted or moved away" if loss == "deleted" else "was replaced by another file"
    assert any(
        " ERROR " in line and str(db) in line and reason in line for line in log.splitlines()
    ), log[-2000:]
    # The answer given after the loss was not acknowledged: the user was told it failed
    # (or, when the idle check noticed the loss first, the bot stopped before reading it).
    assert api.texts(USER)[seen:] in ([content.texts.get("pl", "errors.not_saved")], [])
    # Nothing of the old database is left for the next start to read into another file.
    left = {db.name + ".lock"} | ({db.name} if loss == "replaced" else set())
    assert files_in(tmp_path) == left
    if loss == "replaced":
        assert tables(db) == ["notes"]


async def test_an_idle_bot_notices_its_database_file_was_deleted(
    api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "idle.sqlite3"
    async with running_bot(api, db) as process:
        await step(api, USER, private_text(USER, "/start"))
        db.unlink()
        _, err = await asyncio.wait_for(process.communicate(), 60)  # no message needed
    assert process.returncode == 1
    assert f"the database file {db} was deleted or moved away" in err.decode()


async def test_the_console_chat_stops_too_while_it_waits_for_a_line(tmp_path: Path) -> None:
    db = tmp_path / "console.sqlite3"
    process = await start_bot_process(
        clean_env(CLUSTERBOT_DB_PATH=str(db)),
        stdin=asyncio.subprocess.PIPE,  # kept open: a user at the terminal, not typing
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdin and process.stdout and process.stderr
    process.stdin.write(b"/start\n")
    await process.stdin.drain()
    await asyncio.wait_for(process.stdout.readuntil(b"[1]"), 60)  # the menu is there
    db.unlink()
    # The stop may not wait for the next Enter: the input stays open all along.
    err = await asyncio.wait_for(process.stderr.read(), 60)
    await asyncio.wait_for(process.wait(), 10)
    process.stdin.close()
    assert process.returncode == 1, err.decode()[-2000:]
    assert f"the database file {db} was deleted or moved away" in err.decode()
