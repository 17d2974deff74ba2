"""Composition root: settings -> content -> storage -> services -> platforms.

Only this module knows the concrete adapters and stores. Resources start in order inside one
``AsyncExitStack`` and stop in reverse order, also when start-up fails half-way.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, BinaryIO, TextIO
from zoneinfo import ZoneInfo

from bot.adapters.console.convert import ADDRESS as CONSOLE
from bot.adapters.console.files import FileShelf
from bot.adapters.console.runner import ConsoleChat, Voice, open_lines
from bot.assessment.plan import PLAN_OFFSETS, PlanFeature, plan_events
from bot.assessment.service import AssessmentFeature
from bot.assessment.team import TeamFeature
from bot.config import Settings
from bot.core.clock import SystemClock
from bot.core.dispatcher import Dispatcher
from bot.core.feature import Feature
from bot.core.links import StartLinks
from bot.core.ordering import Leader, SharedLocks
from bot.core.outbox import Outbox
from bot.core.ports import Clock
from bot.core.records import Event, Subscription
from bot.core.throttle import Throttle
from bot.core.weblinks import WebLinks
from bot.home.consents import ConsentFeature
from bot.home.linking import LinkFeature
from bot.home.panel import PanelFeature
from bot.home.privacy import PrivacyFeature
from bot.home.service import HomeFeature
from bot.knowledge.deadlines import deadline_events
from bot.knowledge.digest import ReviewDigest, admin_address
from bot.knowledge.editing import ContentEditing
from bot.knowledge.service import KnowledgeFeature
from bot.lifecycle import running, unless_lost, wait_for_stop_signal
from bot.loader import Content, load_content
from bot.reminders.admin import EventAdmin
from bot.reminders.announce import Announcer
from bot.reminders.audience import Audience, Notifier
from bot.reminders.catalog import EventCatalog
from bot.reminders.feeds import FeedPoller
from bot.reminders.render import reminder_reply
from bot.reminders.schedule import Reminder
from bot.reminders.scheduler import ReminderScheduler
from bot.reminders.service import RemindersFeature
from bot.reminders.settings import ReminderSettings
from bot.reports.renderer import ReportRenderer
from bot.stores import open_storage
from bot.webview import announce, local_web_url, make_view, shared_with, web_view
from storage.memory import MemoryStorage
from storage.sqlite import SqliteStorage

if TYPE_CHECKING:
    from bot.adapters.slack.runner import SlackRunner
    from bot.adapters.telegram.runner import TelegramRunner
    from bot.web.server import Routes
    from storage.postgres import PostgresStorage

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class App:
    """The running assistant's services."""

    settings: Settings
    content: Content
    services: Services
    store: SqliteStorage | PostgresStorage
    #: The lease for Telegram polling when several workers share PostgreSQL.
    polling_leader: Leader | None = None
    clock: Clock = field(default_factory=SystemClock)

    @property
    def dispatcher(self) -> Dispatcher:
        """The dispatcher every platform hands its messages to."""
        return self.services.dispatcher


@dataclass(frozen=True, slots=True)
class Services:
    """The feature services, the dispatcher, the reminder loop and the outbox."""

    dispatcher: Dispatcher
    scheduler: ReminderScheduler
    outbox: Outbox
    reminders: RemindersFeature
    team: TeamFeature
    links: StartLinks
    knowledge: KnowledgeFeature
    assess: AssessmentFeature
    feeds: FeedPoller | None = None
    #: The web view's links; ``None`` when ``CLUSTERBOT_WEB_PORT`` is unset.
    web: WebLinks | None = None


