"""The administrators' guided flows: add, change, cancel and import events; announcements.

State lives in the conversation session (step ``remind.admin``), one question at a time,
every answer validated; anyone not in ``CLUSTERBOT_ADMINS`` gets a polite refusal.
"""

from __future__ import annotations

import secrets
from datetime import UTC
from typing import TYPE_CHECKING, Any

from bot.core.dates import parse_when
from bot.core.events import Button, Reply, Text
from bot.core.feature import Turn
from bot.core.markup import escape
from bot.core.records import Event
from bot.reminders import render
from bot.reminders.ics import latest_start
from bot.reminders.importing import read_calendar
from bot.reminders.limits import MAX_FIELD, MAX_TITLE, safe_url
from bot.reminders.model import CATEGORIES, REGIONS
from bot.reminders.render import PREFIX

if TYPE_CHECKING:
    from bot.reminders.service import RemindersFeature

STEP = "remind.admin"


def _button(turn: Turn, key: str, value: str) -> Button:
    return Button(turn.t(key), f"{PREFIX}:adm:{value}")


class AdminFlow:
    """Add / change / cancel / import / announce, as chat flows."""

    def __init__(self, feature: RemindersFeature) -> None:
        self.f = feature

    async def menu(self, turn: Turn) -> list[Reply]:
        """Show the admin menu, or refuse."""
        if not self.f.is_admin(turn):
            return [turn.menu_reply("reminders.admin.refused")]
        rows = tuple(
            (_button(turn, f"reminders.admin.{name}", name),)
            for name in ("add", "edit", "cancel", "import", "broadcast")
        )
        return [Reply(turn.t("reminders.admin.menu"), buttons=rows)]

    def _state(self, turn: Turn) -> dict[str, Any]:
        return turn.session.data

    def _start(self, turn: Turn, flow: str, stage: str, **extra: Any) -> None:
        turn.session.step = STEP
        turn.session.data = {"flow": flow, "stage": stage, "draft": {}, **extra}

    def _end(self, turn: Turn) -> None:
        turn.session.step, turn.session.data = None, {}

    def prompt(self, turn: Turn) -> list[Reply]:
        """Ask the current stage's question again."""
        return [self._question(turn, str(self._state(turn).get("stage", "")))]

    def _question(self, turn: Turn, stage: str) -> Reply:
        cancel = (_button(turn, "reminders.button.cancel", "abort"),)
        if stage == "category":
            rows: list[tuple[Button, ...]] = [
                (Button(turn.t(f"reminders.category.{c}"), f"{PREFIX}:adm:cat:{c}"),)
                for c in CATEGORIES
            ]
            return Reply(turn.t("reminders.admin.ask_category"), buttons=(*rows, cancel))
        if stage == "region":
            first = (Button(turn.t("reminders.button.whole_country"), f"{PREFIX}:adm:reg:-"),)
            names = [Button(r, f"{PREFIX}:adm:reg:{i}") for i, r in enumerate(REGIONS)]
            rows = [tuple(names[i : i + 2]) for i in range(0, len(names), 2)]
            return Reply(turn.t("reminders.admin.ask_region"), buttons=(first, *rows, cancel))
        keys = {
            "title": "reminders.admin.ask_title",
            "title_en": "reminders.admin.ask_title_en",
            "place": "reminders.admin.ask_place",
            "url": "reminders.admin.ask_url",
            "value": "reminders.admin.ask_value",
            "import": "reminders.admin.import_prompt",
            "text": "reminders.admin.broadcast_text",
        }
        if stage == "when":
            return Reply(
                turn.t("reminders.admin.ask_when", tz=self.f.settings.tz.key), buttons=(cancel,)
            )
        return Reply(turn.t(keys.get(stage, "reminders.admin.ask_value")), buttons=(cancel,))

    # -- buttons ----------------------------------------------------------------------------

    async def on_action(self, turn: Turn, fields: list[str]) -> list[Reply]:
        """Route the admin buttons (refusing non-admins)."""
        if not self.f.is_admin(turn):
            return [turn.menu_reply("reminders.admin.refused")]
        state = self._state(turn) if turn.session.step == STEP else {}
        match fields:
            case ["add"]:
                self._start(turn, "add", "title")
                return [self._question(turn, "title")]
            case ["edit" | "cancel" | "broadcast" as flow]:
                return await self._choose_event(turn, flow)
            case ["import"]:
                self._start(turn, "import", "import")
                return [self._question(turn, "import")]
            case ["abort"]:
                self._end(turn)
                return [Reply(turn.t("reminders.admin.aborted"))]
            case ["cat", category] if state.get("stage") == "category" and category in CATEGORIES:
                state["draft"]["category"] = category
                state["stage"] = "region"
                return [self._question(turn, "region")]
            case ["reg", code] if state.get("stage") == "region" and (
                code == "-" or (code.isdecimal() and int(code) < len(REGIONS))
            ):
                state["draft"]["region"] = None if code == "-" else REGIONS[int(code)]
                state["stage"] = "confirm"
                return [self._confirm(turn)]
            case ["save"] if state.get("stage") == "confirm":
                return await self._save_new(turn)
            case ["ev", event_id] if state.get("stage") == "event":
                return await self._event_chosen(turn, event_id)
            case ["bc", category] if state.get("stage") == "event" and category in CATEGORIES:
                state.update(target_kind="category", target=category, stage="text")
                return [self._question(turn, "text")]
            case ["fld", field] if state.get("stage") == "field" and field in (
                "title",
                "when",
                "place",
                "url",
            ):
                state.update(field=field, stage="value")
                return [self._question(turn, "when" if field == "when" else "value")]
            case ["yes"] if state.get("stage") == "sure":
                return await self._confirmed(turn)
        return [Reply(turn.t("errors.stale_button")), *await self.menu(turn)]

    async def _choose_event(self, turn: Turn, flow: str) -> list[Reply]:
        events = [
            e
            for e in await self.f.catalog.events()
            if e.starts_at > turn.now
            and not e.cancelled
            and (flow == "broadcast" or e.origin == "admin")
        ]
        rows = [
            (Button(escape(e.title(turn.locale))[:60], f"{PREFIX}:adm:ev:{e.id}"),)
            for e in events[:20]
        ]
        if flow == "broadcast":
            rows += [
                (Button(turn.t(f"reminders.category.{c}"), f"{PREFIX}:adm:bc:{c}"),)
                for c in CATEGORIES
            ]
        if not rows:
            return [Reply(turn.t("reminders.admin.no_events"))]
        self._start(turn, flow, "event")
        key = (
            "reminders.admin.broadcast_target"
            if flow == "broadcast"
            else "reminders.admin.choose_event"
        )
        cancel = (_button(turn, "reminders.button.cancel", "abort"),)
        return [Reply(turn.t(key), buttons=(*rows, cancel))]

    async def _event_chosen(self, turn: Turn, event_id: str) -> list[Reply]:
        state = self._state(turn)
        event = await self.f.catalog.get(event_id)
        if event is None:
            return [Reply(turn.t("errors.stale_button")), *await self.menu(turn)]
        state["event"] = event_id
        flow = state["flow"]
        cancel = (_button(turn, "reminders.button.cancel", "abort"),)
        if flow == "edit":
            state["stage"] = "field"
            rows = tuple(
                (Button(turn.t(f"reminders.admin.field.{f}"), f"{PREFIX}:adm:fld:{f}"),)
                for f in ("title", "when", "place", "url")
            )
            return [Reply(turn.t("reminders.admin.choose_field"), buttons=(*rows, cancel))]
        if flow == "cancel":
            state["stage"] = "sure"
            title = render.title(event, turn.locale)
            yes = (_button(turn, "reminders.button.confirm", "yes"),)
            return [
                Reply(turn.t("reminders.admin.confirm_cancel", title=title), buttons=(yes, cancel))
            ]
        state.update(target_kind="event", target=event_id, stage="text")
        return [self._question(turn, "text")]

    # -- typed answers ----------------------------------------------------------------------

    async def on_input(self, turn: Turn) -> list[Reply]:
        """Take the typed (or sent) answer to the current stage."""
        if not self.f.is_admin(turn):
            self._end(turn)
            return [turn.menu_reply("reminders.admin.refused")]
        state = self._state(turn)
        stage = str(state.get("stage", ""))
        if stage == "import":
            return await self._import(turn)
        content = turn.incoming.content
        text = content.text.strip() if isinstance(content, Text) else ""
        if not text:
            return [self._question(turn, stage)]
        draft: dict[str, Any] = state.setdefault("draft", {})
        if stage in ("title", "title_en", "place", "url", "text"):
            limit = (
                MAX_TITLE
                if stage.startswith("title")
                else MAX_FIELD * 10
                if stage == "text"
                else MAX_FIELD
            )
            if len(text) > limit:
                return [
                    Reply(turn.t("reminders.admin.too_long", limit=limit)),
                    self._question(turn, stage),
                ]
        if stage == "title":
            draft["title"], state["stage"] = text, "title_en"
        elif stage == "title_en":
            draft["title_en"] = draft["title"] if text == "-" else text
            state["stage"] = "when"
        elif stage == "when":
            problem = self._take_when(turn, text, draft)
            if problem:
                return [Reply(turn.t(problem)), self._question(turn, "when")]
            state["stage"] = "place"
        elif stage == "place":
            draft["place"], state["stage"] = (None if text == "-" else text), "url"
        elif stage == "url":
            if text != "-" and safe_url(text) is None:
                return [Reply(turn.t("reminders.admin.bad_url")), self._question(turn, "url")]
            draft["url"], state["stage"] = (None if text == "-" else text), "category"
        elif stage == "value":
            return await self._edit_value(turn, text)
        elif stage == "text":
            state["text"], state["stage"] = text, "sure"
            return await self._broadcast_confirm(turn)
        else:
            return self.prompt(turn)
        return [self._question(turn, str(state["stage"]))]

    def _take_when(self, turn: Turn, text: str, draft: dict[str, Any]) -> str | None:
        tz = self.f.settings.tz
        parsed = parse_when(text, tz, turn.now.astimezone(tz).date())
        if parsed is None:
            return "reminders.admin.bad_when"
        moment, has_time = parsed
        if moment.astimezone(UTC) <= turn.now:
            return "reminders.admin.past_when"
        if moment.astimezone(UTC) > latest_start(turn.now):  # as imports: one the chat can show
            return "reminders.admin.far_when"
        draft["starts_at"] = moment.astimezone(UTC).isoformat()
        draft["date_only"] = not has_time
        return None

    def _draft_event(self, draft: dict[str, Any], event_id: str) -> Event:
        from datetime import datetime

        return Event(
            id=event_id,
            title_pl=draft["title"],
            title_en=draft.get("title_en") or draft["title"],
            starts_at=datetime.fromisoformat(draft["starts_at"]),
            category=draft["category"],
            origin="admin",
            place=draft.get("place"),
            url=draft.get("url"),
            region=draft.get("region"),
            date_only=bool(draft.get("date_only")),
        )

    def _confirm(self, turn: Turn) -> Reply:
        draft = self._state(turn)["draft"]
        event = self._draft_event(draft, "draft")
        none = turn.t("reminders.admin.none")
        summary = turn.t(
            "reminders.admin.summary",
            title=escape(event.title_pl),
            title_en=escape(event.title_en),
            when=render.when(event, turn.t, self.f.settings.tz),
            place=escape(event.place) if event.place else none,
            url=escape(event.url) if event.url else none,
            category=turn.t(f"reminders.category.{event.category}"),
            region=f", {event.region}" if event.region else "",
        )
        buttons = (
            (_button(turn, "reminders.button.save", "save"),),
            (_button(turn, "reminders.button.cancel", "abort"),),
        )
        return Reply(turn.t("reminders.admin.confirm", summary=summary), buttons=buttons)

    async def _save_new(self, turn: Turn) -> list[Reply]:
        draft = self._state(turn)["draft"]
        event = self._draft_event(draft, f"adm-{secrets.token_hex(4)}")
        await self.f.store.save_event(event)
        self.f.on_change()
        self._end(turn)
        count = await self.f.announce_new([event], turn)
        return [Reply(turn.t("reminders.admin.saved", title=escape(event.title_pl), count=count))]

    async def _edit_value(self, turn: Turn, text: str) -> list[Reply]:
        from dataclasses import replace

        state = self._state(turn)
        event = await self.f.catalog.get(str(state.get("event", "")))
        if event is None or event.origin != "admin":
            self._end(turn)
            return [Reply(turn.t("errors.stale_button"))]
        field = state.get("field")
        if field == "when":
            draft: dict[str, Any] = {}
            problem = self._take_when(turn, text, draft)
            if problem:
                return [Reply(turn.t(problem)), self._question(turn, "when")]
            from datetime import datetime

            updated = replace(
                event,
                starts_at=datetime.fromisoformat(draft["starts_at"]),
                date_only=bool(draft["date_only"]),
            )
        elif field == "title":
            updated = replace(event, title_pl=text[:MAX_TITLE], title_en=text[:MAX_TITLE])
        elif field == "place":
            updated = replace(event, place=None if text == "-" else text[:MAX_FIELD])
        else:
            if text != "-" and safe_url(text) is None:
                return [Reply(turn.t("reminders.admin.bad_url")), self._question(turn, "value")]
            updated = replace(event, url=None if text == "-" else text[:MAX_FIELD])
        await self.f.store.save_event(updated)
        self.f.on_change()
        self._end(turn)
        tz = self.f.settings.tz

        def moved(locale: str) -> list[Reply]:
            place = f", {escape(updated.place)}" if updated.place else ""
            text_ = self.f_t(
                locale,
                "reminders.moved_notice",
                title=render.title(updated, locale),
                when=render.when(updated, self.f.texts.translator(locale), tz),
                place=place,
            )
            return [Reply(text_)]

        count = await self.f.tell(await self.f.subscribers_of(updated), moved)
        title = render.title(updated, "pl")
        return [Reply(turn.t("reminders.admin.saved", title=title, count=count))]

    def f_t(self, locale: str, key: str, **params: object) -> str:
        """Look up a text in a subscriber's language."""
        return self.f.texts.get(locale, key, **params)

    async def _confirmed(self, turn: Turn) -> list[Reply]:
        state = self._state(turn)
        if state.get("flow") == "cancel":
            return await self._cancel_event(turn)
        return await self._broadcast(turn)

    async def _cancel_event(self, turn: Turn) -> list[Reply]:
        from dataclasses import replace

        event = await self.f.catalog.get(str(self._state(turn).get("event", "")))
        self._end(turn)
        if event is None or event.origin != "admin":
            return [Reply(turn.t("errors.stale_button"))]
        cancelled = replace(event, cancelled=True)
        await self.f.store.save_event(cancelled)
        self.f.on_change()
        tz = self.f.settings.tz

        def notice(locale: str) -> list[Reply]:
            when = render.when(cancelled, self.f.texts.translator(locale), tz)
            return [
                Reply(
                    self.f_t(
                        locale,
                        "reminders.cancelled_notice",
                        title=render.title(cancelled, locale),
                        when=when,
                    )
                )
            ]

        count = await self.f.tell(await self.f.subscribers_of(event), notice)
        return [Reply(turn.t("reminders.admin.event_cancelled", count=count))]

    async def _audience(self, turn: Turn) -> list[Any]:
        state = self._state(turn)
        if state.get("target_kind") == "event":
            event = await self.f.catalog.get(str(state.get("target", "")))
            return await self.f.subscribers_of(event) if event else []
        category = str(state.get("target", ""))
        probe = Event("probe", "", "", turn.now, category)
        return await self.f.subscribers_of(probe)

    async def _broadcast_confirm(self, turn: Turn) -> list[Reply]:
        audience = await self._audience(turn)
        text = escape(str(self._state(turn).get("text", "")))
        buttons = (
            (_button(turn, "reminders.button.confirm", "yes"),),
            (_button(turn, "reminders.button.cancel", "abort"),),
        )
        return [
            Reply(
                turn.t("reminders.admin.broadcast_confirm", count=len(audience), text=text),
                buttons=buttons,
            )
        ]

    async def _broadcast(self, turn: Turn) -> list[Reply]:
        state = dict(self._state(turn))
        audience = await self._audience(turn)
        self._end(turn)
        if state.get("target_kind") == "event":
            event = await self.f.catalog.get(str(state.get("target", "")))
            titles = {loc: render.title(event, loc) if event else "" for loc in ("pl", "en")}
        else:
            titles = {
                loc: escape(self.f_t(loc, f"reminders.category.{state.get('target')}"))
                for loc in ("pl", "en")
            }
        body = escape(str(state.get("text", "")))

        def announcement(locale: str) -> list[Reply]:
            title = titles.get(locale, titles["pl"])
            return [Reply(self.f_t(locale, "reminders.announcement", title=title, text=body))]

        count = await self.f.tell(audience, announcement)
        return [Reply(turn.t("reminders.admin.broadcast_sent", count=count))]

    async def _import(self, turn: Turn) -> list[Reply]:
        from bot.reminders.service import file_of

        upload = file_of(turn)
        if upload is None:
            return [self._question(turn, "import")]
        if not upload.data:  # the adapter could not fetch it (too big, or a failed download)
            return [Reply(turn.t("reminders.admin.import_unavailable"))]
        events, report = read_calendar(turn, upload.data, self.f.settings.tz)
        if not events:  # nothing usable: say why and wait for a better file
            return [report, self._question(turn, "import")]
        known = {e.id for e in await self.f.store.list_admin_events()}
        for event in events:
            await self.f.store.save_event(event)
        self.f.on_change()
        self._end(turn)
        await self.f.announce_new([e for e in events if e.id not in known], turn)
        return [report]
