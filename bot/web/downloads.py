"""The anonymised overview as files: CSV for Polish Excel and an XLSX workbook (pure).

Both show only what the overview shows: a hidden cell is an empty field in the CSV and "—" in
the workbook, and so is the number of clusters behind it. The CSV is written like the answers
export (:mod:`bot.reports.export`): ``;`` between fields, UTF-8 with a BOM, CRLF, whole
percentages as plain integers. The workbook reuses the answers workbook's helpers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from bot.assessment.model import Questionnaire, Standard
from bot.core.i18n import Texts
from bot.reports.export import CSV_SEPARATOR, as_text_cell
from bot.reports.xlsx import header_row, put_cell, sheet_name
from bot.web.filters import period_label
from bot.web.overview import VERDICTS, Cell, Overview, StandardShare

#: The CSV's and the standards sheet's columns before the pairs per phase (``overview.column``).
COLUMNS = ("standard", "title", "obligatory", "share", "clusters")
_WIDTHS = (12, 60, 40, 16, 10)
_PHASE_WIDTHS = (18, 12)
_ITALIC = Font(italic=True)
_BOLD = Font(bold=True)

Value = str | int | float | None


def _count(cell: Cell) -> int | None:
    """The number of clusters behind a cell, when the cell is shown."""
    return cell.clusters if cell.value is not None else None


def _obligatory(standard: Standard, q: Questionnaire, locale: str) -> str:
    return ", ".join(p.title.get(locale) for p in q.phases if p.id in standard.obligatory_in)


def _table(
    overview: Overview, q: Questionnaire, t: Callable[..., str], locale: str
) -> tuple[list[str], list[tuple[Standard, StandardShare]]]:
    """The standards table's headers and its rows (standard, shares)."""
    headers = [t(f"overview.column.{name}") for name in COLUMNS]
    for phase in q.phases:
        title = phase.title.get(locale)
        headers += [
            t("overview.column.phase_share", phase=title),
            t("overview.column.phase_clusters", phase=title),
        ]
    return headers, [(q.require(share.id), share) for share in overview.standards]


def _row(
    standard: Standard, share: StandardShare, q: Questionnaire, locale: str
) -> tuple[list[str], list[int | None]]:
    """A standard's words (id, title, phases) and its numbers (shares and clusters)."""
    words = [
        standard.id,
        # The number goes with the title too: Polish Excel may read a lone "2.1.1" as a date.
        f"{standard.id} {standard.title.get(locale)}",
        _obligatory(standard, q, locale),
    ]
    numbers = [share.overall.value, _count(share.overall)]
    for phase in q.phases:
        cell = share.by_phase[phase.id]
        numbers += [cell.value, _count(cell)]
    return words, numbers


def overview_csv(
    overview: Overview, questionnaire: Questionnaire, texts: Texts, locale: str
) -> bytes:
    """One row per standard, a blank row, then the totals; as Excel opens it (``;``, BOM, CRLF)."""
    t = texts.translator(locale)
    headers, rows = _table(overview, questionnaire, t, locale)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    writer.writerow(headers)
    for standard, share in rows:
        words, numbers = _row(standard, share, questionnaire, locale)
        writer.writerow(
            [as_text_cell(w) for w in words] + ["" if n is None else str(n) for n in numbers]
        )
    writer.writerow([])
    for key, cell in (("clusters", overview.clusters), ("assessments", overview.assessments)):
        writer.writerow([t(f"overview.total.{key}"), "" if cell.value is None else cell.value])
    return ("\ufeff" + out.getvalue()).encode("utf-8", "replace")


def _hidden_or(value: int | None, hidden: str, percent: bool = False) -> Value:
    """``hidden`` for a hidden value; a percentage as a fraction for the "0%" format."""
    if value is None:
        return hidden
    return value / 100 if percent else value


def _fill(
    ws: Worksheet, top: int, rows: Sequence[Sequence[Value]], percent_columns: Sequence[int]
) -> int:
    """Write ``rows`` from row ``top``; percentages (0-1) as "0%". Return the last row."""
    row = top - 1
    for row, values in enumerate(rows, start=top):
        for column, value in enumerate(values, start=1):
            put_cell(ws, row, column, value)
            if column in percent_columns and not isinstance(value, str):
                ws.cell(row=row, column=column).number_format = "0%"
    return row


