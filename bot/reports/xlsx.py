"""The answers as an Excel workbook (openpyxl): a summary sheet and a sheet per area.

Each answer cell is filled with the chart's colour for it (met green, not met red, "don't
know" amber, skipped or missing grey); headers are frozen and filterable, long texts wrap.
"""

from __future__ import annotations

import io
import re
from datetime import date
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.assessment.model import Area
from bot.assessment.report_data import ReportData
from bot.core.i18n import Texts
from bot.reports.chart import AMBER, GREEN, GREY, RED
from bot.reports.export import ExportWords

#: The chart's colours for each answer code (``None``: not answered).
ANSWER_COLOURS: dict[str | None, str] = {"y": GREEN, "n": RED, "u": AMBER, "s": GREY, None: GREY}

#: Columns of an area's sheet (keys under ``export.column``) and their widths in characters.
AREA_COLUMNS = (
    ("number", 9),
    ("subarea", 32),
    ("title", 60),
    ("obligatory", 14),
    ("provenance", 20),
    ("answer", 17),
    ("note", 50),
    ("answered_on", 16),
)
#: Columns of the summary's area table (keys under ``export.summary``) and their widths.
SUMMARY_COLUMNS = (
    ("area", 48),
    ("met", 12),
    ("total", 12),
    ("share", 12),
    ("obligatory_unmet", 18),
    ("reference", 22),
)
SHEET_NAME_LIMIT = 31
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# XML cannot carry these; a note from a JSON payload can contain one.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E9ECEF")
_HEADER_BORDER = Border(bottom=Side(style="thin"))
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)
_WRAPPED = {"subarea", "title", "note", "area"}


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor="FF" + colour.lstrip("#").upper())  # opaque ARGB


