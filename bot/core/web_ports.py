"""The web view's seams: secret links, the overview consent and the overview's reads.

Like the ports of :mod:`bot.core.ports`: ``storage.memory``, ``storage.sqlite`` and
``storage.postgres`` implement each, and one contract test class per port
(``tests/storage/test_contract_web.py``) holds them to the same answers. Any method may raise
:class:`bot.errors.StorageError` when the database fails; every write is committed when its
call returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.core.events import UserKey

#: The kinds of secret web link.
REPORT_LINK = "report"  # a coordinator's report page, 30 days, revocable
SIGN_IN = "signin"  # an administrator's one-time sign-in link, 15 minutes, single use
WEB_SESSION = "session"  # an administrator's signed-in browser, 8 hours
WEB_TOKEN_KINDS = (REPORT_LINK, SIGN_IN, WEB_SESSION)


@dataclass(frozen=True, slots=True)
class WebToken:
    """A secret web link or browser session, stored by the SHA-256 digest of its secret.

    The secret itself is never stored: ``digest`` is its SHA-256 in lower-case hex (64
    characters). ``assessment_id`` names the self-evaluation a report link shows.
    """

    digest: str
    kind: str  # report | signin | session
    owner: UserKey
    created_at: datetime
    expires_at: datetime
    assessment_id: int | None = None
    used_at: datetime | None = None
    revoked_at: datetime | None = None

    def live(self, now: datetime) -> bool:
        """Whether the link still works at ``now`` (not expired, not revoked)."""
        return self.revoked_at is None and now < self.expires_at


@dataclass(frozen=True, slots=True)
class Consent:
    """Whether an owner's finished self-evaluations may count in the anonymised overview."""

    owner: UserKey
    overview: bool
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class OverviewRow:
    """One finished self-evaluation whose owner agreed to the anonymised overview.

    ``owner`` only tells rows of one cluster apart; the overview never shows it.
    """

    owner: UserKey
    assessment_id: int
    questionnaire_id: str
    phase: str
    completed_at: datetime
    profile: dict[str, Any] = field(default_factory=dict)
    #: Answer codes by standard id (``y``, ``n``, ``u``, ``s`` or ``None``).
    codes: dict[str, str | None] = field(default_factory=dict)


class WebTokenStore(Protocol):
    """Report links, sign-in links and browser sessions."""

    async def add_web_token(self, token: WebToken) -> None:
        """Store a new token; its times are read back in UTC.

        A ``kind`` not in :data:`WEB_TOKEN_KINDS`, or a digest that is not 64 lower-case hex
        characters, is refused by the schema: :class:`bot.errors.StorageError`.

        Raises:
            bot.errors.DuplicateRecord: a token with this digest exists (the stored one stays);
                its ``kind`` is ``"web token"``, its ``key`` the digest.

        """
        ...

    async def get_web_token(self, digest: str) -> WebToken | None:
        """Return the token with this digest, expired, used or revoked too; ``None`` if unknown."""
        ...

    async def use_web_token(self, digest: str, kind: str, now: datetime) -> WebToken | None:
        """Use a single-use token once: return it with ``used_at`` = ``now`` (in UTC).

        ``None`` when no token of this kind has the digest, or it was used, revoked or has
        expired (``expires_at <= now``). Of two concurrent calls (in one process or in
        several workers), exactly one gets the token: the check and the mark are one step.
        """
        ...

    async def revoke_web_tokens(self, owner: UserKey, kind: str, at: datetime) -> int:
        """Revoke the owner's tokens of ``kind`` not yet revoked; return how many.

        Expired and used ones count too; a token revoked before keeps its ``revoked_at``.
        """
        ...


class ConsentStore(Protocol):
    """The owners' answers to "may your results count in the national overview?"."""

    async def get_consent(self, owner: UserKey) -> Consent | None:
        """Return the owner's answer, or ``None`` when they were never asked or never answered."""
        ...

    async def set_consent(self, consent: Consent) -> None:
        """Store the owner's answer, replacing an earlier one (``decided_at`` read back in UTC)."""
        ...


class OverviewSource(Protocol):
    """What the anonymised overview is computed from."""

    async def overview_rows(self) -> list[OverviewRow]:
        """Return the self-evaluations the overview may count, oldest finished first.

        Those ``completed``, with a phase and a ``completed_at``, not a team member's copy
        (``team_of`` is ``None``), whose owner's consent says ``overview=True``; ordered by
        ``completed_at``, then id. ``codes`` holds every stored answer of the assessment, in
        standard-id order. The owner's consent is looked up by the assessment's own owner key
        (linked accounts are not followed). Empty list when none.
        """
        ...


class WebStore(WebTokenStore, ConsentStore, OverviewSource, Protocol):
    """Everything the web view reads and writes."""
