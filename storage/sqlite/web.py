"""Secret web links, overview consents and the overview's rows in SQLite (nothing cached)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.events import UserKey
from bot.core.web_ports import Consent, OverviewRow, WebToken
from bot.errors import DuplicateRecord, StorageError
from storage.codec import dump_time, load_object, load_time
from storage.sqlite.database import Concern, violated

_OWNER = "platform = ? AND workspace = ? AND user_id = ?"
_COLUMNS = (
    "digest, kind, platform, workspace, user_id, assessment_id, created_at, expires_at, "
    "used_at, revoked_at"
)
#: The self-evaluations the overview counts (``a``: assessments, ``c``: consents).
_COUNTED = (
    "FROM assessments AS a JOIN consents AS c ON c.platform = a.platform "
    "AND c.workspace = a.workspace AND c.user_id = a.user_id "
    "WHERE c.overview = 1 AND a.status = 'completed' AND a.phase IS NOT NULL "
    "AND a.team_of IS NULL AND a.completed_at IS NOT NULL"
)


def _maybe_time(moment: datetime | None) -> str | None:
    return None if moment is None else dump_time(moment)


def _token(row: Sequence[Any]) -> WebToken:
    """A ``web_tokens`` row (in ``_COLUMNS`` order) as a record."""
    digest, kind, platform, workspace, user_id, aid, created, expires, used, revoked = row
    return WebToken(
        digest=digest,
        kind=kind,
        owner=UserKey(platform, workspace, user_id),
        created_at=load_time(created),
        expires_at=load_time(expires),
        assessment_id=None if aid is None else int(aid),
        used_at=None if used is None else load_time(used),
        revoked_at=None if revoked is None else load_time(revoked),
    )


class SqliteWebTokens(Concern):
    """The :class:`WebTokenStore` port."""

    async def add_web_token(self, token: WebToken) -> None:
        """Store a new token."""
        k = token.owner
        try:
            await self._db.execute(
                f"INSERT INTO web_tokens ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
                (
                    token.digest,
                    token.kind,
                    k.platform,
                    k.workspace,
                    k.user_id,
                    token.assessment_id,
                    dump_time(token.created_at),
                    dump_time(token.expires_at),
                    _maybe_time(token.used_at),
                    _maybe_time(token.revoked_at),
                ),
            )
        except StorageError as exc:
            if violated(exc, "UNIQUE"):
                raise DuplicateRecord("web token", token.digest) from exc.__cause__
            raise

    async def get_web_token(self, digest: str) -> WebToken | None:
        """Return the token with this digest, whatever its state, or ``None``."""
        row = await self._db.one(
            f"SELECT {_COLUMNS} FROM web_tokens WHERE digest = ?",  # noqa: S608
            (digest,),
        )
        return None if row is None else _token(row)

    async def use_web_token(self, digest: str, kind: str, now: datetime) -> WebToken | None:
        """Use a live, unused token of ``kind`` once: one UPDATE decides the one winner."""
        at = dump_time(now)
        outcome = await self._db.execute(
            "UPDATE web_tokens SET used_at = ? WHERE digest = ? AND kind = ? "
            "AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
            (at, digest, kind, at),
        )
        if outcome.rowcount != 1:
            return None
        return await self.get_web_token(digest)  # used_at is ours: it never changes again

    async def revoke_web_tokens(self, owner: UserKey, kind: str, at: datetime) -> int:
        """Revoke the owner's unrevoked tokens of ``kind``; return how many."""
        outcome = await self._db.execute(
            f"UPDATE web_tokens SET revoked_at = ? WHERE {_OWNER} AND kind = ? "  # noqa: S608
            "AND revoked_at IS NULL",
            (dump_time(at), owner.platform, owner.workspace, owner.user_id, kind),
        )
        return outcome.rowcount

    async def list_web_tokens(self, owner: UserKey) -> list[WebToken]:
        """Return the owner's tokens by creation time and digest (for the data export)."""
        rows = await self._db.all(
            f"SELECT {_COLUMNS} FROM web_tokens WHERE {_OWNER} ORDER BY created_at, digest",  # noqa: S608
            (owner.platform, owner.workspace, owner.user_id),
        )
        return [_token(row) for row in rows]


class SqliteConsents(Concern):
    """The :class:`ConsentStore` port."""

    async def get_consent(self, owner: UserKey) -> Consent | None:
        """Return the owner's answer or ``None``."""
        row = await self._db.one(
            f"SELECT overview, decided_at FROM consents WHERE {_OWNER}",  # noqa: S608
            (owner.platform, owner.workspace, owner.user_id),
        )
        return None if row is None else Consent(owner, bool(row[0]), load_time(row[1]))

    async def set_consent(self, consent: Consent) -> None:
        """Store the owner's answer, replacing an earlier one."""
        k = consent.owner
        await self._db.execute(
            "INSERT INTO consents (platform, workspace, user_id, overview, decided_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, workspace, user_id) DO UPDATE SET "
            "overview = excluded.overview, decided_at = excluded.decided_at",
            (
                k.platform,
                k.workspace,
                k.user_id,
                int(consent.overview),
                dump_time(consent.decided_at),
            ),
        )


class SqliteOverview(Concern):
    """The :class:`OverviewSource` port: one query for the assessments, one for the answers."""

    async def overview_rows(self) -> list[OverviewRow]:
        """Return the consenting owners' finished self-evaluations, oldest finished first."""
        rows = await self._db.all(
            "SELECT a.id, a.platform, a.workspace, a.user_id, a.questionnaire_id, a.phase, "
            f"a.profile, a.completed_at {_COUNTED} ORDER BY a.completed_at, a.id"
        )
        if not rows:
            return []
        ids = [int(r[0]) for r in rows]
        answers = await self._db.all(
            "SELECT assessment_id, standard_id, answer FROM answers "
            "WHERE assessment_id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        )
        codes: dict[int, dict[str, str | None]] = {aid: {} for aid in ids}
        for aid, standard_id, answer in sorted(answers, key=lambda a: (a[0], a[1])):
            codes[int(aid)][standard_id] = answer
        return [
            OverviewRow(
                owner=UserKey(r[1], r[2], r[3]),
                assessment_id=int(r[0]),
                questionnaire_id=r[4],
                phase=r[5],
                completed_at=load_time(r[7]),
                profile=load_object(r[6]),
                codes=codes[int(r[0])],
            )
            for r in rows
        ]
