"""What the overview can be narrowed to: the filters and the values each may take."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PERIOD = re.compile(r"(\d{4})(?:-Q([1-4]))?")
#: The filters, as the overview's query parameters name them.
FILTER_NAMES = ("phase", "region", "sector", "period")


@dataclass(frozen=True, slots=True)
class Filters:
    """What the overview is narrowed to; ``None`` is "all"."""

    phase: str | None = None
    region: str | None = None  # a voivodeship option id ("mz")
    sector: str | None = None  # a sector_key
    period: str | None = None  # "2026" or "2026-Q3", of completed_at in the overview's tz

    def __post_init__(self) -> None:
        if self.period is not None and not _PERIOD.fullmatch(self.period):
            raise ValueError(f"period must be a year or a quarter like 2026-Q3: {self.period!r}")


@dataclass(frozen=True, slots=True)
class SectorOption:
    """A sector one may filter by: its key and the spelling most clusters use."""

    key: str
    label: str


@dataclass(frozen=True, slots=True)
class FilterOptions:
    """The values each filter may take (anything else is a bad request)."""

    phases: tuple[str, ...]
    regions: tuple[str, ...]
    sectors: tuple[SectorOption, ...]
    periods: tuple[str, ...]  # newest first: 2026, 2026-Q3, 2026-Q1, 2025, ...

    def unknown(self, filters: Filters) -> tuple[str, ...]:
        """The names of the filters whose value is not offered (empty: all fine)."""
        sectors = tuple(s.key for s in self.sectors)
        offered = zip(FILTER_NAMES, (self.phases, self.regions, sectors, self.periods), strict=True)
        return tuple(n for n, ok in offered if getattr(filters, n) not in (None, *ok))
