"""The small aiohttp server both HTTP-facing modes share: binding, and `/healthz`."""

from __future__ import annotations

from aiohttp import web


async def serve(app: web.Application, host: str, port: int) -> tuple[web.AppRunner, int]:
    """Start `app` with `GET /healthz` added; return the runner and the bound port."""
    app.router.add_get("/healthz", healthz)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    server = site._server  # the bound port, when 0 was asked for
    sockets = getattr(server, "sockets", None) or []
    return runner, (sockets[0].getsockname()[1] if sockets else port)


async def healthz(request: web.Request) -> web.Response:
    """Liveness only: answers without touching storage or user data."""
    return web.json_response({"ok": True})
