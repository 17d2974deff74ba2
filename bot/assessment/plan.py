"""The action plan: unmet standards turned into dated steps with a responsible person."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from bot.assessment.engine import NOT_MET, UNKNOWN
from bot.assessment.model import Questionnaire
from bot.core.dates import parse_when
from bot.core.events import Action, Button, Command, Reply, Text, button_label
from bot.core.feature import FeatureBase, Handler, Turn
from bot.core.i18n import Texts
from bot.core.localized import local_date
from bot.core.markup import escape
from bot.core.ports import AssessmentStore, CollabStore
from bot.core.records import ActionItem, Event, Subscription

PREFIX = "p1"
STEP = "plan.add"
MAX_RESPONSIBLE = 100
#: Reminders before a plan step's date: a week and a day.
PLAN_OFFSETS = (7 * 1440, 1440)


class PlanFeature(FeatureBase):
    """``/plan``: list, add and close action-plan steps."""

    name = "plan"
    action_prefix = PREFIX

    def __init__(
        self,
        assessments: AssessmentStore,
        plans: CollabStore,
        questionnaires: Sequence[Questionnaire],
        tz: ZoneInfo,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self._assessments = assessments
        self._plans = plans
        self._qs = {q.id: q for q in questionnaires}
        self._tz = tz
        self._on_change = on_change or (lambda: None)

    def commands(self) -> Mapping[str, Handler]:
        """Return ``/plan``."""
        return {"plan": self.show}

    def menu_buttons(self, turn: Turn) -> Sequence[Button]:
        """The plan is reached from the report and ``/plan``."""
        return ()

    def help_key(self) -> str | None:
        """Return the key of this feature's help section."""
        return "plan.help"

    def is_shared(self, content: Command | Action) -> bool:
        """Personal: answered only in a private chat."""
        return False

    async def overview(self, turn: Turn) -> list[Reply]:
        """Show open steps on a home screen."""
        items = await self._plans.list_actions(turn.user.key)
        return await self.show(turn) if items else []

    async def prompt(self, turn: Turn) -> list[Reply]:
        """Repeat the question of the step being added."""
        return [self._question(turn)]

    def _question(self, turn: Turn) -> Reply:
        sid = str(turn.session.data.get("standard", ""))
        key = "plan.ask_responsible" if "due" in turn.session.data else "plan.ask_due"
        return Reply(turn.t(key, id=sid))

    def _title(self, standard_id: str, locale: str, stored: str) -> str:
        """The standard's title in the reader's language (the stored one if it is gone)."""
        for q in self._qs.values():
            standard = q.standard(standard_id)
            if standard is not None:
                return standard.title.get(locale)
        return stored

    async def show(self, turn: Turn) -> list[Reply]:
        """List the open steps with close buttons, and offer to add one."""
        items = await self._plans.list_actions(turn.user.key)
        today = turn.now.astimezone(self._tz).date()
        lines = [turn.t("plan.title")]
        if not items:
            lines.append(turn.t("plan.empty"))
        rows = []
        for item in items:
            late = turn.t("plan.late") if item.due_on < today else ""
            lines.append(
                turn.t(
                    "plan.item",
                    id=item.standard_id,
                    title=escape(self._title(item.standard_id, turn.locale, item.title)),
                    responsible=escape(item.responsible),
                    due=local_date(turn.t, item.due_on),
                    late=late,
                )
            )
            rows.append(
                (Button(turn.t("plan.close", id=item.standard_id), f"{PREFIX}:done:{item.id}"),)
            )
        rows.append((Button(turn.t("plan.add"), f"{PREFIX}:add"),))
        return [Reply("\n".join(lines), buttons=tuple(rows))]

    async def _latest_with_answers(self, turn: Turn) -> tuple[Questionnaire, int, list[str]] | None:
        for record in await self._assessments.list_assessments(turn.user.key):
            q = self._qs.get(record.questionnaire_id)
            if q is None or record.phase is None:
                continue
            answers = await self._assessments.list_answers(record.id)
            unmet = [
                s.id
                for s in q.standards
                if (a := answers.get(s.id)) and a.answer in (NOT_MET, UNKNOWN)
            ]
            return q, record.id, unmet
        return None

    async def on_action(self, turn: Turn, fields: list[str]) -> list[Reply]:
        """Add (choose a standard) or close a step."""
        match fields:
            case ["show"]:
                return await self.show(turn)
            case ["add"]:
                found = await self._latest_with_answers(turn)
                if found is None or not found[2]:
                    return [Reply(turn.t("plan.nothing"))]
                q, _, unmet = found
                rows = tuple(
                    (
                        Button(
                            button_label(f"{sid} {q.require(sid).title.get(turn.locale)}"),
                            f"{PREFIX}:std:{sid}",
                        ),
                    )
                    for sid in unmet[:20]
                )
                return [Reply(turn.t("plan.choose"), buttons=rows)]
            case ["std", sid]:
                found = await self._latest_with_answers(turn)
                if found is None or sid not in found[2]:
                    return [Reply(turn.t("errors.stale_button")), *await self.show(turn)]
                turn.session.step = STEP
                turn.session.data = {"standard": sid, "assessment": found[1]}
                return [self._question(turn)]
            case ["done", item_id] if item_id.isdecimal():
                items = {i.id: i for i in await self._plans.list_actions(turn.user.key)}
                item = items.get(int(item_id))
                if item is not None and await self._plans.close_action(
                    turn.user.key, item.id, turn.now
                ):
                    self._on_change()
                    return [
                        Reply(turn.t("plan.closed", id=item.standard_id)),
                        *await self.show(turn),
                    ]
        return [Reply(turn.t("errors.stale_button")), *await self.show(turn)]

    async def on_text(self, turn: Turn) -> list[Reply]:
        """Take the due date, then the responsible person."""
        content = turn.incoming.content
        text = content.text.strip() if isinstance(content, Text) else ""
        data = turn.session.data
        sid = str(data.get("standard", ""))
        if "due" not in data:
            today = turn.now.astimezone(self._tz).date()
            parsed = parse_when(text, self._tz, today)
            if parsed is None or parsed[0].date() <= today:
                return [Reply(turn.t("plan.bad_due")), self._question(turn)]
            data["due"] = parsed[0].date().isoformat()
            return [self._question(turn)]
        if not text or len(text) > MAX_RESPONSIBLE:
            return [self._question(turn)]
        found = await self._latest_with_answers(turn)
        if found is None or sid not in found[2]:
            turn.session.step, turn.session.data = None, {}
            return [Reply(turn.t("errors.stale_button")), *await self.show(turn)]
        q = found[0]
        item = ActionItem(
            id=0,
            owner=turn.user.key,
            address=turn.incoming.address,
            assessment_id=int(data.get("assessment", found[1])),
            standard_id=sid,
            title=q.require(sid).title.get(turn.locale),
            responsible=text,
            due_on=datetime.fromisoformat(str(data["due"])).date(),
            created_at=turn.now,
        )
        await self._plans.add_action(item)
        self._on_change()
        turn.session.step, turn.session.data = None, {}
        due = local_date(turn.t, item.due_on)
        return [Reply(turn.t("plan.saved", id=sid, responsible=escape(text), due=due))]


async def plan_events(
    plans: CollabStore, texts: Texts, tz: ZoneInfo
) -> tuple[list[Event], list[Subscription]]:
    """Open plan steps as personal events (09:00 on the due day) with their owners."""
    events: list[Event] = []
    subs: list[Subscription] = []
    for item in await plans.list_actions():
        starts = datetime.combine(item.due_on, time(9, 0), tzinfo=tz).astimezone(UTC)
        event = Event(
            id=f"plan-{item.id}",
            title_pl=texts.get("pl", "plan.event_title", id=item.standard_id, title=item.title),
            title_en=texts.get("en", "plan.event_title", id=item.standard_id, title=item.title),
            starts_at=starts,
            category="action_plan",
            origin="plan",
            date_only=True,
        )
        events.append(event)
        # Offsets that had passed when the step was added send nothing (as for subscriptions).
        subs.append(
            Subscription(
                -item.id, item.owner, item.address, "event", event.id, None, item.created_at
            )
        )
    return events, subs
