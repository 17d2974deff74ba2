"""The question-answering evaluation: cases, how one is judged, and a report by part.

Each case is a question with the card and fact(s) the answer must lead with, or none when it
must be refused. The ``test`` part was written before the retrieval was tuned and is frozen
(its fingerprint is checked); the ``dev`` part is what tuning may look at; the ``val`` part,
written after the dev tuning, chose between settings dev could not tell apart (``val2``, written
later still, chooses where dev and the held-out example questions disagree; ``context``, its
questions told after a word about the asker's cluster, tunes on its even cases; ``val3``, one
question per fact, was written when every other part had been tuned on; ``val4``, one per fact
again, weighted to English and colloquial questions, after ``val3`` had been tuned on;
``val5``, about nine facts per card and off-topic questions that name our topic first, after
``val4`` had been tuned on; ``val6``, written from the reference in the four styles evenly as
the test part was, after ``val5`` had been tuned on; ``val7``, the same, after ``val6`` had been
tuned on; ``val8``, one question per fact, two for the weakest kinds; ``val9``, written per card
and ask-type and then mapped to facts, as the test part was; ``val10``, the same again, with
off-topic questions that name our topics; ``val11``, the same again); the
``fresh`` part was written after the retrieval tuning and is frozen too. Run
``python -m tests.knowledge.qa [PART …] [-v]`` (PART: dev, val, val2 … val11, context,
context:even, context:odd, test, fresh; all by default) for the tables the README quotes.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bot.config import REPO_CONTENT_DIR
from bot.core.clock import ManualClock
from bot.core.dispatcher import Dispatcher
from bot.core.events import Address, Incoming, Reply, Text
from bot.knowledge.model import Fact
from bot.loader import Content, load_content
from storage.memory import MemoryStorage
from tests.helpers import make_dispatcher

DATA = Path(__file__).resolve().parents[1] / "data"
PARTS = {
    "dev": DATA / "qa_eval_dev.yaml",
    "val": DATA / "qa_eval_val.yaml",
    "val2": DATA / "qa_eval_val2.yaml",
    "val3": DATA / "qa_eval_val3.yaml",
    "val4": DATA / "qa_eval_val4.yaml",
    "val5": DATA / "qa_eval_val5.yaml",
    "val6": DATA / "qa_eval_val6.yaml",
    "val7": DATA / "qa_eval_val7.yaml",
    "val8": DATA / "qa_eval_val8.yaml",
    "val9": DATA / "qa_eval_val9.yaml",
    "val10": DATA / "qa_eval_val10.yaml",
    "val11": DATA / "qa_eval_val11.yaml",
    "context": DATA / "qa_eval_context.yaml",
    "test": DATA / "qa_eval_test.yaml",
    "fresh": DATA / "qa_eval_fresh.yaml",
}
#: The fingerprint of the frozen test part's questions and expectations.
FROZEN_FIELDS = ("q", "card", "fact", "ask", "style", "near")
_NUMBER = re.compile(r"\d+(?:[ \u00a0.,]\d+)*")


@dataclass(frozen=True)
class Case:
    """One evaluation question and what its answer must lead with."""

    q: str
    card: str | None
    facts: tuple[str, ...]
    ask: str | None
    style: str
    near: bool | None = None

    @property
    def in_scope(self) -> bool:
        """Whether the assistant should answer (not refuse) this question."""
        return self.card is not None


def load_part(part: str) -> list[Case]:
    """Read the cases of a part; ``context:even`` and ``context:odd`` are its halves."""
    name, _, half = part.partition(":")
    raw = yaml.safe_load(PARTS[name].read_text("utf-8"))["questions"]
    if half:
        raw = raw[0::2] if half == "even" else raw[1::2]
    cases = []
    for item in raw:
        facts = item.get("fact")
        ids = tuple(facts) if isinstance(facts, list) else (facts,) if facts else ()
        cases.append(
            Case(
                q=str(item["q"]),
                card=item.get("card"),
                facts=ids,
                ask=item.get("ask"),
                style=str(item.get("style", "formal")),
                near=item.get("near"),
            )
        )
    return cases


def fingerprint(part: str = "test") -> str:
    """A hash of the frozen fields of every case, in order."""
    raw = yaml.safe_load(PARTS[part].read_text("utf-8"))["questions"]
    rows = [{k: item.get(k) for k in FROZEN_FIELDS} for item in raw]
    data = json.dumps(rows, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass
class Outcome:
    """What the assistant did with one case."""

    case: Case
    answered: bool
    lead: str | None
    text: str

    @property
    def right(self) -> bool:
        """In scope: led with an expected fact; out of scope: refused."""
        if not self.case.in_scope:
            return not self.answered
        return self.answered and self.lead in self.case.facts


@dataclass
class Tally:
    """Right and total counts."""

    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += int(ok)
        self.total += 1

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.share:6.1%} ({self.right}/{self.total})"


@dataclass
class Report:
    """Outcomes of one part, with the shares the README reports."""

    outcomes: list[Outcome]
    by_style: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_ask: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    in_scope: Tally = field(default_factory=Tally)
    refused: Tally = field(default_factory=Tally)
    near: Tally = field(default_factory=Tally)

    def __post_init__(self) -> None:
        for outcome in self.outcomes:
            case = outcome.case
            if case.in_scope:
                self.in_scope.add(outcome.right)
                self.by_style[case.style].add(outcome.right)
                self.by_ask[case.ask or "?"].add(outcome.right)
            else:
                self.refused.add(outcome.right)
                if case.near:
                    self.near.add(outcome.right)

    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.right]


async def answer_all(content: Content, cases: Sequence[Case]) -> list[Outcome]:
    """Ask every question in a private chat of its own, through the whole dispatcher."""
    store = MemoryStorage()
    clock = ManualClock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    dispatcher = make_dispatcher(content, store, clock)
    facts = content.knowledge_base.facts
    outcomes = []
    for number, case in enumerate(cases):
        replies = await ask(dispatcher, case.q, f"eval{number}")
        outcomes.append(judge(case, replies, facts))
    return outcomes


async def ask(dispatcher: Dispatcher, question: str, user: str) -> list[Reply]:
    """Send one question as a new user and return the replies."""
    address = Address("console", user, user)
    return await dispatcher.handle(Incoming(address, Text(question), private=True))


def lead_fact(text: str, facts: dict[str, Fact]) -> str | None:
    """The fact whose text (in either language) is one of the answer's first two lines."""
    head = text.splitlines()[:2]
    for fact in facts.values():
        if fact.pl in head or fact.en in head:
            return fact.id
    return None


