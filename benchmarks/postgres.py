"""Several workers on PostgreSQL: complete self-evaluations, 100 users, saturated.

The same conversation as ``benchmarks.core`` (its ``_user``: 47 turns through the dispatcher,
the next message as soon as the reply is back), measured four ways in one run: SQLite in one
process (the baseline, as ``core`` measures it) and PostgreSQL with 1, 2 and 3 worker
processes on one database. Each worker process loads the content, opens the PostgreSQL
stores and the per-person turn locks across workers, builds the services as ``clusterbot
run`` does, waits at a barrier with the others, and runs its share of the users (user ``n``
goes to worker ``n % workers``). Throughput is all turns over the time from the barrier to
the last worker's end; latencies are every turn's, from all workers. Each run has a fresh
schema, dropped after it. Figures are medians over repeats.

The server is ``CLUSTERBOT_BENCH_DATABASE_URL`` (default: the local one, database ``test``);
when it cannot be reached the benchmark says so in one line and measures nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import statistics
import threading
import time
import uuid
from queue import Empty
from typing import Any

import asyncpg

from benchmarks import core

DATABASE_URL = os.environ.get(
    "CLUSTERBOT_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
USERS = 100
#: Connections per worker for the stores, and as many again for the turn locks (the default
#: of ``CLUSTERBOT_DB_POOL``).
POOL = 10
WORKER_COUNTS = (1, 2, 3)


async def _worker(
    index: int, workers: int, users: int, url: str, schema: str, barrier: Any
) -> dict[str, Any]:
    from bot.app import build_services
    from bot.config import REPO_CONTENT_DIR, Settings
    from bot.core.clock import SystemClock
    from bot.loader import load_content
    from storage.postgres import PostgresStorage

    content = load_content(REPO_CONTENT_DIR)
    store = await PostgresStorage.open(url, POOL, schema=schema)
    locks = await store.turn_locks(POOL)
    try:
        settings = Settings(rate_limit="1000/1")
        services = build_services(content, store, SystemClock(), settings, shared=locks)
        # Charts are rendered in a worker thread; the benchmark measures the conversation.
        results = services.dispatcher.features[0]._results  # type: ignore[attr-defined]
        assert results._visuals is not None  # fails loudly if it moves again
        results._visuals = None
        latencies: list[float] = []
        mine = [n for n in range(users) if n % workers == index]
        barrier.wait()  # every worker connected and built: start together
        start, cpu = time.monotonic(), time.process_time()
        done = await asyncio.gather(
            *(core._user(services.dispatcher, n, latencies, 0.0) for n in mine)
        )
        end, cpu = time.monotonic(), time.process_time() - cpu
    finally:
        await locks.close()
        await store.close()
    return {"turns": sum(done), "start": start, "end": end, "cpu": cpu, "latencies": latencies}


def _child(
    index: int, workers: int, users: int, url: str, schema: str, barrier: Any, queue: Any
) -> None:
    try:
        queue.put(asyncio.run(_worker(index, workers, users, url, schema, barrier)))
    except BaseException as exc:
        barrier.abort()  # the others must not wait for this one
        queue.put({"error": f"worker {index}: {type(exc).__name__}: {exc}"})
        raise


async def _schema(action: str, schema: str) -> None:
    conn = await asyncpg.connect(DATABASE_URL, timeout=5)
    try:
        if action == "create":
            await conn.execute(f"CREATE SCHEMA {schema}")
        else:
            await conn.execute("SET client_min_messages = warning")  # no NOTICE per table
            await conn.execute(f"DROP SCHEMA {schema} CASCADE")
    finally:
        await conn.close()


def _cpu_times() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine so far, from /proc/stat (Linux)."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            fields = [float(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0.0)  # idle + iowait
    return (sum(fields) - idle) / tick, sum(fields) / tick


def _wait_at(barrier: Any, processes: list[Any]) -> None:
    """Pass the barrier with the workers; give up if one of them died before reaching it."""
    waiting = threading.Thread(target=_quietly_wait, args=(barrier,), daemon=True)
    waiting.start()
    while waiting.is_alive():
        if any(p.exitcode is not None for p in processes):
            barrier.abort()
        waiting.join(0.1)


def _quietly_wait(barrier: Any) -> None:
    with contextlib.suppress(threading.BrokenBarrierError):  # a worker failed: it says why
        barrier.wait()


def _next_report(queue: Any, processes: list[Any]) -> dict[str, Any]:
    """The next worker's report; an error if one died without a word."""
    deadline = time.monotonic() + 1800
    while time.monotonic() < deadline:
        try:
            report: dict[str, Any] = queue.get(timeout=1)
        except Empty:
            dead = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
            if dead:
                return {"error": f"a worker exited with {dead[0]} before reporting"}
            continue
        return report
    return {"error": "no report within 30 minutes"}


