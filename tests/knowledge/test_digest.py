"""The administrators' weekly digest of cards due for review: once a week, across restarts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bot.app import build_services
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.events import Address, Reply
from bot.knowledge.digest import admin_address
from bot.loader import Content
from storage.memory import MemoryStorage
from tests.helpers import ALICE, Chat

#: A Monday, after every card's review_by in the repository's content (2027-02-28 … 05-31).
MONDAY_EARLY = datetime(2027, 6, 7, 5, 0, tzinfo=UTC)  # 07:00 in Warsaw: too early
MONDAY_LATER = datetime(2027, 6, 7, 8, 0, tzinfo=UTC)  # 10:00 in Warsaw


class Inbox:
    """A messenger that keeps every reply it would send, by address."""

    def __init__(self) -> None:
        self.sent: list[tuple[Address, Reply]] = []

    async def send(self, address: Address, replies: Sequence[Reply]) -> None:
        self.sent += [(address, reply) for reply in replies]


def _services(content: Content, store: MemoryStorage, clock: ManualClock) -> tuple[object, Inbox]:
    built = build_services(content, store, clock, Settings(admins="console:alice"))
    inbox = Inbox()
    built.outbox.register("console", inbox)
    return built, inbox


async def test_the_digest_goes_to_admins_once_a_week_across_restarts(content: Content) -> None:
    store, clock = MemoryStorage(), ManualClock(MONDAY_EARLY)
    built, inbox = _services(content, store, clock)
    await built.scheduler.tick()  # type: ignore[attr-defined]
    assert inbox.sent == []  # before Monday 09:00
    clock.advance(MONDAY_LATER - MONDAY_EARLY)
    await built.scheduler.tick()  # type: ignore[attr-defined]
    assert len(inbox.sent) == 1
    address, reply = inbox.sent[0]
    assert address.user_id == "alice" and address.chat_id == ""  # her private chat
    assert "Przegląd treści" in reply.text
    assert "• Status Krajowego Klastra Kluczowego (KKK) – przegląd od 28.02.2027" in reply.text
    assert "mogą być nieaktualne" in reply.text
    assert any(b.payload == "k1:card:kkk-status" for b in reply.all_buttons)
    # The same week, even after a restart over the same database: nothing more.
    clock.advance(timedelta(hours=30))
    again, inbox_again = _services(content, store, clock)
    await again.scheduler.tick()  # type: ignore[attr-defined]
    assert inbox.sent[1:] == [] and inbox_again.sent == []
    # Next week: the digest again.
    clock.advance(MONDAY_LATER + timedelta(days=7) - clock.now())
    await again.scheduler.tick()  # type: ignore[attr-defined]
    assert len(inbox_again.sent) == 1


async def test_the_digest_button_opens_the_card(content: Content) -> None:
    store, clock = MemoryStorage(), ManualClock(MONDAY_LATER)
    built, inbox = _services(content, store, clock)
    await built.scheduler.tick()  # type: ignore[attr-defined]
    _, reply = inbox.sent[0]
    payload = next(b.payload for b in reply.all_buttons if b.payload == "k1:card:feng-217")
    chat = Chat(built.dispatcher, ALICE)  # type: ignore[attr-defined]
    await chat.press_payload(payload)
    assert "FENG 2.17" in chat.text and "Trwa, ale nabór jest zamknięty" in chat.text


async def test_nothing_is_sent_when_no_card_is_due(content: Content) -> None:
    store, clock = MemoryStorage(), ManualClock(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    built, inbox = _services(content, store, clock)
    await built.scheduler.tick()  # type: ignore[attr-defined]
    assert inbox.sent == []


def test_admin_accounts_become_private_chats() -> None:
    assert admin_address("telegram:123") == Address("telegram", "", "123")
    assert admin_address("slack:T1:U9") == Address("slack", "", "U9", "T1")
