"""Helpers for building incoming messages and reading replies in tests."""

from __future__ import annotations

from typing import Any

from bot.app import wire_services
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.dispatcher import Dispatcher
from bot.core.events import Action, Address, Command, Incoming, Reply, Text
from bot.loader import Content


def make_dispatcher(
    content: Content, store: Any, clock: ManualClock, **settings: Any
) -> Dispatcher:
    return wire_services(content, store, clock, Settings(**settings))


ALICE = Address("console", "chat-a", "alice")
BOB = Address("console", "chat-b", "bob")


def text(body: str, address: Address = ALICE, update_id: str | None = None) -> Incoming:
    return Incoming(address, Text(body), update_id=update_id)


def command(name: str, *args: str, address: Address = ALICE, hint: str | None = None) -> Incoming:
    return Incoming(address, Command(name, tuple(args)), locale_hint=hint)


def press(payload: str, address: Address = ALICE, update_id: str | None = None) -> Incoming:
    return Incoming(address, Action(payload), update_id=update_id)


def labels(replies: list[Reply]) -> list[str]:
    return [b.label for r in replies for b in r.all_buttons]


def payload_of(replies: list[Reply], label_part: str) -> str:
    for reply in replies:
        for button in reply.all_buttons:
            if label_part in button.label:
                return button.payload
    raise AssertionError(f"no button containing {label_part!r} in {labels(replies)}")
