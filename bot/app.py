"""Composition root: settings -> content -> storage -> services -> platforms.

Only this module knows the concrete adapters and stores. Resources start in order inside one
``AsyncExitStack`` and stop in reverse order, also when start-up fails half-way.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import BinaryIO, TextIO

from bot.adapters.console.runner import ConsoleChat
from bot.assessment.service import AssessmentFeature
from bot.config import Settings
from bot.core.clock import SystemClock
from bot.core.dispatcher import Dispatcher, Feature
from bot.core.ports import Clock
from bot.home.service import HomeFeature
from bot.loader import Content, load_content
from storage.memory import MemoryStorage
from storage.sqlite import SqliteStorage

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class App:
    """The running assistant's services."""

    settings: Settings
    content: Content
    dispatcher: Dispatcher


def wire_services(
    content: Content, store: MemoryStorage | SqliteStorage, clock: Clock, settings: Settings
) -> Dispatcher:
    """Create the feature services and the dispatcher over one store."""
    features: list[Feature] = [
        AssessmentFeature(store, content.questionnaires, content.profile),
    ]
    home = HomeFeature(store, others=features)
    return Dispatcher(
        texts=content.texts,
        users=store,
        sessions=store,
        updates=store,
        clock=clock,
        features=[*features, home],
        free_text=home.free_text,
        max_input_chars=settings.max_input_chars,
    )


@asynccontextmanager
async def build_app(settings: Settings, *, clock: Clock | None = None) -> AsyncIterator[App]:
    """Load content, open storage and wire the services; close everything on exit.

    Raises:
        ContentError: a content file is invalid (start-up stops).
        StorageUnavailable: the database cannot be opened (start-up stops).

    """
    content = load_content(settings.content_dir, settings.locale)
    async with AsyncExitStack() as stack:
        store = await SqliteStorage.open(settings.db_path)
        stack.push_async_callback(store.close)
        dispatcher = wire_services(content, store, clock or SystemClock(), settings)
        yield App(settings=settings, content=content, dispatcher=dispatcher)
        log.info("shutting down")


async def run(settings: Settings, inp: BinaryIO | None = None, out: TextIO | None = None) -> None:
    """Start the configured platforms; with none configured, chat on the console."""
    async with build_app(settings) as app:
        stdin = inp if inp is not None else sys.stdin.buffer
        stdout = out if out is not None else sys.stdout
        chat = ConsoleChat(app.dispatcher.handle, stdin, stdout, echo=not stdin.isatty())
        log.info("no platform token set: starting the console chat")
        await chat.run()
