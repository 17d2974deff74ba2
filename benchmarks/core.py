"""Core turn throughput: simulated users talking to the dispatcher, SQLite vs in-memory.

The in-memory store is the baseline measured in the same run; the ratio says what the
durable store costs. Each figure is the median of several repetitions.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.app import wire_services
from bot.config import REPO_CONTENT_DIR, Settings
from bot.core.clock import SystemClock
from bot.core.events import Action, Address, Command, Incoming, Text
from bot.loader import load_content
from storage.memory import MemoryStorage
from storage.sqlite import SqliteStorage

SCRIPT = [
    Command("start"),
    Action("h1:lang:en"),
    Command("help"),
    Text("hello"),
    Action("h1:lang:pl"),
    Command("nieznane"),
    Text("co to jest klaster?"),
]


@dataclass(frozen=True, slots=True)
class Result:
    turns_per_s: float
    p50_ms: float
    p99_ms: float


async def _run_users(store: Any, users: int, rounds: int) -> Result:
    content = load_content(REPO_CONTENT_DIR)
    dispatcher = wire_services(content, store, SystemClock(), Settings())
    latencies: list[float] = []

    async def user(n: int) -> None:
        address = Address("bench", f"c{n}", f"u{n}")
        for r in range(rounds):
            for i, content_ in enumerate(SCRIPT):
                start = time.perf_counter()
                replies = await dispatcher.handle(
                    Incoming(address, content_, update_id=f"{n}-{r}-{i}")
                )
                latencies.append(time.perf_counter() - start)
                assert replies

    start = time.perf_counter()
    await asyncio.gather(*(user(n) for n in range(users)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    return Result(
        turns_per_s=len(latencies) / elapsed,
        p50_ms=latencies[len(latencies) // 2] * 1000,
        p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    )


async def _sqlite(users: int, rounds: int) -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        store = await SqliteStorage.open(str(Path(tmp) / "bench.sqlite3"))
        try:
            return await _run_users(store, users, rounds)
        finally:
            await store.close()


def run(quick: bool = False) -> dict[str, float]:
    """Measure and return the medians; print a table."""
    repeats = 3 if quick else 5
    users, rounds = (20, 3) if quick else (100, 5)
    memory: list[Result] = []
    sqlite: list[Result] = []
    for _ in range(repeats):
        memory.append(asyncio.run(_run_users(MemoryStorage(), users, rounds)))
        sqlite.append(asyncio.run(_sqlite(users, rounds)))

    def med(results: list[Result], attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in results)

    figures = {
        "core_home_turns_per_s_memory": med(memory, "turns_per_s"),
        "core_home_turns_per_s_sqlite": med(sqlite, "turns_per_s"),
        "core_home_p99_ms_sqlite": med(sqlite, "p99_ms"),
        "core_home_sqlite_vs_memory_throughput": statistics.median(
            s.turns_per_s / m.turns_per_s for s, m in zip(sqlite, memory, strict=True)
        ),
    }
    print(f"core: {users} users x {rounds} rounds x {len(SCRIPT)} turns, median of {repeats}")
    print(f"  {'store':<8} {'turns/s':>10} {'p50 ms':>8} {'p99 ms':>8}")
    for name, results in (("memory", memory), ("sqlite", sqlite)):
        print(
            f"  {name:<8} {med(results, 'turns_per_s'):>10.0f} "
            f"{med(results, 'p50_ms'):>8.2f} {med(results, 'p99_ms'):>8.2f}"
        )
    print(
        f"  sqlite/memory throughput ratio: {figures['core_home_sqlite_vs_memory_throughput']:.2f}"
    )
    return figures
