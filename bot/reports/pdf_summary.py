"""Page 1 of the PDF report: the summary a board reads, always on one page.

Cluster, phase and date; the verdict; the chart (per-area bars beside PARP's 2015
averages); the most important gaps with their guidance (obligatory first); the next dated
steps of the action plan. The text is measured first and the chart gets the room left.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

from bot.assessment.engine import MET, NOT_MET, UNKNOWN
from bot.assessment.insights import recommendations
from bot.assessment.report_data import ReportData
from bot.core.localized import local_date
from bot.core.markup import escape
from bot.reports.pdf_doc import MUTED, VERDICT_FILL, Line, ReportDoc, Words

#: How many gaps and plan steps page 1 shows (the details list them all).
MAX_GAPS, MAX_STEPS = 5, 5
#: The chart keeps its proportions; below this height it would no longer be legible.
MIN_CHART_MM = 60.0
PAD = 3.0


@dataclass(frozen=True, slots=True)
class Summary:
    """The texts of page 1, before layout."""

    head: list[Line]
    verdict: list[Line]
    chart_title: list[Line]
    tail: list[Line]


def summary_page(doc: ReportDoc, data: ReportData, w: Words, chart: bytes) -> None:
    """Draw page 1 (the caller has added it)."""
    parts = compose(data, w)
    doc.draw(parts.head)
    _verdict_box(doc, data, parts.verdict)
    doc.ln(3)
    doc.draw(parts.chart_title)
    tail_height = doc.height(parts.tail)
    room = doc.bottom - doc.get_y() - tail_height - 3
    _chart(doc, chart, max(room, MIN_CHART_MM))
    doc.ln(2)
    doc.draw(parts.tail)


def compose(data: ReportData, w: Words) -> Summary:
    """The summary's texts in the user's language (plain text)."""
    q, score = data.questionnaire, data.score
    phase = q.phase(score.phase)
    phase_title = phase.title.get(w.locale) if phase else score.phase
    in_phase = phase.in_phase.get(w.locale) if phase else score.phase
    name = str(data.record.profile.get("name", "")).strip()
    meta = w.t(
        "report.summary.meta",
        phase=phase_title[:1].upper() + phase_title[1:],
        date=local_date(w.t, w.today),
        questionnaire=q.title.get(w.locale),
        version=data.record.questionnaire_version,
    )
    head = [Line(w.t("report.pdf.title"), 10, "B", MUTED, after=0.5)]
    if name:
        head.append(Line(name, 17, "B", after=0.8))
    head.append(Line(meta, 8.5, "", MUTED, after=3))

    verdict_word = w.t(f"assess.report.verdict.{score.verdict}")
    verdict = [
        Line(w.t("report.pdf.verdict", verdict=verdict_word), 14, "B", after=1),
        Line(w.t(f"assess.report.explain.{score.verdict}", in_phase=in_phase), 9.5),
    ]
    overall = w.t("assess.report.overall", met=score.met, total=score.total, percent=score.percent)
    if score.obligatory_unmet:
        overall += " · " + w.count("report.summary.unmet_count", len(score.obligatory_unmet))
    verdict.append(Line(overall, 9.5))
    if score.obligatory_missing:
        verdict.append(
            Line(
                w.count(
                    "report.summary.missing",
                    len(score.obligatory_missing),
                    ids=", ".join(score.obligatory_missing),
                ),
                9.5,
            )
        )
    unanswered = sum(1 for s in q.standards if data.codes.get(s.id) not in (MET, NOT_MET, UNKNOWN))
    if unanswered:
        verdict.append(
            Line(
                w.t(
                    "report.summary.incomplete",
                    standards=w.count("unit.standards", unanswered),
                    answered=score.answered,
                    total=score.total,
                ),
                9.5,
            )
        )
    chart_title = [Line(w.t("report.pdf.areas"), 12.5, "B", after=1)]
    return Summary(head, verdict, chart_title, _gaps(data, w) + _steps(data, w))


def _gaps(data: ReportData, w: Words) -> list[Line]:
    q, score = data.questionnaire, data.score
    phase = q.phase(score.phase)
    in_phase = phase.in_phase.get(w.locale) if phase else score.phase
    unmet = recommendations(q, score.phase, data.codes)
    lines = [Line(w.t("report.summary.gaps_title"), 12.5, "B", after=0.5)]
    if not unmet:
        return [*lines, Line(w.t("report.summary.no_gaps"), 9.5, after=2)]
    lines.append(Line(w.t("report.summary.gaps_note", in_phase=in_phase), 8.5, "I", MUTED, after=1))
    for standard in unmet[:MAX_GAPS]:
        status = "obligatory" if score.phase in standard.obligatory_in else "optional"
        code = data.codes.get(standard.id) or "none"
        tag = w.t(
            "report.summary.gap_tag",
            status=w.t(f"report.summary.{status}"),
            answer=w.t(f"report.answer.{code}"),
        )
        title = f"**{standard.id} {standard.title.get(w.locale)}** · {tag}"
        lines.append(Line(title, 9.5, markdown=True))
        lines.append(Line(standard.guidance.get(w.locale), 9, indent=4, after=1.2))
    if len(unmet) > MAX_GAPS:
        more = w.count("report.summary.gaps_more", len(unmet) - MAX_GAPS)
        lines.append(Line(more, 8.5, "I", MUTED))
    lines[-1] = _with_after(lines[-1], 2)
    return lines


def _steps(data: ReportData, w: Words) -> list[Line]:
    lines = [Line(w.t("report.summary.plan_title"), 12.5, "B", after=0.5)]
    if not data.plan:
        return [*lines, Line(w.t("report.summary.plan_empty"), 9.5)]
    for step in data.plan[:MAX_STEPS]:
        standard = data.questionnaire.standard(step.standard_id)
        text = w.t(
            "report.summary.plan_item",
            due=local_date(w.t, step.due_on),
            id=step.standard_id,
            title=escape(standard.title.get(w.locale) if standard else step.title),
            responsible=escape(step.responsible),
        )
        if step.due_on < w.today:
            text += w.t("report.summary.plan_late")
        lines.append(Line(text, 9.5, after=0.6))
    if len(data.plan) > MAX_STEPS:
        lines.append(
            Line(w.count("report.summary.plan_more", len(data.plan) - MAX_STEPS), 8.5, "I")
        )
    return lines


def _with_after(line: Line, after: float) -> Line:
    return replace(line, after=after)


def _verdict_box(doc: ReportDoc, data: ReportData, lines: list[Line]) -> None:
    top = doc.get_y()
    height = doc.height(lines) + 2 * PAD
    doc.set_fill_color(*VERDICT_FILL[data.score.verdict])
    doc.rect(doc.l_margin, top, doc.epw, height, style="F")
    doc.set_fill_color(255, 255, 255)
    doc.set_y(top + PAD)
    original = doc.l_margin
    doc.set_left_margin(original + PAD)
    doc.set_right_margin(original + PAD)
    doc.draw(lines)
    doc.set_left_margin(original)
    doc.set_right_margin(original)
    doc.set_y(top + height)


def _chart(doc: ReportDoc, chart: bytes, max_height: float) -> None:
    from PIL import Image

    with Image.open(io.BytesIO(chart)) as picture:
        ratio = picture.height / picture.width
    width = min(doc.epw, max_height / ratio)
    height = width * ratio
    x = doc.l_margin + (doc.epw - width) / 2
    doc.image(io.BytesIO(chart), x=x, y=doc.get_y(), w=width, h=height)
    doc.set_y(doc.get_y() + height)
