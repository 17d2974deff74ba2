"""Helpers for building incoming messages and reading replies in tests."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from bot.app import wire_services
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.dispatcher import Dispatcher
from bot.core.events import Action, Address, Command, Incoming, Reply, Text
from bot.loader import Content

ROOT = Path(__file__).resolve().parents[1]


def make_dispatcher(
    content: Content, store: Any, clock: ManualClock, **settings: Any
) -> Dispatcher:
    return wire_services(content, store, clock, Settings(**settings))


ALICE = Address("console", "chat-a", "alice")
BOB = Address("console", "chat-b", "bob")


def text(body: str, address: Address = ALICE, update_id: str | None = None) -> Incoming:
    return Incoming(address, Text(body), update_id=update_id, private=True)


def command(name: str, *args: str, address: Address = ALICE, hint: str | None = None) -> Incoming:
    return Incoming(address, Command(name, tuple(args)), locale_hint=hint, private=True)


def press(payload: str, address: Address = ALICE, update_id: str | None = None) -> Incoming:
    return Incoming(address, Action(payload), update_id=update_id, private=True)


def labels(replies: list[Reply]) -> list[str]:
    return [b.label for r in replies for b in r.all_buttons]


def payload_of(replies: list[Reply], label_part: str) -> str:
    for reply in replies:
        for button in reply.all_buttons:
            if label_part in button.label:
                return button.payload
    raise AssertionError(f"no button containing {label_part!r} in {labels(replies)}")


class Chat:
    """One user talking to the dispatcher; remembers the last replies to press their buttons."""

    def __init__(self, dispatcher: Dispatcher, address: Address = ALICE) -> None:
        self.dispatcher = dispatcher
        self.address = address
        self.last: list[Reply] = []

    async def send(self, line: str) -> list[Reply]:
        if line.startswith("/"):
            name, *args = line[1:].split()
            content: Command | Text = Command(name, tuple(args))
        else:
            content = Text(line)
        return await self._handle(Incoming(self.address, content, private=True))

    async def press(self, label_part: str) -> list[Reply]:
        return await self._handle(
            Incoming(self.address, Action(payload_of(self.last, label_part)), private=True)
        )

    async def press_payload(self, payload: str) -> list[Reply]:
        return await self._handle(Incoming(self.address, Action(payload), private=True))

    async def _handle(self, incoming: Incoming) -> list[Reply]:
        self.last = await self.dispatcher.handle(incoming)
        return self.last

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.last)

    @property
    def buttons(self) -> list[str]:
        return labels(self.last)

    def payload(self, label_part: str) -> str:
        return payload_of(self.last, label_part)


PROFILE_ANSWERS = [
    ("text", "Klaster Testowy"),
    ("text", "Fundacja Rozwoju"),
    ("button", "stowarzyszenie"),
    ("text", "ICT"),
    ("text", "45"),
    ("text", "300"),
    ("text", "2015"),
    ("button", "mazowieckie"),
    ("button", "nie"),
]


async def fill_profile(chat: Chat) -> None:
    for kind, value in PROFILE_ANSWERS:
        if kind == "text":
            await chat.send(value)
        else:
            await chat.press(value)


#: Where the assistant started by the tests keeps its knowledge index (not the user's cache).
TEST_INDEX_CACHE = Path(tempfile.gettempdir()) / f"clusterbot-tests-{os.getuid()}"


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a child process: none of our variables but ``extra``.

    The knowledge index is kept in ``TEST_INDEX_CACHE`` unless ``extra`` says otherwise.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CLUSTERBOT_", "TELEGRAM_", "SLACK_"))
    }
    env["CLUSTERBOT_INDEX_CACHE"] = str(TEST_INDEX_CACHE)
    env.update(extra)
    return env


async def start_bot_process(
    env: dict[str, str],
    *,
    stdout: int,
    stderr: int | IO[bytes] = asyncio.subprocess.PIPE,
    stdin: int = asyncio.subprocess.DEVNULL,
) -> asyncio.subprocess.Process:
    """Run `python -m bot run` from the repository root with ``env``; stderr piped by default."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env=env,
        stdin=stdin,
        stdout=stdout,
        stderr=stderr,
    )
