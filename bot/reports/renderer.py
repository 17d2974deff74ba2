"""The reports box's implementation of the assessment's ``Visuals`` seam."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.assessment.report_data import ReportData
from bot.core.i18n import Texts
from bot.reports.chart import chart_png
from bot.reports.export import answers_csv, answers_json


class ReportRenderer:
    """Chart, PDF, CSV, XLSX and JSON with the assistant's texts.

    ``tz`` is the users' timezone: the day an answer was given is the day there.
    """

    def __init__(self, texts: Texts, tz: ZoneInfo | None = None) -> None:
        self._texts = texts
        self._tz = tz or ZoneInfo("Europe/Warsaw")

    def chart(self, data: ReportData, locale: str) -> bytes:
        """Return the results chart as PNG bytes."""
        return chart_png(data, self._texts, locale)

    def pdf(self, data: ReportData, locale: str) -> bytes:
        """Return the PDF report (with its own chart)."""
        from bot.reports.pdf import report_pdf  # fpdf2 loads Pillow: import on first use

        return report_pdf(data, self._texts, locale, self._tz)

    def csv(self, data: ReportData, locale: str) -> bytes:
        """Return the answers as CSV for Excel, in the user's language."""
        return answers_csv(data, self._texts, locale, self._tz)

    def xlsx(self, data: ReportData, locale: str) -> bytes:
        """Return the answers as an Excel workbook, in the user's language."""
        from bot.reports.xlsx import answers_xlsx  # openpyxl: import on first use

        return answers_xlsx(data, self._texts, locale, self._tz)

    def json(self, data: ReportData) -> bytes:
        """Return the answers as JSON."""
        return answers_json(data)
