"""The anonymised overview for cluster-policy offices: a pure aggregation (issue 19).

Which standards clusters miss, by phase, voivodeship, sector and quarter, from the shared
self-evaluations (:class:`bot.core.web_ports.OverviewRow`). No cluster may be identifiable:

- no names; a **cluster** is a distinct ``owner``, counted once with its latest row;
- each number is a :class:`Cell` built from ``clusters`` clusters, hidden (``None``) when
  that is under ``min_clusters`` (5) or zero; a selection of fewer hides every number;
- a hidden part of a split (phases, verdicts of a phase, voivodeships, sectors) must not come
  out of the shown total minus the shown parts: while the hidden parts (and the clusters in no
  group) add up to 1-4 clusters, the smallest shown part is hidden too;
- sectors are free text: only those written by ``min_clusters`` clusters or more are offered
  and grouped, as a rare one could name its cluster.

``Cell.clusters`` is for deciding and testing, never shown for a hidden cell.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from bot.assessment.engine import MET
from bot.assessment.insights import Parp2015
from bot.assessment.model import ProfileSpec, Questionnaire
from bot.assessment.scoring import Score, score
from bot.core.folding import fold
from bot.core.localized import Localized
from bot.core.web_ports import OverviewRow
from bot.web.differencing import differs_by_few
from bot.web.filters import WARSAW, quarter_of, sector_key
from bot.web.filters import FilterOptions as FilterOptions
from bot.web.filters import Filters as Filters
from bot.web.filters import SectorOption as SectorOption

#: Fewer clusters than this and a number is not shown.
MIN_CLUSTERS = 5
#: How many of the least met standards the overview lists.
WEAKEST = 10
VERDICTS = ("positive", "negative", "incomplete")


@dataclass(frozen=True, slots=True)
class Cell:
    """A number and how many clusters it is built from; ``value`` is ``None`` when hidden."""

    value: int | None
    clusters: int

    @property
    def shown(self) -> bool:
        """Whether the value may be shown."""
        return self.value is not None


@dataclass(frozen=True, slots=True)
class StandardShare:
    """The share of clusters meeting a standard (whole percent), overall and per phase."""

    id: str
    overall: Cell
    by_phase: dict[str, Cell]


@dataclass(frozen=True, slots=True)
class PhaseVerdicts:
    """How many clusters of a phase have each verdict, and how many are in the phase."""

    phase: str
    positive: Cell
    negative: Cell
    incomplete: Cell
    total: Cell


@dataclass(frozen=True, slots=True)
class AreaShare:
    """The mean percent of an area's standards met, beside PARP's 2015 average."""

    id: str
    title: Localized
    percent: Cell
    parp_2015: int | None


@dataclass(frozen=True, slots=True)
class OverallShare:
    """The mean percent of all standards met, beside PARP's 2015 average."""

    percent: Cell
    parp_2015: int | None


@dataclass(frozen=True, slots=True)
class Group:
    """A voivodeship or a sector: its clusters and their mean percent met."""

    key: str
    label: Localized
    clusters: Cell
    percent: Cell


@dataclass(frozen=True, slots=True)
class Quarter:
    """A quarter's self-evaluations; ``change``: points against the ``previous`` one listed."""

    period: str
    assessments: Cell
    clusters: Cell
    percent: Cell
    change: int | None
    previous: str | None


@dataclass(frozen=True, slots=True)
class Overview:
    """Everything the overview page and its downloads show."""

    filters: Filters
    min_clusters: int
    clusters: Cell
    assessments: Cell
    suppressed: bool
    verdicts: tuple[PhaseVerdicts, ...]
    standards: tuple[StandardShare, ...]
    weakest: tuple[StandardShare, ...]
    areas: tuple[AreaShare, ...]
    overall: OverallShare
    by_region: tuple[Group, ...]
    by_sector: tuple[Group, ...]
    quarters: tuple[Quarter, ...]


@dataclass(frozen=True, slots=True)
class _Scored:
    row: OverviewRow
    score: Score


def _base(rows: Iterable[OverviewRow], q: Questionnaire) -> list[OverviewRow]:
    """The rows of this questionnaire with a phase it knows."""
    return [r for r in rows if r.questionnaire_id == q.id and q.phase(r.phase) is not None]


def _public_sectors(rows: Sequence[OverviewRow], least: int) -> dict[str, str]:
    """Sector key -> label, for the sectors of at least ``least`` clusters, by label."""
    written = {
        (sector_key(text), " ".join(text.split()).strip(" .,;:"), row.owner)
        for row in rows
        if isinstance(text := row.profile.get("sector"), str) and sector_key(text)
    }
    owners = Counter(key for key, _ in {(key, owner) for key, _, owner in written})
    spellings = Counter((key, spelling) for key, spelling, _ in written)
    labels = {
        key: min((-n, spelling) for (k, spelling), n in spellings.items() if k == key)[1]
        for key, count in owners.items()
        if count >= least
    }
    return dict(sorted(labels.items(), key=lambda item: (fold(item[1]), item[1])))


