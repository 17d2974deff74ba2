"""What the overview page shows: the filters' choices and the tables' labels (pure).

The numbers come from :func:`bot.web.overview.aggregate`; here they only get their labels in
one language, and a hidden cell its dash. Nothing here can un-hide a cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from bot.assessment.insights import Parp2015
from bot.assessment.model import ProfileSpec, Questionnaire
from bot.core.i18n import Texts
from bot.core.markup import to_plain
from bot.web.charts import Bar
from bot.web.filters import FilterOptions, Filters, period_label
from bot.web.overview import Cell, Overview

#: How a hidden cell looks.
HIDDEN = "—"


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a filter's list."""

    value: str
    label: str
    selected: bool


@dataclass(frozen=True, slots=True)
class Select:
    """One filter: its query parameter, its label and its options ("all" first)."""

    name: str
    label: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True, slots=True)
class OverviewPage:
    """The overview's page in one language."""

    overview: Overview
    selects: tuple[Select, ...]
    phases: tuple[tuple[str, str], ...]  # (id, name) in questionnaire order
    standards: dict[str, str]  # id -> title
    regions: dict[str, str]  # option id -> voivodeship
    area_bars: tuple[Bar, ...]
    quarter_bars: tuple[Bar, ...]
    query: str  # the filters as a query string (for the downloads and the language link)
    parp_label: str
    parp_url: str


def cell(value: Cell, unit: str = "") -> str:
    """A cell as shown: its value with ``unit``, or the dash when hidden."""
    return f"{value.value}{unit}" if value.value is not None else HIDDEN


def overview_page(
    data: Overview,
    filters: Filters,
    options: FilterOptions,
    questionnaire: Questionnaire,
    profile: ProfileSpec,
    parp_2015: Parp2015,
    texts: Texts,
    locale: str,
) -> OverviewPage:
    """Label the overview ``data`` for ``locale``."""

    def t(key: str, **params: object) -> str:
        return to_plain(texts.get(locale, key, **params))

    phases = tuple(
        (p.id, p.title.get(locale)) for p in questionnaire.phases if p.id in options.phases
    )
    region_field = profile.field("region")
    regions = {o.id: o.label.get(locale) for o in (region_field.options if region_field else ())}
    everything = t("page.overview.all")

    def select(name: str, pairs: list[tuple[str, str]], chosen: str | None) -> Select:
        choices = [Choice("", everything, chosen is None)]
        choices += [Choice(value, label, value == chosen) for value, label in pairs]
        return Select(name, t(f"page.overview.filter.{name}"), tuple(choices))

    selects = (
        select("phase", list(phases), filters.phase),
        select("region", [(r, regions.get(r, r)) for r in options.regions], filters.region),
        select("sector", [(s.key, s.label) for s in options.sectors], filters.sector),
        select("period", [(p, period_label(p, t)) for p in options.periods], filters.period),
    )
    area_bars = tuple(
        Bar(f"{a.id}. {a.title.get(locale)}", a.percent.value, a.parp_2015) for a in data.areas
    )
    quarter_bars = tuple(Bar(period_label(q.period, t), q.percent.value) for q in data.quarters)
    chosen = {
        name: value
        for name in ("phase", "region", "sector", "period")
        if (value := getattr(filters, name)) is not None
    }
    return OverviewPage(
        overview=data,
        selects=selects,
        phases=tuple(phases) or tuple((p.id, p.title.get(locale)) for p in questionnaire.phases),
        standards={s.id: s.title.get(locale) for s in questionnaire.standards},
        regions=regions,
        area_bars=area_bars,
        quarter_bars=quarter_bars,
        query=urlencode(chosen),
        parp_label=parp_2015.label.get(locale),
        parp_url=str(parp_2015.source.url),
    )
