"""The PDF report's details after the summary page: profile, areas, change, every standard.

Tables are fpdf2 tables: headings wrap inside their cells and repeat on every page a table
continues on. Sections follow one another without forced page breaks, so no page is left
nearly empty.
"""

from __future__ import annotations

from collections.abc import Sequence

from fpdf.fonts import FontFace

from bot.assessment.insights import change_since, recommendations
from bot.assessment.report_data import ReportData
from bot.reports.pdf_doc import FONT, INK, MUTED, Line, ReportDoc, Words

HEAD_FILL = (233, 236, 239)
AREA_FILL = (246, 247, 248)
HEADINGS = FontFace(family=FONT, emphasis="BOLD", fill_color=HEAD_FILL, color=INK)


def details(doc: ReportDoc, data: ReportData, w: Words) -> None:
    """Draw every detail section from the current position on."""
    _profile(doc, data, w)
    _areas(doc, data, w)
    _change(doc, data, w)
    _unmet(doc, data, w)
    # Before the long table, so it never ends up alone on a last page.
    doc.ln(2)
    doc.draw([Line(w.t("assess.report.caveat"), 8, "I", MUTED)])
    _standards(doc, data, w)


def _table(
    doc: ReportDoc,
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    head: bool = True,
    size: float = 9,
    align: str | Sequence[str] = "LEFT",
) -> None:
    doc.set_font(FONT, "", size)
    with doc.table(
        col_widths=tuple(widths),
        width=doc.epw,
        text_align=tuple(align) if not isinstance(align, str) else align,
        first_row_as_headings=head,
        headings_style=HEADINGS,
        line_height=size * 0.5,
        padding=(1.2, 1.5),
        borders_layout="ALL",
        repeat_headings=1,
    ) as table:
        for cells in rows:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    doc.set_font(FONT, "", 10)


def _profile(doc: ReportDoc, data: ReportData, w: Words) -> None:
    doc.heading(w.t("report.pdf.profile"))
    rows = [
        [w.t(f"report.profile.{key}"), value]
        for key, value in data.profile_items(w.locale)
        if w.has(f"report.profile.{key}")
    ]
    _table(doc, rows, (1, 2), head=False)


def area_table(data: ReportData, w: Words) -> list[list[str]]:
    """The per-area table beside PARP's 2015 averages, total last (the PDF's and the web's)."""
    reference = data.readiness.parp_2015
    rows = []
    for area in data.score.areas:
        ref = reference.areas.get(area.area.id)
        rows.append(
            [
                f"{area.area.id}. {area.area.title.get(w.locale)}",
                f"{area.met}/{area.total}",
                f"{area.percent}%",
                f"{ref}%" if ref is not None else "–",
                str(len(area.obligatory_unmet)),
            ]
        )
    score = data.score
    rows.append(
        [
            w.t("report.pdf.total"),
            f"{score.met}/{score.total}",
            f"{score.percent}%",
            f"{reference.overall}%",
            str(len(score.obligatory_unmet)),
        ]
    )
    return rows


def _areas(doc: ReportDoc, data: ReportData, w: Words) -> None:
    doc.heading(w.t("report.pdf.areas"))
    reference = data.readiness.parp_2015
    rows = [w.t("report.pdf.table_head").split("|"), *area_table(data, w)]
    _table(doc, rows, (44, 14, 10, 14, 18), align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"))
    doc.ln(1)
    doc.draw(
        [
            Line(
                w.t(
                    "report.pdf.reference",
                    label=reference.label.get(w.locale),
                    overall=reference.overall,
                    url=str(reference.source.url),
                ),
                7.5,
                "",
                MUTED,
            )
        ]
    )


def _change(doc: ReportDoc, data: ReportData, w: Words) -> None:
    if data.previous is None:
        return
    change = change_since(data.previous, data.score)
    doc.heading(w.t("report.pdf.change"))
    rows = [w.t("report.pdf.change_head").split("|")]
    for area in data.score.areas:
        before, now = change.areas[area.area.id]
        rows.append([f"{area.area.id}. {area.area.title.get(w.locale)}", f"{before}%", f"{now}%"])
    rows.append([w.t("report.pdf.total"), f"{change.overall[0]}%", f"{change.overall[1]}%"])
    _table(doc, rows, (3, 1, 1), align=("LEFT", "RIGHT", "RIGHT"))
    doc.ln(1)
    doc.draw(
        [Line(w.t("report.pdf.change_overall", before=change.overall[0], now=change.overall[1]))]
    )


def _unmet(doc: ReportDoc, data: ReportData, w: Words) -> None:
    score = data.score
    unmet = recommendations(data.questionnaire, score.phase, data.codes)
    doc.heading(w.t("report.pdf.unmet_title"))
    if not unmet:
        doc.draw([Line(w.t("report.summary.no_gaps"), 9.5)])
        return
    doc.draw([Line(w.t("assess.report.guidance_note"), 8.5, "I", MUTED, after=1)])
    for standard in unmet:
        status = "obligatory" if score.phase in standard.obligatory_in else "optional"
        tag = w.t(
            "report.summary.gap_tag",
            status=w.t(f"report.summary.{status}"),
            answer=w.t(f"report.answer.{data.codes.get(standard.id) or 'none'}"),
        )
        lines = [
            Line(f"**{standard.id} {standard.title.get(w.locale)}** · {tag}", 9.5, markdown=True),
            Line(standard.guidance.get(w.locale), 9, indent=4, after=1.2),
        ]
        if doc.will_page_break(doc.height(lines)):
            doc.add_page()
        doc.draw(lines)


def _standards(doc: ReportDoc, data: ReportData, w: Words) -> None:
    doc.heading(w.t("report.pdf.standards"))
    score = data.score
    doc.set_font(FONT, "", 8.5)
    with doc.table(
        col_widths=(12, 98, 30, 40),
        width=doc.epw,
        text_align="LEFT",
        headings_style=HEADINGS,
        line_height=4.2,
        padding=(1.2, 1.5),
        repeat_headings=1,
    ) as table:
        phase = data.questionnaire.phase(score.phase)
        in_phase = phase.in_phase.get(w.locale) if phase else score.phase
        head = table.row()
        for cell in w.t("report.pdf.standards_head", in_phase=in_phase).split("|"):
            head.cell(cell[:1].upper() + cell[1:])
        for area in data.questionnaire.areas:
            row = table.row(style=FontFace(emphasis="BOLD", fill_color=AREA_FILL))
            row.cell(f"{area.id}. {area.title.get(w.locale)}", colspan=4)
            for sub in area.subareas:
                for standard in sub.standards:
                    answer = data.answers.get(standard.id)
                    code = answer.answer if answer and answer.answer else "none"
                    title = standard.title.get(w.locale)
                    if answer is not None and answer.note:
                        title += f"\n{w.t('report.pdf.note')}: {answer.note}"
                    status = "obligatory" if score.phase in standard.obligatory_in else "optional"
                    row = table.row()
                    row.cell(standard.id)
                    row.cell(title)
                    row.cell(w.t(f"report.summary.{status}"))
                    row.cell(w.t(f"report.answer.{code}"))
    doc.set_font(FONT, "", 10)
