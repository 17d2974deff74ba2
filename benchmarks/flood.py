"""Fairness under a flood: another user's latency while one user sends 2,000 messages.

Our bot runs the real PTB ``Application`` in its own process at the deployed defaults
(``CLUSTERBOT_RATE_LIMIT`` 120/60, ``TELEGRAM_MAX_RATE`` 30 sends a second) against the
local fake Bot API, as in ``benchmarks.telegram``. One user queues 2,000 messages at once;
then another user does a complete self-evaluation (47 updates, each sent when the reply to
the previous one is back). Latency runs from queuing an update to the bot's first message
back. Baseline in the same run: the same user's self-evaluation in a fresh bot without the
flood. Ratios are flood/baseline.

Telegram hands out updates in order, so the other user's first update reaches the bot only
after the 2,000 before it; after that the two chats share the 30 sends a second.
"""

from __future__ import annotations

import asyncio
import statistics

from benchmarks.telegram import Driver, ours_user, running_bot
from tests.fakes.telegram_api import private_text

FLOOD = 2000
FLOODER, OTHER = 4000, 4001


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


async def _other_user(flood: bool) -> tuple[float, float, int]:
    """Return the other user's p50 and p99 in ms, and the flooder's messages sent by then."""
    async with running_bot("ours-default-limits") as api:
        driver = Driver(api)
        if flood:
            for _ in range(FLOOD):
                api.queue(private_text(FLOODER, "/start"))
        await ours_user(driver, OTHER)
        flooder_sent = sum(1 for c in api.sent() if int(c.params["chat_id"]) == FLOODER)
    latencies = driver.latencies
    return _percentile(latencies, 0.5), _percentile(latencies, 0.99), flooder_sent


def run(quick: bool = False) -> dict[str, float]:
    """Measure with and without the flood in alternation; print; return the medians."""
    repeats = 1 if quick else 5
    print(
        f"flood: another user's 47 updates while one user sends {FLOOD:,} "
        f"(defaults: 120 messages/min per user, 30 sends/s), median of {repeats}"
    )
    runs = []
    for _ in range(repeats):
        flooded = asyncio.run(_other_user(flood=True))
        alone = asyncio.run(_other_user(flood=False))
        runs.append((*flooded, *alone))
    med = [statistics.median(r[i] for r in runs) for i in range(6)]
    p50_ratio = statistics.median(r[0] / r[3] for r in runs)
    p99_ratio = statistics.median(r[1] / r[4] for r in runs)
    print(f"    flooded   p50 {med[0]:7.1f} ms   p99 {med[1]:7.1f} ms")
    print(f"    alone     p50 {med[3]:7.1f} ms   p99 {med[4]:7.1f} ms  (baseline)")
    print(f"    flooded/alone: p50 {p50_ratio:.2f}, p99 {p99_ratio:.2f}")
    print(f"    the flooder's messages sent by then: {med[2]:.0f} (of 120 allowed + 1 notice)")
    return {
        "flood_other_p50_ms": med[0],
        "flood_other_p99_ms": med[1],
        "flood_baseline_p50_ms": med[3],
        "flood_baseline_p99_ms": med[4],
        "flood_p50_ratio": p50_ratio,
        "flood_p99_ratio": p99_ratio,
    }


if __name__ == "__main__":
    run(quick=True)
