"""The reminders feature for users: events, subscriptions, offsets, status dates, calendar."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from bot.core.events import Action, Button, Command, Document, Reply, Text, button_label
from bot.core.feature import FeatureBase, Handler, Turn
from bot.core.markup import escape
from bot.core.ports import ReminderStore
from bot.core.records import Event, Subscription
from bot.reminders import render
from bot.reminders.admin import STEP as STEP_ADMIN
from bot.reminders.admin import EventAdmin
from bot.reminders.catalog import STATUS_KINDS, EventCatalog
from bot.reminders.ics import to_ics
from bot.reminders.limits import each_shown
from bot.reminders.model import CATEGORIES, REGIONS
from bot.reminders.render import PREFIX, event_reply, offsets_words, region_in
from bot.reminders.schedule import parse_offsets
from bot.reminders.settings import ReminderSettings
from bot.reminders.status import STEP_STATUS, StatusFlow

STEP_OFFSETS = "remind.offsets"
MAX_LISTED = 10
#: Past events shown when nothing is coming up.
RECENT_PAST = 3
#: Commands whose answer may be shown in a group (the others are personal).
SHARED_COMMANDS = frozenset({"wydarzenia", "events"})


class RemindersFeature(FeatureBase):
    """``/wydarzenia``, ``/przypomnienia`` and their buttons; ``/admin`` is passed on.

    The administrators' flows are their own object (:class:`EventAdmin`, given to this one);
    this feature only hands it its command, its buttons (``r1:adm:…``) and its step's answers.
    """

    name = "remind"
    action_prefix = PREFIX

    def __init__(
        self,
        catalog: EventCatalog,
        store: ReminderStore,
        settings: ReminderSettings,
        on_change: Callable[[], None],
        admin: EventAdmin,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.settings = settings
        self.on_change = on_change
        self.admin = admin
        self.status = StatusFlow(store, settings.tz, on_change)

    # -- Feature protocol -------------------------------------------------------------------

    def commands(self) -> Mapping[str, Handler]:
        """Return the commands in Polish and English."""
        return {
            "wydarzenia": self.events,
            "events": self.events,
            "przypomnienia": self.reminders,
            "reminders": self.reminders,
            "admin": self.admin.menu,
        }

    def menu_buttons(self, turn: Turn) -> Sequence[Button]:
        """Offer events and reminders in the main menu."""
        return (Button(turn.t("reminders.menu"), f"{PREFIX}:list"),)

    def help_key(self) -> str | None:
        """Return the key of this feature's help section."""
        return "reminders.help"

    def is_shared(self, content: Command | Action) -> bool:
        """The event list, past events and calendar files may be shown in a group."""
        if isinstance(content, Command):
            return content.name in SHARED_COMMANDS
        return content.payload.split(":")[1:2] in (["list"], ["hist"], ["ics"])

    async def overview(self, turn: Turn) -> list[Reply]:
        """Show the next few events on a home screen."""
        upcoming = await self._upcoming(turn)
        return each_shown(upcoming, lambda e: event_reply(turn, e, self.settings.tz), limit=3)

    async def prompt(self, turn: Turn) -> list[Reply]:
        """Repeat what a waiting step asks."""
        step = turn.session.step
        if step == STEP_OFFSETS:
            return [await self._offsets_prompt(turn)]
        if step == STEP_STATUS:
            return [self.status.prompt(turn, str(turn.session.data.get("kind", "kkk")))]
        if step == STEP_ADMIN:
            return await self.admin.prompt(turn)
        return []

    async def on_text(self, turn: Turn) -> list[Reply]:
        """Take typed offsets, a status date, or an admin flow's answer."""
        content = turn.incoming.content
        step = turn.session.step
        if step == STEP_ADMIN:
            return await self.admin.on_input(turn)
        text = content.text if isinstance(content, Text) else ""
        if step == STEP_OFFSETS:
            return await self._take_offsets(turn, text)
        if step == STEP_STATUS:
            return await self.status.take(turn, text)
        turn.session.step = None
        return await self.reminders(turn)

    async def on_action(self, turn: Turn, fields: list[str]) -> list[Reply]:
        """Route the feature's buttons."""
        match fields:
            case ["list"]:
                return await self.events(turn)
            case ["hist"]:
                return await self._history(turn)
            case ["ics", event_id]:
                return await self._calendar(turn, event_id)
            case ["sub", "e", event_id]:
                return await self._subscribe_event(turn, event_id)
            case ["cats"]:
                buttons = tuple(
                    (Button(turn.t(f"reminders.category.{c}"), f"{PREFIX}:sub:c:{c}"),)
                    for c in CATEGORIES
                )
                return [Reply(turn.t("reminders.choose_category"), buttons=buttons)]
            case ["sub", ("c" | "a") as kind, *rest]:
                return await self._subscribe_group(turn, kind, rest)
            case ["unsub", sub_id] if sub_id.isdecimal():
                removed = await self.store.remove_subscription(turn.user.key, int(sub_id))
                if removed:
                    self.on_change()
                    return [Reply(turn.t("reminders.unsubscribed")), *await self.reminders(turn)]
            case ["offsets"]:
                turn.session.step, turn.session.data = STEP_OFFSETS, {}
                return [await self._offsets_prompt(turn)]
            case ["status", kind] if kind in STATUS_KINDS:
                turn.session.step, turn.session.data = STEP_STATUS, {"kind": kind}
                return [self.status.prompt(turn, kind)]
            case ["renew", kind] if kind in STATUS_KINDS:
                renewed = await self.status.renew(turn, kind)
                if renewed is not None:
                    return renewed
            case ["new", "on"]:
                await self.store.add_subscription(
                    turn.user.key, turn.incoming.address, "new", "", None, turn.now
                )
                return [Reply(turn.t("reminders.watching"))]
            case ["new", "off"]:
                for sub in await self._watching(turn):
                    await self.store.remove_subscription(turn.user.key, sub.id)
                return [Reply(turn.t("reminders.not_watching"))]
            case ["adm", *rest]:
                return await self.admin.on_action(turn, rest)
        return [Reply(turn.t("errors.stale_button")), *await self.events(turn)]

    # -- users ------------------------------------------------------------------------------

    async def _upcoming(self, turn: Turn) -> list[Event]:
        return [
            e for e in await self.catalog.events() if not e.cancelled and e.starts_at > turn.now
        ]

    async def events(self, turn: Turn) -> list[Reply]:
        """List upcoming events, one message each, then the subscription shortcuts.

        With nothing coming up: say so, show the last few past events, and offer (or let the
        user turn off) a message about each new event.
        """
        tz = self.settings.tz
        shown = each_shown(await self._upcoming(turn), lambda e: event_reply(turn, e, tz))
        watch = await self._watch_button(turn)
        more = (
            (Button(turn.t("reminders.button.all"), f"{PREFIX}:sub:a"),),
            (Button(turn.t("reminders.button.by_category"), f"{PREFIX}:cats"),),
        )
        history = (Button(turn.t("reminders.button.history"), f"{PREFIX}:hist"),)
        if not shown:
            lines = [turn.t("reminders.none_upcoming")]
            recent = each_shown(reversed(await self._past(turn)), self._history_line(turn))
            if recent:
                lines += ["", turn.t("reminders.recent_title"), *recent[:RECENT_PAST]]
            watching = turn.t("reminders.watching_now") if await self._watching(turn) else ""
            lines += ["", watching or turn.t("reminders.watch_offer")]
            return [Reply("\n".join(lines), buttons=(watch, *more, history))]
        replies = [Reply(turn.t("reminders.upcoming_title", count=len(shown))), *shown[:MAX_LISTED]]
        replies.append(Reply(turn.t("reminders.more"), buttons=(*more, watch, history)))
        return replies

    async def _watching(self, turn: Turn) -> list[Subscription]:
        return [s for s in await self.store.list_subscriptions(turn.user.key) if s.kind == "new"]

    async def _watch_button(self, turn: Turn) -> tuple[Button, ...]:
        if await self._watching(turn):
            return (Button(turn.t("reminders.button.unwatch"), f"{PREFIX}:new:off"),)
        return (Button(turn.t("reminders.button.watch"), f"{PREFIX}:new:on"),)

    async def _past(self, turn: Turn) -> list[Event]:
        """Past events that took place (not cancelled), oldest first."""
        events = await self.catalog.events()
        return [e for e in events if e.starts_at <= turn.now and not e.cancelled]

    def _history_line(self, turn: Turn) -> Callable[[Event], str]:
        def line(event: Event) -> str:
            place = f", {render.field(event.place)}" if event.place else ""
            when = render.when(event, turn.t, self.settings.tz)
            title = render.title(event, turn.locale)
            return turn.t("reminders.history_line", when=when, title=title, place=place)

        return line

    async def _history(self, turn: Turn) -> list[Reply]:
        past = [e for e in await self.catalog.events() if e.starts_at <= turn.now]
        if not past:
            return [Reply(turn.t("reminders.history_empty"))]
        lines = [
            turn.t("reminders.history_title"),
            *each_shown(reversed(past), self._history_line(turn), limit=20),
        ]
        return [Reply("\n".join(lines))]

    async def _calendar(self, turn: Turn, event_id: str) -> list[Reply]:
        event = await self.catalog.get(event_id)
        if event is None:
            return [Reply(turn.t("errors.stale_button")), *await self.events(turn)]
        data = to_ics([event], turn.locale, self.settings.tz)
        return [Reply(document=Document(f"{event.id}.ics", data, "text/calendar"))]

    async def _offsets(self, turn: Turn) -> tuple[int, ...]:
        return await self.store.get_offsets(turn.user.key) or self.settings.default_offsets

    async def _subscribe_event(self, turn: Turn, event_id: str) -> list[Reply]:
        event = await self.catalog.get(event_id)
        if event is None or event.cancelled or event.starts_at <= turn.now:
            return [Reply(turn.t("errors.stale_button")), *await self.events(turn)]
        await self.store.add_subscription(
            turn.user.key, turn.incoming.address, "event", event.id, None, turn.now
        )
        self.on_change()
        offsets = offsets_words(turn, await self._offsets(turn))
        title = render.title(event, turn.locale)
        return [Reply(turn.t("reminders.subscribed_event", title=title, offsets=offsets))]

    async def _subscribe_group(self, turn: Turn, kind: str, rest: list[str]) -> list[Reply]:
        """Category or everything; then the whole country or one voivodeship."""
        if kind == "c" and (not rest or rest[0] not in CATEGORIES):
            return [Reply(turn.t("errors.stale_button")), *await self.events(turn)]
        base = f"{PREFIX}:sub:{kind}" + (f":{rest[0]}" if kind == "c" else "")
        choice = rest[1:] if kind == "c" else rest
        if not choice:
            buttons: list[tuple[Button, ...]] = [
                (Button(turn.t("reminders.button.whole_country"), f"{base}:-"),)
            ]
            names = [Button(r, f"{base}:{i}") for i, r in enumerate(REGIONS)]
            buttons += [tuple(names[i : i + 2]) for i in range(0, len(names), 2)]
            return [Reply(turn.t("reminders.choose_region"), buttons=tuple(buttons))]
        code = choice[0]
        if code != "-" and not (code.isdecimal() and int(code) < len(REGIONS)):
            return [Reply(turn.t("errors.stale_button")), *await self.events(turn)]
        region = None if code == "-" else REGIONS[int(code)]
        sub_kind, target = ("category", rest[0]) if kind == "c" else ("all", "")
        await self.store.add_subscription(
            turn.user.key, turn.incoming.address, sub_kind, target, region, turn.now
        )
        self.on_change()
        offsets = offsets_words(turn, await self._offsets(turn))
        suffix = region_in(turn, region) if region else ""
        if kind == "c":
            category = turn.t(f"reminders.category.{rest[0]}")
            text = turn.t(
                "reminders.subscribed_category", category=category, region=suffix, offsets=offsets
            )
        else:
            text = turn.t("reminders.subscribed_all", region=suffix, offsets=offsets)
        return [Reply(text)]

    async def reminders(self, turn: Turn) -> list[Reply]:
        """List the user's subscriptions with cancel buttons, offsets and status dates."""
        subs = await self.store.list_subscriptions(turn.user.key)
        events = {e.id: e for e in await self.catalog.events()}
        lines = [turn.t("reminders.list_title")]
        rows: list[tuple[Button, ...]] = []
        if not subs:
            lines.append(turn.t("reminders.list_empty"))
        for sub in subs:
            lines.append(self._describe(turn, sub, events, lambda e: render.title(e, turn.locale)))
            # A button shows plain text: built from the raw title, cut at a word, never escaped.
            label = self._describe(turn, sub, events, lambda e: e.title(turn.locale))
            short = button_label(label.lstrip("• "), 40)
            button = Button(
                turn.t("reminders.button.unsubscribe", name=short), f"{PREFIX}:unsub:{sub.id}"
            )
            rows.append((button,))
        lines.append(
            turn.t("reminders.offsets_line", offsets=offsets_words(turn, await self._offsets(turn)))
        )
        for status in await self.store.list_status_dates():
            if status.owner == turn.user.key:
                lines.append(self.status.line(turn, status))
        rows.append((Button(turn.t("reminders.button.offsets"), f"{PREFIX}:offsets"),))
        rows.append(
            tuple(
                Button(turn.t(f"reminders.button.{kind}_date"), f"{PREFIX}:status:{kind}")
                for kind in STATUS_KINDS
            )
        )
        return [Reply("\n".join(lines), buttons=tuple(rows))]

    def _describe(
        self,
        turn: Turn,
        sub: Subscription,
        events: dict[str, Event],
        title_of: Callable[[Event], str],
    ) -> str:
        """One subscription in words; ``title_of`` writes an event's title (markup or plain)."""
        region = region_in(turn, sub.region) if sub.region else ""
        if sub.kind == "event":
            event = events.get(sub.target)
            title = title_of(event) if event else sub.target
            return turn.t("reminders.sub_event", title=title)
        if sub.kind == "category":
            category = turn.t(f"reminders.category.{sub.target}")
            return turn.t("reminders.sub_category", category=category, region=region)
        if sub.kind == "new":
            return turn.t("reminders.sub_new")
        return turn.t("reminders.sub_all", region=region)

    async def _offsets_prompt(self, turn: Turn) -> Reply:
        current = offsets_words(turn, await self._offsets(turn))
        return Reply(turn.t("reminders.offsets_prompt", offsets=current))

    async def _take_offsets(self, turn: Turn, text: str) -> list[Reply]:
        try:
            offsets = parse_offsets(text)
        except ValueError:
            bad = Reply(turn.t("reminders.offsets_bad", text=escape(text[:40])))
            return [bad, await self._offsets_prompt(turn)]
        await self.store.set_offsets(turn.user.key, offsets)
        self.on_change()
        turn.session.step, turn.session.data = None, {}
        return [Reply(turn.t("reminders.offsets_saved", offsets=offsets_words(turn, offsets)))]
