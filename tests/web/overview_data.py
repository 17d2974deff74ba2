"""Overview rows built by hand against the real questionnaire, for the overview tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime
from typing import Any

from bot.assessment.model import Questionnaire
from bot.core.events import UserKey
from bot.core.web_ports import OverviewRow
from bot.web.overview import Cell

SPRING = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)  # 2026-Q2


def owner(name: str) -> UserKey:
    return UserKey("telegram", "", name)


def all_met(q: Questionnaire) -> dict[str, str | None]:
    return {s.id: "y" for s in q.standards}


def verdict_codes(q: Questionnaire, phase: str, verdict: str) -> dict[str, str | None]:
    """Answers that score ``verdict`` in ``phase``: all met, one obligatory not met or missing."""
    codes = all_met(q)
    first = next(s.id for s in q.standards if phase in s.obligatory_in)
    if verdict == "negative":
        codes[first] = "n"
    elif verdict == "incomplete":
        del codes[first]
    return codes


class Rows:
    """Makes rows with fresh owners and assessment ids unless told otherwise."""

    def __init__(self, q: Questionnaire) -> None:
        self.q = q
        self.next_id = 0

    def one(
        self,
        who: str | None = None,
        *,
        phase: str = "growth",
        region: str | None = "mz",
        sector: str | None = "ICT",
        when: datetime = SPRING,
        codes: dict[str, str | None] | None = None,
        questionnaire_id: str | None = None,
        assessment_id: int | None = None,
    ) -> OverviewRow:
        self.next_id += 1
        profile: dict[str, Any] = {"name": "Klaster Testowy"}
        if region is not None:
            profile["region"] = region
        if sector is not None:
            profile["sector"] = sector
        return OverviewRow(
            owner=owner(who or f"cluster-{self.next_id}"),
            assessment_id=assessment_id if assessment_id is not None else self.next_id,
            questionnaire_id=questionnaire_id or self.q.id,
            phase=phase,
            completed_at=when,
            profile=profile,
            codes=dict(all_met(self.q) if codes is None else codes),
        )

    def many(self, n: int, **kwargs: Any) -> list[OverviewRow]:
        return [self.one(**kwargs) for _ in range(n)]


def cells(value: object, path: str = "overview") -> Iterator[tuple[str, Cell]]:
    """Every :class:`Cell` inside an overview, with where it is."""
    if isinstance(value, Cell):
        yield path, value
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from cells(getattr(value, f.name), f"{path}.{f.name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from cells(item, f"{path}[{key}]")
    elif isinstance(value, tuple | list):
        for i, item in enumerate(value):
            yield from cells(item, f"{path}[{i}]")
