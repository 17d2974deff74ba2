"""The delivery loop with a controllable clock: on time, once, after restarts, DST, volume."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import build_services
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.events import Address, Reply
from bot.core.records import Event
from bot.errors import RecipientUnavailable
from bot.loader import Content
from storage.memory import MemoryStorage
from storage.sqlite import SqliteStorage

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
ALA = Address("console", "ala", "ala")


class Recorder:
    """A messenger that records what it would send; some addresses are blocked."""

    def __init__(self) -> None:
        self.sent: list[tuple[Address, str]] = []
        self.blocked: set[str] = set()

    async def send(self, address: Address, replies: Sequence[Reply]) -> None:
        if address.user_id in self.blocked:
            raise RecipientUnavailable("blocked")
        for reply in replies:
            self.sent.append((address, reply.text))


def services(content: Content, store: Any, clock: ManualClock) -> tuple[Any, Recorder]:
    built = build_services(content, store, clock, Settings())
    recorder = Recorder()
    built.outbox.register("console", recorder)
    return built, recorder


async def add_event(store: Any, eid: str, starts: datetime, **extra: Any) -> Event:
    event = Event(
        eid,
        f"Spotkanie {eid}",
        f"Meeting {eid}",
        starts,
        "meeting",
        origin="admin",
        place="Lublin",
        **extra,
    )
    await store.save_event(event)
    return event


async def test_on_time_and_once(content: Content) -> None:
    clock, store = ManualClock(T0), MemoryStorage()
    built, recorder = services(content, store, clock)
    await add_event(store, "adm-a", T0 + timedelta(days=10))
    await store.add_subscription(ALA.user_key, ALA, "event", "adm-a", None, T0)
    assert await built.scheduler.tick() == 0
    clock.advance(timedelta(days=3) - timedelta(minutes=1))
    assert await built.scheduler.tick() == 0  # 7 days before is one minute away
    clock.advance(timedelta(minutes=1))
    assert await built.scheduler.tick() == 1
    assert await built.scheduler.tick() == 0  # not twice
    text = recorder.sent[0][1]
    assert (
        "Przypomnienie" in text
        and "za 7 dni" in text
        and "Spotkanie adm-a" in text
        and "Lublin" in text
    )


async def test_exactly_once_across_a_restart_and_catch_up_after_downtime(
    content: Content, tmp_path: Path
) -> None:
    clock = ManualClock(T0)
    path = str(tmp_path / "r.sqlite3")
    db = await SqliteStorage.open(path)
    built, recorder = services(content, db, clock)
    await add_event(db, "adm-a", T0 + timedelta(days=8))
    await db.add_subscription(ALA.user_key, ALA, "event", "adm-a", None, T0)
    clock.advance(timedelta(days=1))
    assert await built.scheduler.tick() == 1  # the 7-day reminder
    await db.close()
    # The process is down for 6 days and 21 hours: the 1-day reminder fell due meanwhile.
    clock.advance(timedelta(days=6, hours=21))
    db = await SqliteStorage.open(path)
    try:
        built, recorder = services(content, db, clock)
        assert await built.scheduler.tick() == 1  # caught up at start-up, 7-day not resent
        assert "za 1 dni" in recorder.sent[0][1]
        # Down again past the start: the 2-hour reminder that fell due meanwhile is dropped.
        clock.advance(timedelta(hours=4))
        assert await built.scheduler.tick() == 0
        assert len(recorder.sent) == 1
    finally:
        await db.close()


async def test_no_reminder_for_an_event_already_started(content: Content) -> None:
    clock, store = ManualClock(T0), MemoryStorage()
    built, recorder = services(content, store, clock)
    await add_event(store, "adm-a", T0 + timedelta(hours=3))
    await store.add_subscription(ALA.user_key, ALA, "event", "adm-a", None, T0 - timedelta(days=30))
    clock.advance(timedelta(hours=4))
    assert await built.scheduler.tick() == 0
    assert recorder.sent == []


async def test_content_meetings_of_2019_are_never_reminded(content: Content) -> None:
    clock, store = ManualClock(T0), MemoryStorage()
    built, _ = services(content, store, clock)
    await store.add_subscription(ALA.user_key, ALA, "all", "", None, T0)
    assert all(r.event_id.startswith(("deadline", "adm")) for r in await built.scheduler.planned())
    ids = {e.id for e in content.events}
    assert {
        "parp-meeting-szczecin-2019",
        "parp-meeting-lublin-2019",
        "parp-meeting-chorzow-2019",
    } <= ids
    assert not any(r.event_id in ids for r in await built.scheduler.planned())


async def test_cancel_and_reschedule_recompute(content: Content) -> None:
    clock, store = ManualClock(T0), MemoryStorage()
    built, recorder = services(content, store, clock)
    event = await add_event(store, "adm-a", T0 + timedelta(days=2))
    await store.add_subscription(ALA.user_key, ALA, "event", "adm-a", None, T0)
    clock.advance(timedelta(days=1))
    assert await built.scheduler.tick() == 1  # 1 day before
    moved = dataclasses.replace(event, starts_at=T0 + timedelta(days=5))
    await store.save_event(moved)
    built.scheduler.wake()
    clock.advance(timedelta(days=3))
    assert await built.scheduler.tick() == 1  # 1 day before the new time
    await store.save_event(dataclasses.replace(moved, cancelled=True))
    built.scheduler.wake()
    clock.advance(timedelta(hours=23))
    assert await built.scheduler.tick() == 0  # the 2-hour reminder of a cancelled event
    assert len(recorder.sent) == 2


async def test_a_blocked_subscriber_is_unsubscribed_quietly(content: Content) -> None:
    clock, store = ManualClock(T0), MemoryStorage()
    built, recorder = services(content, store, clock)
    await add_event(store, "adm-a", T0 + timedelta(days=1, hours=1))
    await store.add_subscription(ALA.user_key, ALA, "event", "adm-a", None, T0)
    recorder.blocked.add("ala")
    clock.advance(timedelta(hours=1))
    assert await built.scheduler.tick() == 0
    assert await store.list_subscriptions(ALA.user_key) == []


async def test_status_expiry_reminders(content: Content) -> None:
    clock, store = ManualClock(T0), MemoryStorage()
    built, recorder = services(content, store, clock)
    granted = datetime(2023, 10, 1).date()  # KKK: expires 1 Oct 2026
    await store.set_status_date(ALA.user_key, ALA, "kkk", granted)
    waw = ZoneInfo("Europe/Warsaw")
    planned = await built.scheduler.planned()
    due = [(r.offset // 1440, r.due_at.astimezone(waw).date().isoformat()) for r in planned]
    assert due == [(183, "2026-04-01"), (30, "2026-09-01")]
    clock.advance(timedelta(days=31))
    assert await built.scheduler.tick() == 1
    assert "Wygasa status Krajowego Klastra Kluczowego" in recorder.sent[0][1]


async def test_ten_thousand_due_at_once(content: Content) -> None:
    clock, store = ManualClock(T0), MemoryStorage()
    built, recorder = services(content, store, clock)
    await add_event(store, "adm-a", T0 + timedelta(days=1, minutes=30))
    for n in range(10_000):
        address = Address("console", f"c{n}", f"u{n}")
        await store.add_subscription(address.user_key, address, "event", "adm-a", None, T0)
    clock.advance(timedelta(minutes=30))
    assert await built.scheduler.tick() == 10_000
    assert len({a.user_id for a, _ in recorder.sent}) == 10_000
    assert await built.scheduler.tick() == 0


async def test_the_loop_sleeps_until_due_and_wakes_on_change(content: Content) -> None:
    from bot.core.clock import SystemClock

    store = MemoryStorage()
    built = build_services(content, store, SystemClock(), Settings(reminder_offsets="1m"))
    recorder = Recorder()
    built.outbox.register("console", recorder)
    task = asyncio.create_task(built.scheduler.run())
    try:
        await asyncio.sleep(0.05)
        now = datetime.now(UTC)
        await add_event(store, "adm-a", now + timedelta(minutes=1, seconds=0.3))
        await store.add_subscription(
            ALA.user_key, ALA, "event", "adm-a", None, now - timedelta(minutes=1)
        )
        built.scheduler.wake()  # the loop was sleeping for an hour; it replans now
        for _ in range(40):
            if recorder.sent:
                break
            await asyncio.sleep(0.05)
        assert len(recorder.sent) == 1
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
