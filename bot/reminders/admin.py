"""The administrators' guided flows: add, change, cancel and import events; announcements.

One question at a time, in the order :mod:`bot.reminders.admin_steps` gives, every answer
validated; where the administrator is lives in the conversation session (step
``remind.admin``). Anyone not in ``CLUSTERBOT_ADMINS`` gets a polite refusal.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import replace

from bot.core.events import FileUpload, Reply, Text
from bot.core.feature import Turn
from bot.core.i18n import Texts
from bot.core.markup import escape
from bot.core.ports import EventStore
from bot.core.records import Event, Subscription
from bot.reminders import admin_questions as ask
from bot.reminders import render
from bot.reminders.admin_steps import (
    EDITABLE,
    PLANS,
    TYPED,
    Flow,
    Progress,
    Reading,
    Step,
    after,
    changed,
    new_event,
    read,
)
from bot.reminders.announce import Announcer
from bot.reminders.audience import Audience, Notifier
from bot.reminders.catalog import EventCatalog
from bot.reminders.importing import read_calendar
from bot.reminders.model import CATEGORIES, REGIONS
from bot.reminders.render import cancelled_notice, moved_notice
from bot.reminders.settings import ReminderSettings

STEP = "remind.admin"


class EventAdmin:
    """Add / change / cancel / import / announce, as chat flows, for the administrators."""

    def __init__(
        self,
        catalog: EventCatalog,
        store: EventStore,
        settings: ReminderSettings,
        texts: Texts,
        notifier: Notifier,
        audience: Audience,
        announcer: Announcer | None,
        on_change: Callable[[], None],
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.settings = settings
        self.texts = texts
        self.notifier = notifier
        self.audience = audience
        self.announcer = announcer
        self.on_change = on_change

    def is_admin(self, turn: Turn) -> bool:
        """Whether the account that wrote is listed in ``CLUSTERBOT_ADMINS``.

        The raw platform account (with its Slack workspace), never the account it is linked
        to: a link shares a person's data, not an administrator's rights.
        """
        return turn.incoming.address.user_key.account in self.settings.admins

    async def menu(self, turn: Turn) -> list[Reply]:
        """Show the admin menu, or refuse."""
        if not self.is_admin(turn):
            return [turn.menu_reply("reminders.admin.refused")]
        return [ask.menu(turn)]

    async def prompt(self, turn: Turn) -> list[Reply]:
        """Ask the current step's question again."""
        progress = self._progress(turn)
        question = await self._question(turn, progress) if progress else None
        if question is None:
            return await self._gone(turn)
        return [question]

    # -- the session --------------------------------------------------------------------------

    def _progress(self, turn: Turn) -> Progress | None:
        return Progress.load(turn.session.data) if turn.session.step == STEP else None

    def _keep(self, turn: Turn, progress: Progress) -> None:
        turn.session.step, turn.session.data = STEP, progress.dump()

    def _end(self, turn: Turn) -> None:
        turn.session.step, turn.session.data = None, {}

    async def _gone(self, turn: Turn) -> list[Reply]:
        """What the flow was about is gone (or the session is from older code): start over."""
        self._end(turn)
        return [Reply(turn.t("errors.stale_button")), *await self.menu(turn)]

    # -- questions ----------------------------------------------------------------------------

    async def _question(self, turn: Turn, progress: Progress) -> Reply | None:
        """The question of the current step; ``None`` when there is nothing left to ask about."""
        tz = self.settings.tz
        match progress.step:
            case Step.CATEGORY:
                return ask.category(turn)
            case Step.REGION:
                return ask.region(turn)
            case Step.CONFIRM:
                return ask.summary(turn, progress.answers, tz)
            case Step.EVENT:
                return ask.events(turn, progress.flow, await self.catalog.events(), turn.now)
            case Step.FIELD:
                return ask.fields(turn)
            case Step.SURE if progress.flow is Flow.CANCEL:
                event = await self.catalog.get(progress.event or "")
                return ask.sure_to_cancel(turn, event) if event else None
            case Step.SURE:
                count = len(await self._listeners(turn, progress))
                return ask.sure_to_send(turn, count, str(progress.answers.get("text", "")))
            case Step.FILE:
                return ask.calendar_file(turn)
        return ask.typed(turn, progress.step, tz)

    # -- buttons ------------------------------------------------------------------------------

    async def on_action(self, turn: Turn, fields: list[str]) -> list[Reply]:
        """Route the admin buttons (refusing non-admins)."""
        if not self.is_admin(turn):
            return [turn.menu_reply("reminders.admin.refused")]
        match fields:
            case [name] if name in {f.value for f in Flow}:
                return await self._begin(turn, Flow(name))
            case ["abort"]:
                self._end(turn)
                return [Reply(turn.t("reminders.admin.aborted"))]
        progress = self._progress(turn)
        if progress is not None and await self._take_press(progress, fields):
            return await self._next(turn, progress)
        return [Reply(turn.t("errors.stale_button")), *await self.menu(turn)]

    async def _begin(self, turn: Turn, flow: Flow) -> list[Reply]:
        progress = Progress(flow, PLANS[flow][0])
        question = await self._question(turn, progress)
        if question is None:  # nothing to choose from
            return [Reply(turn.t("reminders.admin.no_events"))]
        self._keep(turn, progress)
        return [question]

    async def _take_press(self, progress: Progress, fields: list[str]) -> bool:
        """Take a button's answer to the current step; ``False`` when it answers no step now."""
        step, answers = progress.step, progress.answers
        match fields:
            case ["cat", category] if step is Step.CATEGORY and category in CATEGORIES:
                answers["category"] = category
            case ["reg", "-"] if step is Step.REGION:
                answers["region"] = None
            case ["reg", code] if (
                step is Step.REGION and code.isdecimal() and int(code) < len(REGIONS)
            ):
                answers["region"] = REGIONS[int(code)]
            case ["ev", event_id] if step is Step.EVENT:
                if await self.catalog.get(event_id) is None:
                    return False
                progress.event = event_id
            case ["bc", category] if (
                step is Step.EVENT and progress.flow is Flow.BROADCAST and category in CATEGORIES
            ):
                progress.category = category
            case ["fld", name] if step is Step.FIELD and name in {f.value for f in EDITABLE}:
                answers["field"] = name
            case ["save"] if step is Step.CONFIRM:
                pass
            case ["yes"] if step is Step.SURE:
                pass
            case _:
                return False
        return True

    async def _next(self, turn: Turn, progress: Progress) -> list[Reply]:
        """Ask the flow's next question, or do what the flow is for once all is answered."""
        following = after(progress)
        if following is None:
            self._end(turn)
            return await self._finish(turn, progress)
        progress.step = following
        question = await self._question(turn, progress)
        if question is None:
            return await self._gone(turn)
        self._keep(turn, progress)
        return [question]

    # -- typed answers and files --------------------------------------------------------------

    async def on_input(self, turn: Turn) -> list[Reply]:
        """Take the typed (or sent) answer to the current step."""
        if not self.is_admin(turn):
            self._end(turn)
            return [turn.menu_reply("reminders.admin.refused")]
        progress = self._progress(turn)
        if progress is None:
            return await self._gone(turn)
        if progress.step is Step.FILE:
            return await self._import(turn)
        content = turn.incoming.content
        text = content.text.strip() if isinstance(content, Text) else ""
        typed = TYPED.get(progress.step)
        if typed is None or not text:  # a button's step, or nothing typed: ask again
            return await self.prompt(turn)
        if len(text) > typed.limit:
            too_long = Reply(turn.t("reminders.admin.too_long", limit=typed.limit))
            return [too_long, *await self.prompt(turn)]
        answer = read(progress.step, text, Reading(turn.now, self.settings.tz))
        if isinstance(answer, str):  # what is wrong with it
            return [Reply(turn.t(answer)), *await self.prompt(turn)]
        progress.answers.update(answer)
        return await self._next(turn, progress)

    async def _import(self, turn: Turn) -> list[Reply]:
        content = turn.incoming.content
        if not isinstance(content, FileUpload):
            return await self.prompt(turn)
        if not content.data:  # the adapter could not fetch it (too big, or a failed download)
            return [Reply(turn.t("reminders.admin.import_unavailable"))]
        events, report = read_calendar(turn, content.data, self.settings.tz)
        if not events:  # nothing usable: say why and wait for a better file
            return [report, *await self.prompt(turn)]
        known = {e.id for e in await self.store.list_admin_events()}
        for event in events:
            await self.store.save_event(event)
        self.on_change()
        self._end(turn)
        await self._announce_new([e for e in events if e.id not in known], turn)
        return [report]

    # -- what each flow is for ----------------------------------------------------------------

    async def _finish(self, turn: Turn, progress: Progress) -> list[Reply]:
        match progress.flow:
            case Flow.ADD:
                return await self._save_new(turn, progress)
            case Flow.EDIT:
                return await self._save_edit(turn, progress)
            case Flow.CANCEL:
                return await self._cancel_event(turn, progress)
            case Flow.BROADCAST:
                return await self._broadcast(turn, progress)
        return await self._gone(turn)  # pragma: no cover - an import ends with its file

    async def _save_new(self, turn: Turn, progress: Progress) -> list[Reply]:
        event = new_event(progress.answers, f"adm-{secrets.token_hex(4)}")
        await self.store.save_event(event)
        self.on_change()
        count = await self._announce_new([event], turn)
        title = render.title(event, turn.locale)
        return [Reply(turn.t("reminders.admin.saved", title=title, count=count))]

    async def _announce_new(self, events: list[Event], turn: Turn) -> int:
        """Tell the users watching for new events about these; return how many heard."""
        if self.announcer is None:
            return 0
        return await self.announcer.new_events(events, turn.now)

    async def _admin_event(self, progress: Progress) -> Event | None:
        """The administrator's event the flow is about (``None`` if gone or not theirs)."""
        event = await self.catalog.get(progress.event or "")
        return event if event is not None and event.origin == "admin" else None

    async def _save_edit(self, turn: Turn, progress: Progress) -> list[Reply]:
        event = await self._admin_event(progress)
        if event is None:
            return [Reply(turn.t("errors.stale_button"))]
        updated = changed(event, progress.answers)
        await self.store.save_event(updated)
        self.on_change()
        tz, texts = self.settings.tz, self.texts
        count = await self.notifier.tell(
            await self.audience.of_event(updated),
            lambda locale: [moved_notice(texts, locale, updated, tz)],
        )
        title = render.title(updated, turn.locale)
        return [Reply(turn.t("reminders.admin.saved", title=title, count=count))]

    async def _cancel_event(self, turn: Turn, progress: Progress) -> list[Reply]:
        event = await self._admin_event(progress)
        if event is None:
            return [Reply(turn.t("errors.stale_button"))]
        cancelled = replace(event, cancelled=True)
        await self.store.save_event(cancelled)
        self.on_change()
        tz, texts = self.settings.tz, self.texts
        count = await self.notifier.tell(
            await self.audience.of_event(event),
            lambda locale: [cancelled_notice(texts, locale, cancelled, tz)],
        )
        return [Reply(turn.t("reminders.admin.event_cancelled", count=count))]

    async def _listeners(self, turn: Turn, progress: Progress) -> list[Subscription]:
        """Who an announcement reaches: an event's subscribers, or a category's."""
        if progress.event is not None:
            event = await self.catalog.get(progress.event)
            return await self.audience.of_event(event) if event else []
        return await self.audience.of_category(progress.category or "", turn.now)

    async def _broadcast(self, turn: Turn, progress: Progress) -> list[Reply]:
        listeners = await self._listeners(turn, progress)
        event = await self.catalog.get(progress.event) if progress.event else None
        body = escape(str(progress.answers.get("text", "")))
        texts = self.texts

        def announcement(locale: str) -> list[Reply]:
            if event is not None:
                title = render.title(event, locale)
            else:
                title = escape(texts.get(locale, f"reminders.category.{progress.category}"))
            return [Reply(texts.get(locale, "reminders.announcement", title=title, text=body))]

        count = await self.notifier.tell(listeners, announcement)
        return [Reply(turn.t("reminders.admin.broadcast_sent", count=count))]