def measure(workers: int, users: int = USERS) -> dict[str, float]:
    """Run ``users`` over ``workers`` processes on a fresh schema; return the figures.

    Besides throughput and latency: ``worker_cores`` (the workers' own CPU over the run, in
    cores) and ``busy_cores`` (the whole machine's: PostgreSQL's server processes are most
    of the difference).
    """
    schema = f"bench_{uuid.uuid4().hex}"
    asyncio.run(_schema("create", schema))
    try:
        ctx = multiprocessing.get_context("spawn")
        barrier = ctx.Barrier(workers + 1)  # this process too: it reads the CPU counters
        queue = ctx.Queue()
        processes = [
            ctx.Process(
                target=_child, args=(i, workers, users, DATABASE_URL, schema, barrier, queue)
            )
            for i in range(workers)
        ]
        for process in processes:
            process.start()
        try:
            _wait_at(barrier, processes)
            busy, total = _cpu_times()
            reports = [_next_report(queue, processes) for _ in processes]
            after = _cpu_times()
            busy, total = after[0] - busy, after[1] - total
        finally:
            for process in processes:
                process.join(timeout=60)
                if process.exitcode is None:
                    process.kill()
                    process.join()
    finally:
        asyncio.run(_schema("drop", schema))
    errors = [r["error"] for r in reports if "error" in r]
    if errors:
        raise RuntimeError("; ".join(errors))
    turns = sum(r["turns"] for r in reports)
    elapsed = max(r["end"] for r in reports) - min(r["start"] for r in reports)
    latencies = sorted(x for r in reports for x in r["latencies"])
    cpus = os.cpu_count() or 1
    return {
        "turns": float(turns),
        "turns_per_s": turns / elapsed,
        "worker_cores": sum(r["cpu"] for r in reports) / elapsed,
        "busy_cores": busy / total * cpus if total else float("nan"),
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


def _reachable() -> str | None:
    """Why the server cannot be reached, or ``None`` when it can."""

    async def probe() -> None:
        conn = await asyncpg.connect(DATABASE_URL, timeout=5)
        await conn.close()

    try:
        asyncio.run(probe())
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        return str(exc) or type(exc).__name__
    return None


def run(quick: bool = False) -> dict[str, float]:
    """Measure SQLite and PostgreSQL with 1, 2 and 3 workers; print a table; return figures."""
    problem = _reachable()
    if problem is not None:
        where = DATABASE_URL.rsplit("@", 1)[-1]
        print(f"postgres: skipped, the server at {where} cannot be reached ({problem})")
        return {}
    repeats = 1 if quick else 3
    sqlite = [core.measure(USERS, "sqlite") for _ in range(repeats)]
    rows = {n: [measure(n) for _ in range(repeats)] for n in WORKER_COUNTS}

    def med(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    print(
        f"postgres: complete self-evaluations (47 turns each), {USERS} users saturated, "
        f"SQLite in one process vs PostgreSQL with 1-3 worker processes, median of {repeats}"
    )
    head = ("store", "workers", "turns/s", "p50 ms", "p99 ms", "worker cores", "busy cores")
    print("  {:<9} {:>7} {:>8} {:>8} {:>8} {:>12} {:>10}".format(*head))
    table = [("sqlite", 1, sqlite), *(("postgres", n, rows[n]) for n in WORKER_COUNTS)]
    for store, workers, runs in table:
        cores = (
            f"{med(runs, 'worker_cores'):>12.2f} {med(runs, 'busy_cores'):>10.2f}"
            if store == "postgres"
            else f"{'':>12} {'':>10}"
        )
        print(
            f"  {store:<9} {workers:>7} {med(runs, 'turns_per_s'):>8.0f} "
            f"{med(runs, 'p50_ms'):>8.2f} {med(runs, 'p99_ms'):>8.2f} {cores}"
        )
    one, two = med(rows[1], "turns_per_s"), med(rows[2], "turns_per_s")
    print(
        f"  2 workers / 1 worker: {two / one:.2f}x on {os.cpu_count()} cpus (worker cores: the "
        "workers' own CPU; busy cores: the whole machine's, PostgreSQL's server included)"
    )
    figures = {
        "pg_sqlite_turns_per_s_100_users": med(sqlite, "turns_per_s"),
        "pg_sqlite_p99_ms_100_users": med(sqlite, "p99_ms"),
        "pg_scaling_2_workers": two / one,
    }
    for n in WORKER_COUNTS:
        figures[f"pg_turns_per_s_{n}_workers"] = med(rows[n], "turns_per_s")
        figures[f"pg_p99_ms_{n}_workers"] = med(rows[n], "p99_ms")
        figures[f"pg_busy_cores_{n}_workers"] = med(rows[n], "busy_cores")
    return figures
