"""Start-up time to the first reply: ``clusterbot run`` as a new process, console mode.

Baseline in the same run: starting the Python interpreter alone (``python -c pass``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _first_reply(index: Path) -> float:
    """Seconds to the first reply, the knowledge index kept in ``index`` (empty: built)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("CLUSTERBOT_", "TELEGRAM_", "SLACK_"))
        }
        env["CLUSTERBOT_DB_PATH"] = str(Path(tmp) / "s.sqlite3")
        env["CLUSTERBOT_INDEX_CACHE"] = str(index)
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(b"/start\n")
        process.stdin.flush()
        while b"Dzie" not in process.stdout.readline():
            pass
        elapsed = time.perf_counter() - start
        process.stdin.close()
        process.wait(timeout=60)
    return elapsed


def _bare() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - start


def run(quick: bool = False) -> dict[str, float]:
    """Measure and print; return the medians."""
    repeats = 3 if quick else 5
    first: list[float] = []
    later: list[float] = []
    with tempfile.TemporaryDirectory() as kept:
        for run_number in range(repeats):
            with tempfile.TemporaryDirectory() as empty:
                first.append(_first_reply(Path(empty)))  # no stored index: it is built
            if run_number == 0:
                _first_reply(Path(kept))  # stores the index the later starts read
            later.append(_first_reply(Path(kept)))
    ours, indexing = statistics.median(later), statistics.median(first)
    bare = statistics.median(_bare() for _ in range(repeats))
    print(
        f"startup: first reply after {ours:.2f} s with the stored index, {indexing:.2f} s "
        f"indexing first (python alone {bare:.2f} s), median of {repeats}"
    )
    return {"startup_s": ours, "startup_indexing_s": indexing, "startup_python_s": bare}
