"""Question answering: knowledge-base load time and per-question latency.

The baseline, measured in the same run, is the simplest thing that could work: RapidFuzz's
best fuzzy match of the question against card names and aliases, with no analysis.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from bot.config import REPO_CONTENT_DIR
from bot.index_cache import IndexCache
from bot.knowledge.retrieval import KnowledgeBase
from bot.knowledge.service import KnowledgeFeature
from bot.loader import knowledge_base

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
EVAL = (DATA / "qa_eval_dev.yaml", DATA / "qa_eval_test.yaml")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def run(quick: bool = False) -> dict[str, float]:
    """Measure and print; return the figures."""
    repeats = 3 if quick else 7
    loads: list[float] = []
    stored: list[float] = []
    kb: KnowledgeBase | None = None
    with tempfile.TemporaryDirectory() as folder:
        cache = IndexCache(Path(folder))
        knowledge_base(REPO_CONTENT_DIR, cache)  # the first start stores the index
        for _ in range(repeats):
            # Built from the content (a first start, or content changed since the last) ...
            start = time.perf_counter()
            kb = knowledge_base(REPO_CONTENT_DIR)
            loads.append(time.perf_counter() - start)
            # ... and every later start: content validated, the stored index read.
            start = time.perf_counter()
            knowledge_base(REPO_CONTENT_DIR, cache)
            stored.append(time.perf_counter() - start)
    assert kb is not None
    feature = KnowledgeFeature(kb)
    questions = [
        str(q["q"]) for path in EVAL for q in yaml.safe_load(path.read_text("utf-8"))["questions"]
    ]
    names = {c.id: " ".join([c.name.pl, *c.aliases]) for c in kb.content.cards}
    ours: list[float] = []
    baseline: list[float] = []
    for _ in range(repeats):
        kb.forget()  # each run starts cold: words are remembered only within a run
        for question in questions:
            start = time.perf_counter()
            feature.best(question)
            ours.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            process.extractOne(question, names, scorer=fuzz.WRatio)
            baseline.append((time.perf_counter() - start) * 1000)
    figures = {
        "qa_p50_ms": statistics.median(ours),
        "qa_p99_ms": _percentile(ours, 0.99),
        "qa_baseline_p50_ms": statistics.median(baseline),
        "qa_vs_baseline_p50": statistics.median(ours) / statistics.median(baseline),
        "kb_load_s": statistics.median(loads),
        "kb_stored_load_s": statistics.median(stored),
    }
    print(f"knowledge: {len(questions)} questions x {repeats} runs; load median of {repeats}")
    print(f"  ours      p50 {figures['qa_p50_ms']:.2f} ms   p99 {figures['qa_p99_ms']:.2f} ms")
    print(f"  baseline  p50 {figures['qa_baseline_p50_ms']:.3f} ms (RapidFuzz over card names)")
    print(f"  ours/baseline p50: {figures['qa_vs_baseline_p50']:.1f}x")
    print(
        f"  knowledge-base load: {figures['kb_stored_load_s']:.3f} s with its stored index, "
        f"{figures['kb_load_s']:.3f} s indexing it (cards, facts, lexicon, index)"
    )
    return figures
