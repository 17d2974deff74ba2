"""Reminder scheduler: 100,000 reminders planned, 10,000 due in the same minute.

Reports CPU time per reminder sent (planning, ledger claims and delivery through a no-op
messenger) and the memory the plan takes. The baseline, measured in the same run, is the
bare loop that hands the same 10,000 reminders to the same messenger with no plan and no
ledger: the ratio is what keeping the "exactly once" promise costs.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import tracemalloc
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bot.app import build_services
from bot.config import REPO_CONTENT_DIR, Settings
from bot.core.clock import ManualClock
from bot.core.events import Address, Reply
from bot.core.records import Event
from bot.loader import load_content
from storage.memory import MemoryStorage

T0 = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)


class NullMessenger:
    def __init__(self) -> None:
        self.count = 0

    async def send(self, address: Address, replies: Sequence[Reply]) -> None:
        self.count += 1


async def _one(events: int, subscribers: int, due_events: int) -> dict[str, float]:
    content = load_content(REPO_CONTENT_DIR)
    clock, store = ManualClock(T0), MemoryStorage()
    built = build_services(content, store, clock, Settings(reminder_offsets="1d"))
    messenger = NullMessenger()
    built.outbox.register("console", messenger)
    for n in range(events):
        starts = (
            T0 + timedelta(days=1, seconds=30) if n < due_events else T0 + timedelta(days=2 + n)
        )
        await store.save_event(
            Event(f"adm-{n}", f"E{n}", f"E{n}", starts, "meeting", origin="admin")
        )
    for n in range(subscribers):
        address = Address("console", f"c{n}", f"u{n}")
        await store.add_subscription(address.user_key, address, "all", "", None, T0)
    start_cpu = time.process_time()
    planned = await built.scheduler.planned()
    plan_cpu = time.process_time() - start_cpu
    # Memory in a second planning pass: tracing would distort the CPU figure.
    built.scheduler.wake()
    tracemalloc.start()
    await built.scheduler.planned()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    clock.advance(timedelta(days=1))
    start_cpu = time.process_time()
    sent = await built.scheduler.tick()
    tick_cpu = time.process_time() - start_cpu
    due = planned[:sent]
    bare = NullMessenger()
    start_cpu = time.process_time()
    for reminder in due:
        await bare.send(reminder.address, [Reply("x")])
    bare_cpu = time.process_time() - start_cpu
    return {
        "planned": float(len(planned)),
        "sent": float(sent),
        "plan_s": plan_cpu,
        "plan_mb": peak / 1e6,
        "tick_us_per_item": tick_cpu / sent * 1e6,
        "bare_us_per_item": bare_cpu / sent * 1e6,
    }


def run(quick: bool = False) -> dict[str, float]:
    """Measure and print; return the figures."""
    events, subscribers, due_events = (100, 100, 10) if quick else (100, 1000, 10)
    repeats = 1 if quick else 3
    results = [asyncio.run(_one(events, subscribers, due_events)) for _ in range(repeats)]

    def med(key: str) -> float:
        return statistics.median(r[key] for r in results)

    figures = {
        "reminder_planned": med("planned"),
        "reminder_due": med("sent"),
        "reminder_plan_s": med("plan_s"),
        "reminder_plan_mb": med("plan_mb"),
        "reminder_cpu_us_per_item": med("tick_us_per_item"),
        "reminder_bare_us_per_item": med("bare_us_per_item"),
    }
    print(
        f"reminders: {int(figures['reminder_planned']):,} planned, "
        f"{int(figures['reminder_due']):,} due in the same minute, median of {repeats}"
    )
    print(
        f"  plan: {figures['reminder_plan_s']:.2f} s CPU, {figures['reminder_plan_mb']:.0f} MB peak"
    )
    print(
        f"  sending: {figures['reminder_cpu_us_per_item']:.1f} us CPU per reminder "
        f"(bare loop {figures['reminder_bare_us_per_item']:.1f} us, "
        f"ratio {figures['reminder_cpu_us_per_item'] / figures['reminder_bare_us_per_item']:.1f}x)"
    )
    return figures
