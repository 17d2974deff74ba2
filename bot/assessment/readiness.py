"""``/gotowosc``: the KKK and ESCA Bronze orientation as a reply (pure).

It states the thresholds it applies (from ``content/readiness.yaml``) and says plainly when
the answers are incomplete, since a standard without an answer counts as not met.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.assessment.engine import MET, NOT_MET, UNKNOWN
from bot.assessment.insights import (
    ESCA_QUESTIONS,
    Check,
    Readiness,
    esca_readiness,
    kkk_readiness,
)
from bot.assessment.model import Questionnaire
from bot.assessment.render import payload
from bot.core.events import Button, Reply
from bot.core.feature import Turn
from bot.core.localized import Localized, source_dating, source_link
from bot.core.ports import AssessmentRecord

#: The unit (a plural text key) of the numbers in each readiness check.
READINESS_UNITS = {"years": "unit.years", "members": "unit.members", "esca_members": "unit.members"}


def readiness_reply(
    turn: Turn,
    record: AssessmentRecord,
    q: Questionnaire,
    codes: Mapping[str, str | None],
    rules: Readiness,
) -> Reply:
    """Thresholds, an incompleteness warning, the KKK and ESCA checks, buttons for gaps."""
    kkk = kkk_readiness(rules.kkk, q, record.profile, codes, turn.now.year)
    esca = esca_readiness(rules.esca_bronze, record.profile)
    lines = [turn.t("readiness.title"), "", thresholds(turn, rules)]
    unanswered = sum(1 for s in q.standards if codes.get(s.id) not in (MET, NOT_MET, UNKNOWN))
    if unanswered:
        lines.append(
            turn.t(
                "readiness.incomplete",
                standards=turn.count("unit.standards", unanswered),
                answered=len(q.standards) - unanswered,
                total=len(q.standards),
            )
        )
    lines += ["", turn.t("readiness.kkk_title")]
    lines += [check_line(turn, c) for c in kkk]
    lines += ["", turn.t("readiness.esca_title")]
    lines += [check_line(turn, c) for c in esca]
    rows: list[tuple[Button, ...]] = []
    for check in esca:
        if check.ok is None and check.key in ESCA_QUESTIONS:
            question = turn.t(f"readiness.question.{check.key}")
            rows.append(
                (
                    Button(
                        f"{question} {turn.t('readiness.answer_yes')}",
                        payload(record, "menu", f"{check.key}.yes"),
                    ),
                    Button(
                        f"{question} {turn.t('readiness.answer_no')}",
                        payload(record, "menu", f"{check.key}.no"),
                    ),
                )
            )
    kkk_source, esca_source = rules.kkk.source, rules.esca_bronze.source
    lines += [
        "",
        turn.t(
            "readiness.sources",
            kkk=f"{source_link(turn.t, kkk_source)} · {source_dating(turn.t, kkk_source)}",
            esca=f"{source_link(turn.t, esca_source)} · {source_dating(turn.t, esca_source)}",
        ),
    ]
    if rows:  # last, right above its buttons
        lines += ["", turn.t("readiness.ask")]
    return Reply("\n".join(lines), buttons=tuple(rows))


def thresholds(turn: Turn, rules: Readiness) -> str:
    """The thresholds the checks below apply, each with its unit."""
    return turn.t(
        "readiness.thresholds",
        years=turn.count("unit.years", rules.kkk.min_years),
        members=turn.count("unit.members", rules.kkk.min_members),
        percent=rules.kkk.area_min_percent,
        areas=len(rules.kkk.areas),
        esca_members=turn.count("unit.members", rules.esca_bronze.min_members),
    )


def check_line(turn: Turn, check: Check) -> str:
    """One check as a line: a mark, what is required and what the cluster has."""
    mark = turn.t(
        "readiness.unknown"
        if check.ok is None
        else "readiness.ok"
        if check.ok
        else "readiness.not_ok"
    )
    unit = READINESS_UNITS.get(check.key)
    params: dict[str, object] = {}
    for k, v in check.params:
        if isinstance(v, Localized):
            params[k] = v.get(turn.locale)
        elif k == "missing":
            count = v if isinstance(v, int) else 0
            params[k] = (
                turn.t("readiness.area_missing", standards=turn.count("unit.standards", count))
                if count
                else ""
            )
        elif unit is not None and k in ("min", "years", "members"):
            # "co najmniej 3 lata (u Was: 8 lat)": a number always with its agreeing unit.
            params[k] = turn.count(unit, v) if isinstance(v, int) else turn.t("readiness.no_value")
        else:
            params[k] = v
    return turn.t(f"readiness.{check.key}", mark=mark, **params)
