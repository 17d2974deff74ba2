"""Where a team's answers differ from the coordinator's (shown in the coordinator's report)."""

from __future__ import annotations

from collections.abc import Mapping

from bot.assessment.engine import ANSWER_CODES
from bot.core.feature import Turn
from bot.core.ports import AssessmentRecord, AssessmentStore


async def team_differences(
    turn: Turn, store: AssessmentStore, record: AssessmentRecord, answer_label: Mapping[str, str]
) -> list[str]:
    """Lines listing the standards where team members answered differently."""
    members = await store.list_team(record.id)
    if not members:
        return []
    mine = {sid: a.answer for sid, a in (await store.list_answers(record.id)).items()}
    theirs = [await store.list_answers(m.id) for m in members]
    lines = [turn.t("team.differences", members=len(members))]
    differing = 0
    ids = sorted({sid for answers in theirs for sid in answers} | set(mine), key=_order)
    for sid in ids:
        counts: dict[str, int] = {}
        for answers in theirs:
            answer = answers.get(sid)
            if answer is not None and answer.answer in ANSWER_CODES:
                counts[answer.answer] = counts.get(answer.answer, 0) + 1
        if not counts or set(counts) == {mine.get(sid)}:
            continue
        differing += 1
        team = ", ".join(f"{answer_label[code]} × {n}" for code, n in sorted(counts.items()))
        coordinator = answer_label.get(str(mine.get(sid)), "–")
        lines.append(turn.t("team.difference", id=sid, coordinator=coordinator, team=team))
    if not differing:
        lines.append(turn.t("team.no_differences"))
    return lines


def _order(standard_id: str) -> tuple[int, ...]:
    return tuple(int(p) for p in standard_id.split(".") if p.isdigit())
