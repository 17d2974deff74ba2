"""The HTTP client behind the ``CalendarFetcher`` port: aiohttp, conditional GETs, limits.

An adapter like the platforms' ones: features may not import an HTTP library, so the
reminders feature sees only the port; ``bot.app`` creates it. One short-lived session per
fetch: feeds are polled hourly.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import aiohttp

from bot.core.ports import FeedResponse

log = logging.getLogger(__name__)

#: Seconds for a whole fetch (connect, answer, body).
TIMEOUT = 30.0
#: The largest calendar accepted (a year of a busy institution's events is far smaller).
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "clusterbot (cluster coordinator assistant; calendar feed reader)"


class HttpCalendarFetcher:
    """Fetches calendar feeds over http(s) only, within a time and a size limit."""

    def __init__(self, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._max_bytes = max_bytes

    async def fetch(self, url: str, etag: str | None, last_modified: str | None) -> FeedResponse:
        """GET ``url`` (conditionally); every failure is a ``FeedResponse.problem``."""
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            return FeedResponse(0, problem="scheme")
        headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            async with (
                aiohttp.ClientSession(timeout=self._timeout) as session,
                session.get(url, headers=headers, max_redirects=MAX_REDIRECTS) as response,
            ):
                if response.status == 304:
                    return FeedResponse(304)
                if response.status != 200:
                    return FeedResponse(response.status, problem="http")
                if (response.content_length or 0) > self._max_bytes:
                    return FeedResponse(200, problem="too_big")
                body = bytearray()
                async for chunk in response.content.iter_chunked(64 * 1024):
                    body += chunk
                    if len(body) > self._max_bytes:
                        return FeedResponse(200, problem="too_big")
                return FeedResponse(
                    200,
                    bytes(body),
                    etag=response.headers.get("ETag"),
                    last_modified=response.headers.get("Last-Modified"),
                )
        except TimeoutError:
            return FeedResponse(0, problem="timeout")
        except (aiohttp.ClientError, OSError, ValueError) as exc:
            log.debug("calendar feed fetch failed: %s", type(exc).__name__)
            return FeedResponse(0, problem="network")
