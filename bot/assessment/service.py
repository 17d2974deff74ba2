"""The self-evaluation conversation: start, resume, profile, phase, standards, report.

Every answer is committed before the next question is returned. Each button payload names
the assessment and the question on screen (the record's ``cursor``); a press that does not
match the owner's current question is stale and gets the current question again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from bot.assessment import render
from bot.assessment.differences import team_differences
from bot.assessment.engine import (
    ANSWER_CODES,
    FINAL_ANSWERS,
    SKIPPED,
    Problem,
    next_profile_field,
    next_standard,
    parse_profile_value,
    previous_standard,
)
from bot.assessment.insights import ESCA_QUESTIONS, Readiness
from bot.assessment.model import ProfileSpec, Questionnaire
from bot.assessment.readiness import readiness_reply
from bot.assessment.render import BACK, CANCEL, EDIT, NOTE, PREFIX, payload
from bot.assessment.report_data import ReportData
from bot.assessment.scoring import score
from bot.assessment.visuals import Visuals
from bot.core.events import Action, Button, Command, Document, Image, Reply, Text
from bot.core.feature import FeatureBase, Fit, Handler, Turn, prepend
from bot.core.folding import plain_label
from bot.core.localized import local_date
from bot.core.markup import escape
from bot.core.ports import AnswerRecord, AssessmentRecord, AssessmentStore, CollabStore

STEP_PROFILE = "assess.profile"
STEP_BUTTONS = "assess.buttons"
STEP_NOTE = "assess.note"
PHASE, REUSE = "phase", "reuse"
IN_PROGRESS, COMPLETED, ABANDONED = "in_progress", "completed", "abandoned"


class AssessmentFeature(FeatureBase):
    """``/ocena``, ``/postep``, ``/zmien``, ``/raport`` and the question buttons."""

    name = "assess"
    action_prefix = PREFIX

    def __init__(
        self,
        store: AssessmentStore,
        questionnaires: Sequence[Questionnaire],
        profile: ProfileSpec,
        max_note_chars: int = 1000,
        readiness: Readiness | None = None,
        visuals: Visuals | None = None,
        plans: CollabStore | None = None,
    ) -> None:
        self._store = store
        self._plans = plans  # the action plan's next steps go into the PDF report
        if not questionnaires:
            raise ValueError("at least one questionnaire is needed")
        self._qs = {q.id: q for q in questionnaires}
        self._profile = profile
        self._max_note = max_note_chars
        self._readiness = readiness
        self._visuals = visuals

    # -- the Feature protocol ---------------------------------------------------------------

    def commands(self) -> Mapping[str, Handler]:
        """Return the commands in Polish and English."""
        return {
            "ocena": self.open,
            "assess": self.open,
            "postep": self.progress,
            "progress": self.progress,
            "zmien": self.change,
            "change": self.change,
            "raport": self.report,
            "report": self.report,
            "eksport": self.export,
            "export": self.export,
            "gotowosc": self.readiness,
            "readiness": self.readiness,
        }

    def menu_buttons(self, turn: Turn) -> Sequence[Button]:
        """Offer the self-evaluation in the main menu."""
        return (Button(turn.t("assess.menu"), f"{PREFIX}:open"),)

    def help_key(self) -> str | None:
        """Return the key of the self-evaluation's help section."""
        return "assess.help"

    def is_shared(self, content: Command | Action) -> bool:
        """Personal: answered only in a private chat."""
        return False

    async def on_action(self, turn: Turn, fields: list[str]) -> list[Reply]:
        """Route a button press of the self-evaluation."""
        match fields:
            case ["open"]:
                return await self.open(turn)
            case ["about"]:
                current = await self._current(turn)
                q = self._q(current) if current else next(iter(self._qs.values()))
                return [render.about(turn, q)]
            case ["new"]:
                if await self._current(turn) is not None:
                    return await self.open(turn)
                return await self._choose_questionnaire(turn)
            case ["start", questionnaire_id] if questionnaire_id in self._qs:
                if await self._current(turn) is not None:
                    return await self.open(turn)
                return await self._start(turn, None, self._qs[questionnaire_id])
        if len(fields) != 3 or not fields[0].isdecimal():
            return await self._stale(turn)
        record = await self._store.get_assessment(int(fields[0]))
        if record is None or record.owner != turn.user.key:
            return await self._stale(turn)
        cursor, value = fields[1], fields[2]
        if cursor == "menu":
            return await self._record_menu(turn, record, value)
        if cursor == EDIT:
            return await self._edit(turn, record, value)
        if record.status != IN_PROGRESS or record.cursor != cursor:
            return await self._stale(turn)
        notice = await self._sync_version(turn, record)
        if cursor == REUSE:
            return notice + await self._reuse(turn, record, value)
        if cursor == PHASE:
            return notice + await self._choose_phase(turn, record, value)
        if self._profile.field(cursor) is not None:
            if value == BACK:
                return notice + await self._profile_back(turn, record, cursor)
            if value == CANCEL:
                return await self.cancel(turn)
            return notice + await self._profile_choice(turn, record, cursor, value)
        if self._q(record).standard(cursor) is not None:
            return notice + await self._standard_action(turn, record, cursor, value)
        return await self._stale(turn)

    async def on_text(self, turn: Turn) -> list[Reply]:
        """Take a typed profile value or note; other text gets a hint and the question."""
        content = turn.incoming.content
        text = content.text if isinstance(content, Text) else ""
        if turn.session.step == STEP_PROFILE and turn.session.data.get("edit"):
            return await self._take_edit(turn, text)
        record = await self._current(turn)
        if record is None:
            turn.session.step = None
            return [turn.menu_reply("assess.none")]
        if turn.session.step == STEP_NOTE:
            return await self._take_note(turn, record, text)
        if turn.session.step == STEP_PROFILE and record.cursor == turn.session.data.get("field"):
            return await self._take_profile_text(turn, record, text)
        on_screen = await self._show_current(turn, record)
        typed = plain_label(text)
        for reply in on_screen:
            for row in reply.buttons:
                for button in row:
                    if typed and plain_label(button.label) == typed and button.payload:
                        # A button's label typed ("spelnia") presses it, on every platform.
                        return await self.on_action(turn, button.payload.split(":")[1:])
        return [Reply(turn.t("assess.use_buttons")), *on_screen]

    def fit(self, turn: Turn, text: str) -> Fit:
        """A note takes any text; a name any text; a number or a typed label must parse."""
        step = turn.session.step
        if step == STEP_NOTE:
            return Fit.EXACT
        if step == STEP_PROFILE:
            field = self._profile.field(str(turn.session.data.get("field", "")))
            if field is None:
                return Fit.NO
            if field.kind == "text":
                return Fit.FREE
            parsed = parse_profile_value(field, text, turn.now.year)
            return Fit.NO if isinstance(parsed, Problem) else Fit.EXACT
        return Fit.EXACT if plain_label(text) in self._button_labels(turn) else Fit.NO

    def _button_labels(self, turn: Turn) -> frozenset[str]:
        """What a button of a self-evaluation question says, as one would type it."""
        keys = [f"assess.answer.{code}" for code in ANSWER_CODES]
        keys += ["assess.button.note", "assess.button.back", "assess.button.cancel"]
        keys += [f"assess.reuse.{choice}" for choice in ("all", "profile", "none")]
        labels = [turn.t(key) for key in keys]
        labels += [p.title.get(turn.locale) for q in self._qs.values() for p in q.phases]
        return frozenset(plain_label(label) for label in labels)

    async def cancel(self, turn: Turn) -> list[Reply]:
        """Leave the waiting step; the self-evaluation stays saved for ``/ocena``."""
        turn.session.step, turn.session.data = None, {}
        record = await self._current(turn)
        return [turn.menu_reply("assess.cancelled" if record else "flow.cancelled")]

    async def paused(self, turn: Turn) -> Reply | None:
        """After a long break: where the self-evaluation stopped, with Continue and Later."""
        turn.session.step, turn.session.data = None, {}
        record = await self._current(turn)
        if record is None:
            return None
        text = turn.t("assess.paused", where=await self._in_progress_text(turn, record))
        return Reply(text, buttons=self._record_buttons(turn, record, "continue", "later"))

    async def prompt(self, turn: Turn) -> list[Reply]:
        """Repeat the question on screen (after input the dispatcher refused)."""
        if turn.session.step == STEP_PROFILE and turn.session.data.get("edit"):
            edited = await self._store.get_assessment(int(turn.session.data.get("assessment", 0)))
            if edited is not None and edited.owner == turn.user.key:
                return await self._edit(turn, edited, str(turn.session.data.get("field", "")))
        record = await self._current(turn)
        if record is None:
            return []
        if turn.session.step == STEP_NOTE:
            return [self._note_prompt(turn, record, str(turn.session.data.get("standard", "")))]
        return await self._show_current(turn, record)

    async def overview(self, turn: Turn) -> list[Reply]:
        """Summarise the current self-evaluation, or the last result, with a shortcut."""
        record = await self._current(turn)
        if record is not None:
            text = await self._in_progress_text(turn, record)
            return [Reply(text, buttons=self._record_buttons(turn, record, "continue", "progress"))]
        finished = await self._latest(turn, COMPLETED)
        if finished is not None and finished.phase is not None:
            result = score(self._q(finished), finished.phase, await self._codes(finished))
            verdict = turn.t(f"assess.report.verdict.{result.verdict}")
            text = turn.t("assess.last_result", verdict=verdict, percent=result.percent)
            return [Reply(text, buttons=self._record_buttons(turn, finished, "report", "new"))]
        button = Button(turn.t("assess.menu"), f"{PREFIX}:open")
        return [Reply(turn.t("assess.none"), buttons=((button,),))]

    async def _in_progress_text(self, turn: Turn, record: AssessmentRecord) -> str:
        """Say that a self-evaluation is in progress, and how far it got."""
        codes = await self._codes(record)
        name = record.profile.get("name")
        return turn.t(
            "assess.in_progress",
            name=f" ({escape(str(name))})" if name else "",
            answered=sum(1 for code in codes.values() if code in FINAL_ANSWERS),
            total=len(self._q(record).standards),
        )

    async def open_current(self, turn: Turn) -> list[Reply]:
        """Show the question the user's current assessment is at (empty when none)."""
        record = await self._current(turn)
        return await self._show_current(turn, record) if record is not None else []

    # -- commands ---------------------------------------------------------------------------

    async def open(self, turn: Turn) -> list[Reply]:
        """Start a self-evaluation, or offer to continue the one in progress."""
        record = await self._current(turn)
        if record is None:
            finished = await self._latest(turn, COMPLETED)
            if finished is None:
                return await self._choose_questionnaire(turn)
            # A finished self-evaluation is never replaced without asking.
            when = local_date(turn.t, finished.completed_at or finished.updated_at)
            return [
                Reply(
                    turn.t("assess.finished_offer", date=when),
                    buttons=self._record_buttons(turn, finished, "report", "review", "new"),
                )
            ]
        text = await self._in_progress_text(turn, record)
        return [
            Reply(
                text,
                buttons=self._record_buttons(
                    turn, record, "continue", "restart", "progress", "about"
                ),
            )
        ]

    async def progress(self, turn: Turn) -> list[Reply]:
        """Show answered and obligatory-unmet standards per area."""
        record = await self._current(turn) or await self._latest(turn, COMPLETED)
        if record is None:
            return [turn.menu_reply("assess.none")]
        codes = await self._codes(record)
        q = self._q(record)
        result = score(q, record.phase, codes) if record.phase else None
        buttons = (
            self._record_buttons(turn, record, "continue", "report")
            if record.status == IN_PROGRESS
            else ()
        )
        reply = render.progress(turn, record, q, result, codes)
        return [Reply(reply.text, buttons=buttons)]

    async def change(self, turn: Turn) -> list[Reply]:
        """Show one standard again so its answer can be changed (reopens a finished one)."""
        record = await self._current(turn) or await self._latest(turn, COMPLETED)
        if record is None:
            return [turn.menu_reply("assess.none")]
        wanted = turn.args[0] if turn.args else ""
        if wanted.lower() in ("profil", "profile"):
            return await self._edit(turn, record, "")
        if not wanted:
            return [Reply(turn.t("assess.change.usage"))] + await self._resume_if_open(turn, record)
        if self._q(record).standard(wanted) is None:
            text = turn.t("assess.change.unknown", id=escape(wanted[:20]))
            return [Reply(text)] + await self._resume_if_open(turn, record)
        if record.phase is None or next_profile_field(self._profile, record.profile) is not None:
            return [Reply(turn.t("assess.change.not_ready"))] + await self._resume_if_open(
                turn, record
            )
        await self._reopen(turn, record)
        return await self._ask_standard(turn, record, wanted)

    async def report(self, turn: Turn) -> list[Reply]:
        """Show the verdict and what to do next for the current or last assessment."""
        record = await self._current(turn)
        if record is None or record.phase is None:
            record = await self._latest(turn, COMPLETED) or record
        if record is None or record.phase is None:
            return [turn.menu_reply("assess.none")]
        if turn.args and turn.args[0].lower() == "pdf":
            return await self._pdf(turn, record)
        return await self._report_replies(turn, record)

    # -- flow -------------------------------------------------------------------------------

    async def _choose_questionnaire(self, turn: Turn) -> list[Reply]:
        if len(self._qs) == 1:
            return await self._start(turn, None, next(iter(self._qs.values())))
        buttons = tuple(
            (Button(q.title.get(turn.locale), f"{PREFIX}:start:{q.id}"),) for q in self._qs.values()
        )
        return [Reply(turn.t("assess.choose"), buttons=buttons)]

    async def _start(
        self, turn: Turn, abandon: AssessmentRecord | None, q: Questionnaire
    ) -> list[Reply]:
        if abandon is not None:
            abandon.status = ABANDONED
            abandon.cursor = None
            abandon.updated_at = turn.now
            await self._store.update_assessment(abandon)
        history = await self._store.list_assessments(turn.user.key)
        previous = next(
            (
                r
                for r in history
                if r.status != IN_PROGRESS and next_profile_field(self._profile, r.profile) is None
            ),
            None,
        )
        record = await self._store.create_assessment(turn.user.key, q.id, q.version, turn.now)
        replies = [render.intro(turn, q)]
        if previous is None:
            return replies + await self._show_current(turn, record)
        record.baseline = {
            sid: a.answer
            for sid, a in (await self._store.list_answers(previous.id)).items()
            if a.answer in ANSWER_CODES and q.standard(sid) is not None
        }
        record.profile = dict(previous.profile)
        record.cursor = REUSE
        await self._save(turn, record)
        return replies + await self._show_current(turn, record)

    async def _reuse(self, turn: Turn, record: AssessmentRecord, choice: str) -> list[Reply]:
        if choice not in ("all", "profile", "none") or (choice == "all" and not record.baseline):
            return await self._stale(turn)
        if choice != "all":
            record.baseline = {}
        if choice == "none":
            record.profile = {}
        record.cursor = None
        await self._save(turn, record)
        return await self._show_current(turn, record)

    async def _record_menu(self, turn: Turn, record: AssessmentRecord, choice: str) -> list[Reply]:
        """Handle Continue / Start again / Progress / Report / Answer skipped."""
        current = await self._current(turn)
        if choice == "restart" and current is not None and current.id == record.id:
            return await self._start(turn, record, self._q(record))
        if choice == "continue" and current is not None and current.id == record.id:
            return await self._show_current(turn, record)
        if choice == "progress":
            return await self.progress(turn)
        if choice == "later":
            turn.session.step, turn.session.data = None, {}
            return [turn.menu_reply("assess.later")]
        if choice == "review":
            answers = await self._store.list_answers(record.id)
            review = render.review(turn, record, self._q(record), answers)
            buttons = self._record_buttons(turn, record, "report", "profile")
            return [Reply(review.text, buttons=buttons)]
        if choice == "profile":
            return await self._edit(turn, record, "")
        if choice == "report":
            return await self.report(turn)
        if choice == "pdf" and record.phase is not None:
            return await self._pdf(turn, record)
        if choice == "export":
            return await self.export(turn)
        if choice == "readiness":
            return await self.readiness(turn)
        key, _, value = choice.partition(".")
        if key in ESCA_QUESTIONS and value in ("yes", "no"):
            record.profile[key] = value
            await self._save(turn, record)
            return await self.readiness(turn)
        if (
            choice == "skipped"
            and record.status == COMPLETED
            and (current is None or current.id == record.id)
        ):
            codes = await self._codes(record)
            first = next((sid for sid, code in codes.items() if code == SKIPPED), None)
            if first is not None:
                await self._reopen(turn, record)
                ordered = sorted(
                    (sid for sid, c in codes.items() if c == SKIPPED),
                    key=self._q(record).index.__getitem__,
                )
                return await self._ask_standard(turn, record, ordered[0])
        return await self._stale(turn)

    async def _show_current(self, turn: Turn, record: AssessmentRecord) -> list[Reply]:
        """Ask whatever the assessment needs next and remember it as the cursor."""
        if record.cursor == REUSE:
            turn.session.step, turn.session.data = STEP_BUTTONS, {"assessment": record.id}
            return [render.reuse_question(turn, record)]
        # The cursor on an answered field: the user went back to it (Wstecz).
        field = self._profile.field(record.cursor or "") or next_profile_field(
            self._profile, record.profile
        )
        if field is not None:
            record.cursor = field.id
            await self._save(turn, record)
            # Choice fields wait for text too: a typed option label is accepted.
            turn.session.step = STEP_PROFILE
            turn.session.data = {"assessment": record.id, "field": field.id}
            position = self._profile.fields.index(field) + 1
            return [
                render.profile_question(
                    turn, record, field, position, len(self._profile.fields), flow=True
                )
            ]
        if record.phase is None:
            record.cursor = PHASE
            await self._save(turn, record)
            turn.session.step, turn.session.data = STEP_BUTTONS, {"assessment": record.id}
            return [render.phase_question(turn, record, self._q(record))]
        if record.cursor is not None and self._q(record).standard(record.cursor) is not None:
            return await self._ask_standard(turn, record, record.cursor)
        return await self._advance(turn, record)

    async def _advance(
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
            answers = await self._store.list_answers(record.id)
        codes = {sid: a.answer for sid, a in answers.items()}
        nxt = next_standard(self._q(record), codes, after=after)
        if nxt is None:
            return await self._complete(turn, record, answered)
        return await self._ask_standard(turn, record, nxt, answers, answered)

    async def _ask_standard(
        self,
        turn: Turn,
        record: AssessmentRecord,
        standard_id: str,
        answers: dict[str, AnswerRecord] | None = None,
        answered: AnswerRecord | None = None,
    ) -> list[Reply]:
        record.cursor = standard_id
        await self._save(turn, record, answered)
        turn.session.step, turn.session.data = STEP_BUTTONS, {"assessment": record.id}
        if answers is None:
            answers = await self._store.list_answers(record.id)
        return [render.standard_question(turn, record, self._q(record), standard_id, answers)]

    async def _complete(
        self, turn: Turn, record: AssessmentRecord, answered: AnswerRecord | None = None
    ) -> list[Reply]:
        record.status = COMPLETED
        record.cursor = None
        record.completed_at = turn.now
        await self._save(turn, record, answered)
        turn.session.step, turn.session.data = None, {}
        return await self._report_replies(turn, record)

    async def _report_replies(self, turn: Turn, record: AssessmentRecord) -> list[Reply]:
        """The text report, then the chart as an image."""
        data = await self._report_data(turn, record)
        reply = render.report(turn, record, data.questionnaire, data.score)
        labels = {code: render.answer_label(turn, code) for code in ANSWER_CODES}
        team = await team_differences(turn, self._store, record, labels)
        text = "\n".join([reply.text, "", *team]) if team else reply.text
        extra = (
            ["pdf", "export", "readiness", "plan"] if self._visuals is not None else ["readiness"]
        )
        if record.status == IN_PROGRESS:
            buttons = self._record_buttons(turn, record, "continue", "progress", *extra)
        else:
            names = ["skipped"] if data.score.skipped else []
            names += ["progress", *extra, "profile", "new"]
            buttons = self._record_buttons(turn, record, *names)
        replies = [Reply(text, buttons=buttons)]
        if self._visuals is not None:
            png = await asyncio.to_thread(self._visuals.chart, data, turn.locale)
            replies.append(Reply(image=Image(png, turn.t("report.caption"))))
        return replies

    async def _report_data(self, turn: Turn, record: AssessmentRecord) -> ReportData:
        assert record.phase is not None  # noqa: S101 - callers check
        q = self._q(record)
        answers = await self._store.list_answers(record.id)
        result = score(q, record.phase, {sid: a.answer for sid, a in answers.items()})
        previous = None
        for other in await self._store.list_assessments(turn.user.key):
            if (
                other.id < record.id
                and other.status == COMPLETED
                and other.phase
                and other.questionnaire_id == q.id
            ):
                previous = score(q, other.phase, await self._codes(other))
                break
        return ReportData(
            questionnaire=q,
            record=record,
            answers=answers,
            score=result,
            previous=previous,
            readiness=self._readiness_rules(),
            generated_at=turn.now,
            profile_spec=self._profile,
            plan=tuple(await self._plans.list_actions(turn.user.key)) if self._plans else (),
        )

    def _readiness_rules(self) -> Readiness:
        if self._readiness is None:
            raise RuntimeError("readiness rules were not configured")
        return self._readiness

    async def _pdf(self, turn: Turn, record: AssessmentRecord) -> list[Reply]:
        if self._visuals is None:
            return await self._report_replies(turn, record)
        data = await self._report_data(turn, record)
        visuals = self._visuals

        def build() -> bytes:
            return visuals.pdf(data, turn.locale)

        pdf = await asyncio.to_thread(build)
        name = (
            f"raport-samooceny-{record.id}.pdf"
            if turn.locale == "pl"
            else f"self-evaluation-{record.id}.pdf"
        )
        return [
            Reply(turn.t("report.pdf_caption"), document=Document(name, pdf, "application/pdf"))
        ]

    async def export(self, turn: Turn) -> list[Reply]:
        """Send the answers of the current or last assessment as CSV, XLSX and JSON files."""
        record = await self._current(turn) or await self._latest(turn, COMPLETED)
        if record is None or record.phase is None or self._visuals is None:
            return [turn.menu_reply("assess.none")]
        data = await self._report_data(turn, record)
        visuals = self._visuals
        stem = f"samoocena-{record.id}" if turn.locale == "pl" else f"self-evaluation-{record.id}"
        table, book = await asyncio.to_thread(
            lambda: (visuals.csv(data, turn.locale), visuals.xlsx(data, turn.locale))
        )
        return [
            Reply(
                turn.t("report.export_caption"),
                document=Document(f"{stem}.csv", table, "text/csv"),
            ),
            Reply(
                document=Document(
                    f"{stem}.xlsx",
                    book,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
            ),
            Reply(document=Document(f"{stem}.json", visuals.json(data), "application/json")),
        ]

    async def readiness(self, turn: Turn) -> list[Reply]:
        """Orientation on KKK and ESCA Bronze readiness, asking the missing ESCA facts."""
        record = await self._current(turn) or await self._latest(turn, COMPLETED)
        if record is None or not record.profile or self._readiness is None:
            return [turn.menu_reply("readiness.none")]
        codes = await self._codes(record)
        return [readiness_reply(turn, record, self._q(record), codes, self._readiness)]

    async def _choose_phase(
        self, turn: Turn, record: AssessmentRecord, phase_id: str
    ) -> list[Reply]:
        phase = self._q(record).phase(phase_id)
        if phase is None:
            return await self._stale(turn)
        record.phase = phase.id
        record.cursor = None
        await self._save(turn, record)
        chosen = Reply(turn.t("assess.phase.chosen", in_phase=phase.in_phase.get(turn.locale)))
        return [chosen] + await self._show_current(turn, record)

    async def _profile_choice(
        self, turn: Turn, record: AssessmentRecord, field_id: str, option_id: str
    ) -> list[Reply]:
        field = self._profile.field(field_id)
        if field is None or field.option(option_id) is None:
            return await self._stale(turn)
        return await self._store_profile_value(turn, record, field_id, option_id)

    async def _take_profile_text(
        self, turn: Turn, record: AssessmentRecord, text: str
    ) -> list[Reply]:
        field = self._profile.field(str(record.cursor))
        if field is None:
            return await self._show_current(turn, record)
        value = parse_profile_value(field, text, turn.now.year)
        if isinstance(value, Problem):
            problem = Reply(turn.t(value.key, **dict(value.params)))
            return [problem] + await self._show_current(turn, record)
        return await self._store_profile_value(turn, record, field.id, value)

    async def _store_profile_value(
        self, turn: Turn, record: AssessmentRecord, field_id: str, value: str | int
    ) -> list[Reply]:
        record.profile[field_id] = value
        record.cursor = None
        await self._save(turn, record)
        # What was stored is said back, so a slip ("ok 40" as a name) is seen at once.
        lines = [render.profile_saved(turn, self._profile, field_id, value)]
        if next_profile_field(self._profile, record.profile) is None:
            lines.append(turn.t("assess.profile.done"))
        return prepend("\n".join(lines), await self._show_current(turn, record))

    async def _profile_back(
        self, turn: Turn, record: AssessmentRecord, field_id: str
    ) -> list[Reply]:
        """Ask the profile question before ``field_id`` again (its answer is kept until then)."""
        position = [f.id for f in self._profile.fields].index(field_id)
        if position > 0:
            record.cursor = self._profile.fields[position - 1].id
        return await self._show_current(turn, record)

    async def _edit(self, turn: Turn, record: AssessmentRecord, value: str) -> list[Reply]:
        """Correct the profile of a started or finished self-evaluation (``/zmien profil``).

        ``value`` is empty (the list of fields), a field id (its question), ``field=option``
        (a chosen option), ``phase`` or ``phase=<id>``.
        """
        if record.status not in (IN_PROGRESS, COMPLETED):
            return await self._stale(turn)
        name, _, option = value.partition("=")
        q = self._q(record)
        if name == PHASE:
            if option and q.phase(option) is not None:
                record.phase = option
                await self._save(turn, record)
                saved = turn.t("assess.edit.saved", field=turn.t("assess.edit.phase"))
                return prepend(saved, self._edit_menu(turn, record))
            return [render.phase_question(turn, record, q, cursor=EDIT)]
        field = self._profile.field(name)
        if field is None:
            turn.session.step, turn.session.data = None, {}
            return self._edit_menu(turn, record)
        if option:
            if field.option(option) is None:
                return await self._stale(turn)
            record.profile[field.id] = option
            await self._save(turn, record)
            turn.session.step, turn.session.data = None, {}
            saved = render.profile_saved(turn, self._profile, field.id, option)
            return prepend(saved, self._edit_menu(turn, record))
        turn.session.step = STEP_PROFILE
        turn.session.data = {"assessment": record.id, "field": field.id, "edit": True}
        return [render.profile_question(turn, record, field, 0, 0, flow=False)]

    async def _take_edit(self, turn: Turn, text: str) -> list[Reply]:
        """A typed value for the profile field being corrected."""
        record = await self._store.get_assessment(int(turn.session.data.get("assessment", 0)))
        field = self._profile.field(str(turn.session.data.get("field", "")))
        if record is None or record.owner != turn.user.key or field is None:
            turn.session.step, turn.session.data = None, {}
            return [turn.menu_reply("errors.stale_button")]
        value = parse_profile_value(field, text, turn.now.year)
        if isinstance(value, Problem):
            problem = turn.t(value.key, **dict(value.params))
            return prepend(problem, await self._edit(turn, record, field.id))
        record.profile[field.id] = value
        await self._save(turn, record)
        turn.session.step, turn.session.data = None, {}
        saved = render.profile_saved(turn, self._profile, field.id, value)
        return prepend(saved, self._edit_menu(turn, record))

    def _edit_menu(self, turn: Turn, record: AssessmentRecord) -> list[Reply]:
        """The profile as it is, a button per field to correct it, and the way back."""
        done = "continue" if record.status == IN_PROGRESS else "report"
        text = render.profile_summary(turn, record, self._profile, self._q(record))
        buttons = [
            Button(turn.t(f"report.profile.{f.id}"), payload(record, EDIT, f.id))
            for f in self._profile.fields
        ]
        buttons.append(Button(turn.t("assess.edit.phase"), payload(record, EDIT, PHASE)))
        rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
        rows += self._record_buttons(turn, record, done)
        return [Reply(text, buttons=tuple(rows))]

    async def _standard_action(
        self, turn: Turn, record: AssessmentRecord, standard_id: str, value: str
    ) -> list[Reply]:
        answers = await self._store.list_answers(record.id)
        existing = answers.get(standard_id)
        note = existing.note if existing else ""
        if value in ANSWER_CODES:
            # Stored together with the move to the next question (one transaction).
            answer = AnswerRecord(standard_id, value, note, turn.now)
            answers[standard_id] = answer
            if value == SKIPPED:
                saved = Reply(turn.t("assess.standard.skipped", id=standard_id))
            else:
                label = render.answer_label(turn, value)
                saved = Reply(turn.t("assess.standard.saved", id=standard_id, answer=label))
            after = standard_id if value == SKIPPED else None
            following = await self._advance(turn, record, after, answers, answer)
            return prepend(saved.text, following)
        if value == BACK:
            previous = previous_standard(self._q(record), standard_id)
            if previous is None:
                record.phase = None
                record.cursor = None
                await self._save(turn, record)
                return await self._show_current(turn, record)
            return await self._ask_standard(turn, record, previous)
        if value == NOTE:
            turn.session.step = STEP_NOTE
            turn.session.data = {"assessment": record.id, "standard": standard_id}
            return [self._note_prompt(turn, record, standard_id)]
        if value == CANCEL:
            return await self._ask_standard(turn, record, standard_id)
        return await self._stale(turn)

    def _note_prompt(self, turn: Turn, record: AssessmentRecord, standard_id: str) -> Reply:
        text = turn.t("assess.note.prompt", id=standard_id, limit=self._max_note)
        cancel = Button(turn.t("assess.button.cancel"), payload(record, standard_id, CANCEL))
        return Reply(text, buttons=((cancel,),))

    async def _take_note(self, turn: Turn, record: AssessmentRecord, text: str) -> list[Reply]:
        standard_id = str(turn.session.data.get("standard", ""))
        if record.cursor != standard_id or self._q(record).standard(standard_id) is None:
            turn.session.step = STEP_BUTTONS
            return await self._show_current(turn, record)
        if len(text) > self._max_note:
            too_long = turn.t("assess.note.too_long", length=len(text), limit=self._max_note)
            return [Reply(too_long), self._note_prompt(turn, record, standard_id)]
        answers = await self._store.list_answers(record.id)
        existing = answers.get(standard_id)
        answer = existing.answer if existing else None
        await self._store.save_answer(record.id, AnswerRecord(standard_id, answer, text, turn.now))
        saved = Reply(turn.t("assess.note.saved", id=standard_id))
        return [saved] + await self._ask_standard(turn, record, standard_id)

    async def _stale(self, turn: Turn) -> list[Reply]:
        stale = Reply(turn.t("errors.stale_button"))
        record = await self._current(turn)
        if record is None:
            return [Reply(stale.text, buttons=turn.menu(turn))]
        return [stale] + await self._show_current(turn, record)

    async def _resume_if_open(self, turn: Turn, record: AssessmentRecord) -> list[Reply]:
        return await self._show_current(turn, record) if record.status == IN_PROGRESS else []

    # -- helpers ----------------------------------------------------------------------------

    async def _current(self, turn: Turn) -> AssessmentRecord | None:
        for record in await self._store.list_assessments(turn.user.key):
            if record.status == IN_PROGRESS and record.questionnaire_id in self._qs:
                return record
        return None

    async def _latest(self, turn: Turn, status: str) -> AssessmentRecord | None:
        for record in await self._store.list_assessments(turn.user.key):
            if record.status == status and record.questionnaire_id in self._qs:
                return record
        return None

    async def _reopen(self, turn: Turn, record: AssessmentRecord) -> None:
        if record.status == IN_PROGRESS:
            return
        current = await self._current(turn)
        if current is not None and current.id != record.id:
            current.status = ABANDONED
            current.cursor = None
            await self._save(turn, current)
        record.status = IN_PROGRESS
        record.completed_at = None

    def _q(self, record: AssessmentRecord) -> Questionnaire:
        return self._qs[record.questionnaire_id]

    async def _codes(self, record: AssessmentRecord) -> dict[str, str | None]:
        return {sid: a.answer for sid, a in (await self._store.list_answers(record.id)).items()}

    async def _save(
        self, turn: Turn, record: AssessmentRecord, answered: AnswerRecord | None = None
    ) -> None:
        record.updated_at = turn.now
        if answered is None:
            await self._store.update_assessment(record)
        else:
            await self._store.record_answer(record, answered)

    async def _sync_version(self, turn: Turn, record: AssessmentRecord) -> list[Reply]:
        """Adopt a changed questionnaire: keep answers whose standards still exist."""
        q = self._q(record)
        if record.questionnaire_version == q.version:
            return []
        answers = await self._store.list_answers(record.id)
        gone = [sid for sid in answers if q.standard(sid) is None]
        await self._store.delete_answers(record.id, gone)
        old = record.questionnaire_version
        record.questionnaire_version = q.version
        record.baseline = {k: v for k, v in record.baseline.items() if q.standard(k) is not None}
        await self._save(turn, record)
        text = turn.t(
            "assess.version_changed",
            old=escape(old),
            new=escape(q.version),
            kept=len(answers) - len(gone),
        )
        return [Reply(text)]

    def _record_buttons(
        self, turn: Turn, record: AssessmentRecord, *names: str
    ) -> tuple[tuple[Button, ...], ...]:
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
