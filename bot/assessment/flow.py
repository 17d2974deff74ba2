"""The questionnaire's path: start, reuse, profile, phase, one standard at a time, notes.

Every answer is committed before the next question is returned; the record's ``cursor`` is
the question on screen.
"""

from __future__ import annotations

from bot.assessment import render
from bot.assessment.context import (
    PHASE,
    REUSE,
    STEP_BUTTONS,
    STEP_NOTE,
    STEP_PROFILE,
    Assessments,
)
from bot.assessment.engine import (
    ANSWER_CODES,
    SKIPPED,
    Problem,
    next_profile_field,
    next_standard,
    parse_profile_value,
    previous_standard,
)
from bot.assessment.model import Questionnaire, Status
from bot.assessment.render import BACK, CANCEL, NOTE, PREFIX, payload
from bot.assessment.results import Results
from bot.core.events import Button, Reply
from bot.core.feature import Turn, prepend
from bot.core.markup import escape
from bot.core.ports import AnswerRecord, AssessmentRecord


class Flow:
    """Asks what a self-evaluation needs next and stores each answer."""

    def __init__(self, ctx: Assessments, results: Results, max_note_chars: int) -> None:
        self._ctx = ctx
        self._results = results
        self._max_note = max_note_chars
        self._labels: dict[str, list[str]] = {}  # the question buttons' labels, by language

    async def choose_questionnaire(self, turn: Turn) -> list[Reply]:
        """Start the only questionnaire, or ask which one."""
        if len(self._ctx.qs) == 1:
            return await self.start(turn, None, next(iter(self._ctx.qs.values())))
        buttons = tuple(
            (Button(q.title.get(turn.locale), f"{PREFIX}:start:{q.id}"),)
            for q in self._ctx.qs.values()
        )
        return [Reply(turn.t("assess.choose"), buttons=buttons)]

    async def start(
        self, turn: Turn, abandon: AssessmentRecord | None, q: Questionnaire
    ) -> list[Reply]:
        """Open a new self-evaluation (abandoning ``abandon``), offering the last profile."""
        if abandon is not None:
            await self._ctx.abandon(turn, abandon)
        history = await self._ctx.store.list_assessments(turn.user.key)
        previous = next(
            (
                r
                for r in history
                if r.status != Status.IN_PROGRESS
                and next_profile_field(self._ctx.profile, r.profile) is None
            ),
            None,
        )
        record = await self._ctx.store.create_assessment(turn.user.key, q.id, q.version, turn.now)
        replies = [render.intro(turn, q)]
        if previous is None:
            return replies + await self.show_current(turn, record)
        record.baseline = {
            sid: a.answer
            for sid, a in (await self._ctx.store.list_answers(previous.id)).items()
            if a.answer in ANSWER_CODES and q.standard(sid) is not None
        }
        record.profile = dict(previous.profile)
        record.cursor = REUSE
        await self._ctx.save(turn, record)
        return replies + await self.show_current(turn, record)

    async def reuse(self, turn: Turn, record: AssessmentRecord, choice: str) -> list[Reply]:
        """Take the last profile and answers, the profile only, or nothing."""
        if choice not in ("all", "profile", "none") or (choice == "all" and not record.baseline):
            return await self.stale(turn)
        if choice != "all":
            record.baseline = {}
        if choice == "none":
            record.profile = {}
        record.cursor = None
        await self._ctx.save(turn, record)
        return await self.show_current(turn, record)

    async def show_current(self, turn: Turn, record: AssessmentRecord) -> list[Reply]:
        """Ask whatever the assessment needs next and remember it as the cursor."""
        if record.cursor == REUSE:
            turn.session.step, turn.session.data = STEP_BUTTONS, {"assessment": record.id}
            return [render.reuse_question(turn, record)]
        # The cursor on an answered field: the user went back to it (Wstecz).
        field = self._ctx.profile.field(record.cursor or "") or next_profile_field(
            self._ctx.profile, record.profile
        )
        if field is not None:
            await self._move(turn, record, field.id)
            # Choice fields wait for text too: a typed option label is accepted.
            turn.session.step = STEP_PROFILE
            turn.session.data = {"assessment": record.id, "field": field.id}
            position = self._ctx.profile.fields.index(field) + 1
            return [
                render.profile_question(
                    turn, record, field, position, len(self._ctx.profile.fields), flow=True
                )
            ]
        if record.phase is None:
            await self._move(turn, record, PHASE)
            turn.session.step, turn.session.data = STEP_BUTTONS, {"assessment": record.id}
            return [render.phase_question(turn, record, self._ctx.q(record))]
        if record.cursor is not None and self._ctx.q(record).standard(record.cursor) is not None:
            return await self.ask_standard(turn, record, record.cursor)
        return await self.advance(turn, record)

    async def advance(
        self,
        turn: Turn,
        record: AssessmentRecord,
        after: str | None = None,
        answers: dict[str, AnswerRecord] | None = None,
        answered: AnswerRecord | None = None,
    ) -> list[Reply]:
        """Ask the next standard without an answer, or finish when there is none.

        ``answers``, when the caller has them fresh, saves reading them again; ``answered``
        is an answer not stored yet, stored with the assessment's move to what comes next.
        """
        if answers is None:
            answers = await self._ctx.store.list_answers(record.id)
        codes = {sid: a.answer for sid, a in answers.items()}
        nxt = next_standard(self._ctx.q(record), codes, after=after)
        if nxt is None:
            return await self.complete(turn, record, answered)
        return await self.ask_standard(turn, record, nxt, answers, answered)

    async def ask_standard(
        self,
        turn: Turn,
        record: AssessmentRecord,
        standard_id: str,
        answers: dict[str, AnswerRecord] | None = None,
        answered: AnswerRecord | None = None,
    ) -> list[Reply]:
        """Show one standard and remember it as the question on screen."""
        await self._move(turn, record, standard_id, answered)
        turn.session.step, turn.session.data = STEP_BUTTONS, {"assessment": record.id}
        if answers is None:
            answers = await self._ctx.store.list_answers(record.id)
        return [render.standard_question(turn, record, self._ctx.q(record), standard_id, answers)]

    async def _move(
        self,
        turn: Turn,
        record: AssessmentRecord,
        cursor: str,
        answered: AnswerRecord | None = None,
    ) -> None:
        """Put the question ``cursor`` on screen; showing it again writes nothing."""
        if record.cursor != cursor or answered is not None:
            record.cursor = cursor
            await self._ctx.save(turn, record, answered)

    async def complete(
        self, turn: Turn, record: AssessmentRecord, answered: AnswerRecord | None = None
    ) -> list[Reply]:
        """Finish the self-evaluation and show its report."""
        record.status = Status.COMPLETED
        record.cursor = None
        record.completed_at = turn.now
        await self._ctx.save(turn, record, answered)
        turn.session.step, turn.session.data = None, {}
        return await self._results.finished(turn, record)

    async def choose_phase(
        self, turn: Turn, record: AssessmentRecord, phase_id: str
    ) -> list[Reply]:
        """Store the development phase and go on."""
        phase = self._ctx.q(record).phase(phase_id)
        if phase is None:
            return await self.stale(turn)
        record.phase = phase.id
        record.cursor = None
        await self._ctx.save(turn, record)
        chosen = Reply(turn.t("assess.phase.chosen", in_phase=phase.in_phase.get(turn.locale)))
        return [chosen] + await self.show_current(turn, record)

    async def profile_choice(
        self, turn: Turn, record: AssessmentRecord, field_id: str, option_id: str
    ) -> list[Reply]:
        """Store a profile option chosen by its button."""
        field = self._ctx.profile.field(field_id)
        if field is None or field.option(option_id) is None:
            return await self.stale(turn)
        return await self.store_profile_value(turn, record, field_id, option_id)

    async def take_profile_text(
        self, turn: Turn, record: AssessmentRecord, text: str
    ) -> list[Reply]:
        """Store a typed profile value, or say why it cannot be used."""
        field = self._ctx.profile.field(str(record.cursor))
        if field is None:
            return await self.show_current(turn, record)
        value = parse_profile_value(field, text, turn.now.year)
        if isinstance(value, Problem):
            problem = Reply(turn.t(value.key, **dict(value.params)))
            return [problem] + await self.show_current(turn, record)
        return await self.store_profile_value(turn, record, field.id, value)

    async def store_profile_value(
        self, turn: Turn, record: AssessmentRecord, field_id: str, value: str | int
    ) -> list[Reply]:
        """Store one profile value, say it back and ask the next question."""
        record.profile[field_id] = value
        record.cursor = None
        await self._ctx.save(turn, record)
        # What was stored is said back, so a slip ("ok 40" as a name) is seen at once.
        lines = [render.profile_saved(turn, self._ctx.profile, field_id, value)]
        if next_profile_field(self._ctx.profile, record.profile) is None:
            lines.append(turn.t("assess.profile.done"))
        return prepend("\n".join(lines), await self.show_current(turn, record))

    async def profile_back(
        self, turn: Turn, record: AssessmentRecord, field_id: str
    ) -> list[Reply]:
        """Ask the profile question before ``field_id`` again (its answer is kept until then)."""
        position = [f.id for f in self._ctx.profile.fields].index(field_id)
        if position > 0:
            await self._move(turn, record, self._ctx.profile.fields[position - 1].id)
        return await self.show_current(turn, record)

    async def back_to_profile(self, turn: Turn, record: AssessmentRecord) -> list[Reply]:
        """From the phase question back to the profile's last question."""
        await self._move(turn, record, self._ctx.profile.fields[-1].id)
        return await self.show_current(turn, record)

    async def standard_action(
        self, turn: Turn, record: AssessmentRecord, standard_id: str, value: str
    ) -> list[Reply]:
        """Handle a standard's button: an answer, Back, a note or Cancel."""
        answers = await self._ctx.store.list_answers(record.id)
        existing = answers.get(standard_id)
        note = existing.note if existing else ""
        if value in ANSWER_CODES:
            # Stored together with the move to the next question (one transaction).
            answer = AnswerRecord(standard_id, value, note, turn.now)
            answers[standard_id] = answer
            after = standard_id if value == SKIPPED else None
            following = await self.advance(turn, record, after, answers, answer)
            if value != SKIPPED:
                label = render.answer_label(turn, value)
                saved = turn.t("assess.standard.saved", id=standard_id, answer=label)
            elif record.status == Status.COMPLETED:  # the last one: no "we will come back"
                saved = turn.t("assess.standard.skipped_last", id=standard_id)
            else:
                saved = turn.t("assess.standard.skipped", id=standard_id)
            return prepend(saved, following)
        if value == BACK:
            previous = previous_standard(self._ctx.q(record), standard_id)
            if previous is None:
                record.phase = None
                record.cursor = None
                await self._ctx.save(turn, record)
                return await self.show_current(turn, record)
            return await self.ask_standard(turn, record, previous)
        if value == NOTE:
            turn.session.step = STEP_NOTE
            turn.session.data = {"assessment": record.id, "standard": standard_id}
            return [self.note_prompt(turn, record, standard_id)]
        if value == CANCEL:
            return await self.ask_standard(turn, record, standard_id)
        return await self.stale(turn)

    def note_prompt(self, turn: Turn, record: AssessmentRecord, standard_id: str) -> Reply:
        """Ask for the note to a standard, with Cancel."""
        text = turn.t("assess.note.prompt", id=standard_id, limit=self._max_note)
        cancel = Button(turn.t("assess.button.cancel"), payload(record, standard_id, CANCEL))
        return Reply(text, buttons=((cancel,),))

    async def take_note(self, turn: Turn, record: AssessmentRecord, text: str) -> list[Reply]:
        """Store the typed note and show the standard again."""
        standard_id = str(turn.session.data.get("standard", ""))
        if record.cursor != standard_id or self._ctx.q(record).standard(standard_id) is None:
            turn.session.step = STEP_BUTTONS
            return await self.show_current(turn, record)
        if len(text) > self._max_note:
            too_long = turn.t("assess.note.too_long", length=len(text), limit=self._max_note)
            return [Reply(too_long), self.note_prompt(turn, record, standard_id)]
        answers = await self._ctx.store.list_answers(record.id)
        existing = answers.get(standard_id)
        answer = existing.answer if existing else None
        await self._ctx.store.save_answer(
            record.id, AnswerRecord(standard_id, answer, text, turn.now)
        )
        saved = Reply(turn.t("assess.note.saved", id=standard_id))
        return [saved] + await self.ask_standard(turn, record, standard_id)

    async def stale(self, turn: Turn) -> list[Reply]:
        """Say a button is no longer active and show the current question."""
        stale = Reply(turn.t("errors.stale_button"))
        record = await self._ctx.current(turn)
        if record is None:
            return [Reply(stale.text, buttons=turn.menu(turn))]
        return [stale] + await self.show_current(turn, record)

    async def resume_if_open(self, turn: Turn, record: AssessmentRecord) -> list[Reply]:
        """The current question when the self-evaluation is in progress."""
        return await self.show_current(turn, record) if record.status == Status.IN_PROGRESS else []

    async def sync_version(self, turn: Turn, record: AssessmentRecord) -> list[Reply]:
        """Adopt a changed questionnaire: keep answers whose standards still exist."""
        q = self._ctx.q(record)
        if record.questionnaire_version == q.version:
            return []
        answers = await self._ctx.store.list_answers(record.id)
        gone = [sid for sid in answers if q.standard(sid) is None]
        await self._ctx.store.delete_answers(record.id, gone)
        old = record.questionnaire_version
        record.questionnaire_version = q.version
        record.baseline = {k: v for k, v in record.baseline.items() if q.standard(k) is not None}
        await self._ctx.save(turn, record)
        text = turn.t(
            "assess.version_changed",
            old=escape(old),
            new=escape(q.version),
            kept=len(answers) - len(gone),
        )
        return [Reply(text)]

    def button_labels(self, turn: Turn) -> list[str]:
        """What the buttons of a self-evaluation question say (answers, phases, Back …)."""
        known = self._labels.get(turn.locale)
        if known is None:
            keys = [f"assess.answer.{code}" for code in ANSWER_CODES]
            keys += ["assess.button.note", "assess.button.back", "assess.button.cancel"]
            keys += [f"assess.reuse.{choice}" for choice in ("all", "profile", "none")]
            known = [turn.t(key) for key in keys]
            known += [p.title.get(turn.locale) for q in self._ctx.qs.values() for p in q.phases]
            self._labels[turn.locale] = known
        return known