def sheet_name(text: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, no []:*?/ or backslash, unique."""
    name = _SHEET_NAME_FORBIDDEN.sub(" ", text).strip().strip("'") or "-"
    if len(name) > SHEET_NAME_LIMIT:
        name = name[: SHEET_NAME_LIMIT - 1].rstrip(" ,.;") + "…"
    base, n = name, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def put_cell(ws: Worksheet, row: int, column: int, value: str | int | float | date | None) -> None:
    """Write ``value`` into the cell (also used by the overview's workbook)."""
    cell = ws.cell(row=row, column=column)
    if value == "":
        cell.value = None
    elif isinstance(value, str):
        cell.value = _LONE_SURROGATE.sub("\ufffd", ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # a note starting with "=" stays text, never a formula
    else:
        cell.value = value
    cell.alignment = _TOP


def header_row(ws: Worksheet, row: int, names: list[str], widths: list[int]) -> None:
    """Write a bold header row and set the columns' widths."""
    for column, (name, width) in enumerate(zip(names, widths, strict=True), start=1):
        put_cell(ws, row, column, name)
        cell = ws.cell(row=row, column=column)
        cell.font, cell.fill, cell.border = _BOLD, _HEADER_FILL, _HEADER_BORDER
        cell.alignment = _WRAP
        ws.column_dimensions[get_column_letter(column)].width = width


def _summary(ws: Worksheet, data: ReportData, words: ExportWords) -> None:
    record, score, locale = data.record, data.score, words.locale
    moment = record.completed_at or data.generated_at
    status = "completed" if record.completed_at else "open"
    facts: list[tuple[str, str | date]] = [
        ("cluster", str(record.profile.get("name", ""))),
        ("phase", words.phase(data)),
        ("date", words.day(moment)),
        ("status", words.t(f"export.summary.status_value.{status}")),
        ("verdict", words.t(f"assess.report.verdict.{score.verdict}")),
    ]
    for row, (key, fact) in enumerate(facts, start=1):
        put_cell(ws, row, 1, words.t(f"export.summary.{key}"))
        ws.cell(row=row, column=1).font = _BOLD
        put_cell(ws, row, 2, fact)
        if isinstance(fact, date):
            ws.cell(row=row, column=2).number_format = words.t("export.excel_date_format")
            ws.cell(row=row, column=2).alignment = Alignment(vertical="top", horizontal="left")

    top = len(facts) + 2
    header_row(
        ws,
        top,
        [words.t(f"export.summary.{key}") for key, _ in SUMMARY_COLUMNS],
        [width for _, width in SUMMARY_COLUMNS],
    )
    reference = data.readiness.parp_2015
    row = top
    for row, area in enumerate(score.areas, start=top + 1):
        ref = reference.areas.get(area.area.id)
        values: list[str | int | float | None] = [
            f"{area.area.id}. {area.area.title.get(locale)}",
            area.met,
            area.total,
            area.percent / 100,
            len(area.obligatory_unmet),
            ref / 100 if ref is not None else None,
        ]
        for column, value in enumerate(values, start=1):
            put_cell(ws, row, column, value)
        ws.cell(row=row, column=1).alignment = _WRAP
        colour = RED if area.obligatory_unmet else GREEN if area.fully_met else AMBER
        ws.cell(row=row, column=4).fill = _fill(colour)
    total_row = row + 1
    overall: list[str | int | float | None] = [
        words.t("export.summary.overall"),
        score.met,
        score.total,
        score.percent / 100,
        len(score.obligatory_unmet),
        reference.overall / 100,
    ]
    for column, value in enumerate(overall, start=1):
        put_cell(ws, total_row, column, value)
        ws.cell(row=total_row, column=column).font = _BOLD
    for r in range(top + 1, total_row + 1):
        for column in (4, 6):
            ws.cell(row=r, column=column).number_format = "0%"
    put_cell(ws, total_row + 2, 1, reference.label.get(locale))
    source = ws.cell(row=total_row + 2, column=1)
    source.hyperlink = str(reference.source.url)
    source.style = "Hyperlink"


def _area_sheet(ws: Worksheet, data: ReportData, area: Area, words: ExportWords) -> None:
    locale = words.locale
    header_row(
        ws,
        1,
        [words.column(name) for name, _ in AREA_COLUMNS],
        [width for _, width in AREA_COLUMNS],
    )
    row = 1
    for sub in area.subareas:
        for standard in sub.standards:
            row += 1
            answer = data.answers.get(standard.id)
            code = answer.answer if answer else None
            values: dict[str, str | date] = {
                "number": standard.id,
                "subarea": f"{sub.id} {sub.title.get(locale)}",
                "title": standard.title.get(locale),
                "obligatory": words.obligatory(data, standard),
                "provenance": words.provenance(standard),
                "answer": words.answer(code),
                "note": answer.note if answer else "",
                "answered_on": words.day(answer.answered_at) if answer else "",
            }
            for column, (name, _) in enumerate(AREA_COLUMNS, start=1):
                put_cell(ws, row, column, values[name])
                cell = ws.cell(row=row, column=column)
                if name in _WRAPPED:
                    cell.alignment = _WRAP
                if name == "answer":
                    cell.fill = _fill(ANSWER_COLOURS.get(code, GREY))
                if name == "answered_on" and answer is not None:
                    cell.number_format = words.t("export.excel_date_format")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(AREA_COLUMNS))}{row}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"


def answers_xlsx(data: ReportData, texts: Texts, locale: str, tz: ZoneInfo) -> bytes:
    """Return the workbook: a summary, then one sheet per area with every standard."""
    words = ExportWords(texts, locale, tz)
    book = Workbook()
    taken: set[str] = set()
    summary = book.active
    assert summary is not None  # noqa: S101 - a new workbook has one sheet
    summary.title = sheet_name(words.t("export.summary.sheet"), taken)
    _summary(summary, data, words)
    for area in data.questionnaire.areas:
        ws = book.create_sheet(sheet_name(f"{area.id}. {area.title.get(locale)}", taken))
        _area_sheet(ws, data, area, words)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