def build_services(
    content: Content,
    store: MemoryStorage | SqliteStorage | PostgresStorage,
    clock: Clock,
    settings: Settings,
    shared: SharedLocks | None = None,
) -> Services:
    """Create every service over one store; nothing runs yet.

    ``shared``: the per-person locks of workers sharing the database (PostgreSQL).
    """
    tz = ZoneInfo(settings.timezone)
    outbox = Outbox(store)

    async def plan_source() -> tuple[list[Event], list[Subscription]]:
        return await plan_events(store, content.texts, tz)

    catalog = EventCatalog(
        [*content.events, *deadline_events(content.knowledge_base.cards.values(), tz)],
        store,
        content.texts,
        tz,
        personal=[(plan_source, PLAN_OFFSETS)],
    )

    async def deliver(reminder: Reminder, event: Event) -> None:
        user = await store.get_user(reminder.owner)
        locale = user.locale if user else settings.locale
        reply = reminder_reply(content.texts, locale, event, reminder.offset, tz)
        await outbox.send(reminder.address, [reply])

    digest = ReviewDigest(
        content.knowledge_base.cards.values(),
        settings.admins,
        store,
        store,
        content.texts,
        tz,
        outbox.try_send,
        settings.locale,
    )
    scheduler = ReminderScheduler(
        catalog,
        store,
        deliver,
        clock,
        settings.reminder_offsets,
        outbox.mark_unreachable,
        jobs=[digest],
    )
    audience = Audience(store, store, content.texts.default_locale)
    announcer = Announcer(store, audience, content.texts, tz, outbox.try_send)
    reminder_settings = ReminderSettings(tz, settings.reminder_offsets, settings.admins)
    event_admin = EventAdmin(
        catalog,
        store,
        reminder_settings,
        content.texts,
        Notifier(audience, outbox.try_send),
        audience,
        announcer,
        on_change=scheduler.wake,
    )
    reminders = RemindersFeature(
        catalog, store, reminder_settings, on_change=scheduler.wake, admin=event_admin
    )
    feeds = None
    if settings.event_feeds:
        # aiohttp's client (9 MB, 0.1 s to import) only where feeds are configured.
        from bot.adapters.calendar_feeds import HttpCalendarFetcher

        feeds = FeedPoller(
            settings.event_feeds,
            HttpCalendarFetcher(),
            store,
            announcer,
            admins=[admin_address(a) for a in sorted(settings.admins)],
            send=outbox.try_send,
            users=store,
            texts=content.texts,
            tz=tz,
            clock=clock,
            on_change=scheduler.wake,
        )
    knowledge = KnowledgeFeature(content.knowledge_base, profiles=store, changes=store)
    editing = ContentEditing(
        content.knowledge_base.content,
        store,
        settings.admins,
        tz,
        content.texts,
        subscribers=store,
        notify=outbox.try_send,
        users=store,
    )
    web = (
        WebLinks(store, settings.public_url or local_web_url(settings.web_port), tz)
        if settings.web_port is not None
        else None
    )
    consents = ConsentFeature(store)
    assess = AssessmentFeature(
        store,
        content.questionnaires,
        content.profile,
        readiness=content.readiness,
        visuals=ReportRenderer(content.texts, tz),
        plans=store,
        web=web,
        after_finish=consents.ask_once,
    )
    links = StartLinks()
    team = TeamFeature(store, store, assess, links)
    features: list[Feature] = [
        assess,
        PlanFeature(store, store, content.questionnaires, tz, on_change=scheduler.wake),
        team,
        knowledge,
        editing,
        reminders,
        LinkFeature(store, store, outbox.try_send),
        PrivacyFeature(store, outbox.try_send),
        consents,
        PanelFeature(web, settings.admins),
    ]
    home = HomeFeature(store, others=features, answer=knowledge.answer, deep_link=team.join)
    dispatcher = Dispatcher(
        texts=content.texts,
        users=store,
        sessions=store,
        updates=store,
        clock=clock,
        features=[*features, home],
        free_text=home.free_text,
        max_input_chars=settings.max_input_chars,
        identities=store.canonical,
        throttle=Throttle(settings.rate_limit[0], timedelta(seconds=settings.rate_limit[1])),
        direct=outbox.send,
        topical=content.knowledge_base.mentions,
        shared=shared,
    )
    return Services(
        dispatcher, scheduler, outbox, reminders, team, links, knowledge, assess, feeds, web
    )


def wire_services(
    content: Content, store: MemoryStorage | SqliteStorage, clock: Clock, settings: Settings
) -> Dispatcher:
    """Create the services over one store and return the dispatcher."""
    return build_services(content, store, clock, settings).dispatcher


@asynccontextmanager
async def build_app(settings: Settings, *, clock: Clock | None = None) -> AsyncIterator[App]:
    """Load content, open storage and wire the services; close everything on exit.

    Raises:
        ContentError: a content file is invalid (start-up stops).
        StorageUnavailable: the database cannot be opened (start-up stops).

    """
    content = load_content(settings.content_dir, settings.locale, settings.index_cache)
    async with open_storage(settings) as storage:
        store = storage.store
        clock = clock or SystemClock()
        services = build_services(content, store, clock, settings, storage.shared)
        yield App(settings, content, services, store, storage.polling_leader, clock)
        log.info("shutting down")