def judge(case: Case, replies: Sequence[Reply], facts: dict[str, Fact]) -> Outcome:
    """Judge one case by what the user would read."""
    text = "\n".join(r.text for r in replies)
    lead = lead_fact(text, facts)
    return Outcome(case, answered=lead is not None, lead=lead, text=text)


def cited(text: str, facts: dict[str, Fact]) -> list[Fact]:
    """The facts whose text is a line of the answer."""
    lines = set(text.splitlines())
    return [f for f in facts.values() if f.pl in lines or f.en in lines]


def numbers(text: str) -> set[str]:
    """Numbers as digits only: "1 292", "1,292" → "1292"; "0,5" and "0.5" → "05"."""
    return {re.sub(r"\D", "", n) for n in _NUMBER.findall(text)}


def stray_numbers(text: str, facts: dict[str, Fact]) -> set[str]:
    """Numbers in the answer's own lines that none of its cited facts contains.

    Source lines (``↳``) and the card line (the instrument's name, e.g. "2.3.3") are
    excluded: they name where a fact comes from, not what it says.
    """
    shown = cited(text, facts)
    allowed: set[str] = set()
    for fact in shown:
        allowed |= numbers(fact.pl) | numbers(fact.en)
    stray: set[str] = set()
    lines = text.splitlines()
    for line in lines:
        if line.startswith("↳") or line.startswith("**"):
            continue
        stray |= numbers(line) - allowed
    return stray


def _table(title: str, tallies: dict[str, Tally]) -> Iterable[str]:
    yield f"  {title}:"
    for name in sorted(tallies):
        yield f"    {name:<12} {tallies[name]}"


def render(part: str, report: Report) -> str:
    """The report of one part as text."""
    lines = [
        f"{part}: {len(report.outcomes)} cases",
        f"  in scope, led with the expected fact: {report.in_scope}",
        f"  out of scope, refused:                {report.refused}",
        f"    of which near the domain:           {report.near}",
    ]
    lines += _table("by style", report.by_style)
    lines += _table("by ask-type", report.by_ask)
    return "\n".join(lines)


def main(argv: Sequence[str]) -> int:
    content = load_content(REPO_CONTENT_DIR)
    verbose = "-v" in argv
    for part in [p for p in argv if p.partition(":")[0] in PARTS] or list(PARTS):
        report = Report(asyncio.run(answer_all(content, load_part(part))))
        print(render(part, report))
        if verbose:
            for miss in report.misses():
                got = miss.lead or "(refused)"
                first = miss.text.splitlines()[0] if miss.text else ""
                print(f"    MISS {miss.case.q!r}: want {miss.case.facts or 'refusal'}, got {got}")
                print(f"         {first[:110]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
