"""The self-evaluation feature: ``/ocena``, ``/postep``, ``/zmien``, ``/raport`` and buttons.

It routes commands, button presses and typed answers to the parts that do the work: the
questionnaire's path (``flow``), the profile's correction (``profile_edit``) and what a
self-evaluation gives back (``results``). Each button payload names the assessment and the
question on screen (the record's ``cursor``); a press that does not match the owner's current
question is stale and gets the current question again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime

from bot.assessment import render
from bot.assessment.context import (
    PHASE,
    REUSE,
    STEP_NOTE,
    STEP_PROFILE,
    Assessments,
)
from bot.assessment.engine import SKIPPED, Problem, next_profile_field, parse_profile_value
from bot.assessment.flow import Flow
from bot.assessment.insights import ESCA_QUESTIONS, Readiness
from bot.assessment.model import ProfileSpec, Questionnaire, Status
from bot.assessment.profile_edit import ProfileEditor
from bot.assessment.render import BACK, CANCEL, EDIT, PREFIX
from bot.assessment.report_data import ReportData
from bot.assessment.results import Results
from bot.assessment.scoring import score
from bot.assessment.visuals import Visuals
from bot.assessment.web_report import wants_web, web_report
from bot.core.events import Action, Button, Command, Reply, Text
from bot.core.feature import FeatureBase, Fit, Handler, Turn
from bot.core.folding import match_label
from bot.core.localized import local_date
from bot.core.markup import escape
from bot.core.ports import AssessmentRecord, AssessmentStore, CollabStore
from bot.core.weblinks import WebLinks

#: What a finished self-evaluation adds after its report (the overview consent question).
AfterFinish = Callable[[Turn], Awaitable[list[Reply]]]


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
        web: WebLinks | None = None,
        after_finish: AfterFinish | None = None,
    ) -> None:
        self._ctx = Assessments(store, questionnaires, profile)
        self._results = Results(self._ctx, readiness, visuals, plans, after_finish)
        self._web = web
        self._flow = Flow(self._ctx, self._results, max_note_chars)
        self._editor = ProfileEditor(self._ctx, self._flow)

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
            "eksport": self._results.export,
            "export": self._results.export,
            "gotowosc": self._results.readiness,
            "readiness": self._results.readiness,
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
                current = await self._ctx.current(turn)
                q = self._ctx.q(current) if current else next(iter(self._ctx.qs.values()))
                return [render.about(turn, q)]
            case ["new"]:
                if await self._ctx.current(turn) is not None:
                    return await self.open(turn)
                return await self._flow.choose_questionnaire(turn)
            case ["start", questionnaire_id] if questionnaire_id in self._ctx.qs:
                if await self._ctx.current(turn) is not None:
                    return await self.open(turn)
                return await self._flow.start(turn, None, self._ctx.qs[questionnaire_id])
        if len(fields) != 3 or not fields[0].isdecimal():
            return await self._flow.stale(turn)
        record = await self._ctx.store.get_assessment(int(fields[0]))
        if record is None or record.owner != turn.user.key:
            return await self._flow.stale(turn)
        cursor, value = fields[1], fields[2]
        if cursor == "menu":
            return await self._record_menu(turn, record, value)
        if cursor == EDIT:
            return await self._editor.edit(turn, record, value)
        if record.status != Status.IN_PROGRESS or record.cursor != cursor:
            return await self._flow.stale(turn)
        notice = await self._flow.sync_version(turn, record)
        if cursor == REUSE:
            return notice + await self._flow.reuse(turn, record, value)
        if cursor == PHASE and value == BACK:
            return notice + await self._flow.back_to_profile(turn, record)
        if cursor == PHASE and value == CANCEL:
            return await self.cancel(turn)
        if cursor == PHASE:
            return notice + await self._flow.choose_phase(turn, record, value)
        if self._ctx.profile.field(cursor) is not None:
            if value == BACK:
                return notice + await self._flow.profile_back(turn, record, cursor)
            if value == CANCEL:
                return await self.cancel(turn)
            return notice + await self._flow.profile_choice(turn, record, cursor, value)
        if self._ctx.q(record).standard(cursor) is not None:
            return notice + await self._flow.standard_action(turn, record, cursor, value)
        return await self._flow.stale(turn)

    async def on_text(self, turn: Turn) -> list[Reply]:
        """Take a typed profile value or note; other text gets a hint and the question.

        A button's label typed ("spelnia", "wstecz", "rozwoju") presses it, on every platform.
        """
        content = turn.incoming.content
        text = content.text if isinstance(content, Text) else ""
        if match_label(text, self._flow.button_labels(turn)) is not None:
            # The label of a button that may be on screen: press the one that is there.
            on_screen = await self.prompt(turn)
            buttons = [b for reply in on_screen for row in reply.buttons for b in row if b.payload]
            pressed = match_label(text, [b.label for b in buttons])
            if pressed is not None:
                return await self.on_action(turn, buttons[pressed].payload.split(":")[1:])
        if turn.session.step == STEP_PROFILE and turn.session.data.get("edit"):
            return await self._editor.take_edit(turn, text)
        record = await self._ctx.current(turn)
        if record is None:
            turn.session.step = None
            return [turn.menu_reply("assess.none")]
        if turn.session.step == STEP_NOTE:
            return await self._flow.take_note(turn, record, text)
        if turn.session.step == STEP_PROFILE and record.cursor == turn.session.data.get("field"):
            return await self._flow.take_profile_text(turn, record, text)
        return [Reply(turn.t("assess.use_buttons")), *await self.prompt(turn)]

    def fit(self, turn: Turn, text: str) -> Fit:
        """A note takes any text; a name any text; a number or a typed label must parse."""
        step = turn.session.step
        if step == STEP_NOTE:
            return Fit.EXACT
        if match_label(text, self._flow.button_labels(turn)) is not None:
            return Fit.EXACT
        if step == STEP_PROFILE:
            field = self._ctx.profile.field(str(turn.session.data.get("field", "")))
            if field is None:
                return Fit.NO
            if field.kind == "text":
                return Fit.FREE
            parsed = parse_profile_value(field, text, turn.now.year)
            return Fit.NO if isinstance(parsed, Problem) else Fit.EXACT
        return Fit.NO

    async def cancel(self, turn: Turn) -> list[Reply]:
        """Leave the waiting step; the self-evaluation stays saved for ``/ocena``."""
        turn.session.step, turn.session.data = None, {}
        record = await self._ctx.current(turn)
        return [turn.menu_reply("assess.cancelled" if record else "flow.cancelled")]

    async def paused(self, turn: Turn) -> Reply | None:
        """After a long break: where the self-evaluation stopped, with Continue and Later."""
        turn.session.step, turn.session.data = None, {}
        record = await self._ctx.current(turn)
        if record is None:
            return None
        text = turn.t("assess.paused", where=await self._ctx.in_progress_text(turn, record))
        return Reply(text, buttons=self._ctx.buttons(turn, record, "continue", "later"))

    async def prompt(self, turn: Turn) -> list[Reply]:
        """Repeat the question on screen (after input the dispatcher refused)."""
        if turn.session.step == STEP_PROFILE and turn.session.data.get("edit"):
            edited = await self._ctx.store.get_assessment(
                int(turn.session.data.get("assessment", 0))
            )
            if edited is not None and edited.owner == turn.user.key:
                return await self._editor.edit(
                    turn, edited, str(turn.session.data.get("field", ""))
                )
        record = await self._ctx.current(turn)
        if record is None:
            return []
        if turn.session.step == STEP_NOTE:
            return [
                self._flow.note_prompt(turn, record, str(turn.session.data.get("standard", "")))
            ]
        return await self._flow.show_current(turn, record)

    async def overview(self, turn: Turn) -> list[Reply]:
        """Summarise the current self-evaluation, or the last result, with a shortcut."""
        record = await self._ctx.current(turn)
        if record is not None:
            text = await self._ctx.in_progress_text(turn, record)
            return [Reply(text, buttons=self._ctx.buttons(turn, record, "continue", "progress"))]
        finished = await self._ctx.latest(turn, Status.COMPLETED)
        if finished is not None and finished.phase is not None:
            result = score(self._ctx.q(finished), finished.phase, await self._ctx.codes(finished))
            verdict = turn.t(f"assess.report.verdict.{result.verdict}")
            text = turn.t("assess.last_result", verdict=verdict, percent=result.percent)
            return [Reply(text, buttons=self._ctx.buttons(turn, finished, "report", "new"))]
        button = Button(turn.t("assess.menu"), f"{PREFIX}:open")
        return [Reply(turn.t("assess.none"), buttons=((button,),))]

    async def abandon_current(self, turn: Turn) -> None:
        """Put the self-evaluation in progress aside (joining a team starts another)."""
        current = await self._ctx.current(turn)
        if current is not None:
            await self._ctx.abandon(turn, current)

    async def open_current(self, turn: Turn) -> list[Reply]:
        """Show the question the user's current assessment is at (empty when none)."""
        record = await self._ctx.current(turn)
        return await self._flow.show_current(turn, record) if record is not None else []

    async def open(self, turn: Turn) -> list[Reply]:
        """Start a self-evaluation, or offer to continue the one in progress."""
        record = await self._ctx.current(turn)
        if record is None:
            finished = await self._ctx.latest(turn, Status.COMPLETED)
            if finished is None:
                return await self._flow.choose_questionnaire(turn)
            # A finished self-evaluation is never replaced without asking.
            when = local_date(turn.t, finished.completed_at or finished.updated_at)
            skipped = SKIPPED in (await self._ctx.codes(finished)).values()
            names = ["report", *(["skipped"] if skipped else []), "review", "new"]
            return [
                Reply(
                    turn.t("assess.finished_offer", date=when),
                    buttons=self._ctx.buttons(turn, finished, *names),
                )
            ]
        text = await self._ctx.in_progress_text(turn, record)
        return [
            Reply(
                text,
                buttons=self._ctx.buttons(turn, record, "continue", "restart", "progress", "about"),
            )
        ]

    async def progress(self, turn: Turn) -> list[Reply]:
        """Show answered and obligatory-unmet standards per area."""
        record = await self._ctx.current(turn) or await self._ctx.latest(turn, Status.COMPLETED)
        if record is None:
            return [turn.menu_reply("assess.none")]
        codes = await self._ctx.codes(record)
        q = self._ctx.q(record)
        result = score(q, record.phase, codes) if record.phase else None
        buttons = (
            self._ctx.buttons(turn, record, "continue", "report")
            if record.status == Status.IN_PROGRESS
            else ()
        )
        reply = render.progress(turn, record, q, result, codes)
        return [Reply(reply.text, buttons=buttons)]

    async def change(self, turn: Turn) -> list[Reply]:
        """Show one standard again so its answer can be changed (reopens a finished one)."""
        record = await self._ctx.current(turn) or await self._ctx.latest(turn, Status.COMPLETED)
        if record is None:
            return [turn.menu_reply("assess.none")]
        wanted = turn.args[0] if turn.args else ""
        if wanted.lower() in ("profil", "profile"):
            return await self._editor.edit(turn, record, "")
        if not wanted:
            return [Reply(turn.t("assess.change.usage"))] + await self._flow.resume_if_open(
                turn, record
            )
        if self._ctx.q(record).standard(wanted) is None:
            text = turn.t("assess.change.unknown", id=escape(wanted[:20]))
            return [Reply(text)] + await self._flow.resume_if_open(turn, record)
        if (
            record.phase is None
            or next_profile_field(self._ctx.profile, record.profile) is not None
        ):
            return [Reply(turn.t("assess.change.not_ready"))] + await self._flow.resume_if_open(
                turn, record
            )
        await self._ctx.reopen(turn, record)
        return await self._flow.ask_standard(turn, record, wanted)

    async def report(self, turn: Turn) -> list[Reply]:
        """Show the verdict and what to do next for the current or last assessment."""
        record = await self._ctx.current(turn)
        if record is None or record.phase is None:
            record = await self._ctx.latest(turn, Status.COMPLETED) or record
        if record is None or record.phase is None:
            return [turn.menu_reply("assess.none")]
        if turn.args and turn.args[0].lower() == "pdf":
            return await self._results.pdf(turn, record)
        if wants_web(turn.args):
            return await web_report(turn, record, self._web, turn.args[1:])
        return await self._results.report_replies(turn, record)

    async def shared_report(self, assessment_id: int, now: datetime) -> ReportData | None:
        """The report data a shared web link shows; ``None`` when it is gone or not begun."""
        record = await self._ctx.store.get_assessment(assessment_id)
        if record is None or record.phase is None or record.status == Status.ABANDONED:
            return None
        return await self._results.data(record, now)

    async def _record_menu(self, turn: Turn, record: AssessmentRecord, choice: str) -> list[Reply]:
        """Handle Continue / Start again / Progress / Report / Answer skipped."""
        current = await self._ctx.current(turn)
        if choice == "restart" and current is not None and current.id == record.id:
            return await self._flow.start(turn, record, self._ctx.q(record))
        if choice == "continue" and current is not None and current.id == record.id:
            return await self._flow.show_current(turn, record)
        if choice == "progress":
            return await self.progress(turn)
        if choice == "later":
            turn.session.step, turn.session.data = None, {}
            return [turn.menu_reply("assess.later")]
        if choice == "review":
            answers = await self._ctx.store.list_answers(record.id)
            review = render.review(turn, record, self._ctx.q(record), answers)
            buttons = self._ctx.buttons(turn, record, "report", "profile")
            return [Reply(review.text, buttons=buttons)]
        if choice == "profile":
            return await self._editor.edit(turn, record, "")
        if choice == "report":
            return await self.report(turn)
        if choice == "pdf" and record.phase is not None:
            return await self._results.pdf(turn, record)
        if choice == "export":
            return await self._results.export(turn)
        if choice == "readiness":
            return await self._results.readiness(turn)
        key, _, value = choice.partition(".")
        if key in ESCA_QUESTIONS and value in ("yes", "no"):
            record.profile[key] = value
            await self._ctx.save(turn, record)
            return await self._results.readiness(turn)
        if (
            choice == "skipped"
            and record.status == Status.COMPLETED
            and (current is None or current.id == record.id)
        ):
            codes = await self._ctx.codes(record)
            first = next((sid for sid, code in codes.items() if code == SKIPPED), None)
            if first is not None:
                await self._ctx.reopen(turn, record)
                ordered = sorted(
                    (sid for sid, c in codes.items() if c == SKIPPED),
                    key=self._ctx.q(record).index.__getitem__,
                )
                return await self._flow.ask_standard(turn, record, ordered[0])
        return await self._flow.stale(turn)
