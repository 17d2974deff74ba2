"""Secret web links, overview consents and the overview's rows in memory."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime

from bot.core.events import UserKey
from bot.core.records import copy_json
from bot.core.web_ports import WEB_TOKEN_KINDS, Consent, OverviewRow, WebToken
from bot.errors import DuplicateRecord, StorageError
from storage.memory.tables import Tables, require, utc

#: What the schema's CHECK accepts as a digest: SHA-256 in lower-case hex.
_DIGEST = re.compile(r"[0-9a-f]{64}")


def _maybe_utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else utc(moment)


class MemoryWebTokens(Tables):
    """The :class:`WebTokenStore` port (tokens are frozen: safe to share)."""

    async def add_web_token(self, token: WebToken) -> None:
        """Store a new token (checked as the schema checks it, then for a duplicate)."""
        require("kind", token.kind, WEB_TOKEN_KINDS)
        if not _DIGEST.fullmatch(token.digest):
            raise StorageError(f"the database refused the operation: digest {token.digest!r}")
        stored = dataclasses.replace(
            token,
            created_at=utc(token.created_at),
            expires_at=utc(token.expires_at),
            used_at=_maybe_utc(token.used_at),
            revoked_at=_maybe_utc(token.revoked_at),
        )
        if token.digest in self._web_tokens:
            raise DuplicateRecord("web token", token.digest)
        self._web_tokens[token.digest] = stored

    async def get_web_token(self, digest: str) -> WebToken | None:
        """Return the token with this digest, whatever its state, or ``None``."""
        return self._web_tokens.get(digest)

    async def use_web_token(self, digest: str, kind: str, now: datetime) -> WebToken | None:
        """Use a live, unused token of ``kind`` once (no await inside: one winner)."""
        found = self._web_tokens.get(digest)
        if (
            found is None
            or found.kind != kind
            or found.used_at is not None
            or found.revoked_at is not None
            or found.expires_at <= now
        ):
            return None
        used = dataclasses.replace(found, used_at=utc(now))
        self._web_tokens[digest] = used
        return used

    async def revoke_web_tokens(self, owner: UserKey, kind: str, at: datetime) -> int:
        """Revoke the owner's unrevoked tokens of ``kind``; return how many."""
        mine = [
            t
            for t in self._web_tokens.values()
            if t.owner == owner and t.kind == kind and t.revoked_at is None
        ]
        revoked_at = utc(at)
        for token in mine:
            self._web_tokens[token.digest] = dataclasses.replace(token, revoked_at=revoked_at)
        return len(mine)

    async def list_web_tokens(self, owner: UserKey) -> list[WebToken]:
        """Return the owner's tokens by creation time and digest (for the data export)."""
        mine = [t for t in self._web_tokens.values() if t.owner == owner]
        return sorted(mine, key=lambda t: (t.created_at, t.digest))


class MemoryConsents(Tables):
    """The :class:`ConsentStore` port (consents are frozen: safe to share)."""

    async def get_consent(self, owner: UserKey) -> Consent | None:
        """Return the owner's answer or ``None``."""
        return self._consents.get(owner)

    async def set_consent(self, consent: Consent) -> None:
        """Store the owner's answer, replacing an earlier one."""
        self._consents[consent.owner] = dataclasses.replace(
            consent, overview=bool(consent.overview), decided_at=utc(consent.decided_at)
        )


class MemoryOverview(Tables):
    """The :class:`OverviewSource` port."""

    async def overview_rows(self) -> list[OverviewRow]:
        """Return the consenting owners' finished self-evaluations, oldest finished first."""
        rows = []
        for r in self._assessments.values():
            consent = self._consents.get(r.owner)
            if (
                r.status != "completed"
                or r.phase is None
                or r.team_of is not None
                or r.completed_at is None
                or consent is None
                or not consent.overview
            ):
                continue
            answers = self._answers.get(r.id, {})
            rows.append(
                OverviewRow(
                    owner=r.owner,
                    assessment_id=r.id,
                    questionnaire_id=r.questionnaire_id,
                    phase=r.phase,
                    completed_at=r.completed_at,
                    profile=copy_json(r.profile),
                    codes={sid: answers[sid].answer for sid in sorted(answers)},
                )
            )
        rows.sort(key=lambda row: (row.completed_at, row.assessment_id))
        return rows
