"""What the overview can be narrowed to: the filters and the values each may take."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.core.folding import fold
from bot.core.web_ports import OverviewRow

_PERIOD = re.compile(r"(\d{4})(?:-Q([1-4]))?")
WARSAW = ZoneInfo("Europe/Warsaw")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
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


def sector_key(text: object) -> str:
    """The sector as typed, folded so "ICT", "ict " and "Ict." group together ("" for none)."""
    if not isinstance(text, str):
        return ""
    return _EDGES.sub("", " ".join(fold(text).split()))


def quarter_of(row: OverviewRow, tz: ZoneInfo = WARSAW) -> str:
    """The quarter the self-evaluation was finished in, in ``tz`` ("2026-Q3")."""
    day = row.completed_at.astimezone(tz)
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def period_label(period: str, t: Callable[..., str]) -> str:
    """``2026-Q3`` as "III kw. 2026" / "Q3 2026"; a year as itself."""
    year, _, quarter = period.partition("-Q")
    if not quarter:
        return year
    return t("page.overview.quarter", name=t(f"page.overview.quarter_name.{quarter}"), year=year)