def filter_options(
    rows: Iterable[OverviewRow],
    questionnaire: Questionnaire,
    profile_spec: ProfileSpec,
    tz: ZoneInfo = WARSAW,
    min_clusters: int = MIN_CLUSTERS,
) -> FilterOptions:
    """What each filter may take: phases, voivodeships, sectors and periods present."""
    base = _base(rows, questionnaire)
    region, sectors = profile_spec.field("region"), _public_sectors(base, min_clusters)
    quarters = sorted({quarter_of(r, tz) for r in base}, reverse=True)
    periods: list[str] = []
    for period in quarters:
        if period[:4] not in periods:
            periods.append(period[:4])
        periods.append(period)
    return FilterOptions(
        phases=tuple(p.id for p in questionnaire.phases),
        regions=tuple(o.id for o in region.options) if region else (),
        sectors=tuple(SectorOption(k, label) for k, label in sectors.items()),
        periods=tuple(periods),
    )


def _matches(row: OverviewRow, filters: Filters, tz: ZoneInfo) -> bool:
    period = filters.period
    return (
        (filters.phase is None or row.phase == filters.phase)
        and (filters.region is None or row.profile.get("region") == filters.region)
        and (filters.sector is None or sector_key(row.profile.get("sector")) == filters.sector)
        and (period is None or quarter_of(row, tz).startswith(period))
    )


def _latest(scored: Iterable[_Scored]) -> list[_Scored]:
    """Each cluster's latest self-evaluation (finished last; the higher id on a tie)."""
    ordered = sorted(scored, key=lambda s: (s.row.completed_at, s.row.assessment_id))
    return list({s.row.owner: s for s in ordered}.values())


def _shown_parts(
    counts: Sequence[int], total: int, least: int, allowed: Sequence[bool] | None = None
) -> list[bool]:
    # A shown part has ``least`` clusters or more (and is ``allowed``); the hidden ones add up
    # to 0 or ``least``+.
    ok = allowed if allowed is not None else [True] * len(counts)
    shown = [count >= least and a for count, a in zip(counts, ok, strict=True)]
    while any(shown):
        rest = total - sum(c for c, s in zip(counts, shown, strict=True) if s)
        if rest == 0 or rest >= least:
            break
        smallest = min((c, i) for i, (c, s) in enumerate(zip(counts, shown, strict=True)) if s)
        shown[smallest[1]] = False
    return shown


def _mean(values: Sequence[int]) -> int:
    return round(sum(values) / len(values)) if values else 0


def _share(group: Sequence[_Scored], standard_id: str, show: bool) -> Cell:
    met = sum(1 for s in group if s.row.codes.get(standard_id) == MET)
    return _cell(round(100 * met / len(group)) if group else 0, len(group), show)


def _cell(value: int, clusters: int, show: bool) -> Cell:
    return Cell(value if show and clusters > 0 else None, clusters)


def _groups(
    pick: Callable[[str], tuple[list[_Scored], bool]],
    total: int,
    labels: dict[str, Localized],
    least: int,
) -> tuple[Group, ...]:
    """A split into the groups of ``labels``: only the groups that may be shown are listed.

    ``pick(key)`` gives a group's clusters (the page's selection narrowed to it, so a group's
    numbers are exactly its filtered page's) and whether that selection may be shown.
    """
    picked = {k: pick(k) for k in labels}
    keys = [k for k in labels if picked[k][0]]
    counts = [len(picked[k][0]) for k in keys]
    allowed = [picked[k][1] for k in keys]
    shown = _shown_parts(counts, total, least, allowed)
    return tuple(
        Group(
            k,
            labels[k],
            _cell(c, c, True),
            _cell(_mean([x.score.percent for x in picked[k][0]]), c, True),
        )
        for k, c, show in zip(keys, counts, shown, strict=True)
        if show
    )


def _region_labels(latest: Sequence[_Scored], spec: ProfileSpec | None) -> dict[str, Localized]:
    region = spec.field("region") if spec else None
    if region is not None:
        return {o.id: o.label for o in region.options}
    present = sorted({str(s.row.profile.get("region")) for s in latest} - {"None", ""})
    return {key: Localized(pl=key, en=key) for key in present}


