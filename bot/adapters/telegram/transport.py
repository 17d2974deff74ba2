"""PTB's HTTP transport on aiohttp instead of httpx.

python-telegram-bot sends every Bot API call through a ``BaseRequest``; its default,
``HTTPXRequest``, costs about 1 ms of CPU per call on our machines, while an aiohttp client
session (already a dependency for the webhook and Slack servers) costs about a fifth of
that (``benchmarks/telegram.py`` measures both bots end to end). A button press costs us three
calls (answer the query, mark the pressed message, send the next question), so this is where
the Telegram adapter spends its CPU. The design follows the ``AiohttpRequest`` of PTB's
contrib repository (python-telegram-bot/ptbcontrib, ``aiohttp_request``), which is not
published on PyPI.
"""

from __future__ import annotations

import logging
import time

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)


class AiohttpRequest(BaseRequest):
    """A ``BaseRequest`` on one ``aiohttp.ClientSession`` with a bounded connection pool.

    Timeouts mean what they mean for ``HTTPXRequest`` (same defaults): ``read`` bounds the
    wait for response data, ``connect`` a new connection, ``pool`` the wait for a free
    connection. aiohttp has no write timeout; a stalled upload ends with the read timeout.
    """

    __slots__ = ("_pool_size", "_session", "_timeouts")

    def __init__(
        self,
        connection_pool_size: int = 1,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._timeouts = (read_timeout, connect_timeout, pool_timeout)
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout in seconds."""
        return self._timeouts[0]

    async def initialize(self) -> None:
        """Open the session (in the running loop)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                timeout=aiohttp.ClientTimeout(total=None),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; map aiohttp's failures to PTB's ``TimedOut``/``NetworkError``."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("this AiohttpRequest is not initialized")
        read, connect, pool = (
            _seconds(given, default)
            for given, default in zip(
                (read_timeout, connect_timeout, pool_timeout), self._timeouts, strict=True
            )
        )
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=read,
        )
        data: aiohttp.FormData | bytes | None = None
        headers: dict[str, str] = {}
        if request_data is not None:
            files = request_data.multipart_data
            if files:
                form = aiohttp.FormData(request_data.json_parameters)
                for name, (filename, content, mimetype) in files.items():
                    form.add_field(name, content, filename=filename, content_type=mimetype)
                data = form
            else:
                # Encoded here: aiohttp would build a multipart writer for every dict first.
                data = request_data.url_encoded_parameters().encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            async with session.request(
                method, url, data=data, headers=headers, timeout=timeout
            ) as response:
                body = await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
        if log.isEnabledFor(logging.DEBUG):
            # The method's name only: the URL holds the token, the body the message.
            elapsed = (time.perf_counter() - started) * 1000
            log.debug(
                "bot api %s: HTTP %s in %.1f ms", url.rsplit("/", 1)[-1], response.status, elapsed
            )
        return response.status, body


def _seconds(given: object, default: float | None) -> float | None:
    """A timeout passed to a call (``None``: no limit), or this transport's default."""
    if given is BaseRequest.DEFAULT_NONE:
        return default
    return float(given) if isinstance(given, int | float) else None
