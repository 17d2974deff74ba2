"""What a self-evaluation gives back: the report and chart, the PDF, the exports, readiness."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.assessment import render
from bot.assessment.context import Assessments
from bot.assessment.differences import team_differences
from bot.assessment.engine import ANSWER_CODES
from bot.assessment.insights import Readiness
from bot.assessment.model import Status
from bot.assessment.readiness import readiness_reply
from bot.assessment.report_data import ReportData
from bot.assessment.scoring import score
from bot.assessment.visuals import Visuals
from bot.core.events import Document, Image, Reply
from bot.core.feature import Turn
from bot.core.ports import AssessmentRecord, CollabStore


class Results:
    """Reports (text, chart, PDF), exports and the readiness orientation; they never write."""

    def __init__(
        self,
        ctx: Assessments,
        readiness: Readiness | None,
        visuals: Visuals | None,
        plans: CollabStore | None,
        after_finish: Callable[[Turn], Awaitable[list[Reply]]] | None = None,
    ) -> None:
        self._ctx = ctx
        self._readiness = readiness
        self._visuals = visuals
        self._plans = plans  # the action plan's next steps go into the PDF report
        self._after_finish = after_finish

    async def finished(self, turn: Turn, record: AssessmentRecord) -> list[Reply]:
        """The report of a self-evaluation just finished, then what follows it (consent)."""
        replies = await self.report_replies(turn, record)
        if self._after_finish is not None:
            replies += await self._after_finish(turn)
        return replies

    async def report_replies(self, turn: Turn, record: AssessmentRecord) -> list[Reply]:
        """The text report, then the chart as an image."""
        data = await self.report_data(turn, record)
        reply = render.report(turn, record, data.questionnaire, data.score)
        labels = {code: render.answer_label(turn, code) for code in ANSWER_CODES}
        team = await team_differences(turn, self._ctx.store, record, labels)
        text = "\n".join([reply.text, "", *team]) if team else reply.text
        extra = (
            ["pdf", "export", "readiness", "plan"] if self._visuals is not None else ["readiness"]
        )
        if record.status == Status.IN_PROGRESS:
            buttons = self._ctx.buttons(turn, record, "continue", "progress", *extra)
        else:
            names = ["skipped"] if data.score.skipped else []
            names += ["progress", *extra, "profile", "new"]
            buttons = self._ctx.buttons(turn, record, *names)
        replies = [Reply(text, buttons=buttons)]
        if self._visuals is not None:
            png = await asyncio.to_thread(self._visuals.chart, data, turn.locale)
            replies.append(Reply(image=Image(png, turn.t("report.caption"))))
        return replies

    async def report_data(self, turn: Turn, record: AssessmentRecord) -> ReportData:
        """Everything a report shows about one self-evaluation."""
        return await self.data(record, turn.now)

    async def data(self, record: AssessmentRecord, now: datetime) -> ReportData:
        """Everything a report shows about one self-evaluation, made at ``now``.

        The previous result and the action plan are the record's owner's.
        """
        assert record.phase is not None  # noqa: S101 - callers check
        q = self._ctx.q(record)
        answers = await self._ctx.store.list_answers(record.id)
        result = score(q, record.phase, {sid: a.answer for sid, a in answers.items()})
        previous = None
        for other in await self._ctx.store.list_assessments(record.owner):
            if (
                other.id < record.id
                and other.status == Status.COMPLETED
                and other.phase
                and other.questionnaire_id == q.id
            ):
                previous = score(q, other.phase, await self._ctx.codes(other))
                break
        return ReportData(
            questionnaire=q,
            record=record,
            answers=answers,
            score=result,
            previous=previous,
            readiness=self._readiness_rules(),
            generated_at=now,
            profile_spec=self._ctx.profile,
            plan=tuple(await self._plans.list_actions(record.owner)) if self._plans else (),
        )

    def _readiness_rules(self) -> Readiness:
        if self._readiness is None:
            raise RuntimeError("readiness rules were not configured")
        return self._readiness

    async def pdf(self, turn: Turn, record: AssessmentRecord) -> list[Reply]:
        """The PDF report as a document."""
        if self._visuals is None:
            return await self.report_replies(turn, record)
        data = await self.report_data(turn, record)
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
        record = await self._ctx.current(turn) or await self._ctx.latest(turn, Status.COMPLETED)
        if record is None or record.phase is None or self._visuals is None:
            return [turn.menu_reply("assess.none")]
        data = await self.report_data(turn, record)
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
        record = await self._ctx.current(turn) or await self._ctx.latest(turn, Status.COMPLETED)
        if record is None or not record.profile or self._readiness is None:
            return [turn.menu_reply("readiness.none")]
        codes = await self._ctx.codes(record)
        return [readiness_reply(turn, record, self._ctx.q(record), codes, self._readiness)]