def _quarters(
    scored: Sequence[_Scored],
    tz: ZoneInfo,
    pick: Callable[[str], tuple[list[_Scored], bool]],
) -> list[Quarter]:
    by_quarter: defaultdict[str, list[_Scored]] = defaultdict(list)
    for item in scored:
        by_quarter[quarter_of(item.row, tz)].append(item)
    quarters: list[Quarter] = []
    for period in sorted(by_quarter):
        rows = by_quarter[period]
        latest, show = pick(period)
        n = len(latest)
        percent = _cell(_mean([s.score.percent for s in latest]), n, show)
        before = quarters[-1] if quarters else None
        was, previous = (before.percent.value, before.period) if before else (None, None)
        change = None if percent.value is None or was is None else percent.value - was
        counts = _cell(len(rows), n, show), _cell(n, n, show)
        quarters.append(Quarter(period, *counts, percent, change, previous))
    return quarters


def aggregate(
    rows: Iterable[OverviewRow],
    questionnaire: Questionnaire,
    parp_2015: Parp2015 | None,
    filters: Filters | None = None,
    tz: ZoneInfo = WARSAW,
    min_clusters: int = MIN_CLUSTERS,
    *,
    profile_spec: ProfileSpec | None = None,
) -> Overview:
    """The overview of ``rows`` narrowed to ``filters`` (see the module's rules).

    ``profile_spec`` gives the voivodeships their names and order; without it they are
    listed by id under their id.
    """
    if min_clusters < 1:
        raise ValueError("min_clusters must be at least 1")
    q, least, filters = questionnaire, min_clusters, filters or Filters()
    base = _base(rows, q)
    sectors = _public_sectors(base, least)
    scored = [_Scored(r, score(q, r.phase, r.codes)) for r in base if _matches(r, filters, tz)]
    latest = _latest(scored)
    n = len(latest)

    # A column, group or quarter is the page narrowed by one filter: it is computed and shown
    # as that page would be, so no two pages a step apart differ by 1 to least-1 clusters.
    def clusters(wider: Filters) -> int:
        return len({r.owner for r in base if _matches(r, wider, tz)})

    hide = n < least or differs_by_few(clusters, filters, n, least)

    def narrowed(name: str, value: str) -> tuple[list[_Scored], bool]:
        """The selection one filter narrower, as its own page has it; and if it may show."""
        current = getattr(filters, name)
        inside = value == current or (name == "period" and value.startswith(f"{current}-"))
        if current is not None and not inside:
            return [], False
        sub = replace(filters, **{name: value})
        members = _latest([s for s in scored if _matches(s.row, sub, tz)])
        size = len(members)
        ok = not hide and size >= least and not differs_by_few(clusters, sub, size, least)
        return members, ok

    phases = [p.id for p in q.phases]
    picked = {p: narrowed("phase", p) for p in phases}
    in_phase = {p: picked[p][0] for p in phases}
    phase_counts = [len(in_phase[p]) for p in phases]
    allowed = [picked[p][1] for p in phases]
    phase_shown = dict(zip(phases, _shown_parts(phase_counts, n, least, allowed), strict=True))
    verdicts: list[PhaseVerdicts] = []
    for phase in phases:
        group, show = in_phase[phase], phase_shown[phase]
        counts = [sum(1 for s in group if s.score.verdict == v) for v in VERDICTS]
        parts = _shown_parts(counts, len(group), least) if show else [False] * len(counts)
        yes, no, open_ = (_cell(c, c, p) for c, p in zip(counts, parts, strict=True))
        verdicts.append(PhaseVerdicts(phase, yes, no, open_, _cell(len(group), len(group), show)))

    standards = tuple(
        StandardShare(
            std.id,
            _share(latest, std.id, not hide),
            {p: _share(in_phase[p], std.id, phase_shown[p]) for p in phases},
        )
        for std in q.standards
    )
    weakest = sorted(
        (s for s in standards if s.overall.value is not None),
        key=lambda s: (s.overall.value or 0, q.index[s.id]),
    )[:WEAKEST]
    means = [_mean([s.score.areas[i].percent for s in latest]) for i in range(len(q.areas))]
    parp_areas = parp_2015.areas if parp_2015 else {}
    areas = tuple(
        AreaShare(a.id, a.title, _cell(mean, n, not hide), parp_areas.get(a.id))
        for a, mean in zip(q.areas, means, strict=True)
    )
    overall = OverallShare(
        _cell(_mean([s.score.percent for s in latest]), n, not hide),
        parp_2015.overall if parp_2015 else None,
    )

    sector_labels = {k: Localized(pl=label, en=label) for k, label in sectors.items()}
    return Overview(
        filters=filters,
        min_clusters=least,
        clusters=_cell(n, n, not hide),
        assessments=_cell(len(scored), n, not hide),
        suppressed=hide,
        verdicts=tuple(verdicts),
        standards=standards,
        weakest=tuple(weakest),
        areas=areas,
        overall=overall,
        by_region=_groups(
            lambda k: narrowed("region", k), n, _region_labels(latest, profile_spec), least
        ),
        by_sector=_groups(lambda k: narrowed("sector", k), n, sector_labels, least),
        quarters=tuple(_quarters(scored, tz, lambda period: narrowed("period", period))),
    )
