"""What a shared report page shows, from the same :class:`ReportData` as the PDF (pure).

The page reuses the PDF's texts (``report.*``): one wording of the report in every format.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.assessment.insights import recommendations
from bot.assessment.report_data import ReportData
from bot.core.i18n import Texts
from bot.core.localized import local_date, local_moment
from bot.core.markup import escape
from bot.reports.pdf_details import area_table
from bot.reports.pdf_doc import Words
from bot.web.charts import Bar


@dataclass(frozen=True, slots=True)
class Gap:
    """An unmet standard with what to do about it."""

    id: str
    title: str
    tag: str
    guidance: str
    obligatory: bool


@dataclass(frozen=True, slots=True)
class Answer:
    """One standard's row in the list of every answer."""

    id: str
    title: str
    obligatory: bool
    adapted: bool
    code: str
    answer: str
    note: str


@dataclass(frozen=True, slots=True)
class AreaAnswers:
    """The answers of one area."""

    title: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True, slots=True)
class ReportPage:
    """Everything the report template prints, in one language."""

    title: str
    cluster: str
    meta: str
    in_progress: bool
    verdict: str
    verdict_code: str
    overall: str
    unmet_count: str
    bars: tuple[Bar, ...]
    reference_note: str
    table_head: tuple[str, ...]
    area_rows: tuple[tuple[str, ...], ...]
    gaps: tuple[Gap, ...]
    gaps_note: str
    plan: tuple[str, ...]
    profile: tuple[tuple[str, str], ...]
    areas: tuple[AreaAnswers, ...]
    footer: str


def report_page(data: ReportData, texts: Texts, locale: str, tz: ZoneInfo) -> ReportPage:
    """Compose the page of one self-evaluation's report."""
    today = data.generated_at.astimezone(tz).date()
    w = Words(texts, locale, today)
    q, score = data.questionnaire, data.score
    phase = q.phase(score.phase)
    phase_name = phase.title.get(locale) if phase else score.phase
    in_phase = phase.in_phase.get(locale) if phase else score.phase
    record = data.record
    finished = record.completed_at or record.updated_at
    meta = w.t(
        "report.summary.meta",
        phase=phase_name,
        date=local_moment(w.t, finished, tz, date_only=True),
        questionnaire=q.title.get(locale),
        version=record.questionnaire_version,
    )
    reference = data.readiness.parp_2015
    bars = tuple(
        Bar(
            f"{a.area.id}. {a.area.title.get(locale)}",
            a.percent,
            reference.areas.get(a.area.id),
            len(a.obligatory_unmet),
        )
        for a in score.areas
    )
    rows = tuple(tuple(row) for row in area_table(data, w))
    gaps = []
    for standard in recommendations(q, score.phase, data.codes):
        obligatory = score.phase in standard.obligatory_in
        status = "obligatory" if obligatory else "optional"
        tag = w.t(
            "report.summary.gap_tag",
            status=w.t(f"report.summary.{status}"),
            answer=w.t(f"report.answer.{data.codes.get(standard.id) or 'none'}"),
        )
        gaps.append(
            Gap(
                standard.id,
                standard.title.get(locale),
                tag,
                standard.guidance.get(locale),
                obligatory,
            )
        )
    gaps.sort(key=lambda g: not g.obligatory)
    plan = []
    for step in data.plan:
        planned = q.standard(step.standard_id)
        line = w.t(
            "report.summary.plan_item",
            due=local_date(w.t, step.due_on),
            id=step.standard_id,
            title=escape(planned.title.get(locale) if planned else step.title),
            responsible=escape(step.responsible),
        )
        plan.append(line + (w.t("report.summary.plan_late") if step.due_on < today else ""))
    areas = tuple(
        AreaAnswers(
            f"{area.id}. {area.title.get(locale)}",
            tuple(
                _answer(w, data, standard.id, score.phase)
                for sub in area.subareas
                for standard in sub.standards
            ),
        )
        for area in q.areas
    )
    profile = tuple(
        (w.t(f"report.profile.{key}"), value)
        for key, value in data.profile_items(locale)
        if w.has(f"report.profile.{key}")
    )
    verdict_word = w.t(f"assess.report.verdict.{score.verdict}")
    return ReportPage(
        title=w.t("report.pdf.title"),
        cluster=str(record.profile.get("name") or ""),
        meta=meta,
        in_progress=record.completed_at is None,
        verdict=w.t("report.pdf.verdict", verdict=verdict_word),
        verdict_code=score.verdict,
        overall=w.t("page.report.overall", met=score.met, total=score.total, pct=score.percent),
        unmet_count=(
            w.count("report.summary.unmet_count", len(score.obligatory_unmet))
            if score.obligatory_unmet
            else ""
        ),
        bars=bars,
        reference_note=w.t(
            "report.pdf.reference",
            label=reference.label.get(locale),
            overall=reference.overall,
            url=str(reference.source.url),
        ),
        table_head=tuple(w.t("report.pdf.table_head").split("|")),
        area_rows=rows,
        gaps=tuple(gaps),
        gaps_note=w.t("report.summary.gaps_note", in_phase=in_phase),
        plan=tuple(plan),
        profile=profile,
        areas=areas,
        footer=w.t("report.pdf.footer", date=local_date(w.t, today)),
    )


def _answer(w: Words, data: ReportData, standard_id: str, phase: str) -> Answer:
    standard = data.questionnaire.require(standard_id)
    record = data.answers.get(standard_id)
    code = (record.answer if record else None) or "none"
    return Answer(
        standard.id,
        standard.title.get(w.locale),
        phase in standard.obligatory_in,
        standard.provenance == "adapted",
        code,
        w.t(f"report.answer.{code}"),
        record.note if record else "",
    )
