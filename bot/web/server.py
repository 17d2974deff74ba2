"""The web view's routes on the assistant's aiohttp server: report pages and the overview.

- ``GET /report/<secret>``: one self-evaluation's report, read-only, for whoever has the link
  (30 days, revocable in chat); a revoked, expired or unknown link gets a polite page.
- ``GET /panel/signin/<secret>``: a page with one button; its ``POST`` uses the one-time
  link (15 minutes) and opens a session (cookie: HttpOnly, SameSite=Strict, Secure behind
  HTTPS, 8 hours). A GET never uses the link, so a chat's link preview cannot spend it.
- ``GET /panel``: the anonymised overview with filters in the query string;
  ``/panel/overview.csv`` and ``.xlsx`` download it; ``POST /panel/signout`` ends sessions.

Every response carries the security headers (CSP without scripts, no framing, no referrer);
pages with data are never cached. Bad input (a forged link, a tampered cookie, an unknown
filter value, a huge query string) gets a 4xx page and changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.assessment.insights import Parp2015
from bot.assessment.model import ProfileSpec, Questionnaire
from bot.assessment.report_data import ReportData
from bot.core.i18n import SUPPORTED_LOCALES, Texts
from bot.core.ports import Clock, UserStore
from bot.core.web_ports import (
    REPORT_LINK,
    SIGN_IN,
    WEB_SESSION,
    OverviewRow,
    WebStore,
    WebToken,
)
from bot.core.weblinks import SESSION_HOURS, WebLinks, digest, looks_like_secret
from bot.errors import StorageError
from bot.web import downloads, overview
from bot.web.filters import FILTER_NAMES, FilterOptions, Filters
from bot.web.overview import Overview
from bot.web.overview_page import overview_page
from bot.web.pages import Pages
from bot.web.report_page import report_page

log = logging.getLogger(__name__)

COOKIE = "clusterbot_session"
#: A longer query string is refused (414) before anything reads it.
MAX_QUERY = 1024
STATIC = Path(__file__).parent / "static"

ReportSource = Callable[[int, datetime], Awaitable[ReportData | None]]
#: What adds the pages to a server (:meth:`WebView.add_routes`).
Routes = Callable[[web.Application], None]

_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


class WebView:
    """The pages, over the web store, the report source and the content."""

    def __init__(
        self,
        store: WebStore,
        users: UserStore,
        links: WebLinks,
        report: ReportSource,
        texts: Texts,
        questionnaire: Questionnaire,
        profile: ProfileSpec,
        parp_2015: Parp2015,
        admins: frozenset[str],
        clock: Clock,
        tz: ZoneInfo,
    ) -> None:
        self._store = store
        self._users = users
        self._links = links
        self._report = report
        self._texts = texts
        self._q = questionnaire
        self._profile = profile
        self._parp = parp_2015
        self._admins = admins
        self._clock = clock
        self._tz = tz
        self._secure = links.base_url.startswith("https://")
        self._pages = Pages(texts)

    def add_routes(self, app: web.Application) -> None:
        """Add the pages to ``app`` (the shared server, beside ``/healthz``)."""
        app.router.add_get("/report/{secret}", self.report)
        app.router.add_get("/panel/signin/{secret}", self.sign_in_page)
        app.router.add_post("/panel/signin/{secret}", self.sign_in)
        app.router.add_get("/panel", self.panel)
        app.router.add_get("/panel/overview.csv", self.download_csv)
        app.router.add_get("/panel/overview.xlsx", self.download_xlsx)
        app.router.add_post("/panel/signout", self.sign_out)
        app.router.add_get("/static/web.css", self.stylesheet)
        app.middlewares.append(self._guard)
        app.on_response_prepare.append(_secure_headers)

    # -- the coordinator's report page -----------------------------------------------------

    async def report(self, request: web.Request) -> web.StreamResponse:
        """The report behind a live link; a polite page for anything else."""
        locale = self._locale(request)
        token = await self._token(request.match_info["secret"], REPORT_LINK)
        now = self._clock.now()
        if token is None:
            return self._message(locale, "page.gone.unknown", 404)
        if not token.live(now) or token.assessment_id is None:
            return self._message(locale, "page.gone.report", 410)
        data = await self._report(token.assessment_id, now)
        if data is None or data.record.owner != token.owner:
            return self._message(locale, "page.gone.report", 410)
        if "lang" not in request.query:
            user = await self._users.get_user(token.owner)
            locale = user.locale if user and user.locale in SUPPORTED_LOCALES else locale
        page = report_page(data, self._texts, locale, self._tz)
        html = self._pages.render(
            "report.html", locale, page=page, lang_href=_other_language(request, locale)
        )
        return _html(html)

    # -- signing in ------------------------------------------------------------------------

    async def sign_in_page(self, request: web.Request) -> web.StreamResponse:
        """A button that signs in; the link itself is used only by pressing it."""
        locale = self._locale(request)
        token = await self._token(request.match_info["secret"], SIGN_IN)
        if token is None or token.used_at is not None or not token.live(self._clock.now()):
            return self._message(locale, "page.gone.sign_in", 410)
        html = self._pages.render("signin.html", locale, action=request.path)
        return _html(html)

    async def sign_in(self, request: web.Request) -> web.StreamResponse:
        """Use the one-time link and open a session."""
        locale = self._locale(request)
        secret = request.match_info["secret"]
        now = self._clock.now()
        used = None
        if looks_like_secret(secret):
            used = await self._store.use_web_token(digest(secret), SIGN_IN, now)
        if used is None:
            return self._message(locale, "page.gone.sign_in", 410)
        if used.owner.account not in self._admins:
            return self._message(locale, "page.denied", 403)
        session, _ = await self._links.issue(
            WEB_SESSION, used.owner, now, timedelta(hours=SESSION_HOURS)
        )
        response = web.Response(status=303, headers={"Location": f"/panel?lang={locale}"})
        response.set_cookie(
            COOKIE,
            session,
            max_age=SESSION_HOURS * 3600,
            path="/panel",
            httponly=True,
            secure=self._secure,
            samesite="Strict",
        )
        return response

    async def sign_out(self, request: web.Request) -> web.StreamResponse:
        """End the administrator's sessions (every browser) and forget the cookie."""
        session = await self._session(request)
        if session is not None:
            await self._store.revoke_web_tokens(session.owner, WEB_SESSION, self._clock.now())
        response = self._message(self._locale(request), "page.signed_out", 200)
        response.del_cookie(COOKIE, path="/panel")
        return response

    # -- the overview ----------------------------------------------------------------------

    async def panel(self, request: web.Request) -> web.StreamResponse:
        """The anonymised overview, filtered by the query string."""
        locale = self._locale(request)
        result = await self._overview(request, locale)
        if isinstance(result, web.Response):
            return result
        rows, filters, options = result
        data = await self._aggregate(rows, filters)
        page = overview_page(
            data, filters, options, self._q, self._profile, self._parp, self._texts, locale
        )
        html = self._pages.render(
            "overview.html", locale, page=page, lang_href=_other_language(request, locale)
        )
        return _html(html)

    async def download_csv(self, request: web.Request) -> web.StreamResponse:
        """The overview's standards table for Polish Excel."""
        return await self._download(request, "csv")

    async def download_xlsx(self, request: web.Request) -> web.StreamResponse:
        """The overview as a workbook."""
        return await self._download(request, "xlsx")

    async def _download(self, request: web.Request, kind: str) -> web.StreamResponse:
        locale = self._locale(request)
        result = await self._overview(request, locale)
        if isinstance(result, web.Response):
            return result
        rows, filters, _ = result
        data = await self._aggregate(rows, filters)
        stem = "przeglad-klastrow" if locale == "pl" else "cluster-overview"
        if kind == "csv":
            body = downloads.overview_csv(data, self._q, self._texts, locale)
            mime = "text/csv; charset=utf-8"
        else:
            body = await asyncio.to_thread(
                downloads.overview_xlsx, data, self._q, self._texts, locale
            )
            mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return web.Response(
            body=body,
            headers={
                "Content-Type": mime,
                "Content-Disposition": f'attachment; filename="{stem}.{kind}"',
                "Cache-Control": "no-store",
            },
        )

    async def _aggregate(self, rows: list[OverviewRow], filters: Filters) -> Overview:
        """The overview of ``rows`` (in a thread: thousands of rows take a noticeable moment)."""
        return await asyncio.to_thread(
            overview.aggregate,
            rows,
            self._q,
            self._parp,
            filters,
            self._tz,
            profile_spec=self._profile,
        )

    async def _overview(
        self, request: web.Request, locale: str
    ) -> web.Response | tuple[list[OverviewRow], Filters, FilterOptions]:
        """The rows and valid filters, or the page that refuses the request."""
        if await self._session(request) is None:
            return self._message(locale, "page.sign_in_first", 401)
        rows = await self._store.overview_rows()
        options = overview.filter_options(rows, self._q, self._profile, self._tz)
        try:
            filters = Filters(**{name: request.query.get(name) or None for name in FILTER_NAMES})
        except ValueError:
            return self._message(locale, "page.bad_filter", 400)
        if options.unknown(filters):
            return self._message(locale, "page.bad_filter", 400)
        return rows, filters, options

    # -- shared ----------------------------------------------------------------------------

    async def stylesheet(self, request: web.Request) -> web.StreamResponse:
        """The one stylesheet (screen and A4 print)."""
        return web.Response(
            body=(STATIC / "web.css").read_bytes(),
            headers={"Content-Type": "text/css; charset=utf-8", "Cache-Control": "max-age=3600"},
        )

    async def _token(self, secret: str, kind: str) -> WebToken | None:
        if not looks_like_secret(secret):
            return None
        token = await self._store.get_web_token(digest(secret))
        return token if token is not None and token.kind == kind else None

    async def _session(self, request: web.Request) -> WebToken | None:
        """The signed-in administrator's live session, or ``None``."""
        token = await self._token(request.cookies.get(COOKIE, ""), WEB_SESSION)
        if token is None or not token.live(self._clock.now()):
            return None
        return token if token.owner.account in self._admins else None

    def _locale(self, request: web.Request) -> str:
        lang = request.query.get("lang", "")
        return lang if lang in SUPPORTED_LOCALES else self._texts.default_locale

    def _message(self, locale: str, key: str, status: int) -> web.Response:
        html = self._pages.render("message.html", locale, key=key)
        return _html(html, status)

    @web.middleware
    async def _guard(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        """Refuse huge query strings and cross-site posts; a store failure is a polite 503."""
        if len(request.query_string) > MAX_QUERY:
            return self._message(self._texts.default_locale, "page.too_long", 414)
        if request.method == "POST" and request.headers.get("Sec-Fetch-Site") == "cross-site":
            # Another site's form: no signing in or out on someone else's behalf.
            return self._message(self._locale(request), "page.denied", 403)
        try:
            return await handler(request)
        except StorageError:
            log.exception("web view: the database failed on %s", request.path)
            return self._message(self._locale(request), "page.unavailable", 503)


def _other_language(request: web.Request, locale: str) -> str:
    """The address of the same page in the other language, its filters kept."""
    query = {k: v for k, v in request.query.items() if k != "lang"}
    query["lang"] = "en" if locale == "pl" else "pl"
    return f"{request.path}?{urlencode(query)}"


def _html(body: str, status: int = 200) -> web.Response:
    return web.Response(
        text=body,
        status=status,
        content_type="text/html",
        charset="utf-8",
        headers={"Cache-Control": "no-store"},
    )


async def _secure_headers(request: web.Request, response: web.StreamResponse) -> None:
    """The security headers on every response of the server (the webhooks' too)."""
    for name, value in _SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.secure or request.headers.get("X-Forwarded-Proto") == "https":
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
