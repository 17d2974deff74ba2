"""What every part of the self-evaluation reads: the user's records and their questionnaire."""

from __future__ import annotations

from collections.abc import Sequence

from bot.assessment.engine import FINAL_ANSWERS
from bot.assessment.model import ProfileSpec, Questionnaire, Status
from bot.assessment.render import PREFIX, payload
from bot.core.events import Button
from bot.core.feature import Turn
from bot.core.markup import escape
from bot.core.ports import AnswerRecord, AssessmentRecord, AssessmentStore

STEP_PROFILE = "assess.profile"
STEP_BUTTONS = "assess.buttons"
STEP_NOTE = "assess.note"
PHASE, REUSE = "phase", "reuse"


class Assessments:
    """The user's self-evaluations: the current one, the last finished one, saving."""

    def __init__(
        self, store: AssessmentStore, questionnaires: Sequence[Questionnaire], profile: ProfileSpec
    ) -> None:
        if not questionnaires:
            raise ValueError("at least one questionnaire is needed")
        self.store = store
        self.qs = {q.id: q for q in questionnaires}
        self.profile = profile

    async def in_progress_text(self, turn: Turn, record: AssessmentRecord) -> str:
        """Say that a self-evaluation is in progress, and how far it got."""
        codes = await self.codes(record)
        name = record.profile.get("name")
        return turn.t(
            "assess.in_progress",
            name=f" ({escape(str(name))})" if name else "",
            answered=sum(1 for code in codes.values() if code in FINAL_ANSWERS),
            total=len(self.q(record).standards),
        )

    async def current(self, turn: Turn) -> AssessmentRecord | None:
        """The self-evaluation in progress, if any."""
        for record in await self.store.list_assessments(turn.user.key):
            if record.status == Status.IN_PROGRESS and record.questionnaire_id in self.qs:
                return record
        return None

    async def latest(self, turn: Turn, status: Status) -> AssessmentRecord | None:
        """The newest self-evaluation with this status, if any."""
        for record in await self.store.list_assessments(turn.user.key):
            if record.status == status and record.questionnaire_id in self.qs:
                return record
        return None

    async def abandon(self, turn: Turn, record: AssessmentRecord) -> None:
        """Put a self-evaluation aside for good (kept, never continued again)."""
        record.status = Status.ABANDONED
        record.cursor = None
        await self.save(turn, record)

    async def reopen(self, turn: Turn, record: AssessmentRecord) -> None:
        """Make a finished self-evaluation the current one again (another one is abandoned)."""
        if record.status == Status.IN_PROGRESS:
            return
        current = await self.current(turn)
        if current is not None and current.id != record.id:
            await self.abandon(turn, current)
        record.status = Status.IN_PROGRESS
        record.completed_at = None
        await self.save(turn, record)

    def q(self, record: AssessmentRecord) -> Questionnaire:
        """The questionnaire a self-evaluation answers."""
        return self.qs[record.questionnaire_id]

    async def codes(self, record: AssessmentRecord) -> dict[str, str | None]:
        """The answer code of each answered standard."""
        return {sid: a.answer for sid, a in (await self.store.list_answers(record.id)).items()}

    async def save(
        self, turn: Turn, record: AssessmentRecord, answered: AnswerRecord | None = None
    ) -> None:
        """Store the record (and an answer with it, in one transaction)."""
        record.updated_at = turn.now
        if answered is None:
            await self.store.update_assessment(record)
        else:
            await self.store.record_answer(record, answered)

    def buttons(
        self, turn: Turn, record: AssessmentRecord, *names: str
    ) -> tuple[tuple[Button, ...], ...]:
        """One button per row for the named actions on this self-evaluation."""
        rows: list[tuple[Button, ...]] = []
        for name in names:
            if name == "about":
                rows.append((Button(turn.t("assess.button.about"), f"{PREFIX}:about"),))
            elif name == "new":
                rows.append((Button(turn.t("assess.button.new"), f"{PREFIX}:new"),))
            elif name == "plan":
                rows.append((Button(turn.t("assess.button.plan"), "p1:show"),))  # PlanFeature
            else:
                rows.append(
                    (Button(turn.t(f"assess.button.{name}"), payload(record, "menu", name)),)
                )
        return tuple(rows)
