"""Core throughput: simulated users doing complete self-evaluations through the dispatcher.

Each size runs in a fresh process (so peak RSS is that size's own), with the SQLite store.
Baseline in the same run: the same work with the in-memory store, which shows what the
durable store costs. Figures are medians over repeats.

Two loads. *Saturated*: every user sends the next message the moment the reply is back, so
the bot never idles; this gives throughput, and its latency is mostly queueing (with N users
waiting, a turn waits for about N others: p50 ≈ N / throughput). *Paced*: every user pauses
before each message (exponential, mean ``THINK`` s: still far faster than a person reading
a standard), so the latency is what a user waits for a reply when many are active at once.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import random
import resource
import statistics
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any

from bot.core.events import Action, Address, Command, Incoming, Reply, Text
from tests.sample import PROFILE

#: Mean pause of a paced user before each message, in seconds.
THINK = 0.1


def _find(replies: list[Reply], label: str) -> str:
    for reply in replies:
        for button in reply.all_buttons:
            if label in button.label:
                return button.payload
    raise LookupError(label)


async def _user(dispatcher: Any, n: int, latencies: Any, think: float) -> int:
    address = Address("bench", f"c{n}", f"u{n}")
    turns = 0
    pause = random.Random(n)

    async def send(content: Any) -> list[Reply]:
        nonlocal turns
        if think:
            # Users arrive spread over a ramp of 20 pauses (as load tests ramp up), not all
            # in the first instant; then each pauses before every message.
            await asyncio.sleep(pause.uniform(0, 20 * think) if not turns else 0)
            await asyncio.sleep(pause.expovariate(1 / think))
        start = time.perf_counter()
        replies: list[Reply] = await dispatcher.handle(Incoming(address, content, private=True))
        latencies.append(time.perf_counter() - start)
        turns += 1
        return replies

    replies = await send(Command("ocena"))
    for value in PROFILE:
        replies = await send(Text(value))
    replies = await send(Action(_find(replies, "faza rozwoju")))
    for _ in range(36):
        replies = await send(Action(_find(replies, "Spełnia")))
    assert "Wynik samooceny" in " ".join(r.text for r in replies)
    return turns


async def _run(users: int, store_kind: str, think: float = 0.0, wave: int = 0) -> dict[str, float]:
    from bot.app import build_services
    from bot.config import REPO_CONTENT_DIR, Settings
    from bot.core.clock import SystemClock
    from bot.loader import load_content
    from storage.memory import MemoryStorage
    from storage.sqlite import SqliteStorage

    content = load_content(REPO_CONTENT_DIR)
    with tempfile.TemporaryDirectory() as tmp:
        store: Any = (
            await SqliteStorage.open(str(Path(tmp) / "bench.sqlite3"))
            if store_kind == "sqlite"
            else MemoryStorage()
        )
        services = build_services(content, store, SystemClock(), Settings(rate_limit="1000/1"))
        # Charts are rendered in a worker thread; the benchmark measures the conversation.
        results = services.dispatcher.features[0]._results  # type: ignore[attr-defined]
        assert results._visuals is not None  # fails loudly if it moves again
        results._visuals = None
        # In waves, only the last latencies are kept: the benchmark must not grow per user.
        latencies: Any = deque(maxlen=100_000) if wave else []
        size = wave or users
        start = time.perf_counter()
        turns = 0
        for first in range(0, users, size):
            batch = range(first, min(users, first + size))
            done = await asyncio.gather(
                *(_user(services.dispatcher, n, latencies, think) for n in batch)
            )
            turns += sum(done)
        elapsed = time.perf_counter() - start
        await store.close()
    latencies = sorted(latencies)
    return {
        "turns": float(turns),
        "turns_per_s": turns / elapsed,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


def _child(users: int, store_kind: str, think: float, wave: int, queue: Any) -> None:
    figures = asyncio.run(_run(users, store_kind, think, wave))
    figures["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(figures)


def measure(users: int, store_kind: str, think: float = 0.0, wave: int = 0) -> dict[str, float]:
    """Run one size in a fresh process and return its figures (peak RSS included).

    ``think`` is each user's mean pause before a message (seconds, exponential); 0 sends
    the next message as soon as the reply is back, which saturates the bot. ``wave`` > 0
    runs the users that many at a time, one group after another, until all have finished.
    """
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_child, args=(users, store_kind, think, wave, queue))
    process.start()
    figures: dict[str, float] = queue.get(timeout=1800)
    process.join()
    return figures


def run(quick: bool = False) -> dict[str, float]:
    """Measure every size; print a table; return the figures."""
    sizes = (1, 20, 100) if quick else (1, 100, 1000)
    repeats = 1 if quick else 3
    rows: dict[tuple[int, str], list[dict[str, float]]] = {}
    for users in sizes:
        for kind in ("memory", "sqlite"):
            rows[(users, kind)] = [
                measure(users, kind) for _ in range(repeats if users <= 100 else 1)
            ]
    mid, big = sizes[1], sizes[2]
    # Paced runs last about 47 × THINK seconds whatever their size: always 100 users.
    paced = {
        kind: [measure(100, kind, THINK) for _ in range(repeats)] for kind in ("memory", "sqlite")
    }

    def med(users: int, kind: str, key: str) -> float:
        return statistics.median(r[key] for r in rows[(users, kind)])

    def pmed(kind: str, key: str) -> float:
        return statistics.median(r[key] for r in paced[kind])

    print(
        f"core: complete self-evaluations (47 turns each), SQLite vs in-memory, median of {repeats}"
    )
    head = ("users", "store", "turns/s", "p50 ms", "p99 ms", "peak RSS MB")
    print("  saturated (the next message as soon as the reply is back)")
    print("  {:>6} {:<7} {:>9} {:>8} {:>8} {:>12}".format(*head))
    for users in sizes:
        for kind in ("memory", "sqlite"):
            print(
                f"  {users:>6} {kind:<7} {med(users, kind, 'turns_per_s'):>9.0f} "
                f"{med(users, kind, 'p50_ms'):>8.2f} {med(users, kind, 'p99_ms'):>8.2f} "
                f"{med(users, kind, 'rss_mb'):>12.0f}"
            )
    print(f"  paced (each user pauses {THINK * 1000:.0f} ms on average before a message)")
    for kind in ("memory", "sqlite"):
        print(
            f"  {100:>6} {kind:<7} {pmed(kind, 'turns_per_s'):>9.0f} "
            f"{pmed(kind, 'p50_ms'):>8.2f} {pmed(kind, 'p99_ms'):>8.2f} "
            f"{pmed(kind, 'rss_mb'):>12.0f}"
        )
    growth = (med(big, "sqlite", "rss_mb") - med(mid, "sqlite", "rss_mb")) / (big - mid) * 1024
    print(f"  memory per extra concurrent user ({mid} → {big} at once): {growth:.1f} KB")
    # Finished users: 100 at a time until all are done, past the point where the caches
    # (CLUSTERBOT_CACHE_SIZE people) and SQLite's page caches are full.
    few, many = (1000, 2000) if quick else (2000, 5000)
    waves = [measure(n, "sqlite", wave=100) for n in (few, many)]
    finished = (waves[1]["rss_mb"] - waves[0]["rss_mb"]) / (many - few) * 1024
    print(
        f"  memory per extra finished user ({few:,} → {many:,} finished, 100 at a time): "
        f"{finished:.1f} KB (peak RSS {waves[0]['rss_mb']:.0f} → {waves[1]['rss_mb']:.0f} MB)"
    )
    return {
        "core_turns_per_s": med(mid, "sqlite", "turns_per_s"),
        "core_turns_per_s_memory": med(mid, "memory", "turns_per_s"),
        "core_p99_ms_100_users": pmed("sqlite", "p99_ms"),
        "core_p50_ms_100_users": pmed("sqlite", "p50_ms"),
        "core_paced_turns_per_s": pmed("sqlite", "turns_per_s"),
        "core_p99_ms_100_users_memory": pmed("memory", "p99_ms"),
        "core_p99_ms_100_users_saturated": med(mid, "sqlite", "p99_ms"),
        f"core_rss_mb_{big}_users": med(big, "sqlite", "rss_mb"),
        "core_rss_mb_1000_users": med(big, "sqlite", "rss_mb"),
        "core_kb_per_concurrent_user": growth,
        "core_kb_per_finished_user": finished,
    }
