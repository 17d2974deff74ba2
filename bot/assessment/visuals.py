"""The seam to the reports box: charts, PDF and exports rendered from report data."""

from __future__ import annotations

from typing import Protocol

from bot.assessment.report_data import ReportData


class Visuals(Protocol):
    """Renders a report's files; implemented by :mod:`bot.reports`."""

    def chart(self, data: ReportData, locale: str) -> bytes:
        """Return the results chart as PNG bytes."""
        ...

    def pdf(self, data: ReportData, locale: str) -> bytes:
        """Return the PDF report (with its own chart)."""
        ...

    def csv(self, data: ReportData, locale: str) -> bytes:
        """Return the answers as CSV."""
        ...

    def xlsx(self, data: ReportData, locale: str) -> bytes:
        """Return the answers as an Excel workbook."""
        ...

    def json(self, data: ReportData) -> bytes:
        """Return the answers as JSON."""
        ...