def telegram_runner(app: App, routes: Routes | None = None) -> TelegramRunner | None:
    """Build the Telegram runner when ``TELEGRAM_BOT_TOKEN`` is set (``routes``: more pages)."""
    settings = app.settings
    if settings.telegram_bot_token is None:
        return None
    # Imported only when configured: the SDKs cost a second of start-up.
    from bot.adapters.telegram.runner import TelegramConfig, TelegramRunner

    secret = settings.telegram_webhook_secret
    config = TelegramConfig(
        token=settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.telegram_file_url,
        webhook_url=settings.telegram_webhook_url,
        webhook_listen=settings.telegram_webhook_listen,
        webhook_port=settings.telegram_webhook_port,
        webhook_secret=secret.get_secret_value() if secret else None,
        max_rate=settings.telegram_max_rate,
        routes=routes,
    )
    menus = app.content.menus
    commands: dict[str | None, list[tuple[str, str]]] = {
        None: menus[app.content.texts.default_locale].pairs()
    }
    commands.update({locale: menu.pairs() for locale, menu in menus.items()})
    return TelegramRunner(
        config,
        app.dispatcher.handle,
        commands,
        app.services.outbox.mark_unreachable,
        leader=app.polling_leader,
    )


def slack_runner(app: App, routes: Routes | None = None) -> SlackRunner | None:
    """Build the Slack runner when ``SLACK_BOT_TOKEN`` is set (``routes``: more pages)."""
    settings = app.settings
    if settings.slack_bot_token is None:
        return None
    from bot.adapters.slack.runner import SlackConfig, SlackRunner

    app_token, secret = settings.slack_app_token, settings.slack_signing_secret
    config = SlackConfig(
        bot_token=settings.slack_bot_token.get_secret_value(),
        app_token=app_token.get_secret_value() if app_token else None,
        signing_secret=secret.get_secret_value() if secret else None,
        api_url=settings.slack_api_url,
        http_host=settings.slack_http_host,
        http_port=settings.slack_http_port,
        routes=routes,
    )
    dispatcher = app.dispatcher
    return SlackRunner(
        config, dispatcher.handle, dispatcher.overview, app.services.outbox.mark_unreachable
    )


async def run(settings: Settings, inp: BinaryIO | None = None, out: TextIO | None = None) -> None:
    """Start the configured platforms; with none configured, chat on the console.

    Raises:
        DatabaseInUse: another process owns the database (start-up stops).
        DatabaseLost: the database file was deleted or replaced while running; everything
            is stopped first.

    """
    async with build_app(settings) as app, AsyncExitStack() as platforms:
        services, outbox = app.services, app.services.outbox
        links, view = services.web, None
        if links is not None:
            report = services.assess.shared_report
            view = make_view(settings, app.content, app.store, links, report, app.clock)
        shared = shared_with(settings) if view is not None else None
        telegram = telegram_runner(app, view.add_routes if view and shared == "telegram" else None)
        slack = slack_runner(app, view.add_routes if view and shared == "slack" else None)
        if view is not None and links is not None and shared is None:
            await platforms.enter_async_context(web_view(settings, view, links))
        if telegram is None and slack is None:
            chat = console_chat(app, inp, out)
            outbox.register("console", chat.messenger)
            log.info("no platform token set: starting the console chat")
            async with running(app.services.scheduler, app.services.feeds):
                await unless_lost(app.store, chat.run())
            return
        if telegram is not None:
            await platforms.enter_async_context(telegram)
            assert telegram.messenger is not None  # noqa: S101 - set on enter
            outbox.register("telegram", telegram.messenger)
            app.services.links.use(telegram.start_link)
        if slack is not None:
            await platforms.enter_async_context(slack)
            outbox.register("slack", slack.messenger)
        if links is not None and shared is not None:
            server = telegram if shared == "telegram" else slack
            announce(settings, links, server.port if server and server.port else 0)
        await platforms.enter_async_context(running(app.services.scheduler, app.services.feeds))
        await unless_lost(app.store, wait_for_stop_signal())


def console_chat(app: App, inp: BinaryIO | None, out: TextIO | None) -> ConsoleChat:
    """The console chat on stdin/stdout (line editing on a terminal), or on given streams."""
    stdin = inp if inp is not None else sys.stdin.buffer
    stdout = out if out is not None else sys.stdout
    terminal = inp is None and out is None and sys.stdin.isatty() and sys.stdout.isatty()

    async def locale() -> str:
        key = await app.store.canonical(CONSOLE.user_key) or CONSOLE.user_key
        user = await app.store.get_user(key)
        return user.locale if user else app.settings.locale

    return ConsoleChat(
        app.dispatcher.handle,
        open_lines(stdin, stdout, terminal=terminal),
        stdout,
        echo=not stdin.isatty(),
        voice=Voice(app.content.texts, locale),
        shelf=FileShelf(app.settings.console_files),
    )
