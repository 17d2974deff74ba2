"""The PDF report in the user's language (fpdf2, DejaVu Sans with Polish letters).

Page 1 is a summary a board can read on its own (:mod:`bot.reports.pdf_summary`); the
details follow from page 2 (:mod:`bot.reports.pdf_details`).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.assessment.report_data import ReportData
from bot.core.i18n import Texts
from bot.core.localized import local_date
from bot.reports.chart import chart_png
from bot.reports.pdf_details import details
from bot.reports.pdf_doc import ReportDoc, Words
from bot.reports.pdf_summary import summary_page


def report_pdf(data: ReportData, texts: Texts, locale: str, tz: ZoneInfo) -> bytes:
    """Render the report and return the PDF bytes; dates are the days in ``tz``."""
    # Without its title: page 1 names the cluster, phase and verdict right above it.
    chart = chart_png(data, texts, locale, titled=False)
    w = Words(texts, locale, data.generated_at.astimezone(tz).date())
    doc = ReportDoc(w.t("report.pdf.footer", date=local_date(w.t, w.today)))
    doc.set_title(w.t("report.pdf.title"))
    doc.add_page()
    summary_page(doc, data, w, chart)
    doc.add_page()
    details(doc, data, w)
    return bytes(doc.output())
