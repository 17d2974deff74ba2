"""The web view's server, part of the composition root (only :mod:`bot.app` uses it).

The pages are served on ``CLUSTERBOT_WEB_PORT``: on a server of their own, or, when that is
the Telegram webhook's or Slack HTTP mode's port, on that server beside the webhook (one port
behind the proxy). Jinja2 and the pages are imported only when the web view is configured.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.core.ports import Clock
from bot.loader import Content

if TYPE_CHECKING:
    from typing import Protocol

    from bot.core.ports import UserStore
    from bot.core.web_ports import WebStore
    from bot.core.weblinks import WebLinks
    from bot.web.server import ReportSource, WebView

    class _Store(WebStore, UserStore, Protocol):
        """The one store that serves the pages (every backend is both)."""


log = logging.getLogger(__name__)


def local_web_url(port: int | None) -> str:
    """The web view's address on this machine (``CLUSTERBOT_PUBLIC_URL`` unset)."""
    return f"http://127.0.0.1:{port}"


def shared_with(settings: Settings) -> Literal["telegram", "slack"] | None:
    """The platform server whose port the web view shares, if ``CLUSTERBOT_WEB_PORT`` is it."""
    port = settings.web_port
    if port is None:
        return None
    webhook = settings.telegram_bot_token and settings.telegram_webhook_url
    if webhook and port == settings.telegram_webhook_port:
        return "telegram"
    http_mode = settings.slack_signing_secret and not settings.slack_app_token
    if settings.slack_bot_token and http_mode and port == settings.slack_http_port:
        return "slack"
    return None


def make_view(
    settings: Settings,
    content: Content,
    store: _Store,
    links: WebLinks,
    report: ReportSource,
    clock: Clock,
) -> WebView:
    """The pages over the store and the content; their routes go on a server."""
    from bot.web.server import WebView

    return WebView(
        store,
        store,
        links,
        report,
        content.texts,
        content.questionnaires[0],
        content.profile,
        content.readiness.parp_2015,
        settings.admins,
        clock,
        ZoneInfo(settings.timezone),
    )


def announce(settings: Settings, links: WebLinks, port: int) -> None:
    """Point the links at the bound port (without a public address) and say where it is."""
    if settings.public_url is None:
        links.base_url = local_web_url(port)
    log.info("web view on %s", links.base_url)


@asynccontextmanager
async def web_view(settings: Settings, view: WebView, links: WebLinks) -> AsyncIterator[int]:
    """Serve the web view (with ``/healthz``) on its own port; yield the bound port."""
    from bot.adapters.web import application, serving

    if settings.web_port is None:
        raise RuntimeError("the web view is not configured (CLUSTERBOT_WEB_PORT)")
    web_app = application()
    view.add_routes(web_app)
    async with serving(web_app, settings.web_host, settings.web_port) as port:
        announce(settings, links, port)
        yield port
