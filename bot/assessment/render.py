"""Texts and buttons of the self-evaluation: questions, progress, report, about.

Pure functions from records and scores to replies; every word comes from the locale files
or the questionnaire, and everything a user typed is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.assessment.engine import ANSWER_CODES, MET, NOT_MET, SKIPPED, UNKNOWN, answered_count
from bot.assessment.model import ProfileField, ProfileSpec, Questionnaire, Status
from bot.assessment.scoring import Score
from bot.core.events import Button, Reply
from bot.core.feature import Turn
from bot.core.localized import source_dating, source_link
from bot.core.markup import escape
from bot.core.ports import AnswerRecord, AssessmentRecord

PREFIX = "a1"
NOTE, BACK, CANCEL = "t", "b", "x"
#: The cursor of a correction to the profile (``/zmien profil``), on a started or finished one.
EDIT = "edit"


def payload(record: AssessmentRecord, cursor: str, value: str) -> str:
    """Build a button payload bound to one assessment and the question on screen."""
    return f"{PREFIX}:{record.id}:{cursor}:{value}"


def answer_label(turn: Turn, code: str) -> str:
    """Return the label of an answer code (``y``, ``n``, ``u``, ``s``)."""
    return turn.t(f"assess.answer.{code}")


def answer_given(turn: Turn, code: str) -> str:
    """An answer as given ("✅ Spełnia", "Pominięty"), not as its button says ("Pomiń na razie")."""
    return turn.t("report.answer.s") if code == SKIPPED else answer_label(turn, code)


def intro(turn: Turn, q: Questionnaire) -> Reply:
    """Open a new self-evaluation: what will happen and what is adapted."""
    official = sum(1 for s in q.standards if s.provenance == "official")
    text = turn.t("assess.intro", title=q.title.get(turn.locale), total=len(q.standards))
    notice = turn.t("assess.adapted_notice", official=official, total=len(q.standards))
    return Reply(
        f"{text}\n{notice}", buttons=((Button(turn.t("assess.button.about"), f"{PREFIX}:about"),),)
    )


def about(turn: Turn, q: Questionnaire) -> Reply:
    """Explain the questionnaire: what is official, what is adapted, and the sources."""
    official = sum(1 for s in q.standards if s.provenance == "official")
    sources = "\n".join(
        turn.t("assess.source_line", link=source_link(turn.t, s), dated=source_dating(turn.t, s))
        for s in q.sources
    )
    text = turn.t(
        "assess.about",
        total=len(q.standards),
        areas=len(q.areas),
        subareas=sum(len(a.subareas) for a in q.areas),
        official=official,
        adapted=len(q.standards) - official,
        version=escape(q.version),
        sources=sources,
    )
    return Reply(text)


def profile_question(
    turn: Turn,
    record: AssessmentRecord,
    field: ProfileField,
    position: int,
    count: int,
    *,
    flow: bool,
) -> Reply:
    """Ask one profile question; choice fields get one button per option.

    In the questionnaire's flow (``flow``) the question says where it is and has Back (after
    the first) and Cancel; corrected later (``/zmien profil``) it has Cancel to the list.
    """
    lines = [turn.t("assess.profile.progress", n=position, total=count)] if flow else []
    lines.append(f"**{field.prompt.get(turn.locale)}**")
    if field.id in record.profile:
        shown = ProfileSpec(fields=(field,)).shown(field.id, record.profile[field.id], turn.locale)
        lines.append(turn.t("assess.profile.current", value=escape(shown)))
    cursor = field.id if flow else EDIT
    rows: list[tuple[Button, ...]] = []
    if field.kind == "choice":
        options = [
            Button(o.label.get(turn.locale), payload(record, cursor, _option(flow, field, o.id)))
            for o in field.options
        ]
        rows += [tuple(options[i : i + 2]) for i in range(0, len(options), 2)]
    cancel = Button(turn.t("assess.button.cancel"), payload(record, cursor, CANCEL if flow else ""))
    if flow and position > 1:
        rows.append((Button(turn.t("assess.button.back"), payload(record, cursor, BACK)), cancel))
    else:
        rows.append((cancel,))
    return Reply("\n".join(lines), buttons=tuple(rows))


def _option(flow: bool, field: ProfileField, option_id: str) -> str:
    return option_id if flow else f"{field.id}={option_id}"


def profile_saved(turn: Turn, spec: ProfileSpec, field_id: str, value: object) -> str:
    """What was stored, said back: "✓ Liczba członków: 40"."""
    shown = escape(spec.shown(field_id, value, turn.locale))
    return turn.t("assess.profile.saved", field=turn.t(f"report.profile.{field_id}"), value=shown)


def profile_summary(
    turn: Turn, record: AssessmentRecord, spec: ProfileSpec, q: Questionnaire
) -> str:
    """The cluster profile as stored, one line per field, and the phase."""
    lines = [turn.t("assess.edit.title")]
    for field in spec.fields:
        value = record.profile.get(field.id)
        shown = escape(spec.shown(field.id, value, turn.locale)) if value is not None else "–"
        lines.append(f"• {turn.t(f'report.profile.{field.id}')}: {shown}")
    phase = q.phase(record.phase or "")
    lines.append(
        f"• {turn.t('assess.edit.phase')}: {phase.title.get(turn.locale) if phase else '–'}"
    )
    lines.append(turn.t("assess.edit.hint"))
    return "\n".join(lines)


def review(
    turn: Turn, record: AssessmentRecord, q: Questionnaire, answers: Mapping[str, AnswerRecord]
) -> Reply:
    """Every standard with its answer and note, area by area (the review of a finished one)."""
    lines = [turn.t("assess.review.title")]
    for area in q.areas:
        lines += ["", f"**{area.id}. {area.title.get(turn.locale)}**"]
        for sub in area.subareas:
            for standard in sub.standards:
                answer = answers.get(standard.id)
                code = answer.answer if answer is not None else None
                label = (
                    answer_label(turn, code)
                    if code in ANSWER_CODES
                    else turn.t("report.answer.none")
                )
                lines.append(f"• {standard.id} {standard.title.get(turn.locale)} – {label}")
                if answer is not None and answer.note:
                    lines.append(turn.t("assess.review.note", note=escape(answer.note)))
    lines += ["", turn.t("assess.review.hint")]
    return Reply("\n".join(lines))


def reuse_question(turn: Turn, record: AssessmentRecord) -> Reply:
    """Offer to reuse the previous profile (and answers, when there are any)."""
    choices = (["all"] if record.baseline else []) + ["profile", "none"]
    buttons = tuple(
        (Button(turn.t(f"assess.reuse.{c}"), payload(record, "reuse", c)),) for c in choices
    )
    name = escape(str(record.profile.get("name", "")))
    return Reply(turn.t("assess.reuse.question", name=name), buttons=buttons)


def phase_question(
    turn: Turn, record: AssessmentRecord, q: Questionnaire, *, cursor: str = "phase"
) -> Reply:
    """Ask for the development phase, one button per phase (``cursor`` edit: a correction)."""
    lines = [turn.t("assess.phase.question")]
    lines += [
        turn.t(
            "assess.phase.line",
            title=p.title.get(turn.locale),
            description=p.description.get(turn.locale),
        )
        for p in q.phases
    ]
    lines.append(turn.t("assess.phase.note"))
    value = (lambda pid: pid) if cursor == "phase" else (lambda pid: f"phase={pid}")
    buttons: list[tuple[Button, ...]] = [
        (Button(p.title.get(turn.locale), payload(record, cursor, value(p.id))),) for p in q.phases
    ]
    if cursor == "phase":  # in the questionnaire's flow: back to the profile, or stop
        back = Button(turn.t("assess.button.back"), payload(record, cursor, BACK))
        cancel = Button(turn.t("assess.button.cancel"), payload(record, cursor, CANCEL))
        buttons.append((back, cancel))
    else:
        buttons.append((Button(turn.t("assess.button.cancel"), payload(record, cursor, "")),))
    return Reply("\n".join(lines), buttons=tuple(buttons))


def standard_question(
    turn: Turn,
    record: AssessmentRecord,
    q: Questionnaire,
    standard_id: str,
    answers: Mapping[str, AnswerRecord],
) -> Reply:
    """Show one standard with its indicator, phase rule, provenance and the answer buttons."""
    standard = q.require(standard_id)
    area, sub = q.subarea_of[standard_id]
    phase = q.phase(record.phase or "")
    in_phase = phase.in_phase.get(turn.locale) if phase else ""
    loc = turn.locale
    lines = [
        turn.t(
            "assess.standard.path",
            area=f"{area.id}. {area.title.get(loc)}",
            subarea=f"{sub.id} {sub.title.get(loc)}",
        )
        + (turn.t("assess.standard.inferred") if area.structure == "inferred" else ""),
        f"**{standard.id} {standard.title.get(loc)}**",
        turn.t("assess.standard.indicator", text=standard.indicator.get(loc)),
        turn.t(
            "assess.standard.obligatory"
            if record.phase in standard.obligatory_in
            else "assess.standard.optional",
            in_phase=in_phase,
        ),
        turn.t(f"assess.standard.{standard.provenance}"),
    ]
    previous = record.baseline.get(standard_id)
    if previous in ANSWER_CODES:
        lines.append(turn.t("assess.standard.previous", answer=answer_given(turn, previous)))
    current = answers.get(standard_id)
    if current is not None and current.answer in ANSWER_CODES:
        lines.append(turn.t("assess.standard.current", answer=answer_given(turn, current.answer)))
    if current is not None and current.note:
        lines.append(turn.t("assess.standard.note", note=escape(current.note)))
    codes = {k: v.answer for k, v in answers.items()}
    lines.append(
        turn.t("assess.standard.progress", answered=answered_count(codes), total=len(q.standards))
    )

    def b(value: str, label: str) -> Button:
        return Button(label, payload(record, standard_id, value))

    buttons = (
        (b(MET, answer_label(turn, MET)), b(NOT_MET, answer_label(turn, NOT_MET))),
        (b(UNKNOWN, answer_label(turn, UNKNOWN)), b(SKIPPED, answer_label(turn, SKIPPED))),
        (b(NOTE, turn.t("assess.button.note")), b(BACK, turn.t("assess.button.back"))),
    )
    return Reply("\n".join(lines), buttons=buttons)


def progress(
    turn: Turn,
    record: AssessmentRecord,
    q: Questionnaire,
    score: Score | None,
    codes: Mapping[str, str | None],
) -> Reply:
    """Answered and obligatory-unmet standards per area."""
    name = record.profile.get("name")
    lines = [turn.t("assess.progress.title", name=f" – {escape(str(name))}" if name else "")]
    phase = q.phase(record.phase or "")
    lines.append(
        turn.t("assess.progress.phase", in_phase=phase.in_phase.get(turn.locale))
        if phase
        else turn.t("assess.progress.no_phase")
    )
    for area in q.areas:
        ids = [s.id for sub in area.subareas for s in sub.standards]
        answered = sum(1 for i in ids if codes.get(i) in (MET, NOT_MET, UNKNOWN))
        met = sum(1 for i in ids if codes.get(i) == MET)
        line = turn.t(
            "assess.progress.area",
            area=f"{area.id}. {area.title.get(turn.locale)}",
            answered=answered,
            total=len(ids),
            met=met,
        )
        if score is not None:
            unmet = next(a for a in score.areas if a.area.id == area.id).obligatory_unmet
            if unmet:
                line += turn.t("assess.progress.area_unmet", count=len(unmet))
        lines.append(line)
    skipped = sum(1 for c in codes.values() if c == SKIPPED)
    lines.append(
        turn.t(
            "assess.progress.total",
            answered=answered_count(codes),
            total=len(q.standards),
            skipped=skipped,
        )
    )
    return Reply("\n".join(lines))


def report(turn: Turn, record: AssessmentRecord, q: Questionnaire, score: Score) -> Reply:
    """Summarise the verdict, areas, unmet obligatory standards with guidance, next steps."""
    loc = turn.locale
    phase = q.phase(score.phase)
    in_phase = phase.in_phase.get(loc) if phase else score.phase
    verdict = turn.t(f"assess.report.verdict.{score.verdict}")
    head_key = (
        "assess.report.final" if record.status == Status.COMPLETED else "assess.report.preliminary"
    )
    lines = [
        turn.t(head_key, verdict=verdict),
        turn.t(f"assess.report.explain.{score.verdict}", in_phase=in_phase),
    ]
    if record.profile.get("name"):
        lines.append(turn.t("assess.report.cluster", name=escape(str(record.profile["name"]))))
    lines.append(
        turn.t("assess.report.overall", met=score.met, total=score.total, percent=score.percent)
    )
    lines += ["", turn.t("assess.report.areas")]
    for area_score in score.areas:
        line = turn.t(
            "assess.report.area",
            area=f"{area_score.area.id}. {area_score.area.title.get(loc)}",
            met=area_score.met,
            total=area_score.total,
            percent=area_score.percent,
        )
        if area_score.obligatory_unmet:
            line += turn.t("assess.report.area_unmet", count=len(area_score.obligatory_unmet))
        lines.append(line)
    if score.obligatory_unmet:
        lines += ["", turn.t("assess.report.unmet_title"), turn.t("assess.report.guidance_note")]
        for sid in score.obligatory_unmet:
            standard = q.require(sid)
            item = turn.t(
                "assess.report.unmet_item",
                id=sid,
                title=standard.title.get(loc),
                guidance=standard.guidance.get(loc),
            )
            if sid in score.obligatory_unknown:
                item += turn.t("assess.report.unknown_flag")
            lines.append(item)
    if score.obligatory_missing:
        lines += ["", turn.t("assess.report.missing_title")]
        for sid in score.obligatory_missing:
            standard = q.require(sid)
            lines.append(
                turn.t("assess.report.missing_item", id=sid, title=standard.title.get(loc))
            )
    if score.skipped:
        count = turn.count("unit.standards", len(score.skipped))
        lines += ["", turn.t("assess.report.skipped", count=count)]
    lines += ["", turn.t("assess.report.strengths_title")]
    strong = [f"{a.area.id}. {a.area.title.get(loc)}" for a in score.areas if a.fully_met]
    lines.append(
        turn.t("assess.report.strengths", areas=", ".join(strong))
        if strong
        else turn.t("assess.report.no_strengths")
    )
    lines += ["", turn.t("assess.report.next_title")]
    optional = ", ".join(score.optional_unmet) or "–"
    lines.append(turn.t(f"assess.report.next.{score.verdict}", optional=optional))
    lines += ["", turn.t("assess.report.caveat")]
    return Reply("\n".join(lines))
