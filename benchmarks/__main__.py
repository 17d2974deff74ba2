"""Run every benchmark, print the tables and write the figures as JSON (``BENCH_JSON``)."""

from __future__ import annotations

import json
import os
import platform
import sys

from benchmarks import core, flood, knowledge, postgres, reminders, startup, telegram


def main() -> None:
    quick = "--quick" in sys.argv
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cpus")
    figures = core.run(quick=quick)
    figures |= postgres.run(quick=quick)
    figures |= knowledge.run(quick=quick)
    figures |= reminders.run(quick=quick)
    figures |= telegram.run(quick=quick)
    figures |= flood.run(quick=quick)
    figures |= startup.run(quick=quick)
    path = os.environ.get("BENCH_JSON", "bench-results.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(figures, fh, indent=2, sort_keys=True)
    print(f"figures written to {path}")


if __name__ == "__main__":
    main()
