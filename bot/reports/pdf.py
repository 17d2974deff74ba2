"""The PDF report, in the user's language, with an embedded Unicode font (fpdf2).

Profile, phase and verdict; results per area beside PARP's 2015 averages; the change since
the previous self-evaluation; the unmet obligatory standards with guidance; the chart; and
every standard with its answer and note. The font is DejaVu Sans, shipped with matplotlib.
"""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from bot.assessment.insights import change_since, recommendations
from bot.assessment.report_data import ReportData
from bot.core.i18n import Texts
from bot.core.markup import to_plain

FONT = "DejaVu"


def _font_dir() -> Path:
    from matplotlib import get_data_path

    return Path(get_data_path()) / "fonts" / "ttf"


class _Doc(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self._footer_text = footer_text
        fonts = _font_dir()
        self.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 8, f"{self._footer_text} · {self.page_no()}", align="C")

    def heading(self, text: str, size: int = 13) -> None:
        self.ln(2)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 10)

    def para(self, text: str, size: int = 10) -> None:
        self.set_font(FONT, "", size)
        self.multi_cell(0, 5.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def report_pdf(data: ReportData, texts: Texts, locale: str, chart: bytes | None) -> bytes:
    """Render the report and return the PDF bytes."""
    q, record, score = data.questionnaire, data.record, data.score

    def t(key: str, **params: object) -> str:
        return to_plain(texts.get(locale, key, **params))

    doc = _Doc(t("report.pdf.footer", date=data.generated_at.date().isoformat()))
    doc.add_page()
    doc.heading(t("report.pdf.title"), 16)
    doc.para(q.title.get(locale) + f" · {t('report.pdf.version')} {record.questionnaire_version}")
    phase = q.phase(score.phase)
    verdict = t(f"assess.report.verdict.{score.verdict}")
    doc.heading(t("report.pdf.verdict", verdict=verdict), 14)
    doc.para(
        t(
            f"assess.report.explain.{score.verdict}",
            in_phase=phase.in_phase.get(locale) if phase else "",
        )
    )
    doc.para(t("assess.report.overall", met=score.met, total=score.total, percent=score.percent))

    doc.heading(t("report.pdf.profile"))
    for key, value in data.profile_items(locale):
        if texts.has(f"report.profile.{key}"):
            doc.para(f"{t(f'report.profile.{key}')}: {value}")
    if phase is not None:
        doc.para(f"{t('report.pdf.phase')}: {phase.title.get(locale)}")

    doc.heading(t("report.pdf.areas"))
    reference = data.readiness.parp_2015
    doc.set_font(FONT, "B", 9)
    widths = (80, 22, 22, 30, 26)
    for width, head in zip(widths, t("report.pdf.table_head").split("|"), strict=True):
        doc.cell(width, 7, head, border=1)
    doc.ln()
    doc.set_font(FONT, "", 9)
    for area in score.areas:
        row = (
            f"{area.area.id}. {area.area.title.get(locale)}",
            f"{area.met}/{area.total}",
            f"{area.percent}%",
            f"{reference.areas.get(area.area.id, '–')}%",
            str(len(area.obligatory_unmet)),
        )
        for width, cell in zip(widths, row, strict=True):
            doc.cell(width, 7, cell, border=1)
        doc.ln()
    doc.para(
        t(
            "report.pdf.reference",
            label=reference.label.get(locale),
            overall=reference.overall,
            url=str(reference.source.url),
        ),
        8,
    )

    if data.previous is not None:
        change = change_since(data.previous, score)
        doc.heading(t("report.pdf.change"))
        doc.para(t("report.pdf.change_overall", before=change.overall[0], now=change.overall[1]))
        for area in score.areas:
            before, now = change.areas[area.area.id]
            doc.para(f"• {area.area.id}. {area.area.title.get(locale)}: {before}% → {now}%")

    unmet = [
        s for s in recommendations(q, score.phase, data.codes) if score.phase in s.obligatory_in
    ]
    doc.heading(t("assess.report.unmet_title"))
    if unmet:
        doc.para(t("assess.report.guidance_note"))
    else:
        doc.para(t("report.pdf.none"))
    for standard in unmet:
        doc.set_font(FONT, "B", 10)
        doc.multi_cell(
            0,
            5.5,
            f"{standard.id} {standard.title.get(locale)}",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        doc.para(standard.guidance.get(locale))

    if chart is not None:
        doc.add_page()
        doc.heading(t("report.pdf.chart"))
        doc.image(io.BytesIO(chart), w=doc.epw)

    doc.add_page()
    doc.heading(t("report.pdf.standards"))
    for standard in q.standards:
        answer = data.answers.get(standard.id)
        code = answer.answer if answer else None
        label = t(f"report.answer.{code}") if code else t("report.answer.none")
        obligatory = t("report.pdf.obligatory") if score.phase in standard.obligatory_in else ""
        doc.set_font(FONT, "B", 9)
        doc.multi_cell(
            0,
            5,
            f"{standard.id} {standard.title.get(locale)} — {label} {obligatory}".strip(),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        if answer is not None and answer.note:
            doc.para(f"{t('report.pdf.note')}: {answer.note}", 9)
    doc.para(t("assess.report.caveat"), 8)
    return bytes(doc.output())
