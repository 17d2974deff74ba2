"""The small aiohttp server both HTTP-facing modes share: binding, limits and `/healthz`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

log = logging.getLogger(__name__)

#: The largest request body accepted; a larger one gets 413 unread. Nothing Telegram or Slack
#: sends comes near it: a Telegram message is at most 4,096 characters, a Slack message
#: 40,000 and a Slack modal view 250 kB, and even a Slack interaction payload repeating the
#: message's blocks, percent-encoded, stays well under it.
MAX_REQUEST_BYTES = 1024 * 1024


class _ClientErrors(logging.Filter):
    """A client's malformed HTTP (request line, headers, chunked framing) is one DEBUG line.

    aiohttp answers it with 400 by itself, then logs a traceback at ERROR, which would let
    anyone fill the log with a few bytes each.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError):
            log.debug("malformed HTTP request refused with %s (%s)", exc.code, type(exc).__name__)
            return False
        return True


#: The servers' connection log (aiohttp's ``aiohttp.server`` otherwise), with the filter above.
server_log = logging.getLogger(f"{__name__}.server")
server_log.addFilter(_ClientErrors())


def application() -> web.Application:
    """An aiohttp application with our limit on request bodies."""
    return web.Application(client_max_size=MAX_REQUEST_BYTES)


async def serve(app: web.Application, host: str, port: int) -> tuple[web.AppRunner, int]:
    """Start `app` with `GET /healthz` added; return the runner and the bound port."""
    app.router.add_get("/healthz", healthz)
    runner = web.AppRunner(app, access_log=None, logger=server_log)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    server = site._server  # the bound port, when 0 was asked for
    sockets = getattr(server, "sockets", None) or []
    return runner, (sockets[0].getsockname()[1] if sockets else port)


async def healthz(request: web.Request) -> web.Response:
    """Liveness only: answers without touching storage or user data."""
    return web.json_response({"ok": True})


@asynccontextmanager
async def serving(app: web.Application, host: str, port: int) -> AsyncIterator[int]:
    """Serve `app` (with `/healthz`) for the body of the ``async with``; yield the bound port."""
    runner, bound = await serve(app, host, port)
    try:
        yield bound
    finally:
        await runner.cleanup()
