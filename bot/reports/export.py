"""CSV and JSON exports of a self-evaluation's answers; the words both spreadsheets share.

The CSV is for a person opening it in Excel: column names and values in the user's language
(answers as in the questionnaire, the phase by name, "tak"/"nie", dates as 30.11.2026), `;`
between fields, UTF-8 with a BOM and CRLF line ends. The JSON is for programs and keeps the
machine codes.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.assessment.model import Standard
from bot.assessment.report_data import ReportData
from bot.core.i18n import Texts

# Polish Excel splits CSV fields on the regional list separator, which is `;` (the comma is the
# decimal mark). The English export uses it too: our English users are mostly on the same
# Polish-configured machines, and Excel in any locale reads a BOM-marked file as UTF-8.
CSV_SEPARATOR = ";"

#: CSV columns (keys under ``export.column``), in order.
CSV_COLUMNS = (
    "cluster",
    "assessment",
    "version",
    "phase",
    "area",
    "subarea",
    "standard",
    "obligatory",
    "provenance",
    "answer",
    "note",
    "answered_on",
)

# A cell starting with one of these is read by spreadsheets as a formula (CSV injection, and
# a note "- brak budżetu" would show as #NAME?): such text is written with a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class ExportWords:
    """The user's words for an export: column names, answer labels, yes/no, dates."""

    texts: Texts
    locale: str
    tz: ZoneInfo

    def t(self, key: str, **params: object) -> str:
        """The text ``key`` in the user's language."""
        return self.texts.get(self.locale, key, **params)

    def column(self, name: str) -> str:
        """A column's heading."""
        return self.t(f"export.column.{name}")

    def answer(self, code: str | None) -> str:
        """An answer's label as in the report ("Spełnia"); "Brak odpowiedzi" for none."""
        return self.texts.get(self.locale, f"report.answer.{code or 'none'}")

    def yes_no(self, flag: bool) -> str:
        """``tak`` / ``nie``."""
        return self.t("export.value.yes" if flag else "export.value.no")

    def obligatory(self, data: ReportData, standard: Standard) -> str:
        """Whether ``standard`` is obligatory in the assessment's phase, as tak/nie."""
        return self.yes_no(data.record.phase in standard.obligatory_in)

    def provenance(self, standard: Standard) -> str:
        """Whether the standard's wording is PARP's or our adaptation."""
        return self.t(f"export.provenance.{standard.provenance}")

    def phase(self, data: ReportData) -> str:
        """The phase by name, in the nominative ("faza rozwoju")."""
        phase = data.questionnaire.phase(data.record.phase or "")
        return phase.title.get(self.locale) if phase else ""

    def day(self, moment: datetime) -> date:
        """The calendar day of an aware moment in the user's timezone."""
        return moment.astimezone(self.tz).date()

    def date_text(self, moment: datetime) -> str:
        """A moment's day as written in the user's language (30.11.2026)."""
        return self.day(moment).strftime(self.t("export.date_format"))


def as_text_cell(value: str) -> str:
    """``value`` as a spreadsheet shows it as text, never as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def standard_rows(data: ReportData, words: ExportWords) -> list[dict[str, str]]:
    """One row per standard, unanswered ones with "Brak odpowiedzi", values in words."""
    q, record = data.questionnaire, data.record
    locale = words.locale
    cluster = str(record.profile.get("name", ""))
    subarea_of = q.subarea_of
    rows = []
    for standard in q.standards:
        area, sub = subarea_of[standard.id]
        answer = data.answers.get(standard.id)
        rows.append(
            {
                "cluster": cluster,
                "assessment": str(record.id),
                "version": record.questionnaire_version,
                "phase": words.phase(data),
                "area": f"{area.id}. {area.title.get(locale)}",
                "subarea": f"{sub.id} {sub.title.get(locale)}",
                # The number goes with the title: a lone "2.1.1" becomes 02.01.2001 in Polish
                # Excel.
                "standard": f"{standard.id} {standard.title.get(locale)}",
                "obligatory": words.obligatory(data, standard),
                "provenance": words.provenance(standard),
                "answer": words.answer(answer.answer if answer else None),
                "note": answer.note if answer else "",
                "answered_on": words.date_text(answer.answered_at) if answer else "",
            }
        )
    return rows


def answers_csv(data: ReportData, texts: Texts, locale: str, tz: ZoneInfo) -> bytes:
    """One row per standard in the user's language, as Excel opens it (``;``, BOM, CRLF)."""
    words = ExportWords(texts, locale, tz)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    writer.writerow([words.column(name) for name in CSV_COLUMNS])
    for row in standard_rows(data, words):
        writer.writerow([as_text_cell(row[name]) for name in CSV_COLUMNS])
    # "replace": a lone surrogate (possible in a JSON payload) becomes "?", not an error.
    return ("\ufeff" + out.getvalue()).encode("utf-8", "replace")


def answers_json(data: ReportData) -> bytes:
    """The assessment, its profile and answers, and the questionnaire version, as JSON."""
    record = data.record
    payload: dict[str, Any] = {
        "questionnaire": {"id": data.questionnaire.id, "version": record.questionnaire_version},
        "assessment": {
            "id": record.id,
            "status": record.status,
            "phase": record.phase,
            "profile": record.profile,
            "created_at": record.created_at.isoformat(),
            "completed_at": record.completed_at.isoformat() if record.completed_at else None,
        },
        "score": {
            "verdict": data.score.verdict,
            "met": data.score.met,
            "total": data.score.total,
            "percent": data.score.percent,
        },
        "answers": [
            {
                "standard_id": sid,
                "answer": answer.answer,
                "note": answer.note,
                "answered_at": answer.answered_at.isoformat(),
            }
            for sid, answer in sorted(
                data.answers.items(), key=lambda item: data.questionnaire.index.get(item[0], 999)
            )
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8", "replace")
