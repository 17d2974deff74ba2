"""Slack's HTTP mode: Bolt's AsyncApp behind our aiohttp server, a body checked before Bolt.

Bolt's own aiohttp adapter parses the body before it checks the signature, so a body it
cannot parse ends in a 500 and a traceback, whoever sends it. Here a body that is not what
Slack sends (UTF-8 JSON for events; a form for commands, and for interactivity a form with
a JSON ``payload``) gets 400 and one DEBUG line; a larger one than the server accepts, 413.
Everything else goes to Bolt, which answers an unsigned or badly signed request with 401.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.adapters.web import application

log = logging.getLogger(__name__)

#: What Bolt's parsing and context building raise on a body of the wrong shape (JSON that is
#: not an object, an object whose ``team`` is a number, nesting deeper than Python recurses).
_UNPARSABLE = (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError)


def web_app(
    bolt: AsyncApp, path: str, routes: Callable[[web.Application], None] | None = None
) -> web.Application:
    """An aiohttp application serving ``bolt`` at ``path`` (events, commands, interactivity).

    ``routes`` adds more (the web view, when it shares the port).
    """

    async def on_request(request: web.Request) -> web.StreamResponse:
        return await handle(bolt, request)

    app = application()
    app.router.add_post(path, on_request)
    if routes is not None:
        routes(app)
    return app


async def handle(bolt: AsyncApp, request: web.Request) -> web.StreamResponse:
    """Answer one request from Slack: 400 for a body Slack would not send, else Bolt's answer."""
    started = time.perf_counter()
    raw = await request.read()  # beyond the server's limit: 413, raised by aiohttp
    parsed = to_bolt_request(raw, request.query_string, request.headers.items())
    if parsed is None:
        log.debug("slack request refused with 400: %d bytes, not JSON or a form", len(raw))
        return web.Response(status=400)
    response = await bolt.async_dispatch(parsed)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status == 401:  # nothing in an unverified body is worth repeating
        log.debug("slack request refused with 401 (signature) in %.1f ms", elapsed)
    else:
        log.debug("slack %s: HTTP %s in %.1f ms", _described(parsed.body), response.status, elapsed)
    return await to_aiohttp_response(response)


def to_bolt_request(
    raw: bytes, query: str, headers: Iterable[tuple[str, str]]
) -> AsyncBoltRequest | None:
    """Bolt's request for a body Slack could have sent, or None.

    ``headers`` are (name, value) pairs; a repeated name keeps its last value, as in Bolt.
    """
    if not raw:
        return None
    try:
        parsed = AsyncBoltRequest(body=raw.decode("utf-8"), query=query, headers=dict(headers))
    except _UNPARSABLE:
        return None
    return parsed if isinstance(parsed.body, dict) else None


def _described(body: dict[str, Any]) -> str:
    """A verified request for the log: its type, event type or command, and event id."""
    event = body.get("event")
    kind = (
        body.get("type"),
        event.get("type") if isinstance(event, dict) else None,
        body.get("command"),
    )
    described = "/".join(str(part)[:40] for part in kind if part) or "request"
    event_id = body.get("event_id")
    return f"{described} {str(event_id)[:40]}" if event_id else described
