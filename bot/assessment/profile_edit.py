"""Correcting the cluster profile and the phase of a started or finished self-evaluation."""

from __future__ import annotations

from bot.assessment import render
from bot.assessment.context import PHASE, STEP_PROFILE, Assessments
from bot.assessment.engine import Problem, parse_profile_value
from bot.assessment.flow import Flow
from bot.assessment.model import Status
from bot.assessment.render import EDIT, payload
from bot.core.events import Button, Reply
from bot.core.feature import Turn, prepend
from bot.core.ports import AssessmentRecord


class ProfileEditor:
    """``/zmien profil`` and the report's "Popraw profil": a list of fields, one to correct."""

    def __init__(self, ctx: Assessments, flow: Flow) -> None:
        self._ctx = ctx
        self._flow = flow

    async def edit(self, turn: Turn, record: AssessmentRecord, value: str) -> list[Reply]:
        """Correct the profile of a started or finished self-evaluation (``/zmien profil``).

        ``value`` is empty (the list of fields), a field id (its question), ``field=option``
        (a chosen option), ``phase`` or ``phase=<id>``.
        """
        if record.status not in (Status.IN_PROGRESS, Status.COMPLETED):
            return await self._flow.stale(turn)
        name, _, option = value.partition("=")
        q = self._ctx.q(record)
        if name == PHASE:
            phase = q.phase(option) if option else None
            if phase is not None:
                record.phase = phase.id
                await self._ctx.save(turn, record)
                title = phase.title.get(turn.locale)
                label = turn.t("assess.edit.phase")
                saved = turn.t("assess.profile.saved", field=label, value=title)
                return prepend(saved, self.edit_menu(turn, record))
            return [render.phase_question(turn, record, q, cursor=EDIT)]
        field = self._ctx.profile.field(name)
        if field is None:
            turn.session.step, turn.session.data = None, {}
            return self.edit_menu(turn, record)
        if option:
            if field.option(option) is None:
                return await self._flow.stale(turn)
            record.profile[field.id] = option
            await self._ctx.save(turn, record)
            turn.session.step, turn.session.data = None, {}
            saved = render.profile_saved(turn, self._ctx.profile, field.id, option)
            return prepend(saved, self.edit_menu(turn, record))
        turn.session.step = STEP_PROFILE
        turn.session.data = {"assessment": record.id, "field": field.id, "edit": True}
        return [render.profile_question(turn, record, field, 0, 0, flow=False)]

    async def take_edit(self, turn: Turn, text: str) -> list[Reply]:
        """A typed value for the profile field being corrected."""
        record = await self._ctx.store.get_assessment(int(turn.session.data.get("assessment", 0)))
        field = self._ctx.profile.field(str(turn.session.data.get("field", "")))
        if record is None or record.owner != turn.user.key or field is None:
            turn.session.step, turn.session.data = None, {}
            return [turn.menu_reply("errors.stale_button")]
        value = parse_profile_value(field, text, turn.now.year)
        if isinstance(value, Problem):
            problem = turn.t(value.key, **dict(value.params))
            return prepend(problem, await self.edit(turn, record, field.id))
        record.profile[field.id] = value
        await self._ctx.save(turn, record)
        turn.session.step, turn.session.data = None, {}
        saved = render.profile_saved(turn, self._ctx.profile, field.id, value)
        return prepend(saved, self.edit_menu(turn, record))

    def edit_menu(self, turn: Turn, record: AssessmentRecord) -> list[Reply]:
        """The profile as it is, a button per field to correct it, and the way back."""
        done = "continue" if record.status == Status.IN_PROGRESS else "report"
        text = render.profile_summary(turn, record, self._ctx.profile, self._ctx.q(record))
        buttons = [
            Button(turn.t(f"report.profile.{f.id}"), payload(record, EDIT, f.id))
            for f in self._ctx.profile.fields
        ]
        buttons.append(Button(turn.t("assess.edit.phase"), payload(record, EDIT, PHASE)))
        rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
        rows += self._ctx.buttons(turn, record, done)
        return [Reply(text, buttons=tuple(rows))]
