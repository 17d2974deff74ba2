"""Secret web links the chat hands out: a report page to share, an administrator's sign-in.

A link carries a random secret (256 bits, URL-safe); the store keeps only its SHA-256, so a
copy of the database opens nothing. The web view (:mod:`bot.web`) checks the same digests.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.events import UserKey
from bot.core.web_ports import REPORT_LINK, SIGN_IN, WebToken, WebTokenStore
from bot.errors import DuplicateRecord

#: How long a shared report link works.
REPORT_DAYS = 30
#: How long a sign-in link works (once).
SIGN_IN_MINUTES = 15
#: How long a signed-in browser session lasts.
SESSION_HOURS = 8

#: Where the pages live under the public address.
REPORT_PATH = "/report/"
SIGN_IN_PATH = "/panel/signin/"


def digest(secret: str) -> str:
    """The SHA-256 of a link's secret, as stored (lower-case hex)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def looks_like_secret(secret: str) -> bool:
    """Whether ``secret`` has the shape of ours (43 URL-safe characters): cheap refusal first."""
    return len(secret) == 43 and all(c.isascii() and (c.isalnum() or c in "-_") for c in secret)


@dataclass(frozen=True, slots=True)
class IssuedLink:
    """A link just made: its address and when it stops working."""

    url: str
    expires_at: datetime


class WebLinks:
    """Makes and revokes the links; ``base_url`` is the web view's public address.

    ``tz`` is the time zone the chat states expiry times in.
    """

    def __init__(self, store: WebTokenStore, base_url: str, tz: ZoneInfo) -> None:
        self._store = store
        self.base_url = base_url.rstrip("/")
        self.tz = tz

    async def issue(
        self,
        kind: str,
        owner: UserKey,
        now: datetime,
        lifetime: timedelta,
        assessment_id: int | None = None,
    ) -> tuple[str, WebToken]:
        """Store a new token of ``kind``; return its secret (shown once) and the record."""
        while True:
            secret = secrets.token_urlsafe(32)
            token = WebToken(digest(secret), kind, owner, now, now + lifetime, assessment_id)
            try:
                await self._store.add_web_token(token)
            except DuplicateRecord:  # pragma: no cover - 2**-256
                continue
            return secret, token

    async def report_link(self, owner: UserKey, assessment_id: int, now: datetime) -> IssuedLink:
        """A read-only link to one self-evaluation's report page, valid :data:`REPORT_DAYS`."""
        secret, token = await self.issue(
            REPORT_LINK, owner, now, timedelta(days=REPORT_DAYS), assessment_id
        )
        return IssuedLink(f"{self.base_url}{REPORT_PATH}{secret}", token.expires_at)

    async def revoke_reports(self, owner: UserKey, now: datetime) -> int:
        """Revoke every report link of ``owner``; return how many still worked or existed."""
        return await self._store.revoke_web_tokens(owner, REPORT_LINK, now)

    async def sign_in_link(self, owner: UserKey, now: datetime) -> IssuedLink:
        """A one-time sign-in link to the overview, valid :data:`SIGN_IN_MINUTES`."""
        secret, token = await self.issue(SIGN_IN, owner, now, timedelta(minutes=SIGN_IN_MINUTES))
        return IssuedLink(f"{self.base_url}{SIGN_IN_PATH}{secret}", token.expires_at)
