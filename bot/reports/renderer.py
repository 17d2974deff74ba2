"""The reports box's implementation of the assessment's ``Visuals`` seam."""

from __future__ import annotations

from bot.assessment.report_data import ReportData
from bot.core.i18n import Texts
from bot.reports.chart import chart_png
from bot.reports.export import answers_csv, answers_json


class ReportRenderer:
    """Chart, PDF, CSV and JSON with the assistant's texts."""

    def __init__(self, texts: Texts) -> None:
        self._texts = texts

    def chart(self, data: ReportData, locale: str) -> bytes:
        """Return the results chart as PNG bytes."""
        return chart_png(data, self._texts, locale)

    def pdf(self, data: ReportData, locale: str, chart: bytes | None) -> bytes:
        """Return the PDF report."""
        from bot.reports.pdf import report_pdf  # fpdf2 loads Pillow: import on first use

        return report_pdf(data, self._texts, locale, chart)

    def csv(self, data: ReportData, locale: str) -> bytes:
        """Return the answers as CSV."""
        return answers_csv(data, locale)

    def json(self, data: ReportData) -> bytes:
        """Return the answers as JSON."""
        return answers_json(data)