def _standards_sheet(
    ws: Worksheet, overview: Overview, q: Questionnaire, texts: Texts, locale: str
) -> None:
    t = texts.translator(locale)
    hidden = t("overview.hidden")
    put_cell(ws, 1, 1, texts.count(locale, "overview.note", overview.min_clusters))
    ws.cell(row=1, column=1).font = _ITALIC
    headers, rows = _table(overview, q, t, locale)
    widths = list(_WIDTHS) + list(_PHASE_WIDTHS) * len(q.phases)
    header_row(ws, 3, headers, widths)
    table: list[list[Value]] = []
    for standard, share in rows:
        words, numbers = _row(standard, share, q, locale)
        shares = [_hidden_or(n, hidden, percent=i % 2 == 0) for i, n in enumerate(numbers)]
        table.append([standard.id, standard.title.get(locale), words[2], *shares])
    percent_columns = range(len(COLUMNS) - 1, len(headers) + 1, 2)
    last = _fill(ws, 4, table, percent_columns)
    ws.freeze_panes = "C4"
    totals = (("clusters", overview.clusters), ("assessments", overview.assessments))
    for offset, (key, cell) in enumerate(totals, start=2):
        put_cell(ws, last + offset, 1, t(f"overview.total.{key}"))
        ws.cell(row=last + offset, column=1).font = _BOLD
        put_cell(ws, last + offset, 2, _hidden_or(cell.value, hidden))


@dataclass(frozen=True, slots=True)
class _Sheet:
    """A sheet: name, columns (``overview`` keys, widths), rows, percentage columns (from 1)."""

    key: str
    columns: tuple[tuple[str, int], ...]
    rows: list[list[Value]]
    percent: tuple[int, ...]


def _tables(overview: Overview, q: Questionnaire, texts: Texts, locale: str) -> list[_Sheet]:
    """The sheets after the standards: areas, verdicts by phase, groups, quarters."""
    t = texts.translator(locale)
    hidden = t("overview.hidden")

    def pct(cell: Cell) -> Value:
        return _hidden_or(cell.value, hidden, percent=True)

    def num(cell: Cell) -> Value:
        return _hidden_or(cell.value, hidden)

    def area_row(title: str, share: Cell, parp: int | None) -> list[Value]:
        return [title, pct(share), _hidden_or(_count(share), hidden), _hidden_or(parp, "", True)]

    areas = [
        area_row(f"{a.id}. {a.title.get(locale)}", a.percent, a.parp_2015) for a in overview.areas
    ]
    areas.append(
        area_row(t("overview.area.overall"), overview.overall.percent, overview.overall.parp_2015)
    )
    phases: dict[str, str] = {p.id: p.title.get(locale) for p in q.phases}
    verdicts: list[list[Value]] = [
        [
            phases.get(v.phase, v.phase),
            *(num(c) for c in (v.positive, v.negative, v.incomplete, v.total)),
        ]
        for v in overview.verdicts
    ]
    groups: list[list[Value]] = [
        [t(f"overview.group.{kind}"), g.label.get(locale), num(g.clusters), pct(g.percent)]
        for kind, split in (("region", overview.by_region), ("sector", overview.by_sector))
        for g in split
    ]
    quarters: list[list[Value]] = []
    for quarter in overview.quarters:
        quarters.append(
            [
                period_label(quarter.period, t),
                num(quarter.assessments),
                num(quarter.clusters),
                pct(quarter.percent),
                quarter.change,
            ]
        )
    return [
        _Sheet(
            "areas",
            (
                ("area.area", 48),
                ("area.percent", 18),
                ("area.clusters", 10),
                ("area.parp_2015", 22),
            ),
            areas,
            (2, 4),
        ),
        _Sheet(
            "verdicts",
            (
                ("verdict.phase", 24),
                *((f"verdict.{v}", 16) for v in VERDICTS),
                ("verdict.total", 16),
            ),
            verdicts,
            (),
        ),
        _Sheet(
            "groups",
            (("group.kind", 16), ("group.name", 40), ("group.clusters", 10), ("group.percent", 18)),
            groups,
            (4,),
        ),
        _Sheet(
            "quarters",
            (
                ("quarter.period", 18),
                ("quarter.assessments", 16),
                ("quarter.clusters", 10),
                ("quarter.percent", 18),
                ("quarter.change", 22),
            ),
            quarters,
            (4,),
        ),
    ]


def overview_xlsx(
    overview: Overview, questionnaire: Questionnaire, texts: Texts, locale: str
) -> bytes:
    """The standards table (with the note on hidden cells), areas, verdicts, groups, quarters."""
    t = texts.translator(locale)
    book = Workbook()
    taken: set[str] = set()
    first = book.active
    assert first is not None  # noqa: S101 - a new workbook has one sheet
    first.title = sheet_name(t("overview.sheet.standards"), taken)
    _standards_sheet(first, overview, questionnaire, texts, locale)
    for table in _tables(overview, questionnaire, texts, locale):
        ws = book.create_sheet(sheet_name(t(f"overview.sheet.{table.key}"), taken))
        names = [t(f"overview.{name}") for name, _ in table.columns]
        header_row(ws, 1, names, [width for _, width in table.columns])
        _fill(ws, 2, table.rows, table.percent)
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
