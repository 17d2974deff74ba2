"""The web view's server, part of the composition root (only :mod:`bot.app` uses it).

Jinja2 and the pages are imported only when ``CLUSTERBOT_WEB_PORT`` is set.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.core.ports import Clock
from bot.loader import Content

if TYPE_CHECKING:
    from typing import Protocol

    from bot.core.ports import UserStore
    from bot.core.web_ports import WebStore
    from bot.core.weblinks import WebLinks
    from bot.web.server import ReportSource

    class _Store(WebStore, UserStore, Protocol):
        """The one store that serves the pages (every backend is both)."""


log = logging.getLogger(__name__)


def local_web_url(port: int | None) -> str:
    """The web view's address on this machine (``CLUSTERBOT_PUBLIC_URL`` unset)."""
    return f"http://127.0.0.1:{port}"


@asynccontextmanager
async def web_view(
    settings: Settings,
    content: Content,
    store: _Store,
    links: WebLinks,
    report: ReportSource,
    clock: Clock,
) -> AsyncIterator[int]:
    """Serve the web view (with ``/healthz``) while the body runs; yield the bound port."""
    from bot.adapters.web import application, serving
    from bot.web.server import WebView

    if settings.web_port is None:
        raise RuntimeError("the web view is not configured (CLUSTERBOT_WEB_PORT)")
    view = WebView(
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
    web_app = application()
    view.add_routes(web_app)
    async with serving(web_app, settings.web_host, settings.web_port) as port:
        if settings.public_url is None:
            links.base_url = local_web_url(port)
        log.info("web view on %s", links.base_url)
        yield port
