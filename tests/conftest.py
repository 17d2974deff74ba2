"""Shared fixtures: a clean environment, no network but loopback, ready-made services."""

from __future__ import annotations

import ipaddress
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.config import REPO_CONTENT_DIR
from bot.core.clock import ManualClock
from bot.core.dispatcher import Dispatcher
from bot.loader import Content, load_content
from storage.memory import MemoryStorage
from tests.helpers import TEST_INDEX_CACHE, make_dispatcher

_PREFIXES = ("TELEGRAM_", "SLACK_", "CLUSTERBOT_")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(_PREFIXES):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CLUSTERBOT_INDEX_CACHE", str(TEST_INDEX_CACHE))


_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            allowed = ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = host == "localhost"
        if not allowed:
            raise RuntimeError(f"tests may only connect to loopback, not {host}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(REPO_CONTENT_DIR)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def store() -> MemoryStorage:
    return MemoryStorage()


@pytest.fixture
def dispatcher(content: Content, store: MemoryStorage, clock: ManualClock) -> Dispatcher:
    return make_dispatcher(content, store, clock)


@pytest.fixture
def tmp_content(tmp_path: Path) -> Path:
    """A writable copy of the repository's content directory."""
    import shutil

    target = tmp_path / "content"
    shutil.copytree(REPO_CONTENT_DIR, target)
    return target
