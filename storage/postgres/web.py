"""Secret web links, overview consents and the overview's rows in PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from bot.core.events import UserKey
from bot.core.web_ports import Consent, OverviewRow, WebToken
from bot.errors import DuplicateRecord, StorageError
from storage.codec import load_object
from storage.postgres.database import Concern, utc, violated

_OWNER = "platform = $1 AND workspace = $2 AND user_id = $3"
_COLUMNS = (
    "digest, kind, platform, workspace, user_id, assessment_id, created_at, expires_at, "
    "used_at, revoked_at"
)


def _maybe_utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else utc(moment)


def _token(row: asyncpg.Record) -> WebToken:
    """A ``web_tokens`` row (with the ``_COLUMNS`` columns) as a record."""
    aid = row["assessment_id"]
    return WebToken(
        digest=row["digest"],
        kind=row["kind"],
        owner=UserKey(row["platform"], row["workspace"], row["user_id"]),
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        assessment_id=None if aid is None else int(aid),
        used_at=row["used_at"],
        revoked_at=row["revoked_at"],
    )


class PostgresWebTokens(Concern):
    """The :class:`WebTokenStore` port."""

    async def add_web_token(self, token: WebToken) -> None:
        """Store a new token.

        Raises:
            DuplicateRecord: a token with this digest exists (the stored one stays).

        """
        k = token.owner
        try:
            await self._db.execute(
                f"INSERT INTO web_tokens ({_COLUMNS}) "  # noqa: S608 - constant columns
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                token.digest,
                token.kind,
                k.platform,
                k.workspace,
                k.user_id,
                token.assessment_id,
                utc(token.created_at),
                utc(token.expires_at),
                _maybe_utc(token.used_at),
                _maybe_utc(token.revoked_at),
            )
        except StorageError as exc:
            if violated(exc, "UNIQUE"):
                raise DuplicateRecord("web token", token.digest) from exc.__cause__
            raise

    async def get_web_token(self, digest: str) -> WebToken | None:
        """Return the token with this digest, whatever its state, or ``None``."""
        row = await self._db.one(
            f"SELECT {_COLUMNS} FROM web_tokens WHERE digest = $1",  # noqa: S608
            digest,
        )
        return None if row is None else _token(row)

    async def use_web_token(self, digest: str, kind: str, now: datetime) -> WebToken | None:
        """Use a live, unused token of ``kind`` once: one UPDATE decides the one winner."""
        row = await self._db.one(
            "UPDATE web_tokens SET used_at = $3 WHERE digest = $1 AND kind = $2 "  # noqa: S608
            "AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $3 "
            f"RETURNING {_COLUMNS}",
            digest,
            kind,
            utc(now),
        )
        return None if row is None else _token(row)

    async def revoke_web_tokens(self, owner: UserKey, kind: str, at: datetime) -> int:
        """Revoke the owner's unrevoked tokens of ``kind``; return how many."""
        return await self._db.execute(
            f"UPDATE web_tokens SET revoked_at = $5 WHERE {_OWNER} AND kind = $4 "  # noqa: S608
            "AND revoked_at IS NULL",
            owner.platform,
            owner.workspace,
            owner.user_id,
            kind,
            utc(at),
        )

    async def list_web_tokens(self, owner: UserKey) -> list[WebToken]:
        """Return the owner's tokens by creation time and digest (for the data export)."""
        rows = await self._db.all(
            f"SELECT {_COLUMNS} FROM web_tokens WHERE {_OWNER} "  # noqa: S608
            "ORDER BY created_at, digest",
            owner.platform,
            owner.workspace,
            owner.user_id,
        )
        return [_token(row) for row in rows]


class PostgresConsents(Concern):
    """The :class:`ConsentStore` port."""

    async def get_consent(self, owner: UserKey) -> Consent | None:
        """Return the owner's answer or ``None``."""
        row = await self._db.one(
            f"SELECT overview, decided_at FROM consents WHERE {_OWNER}",  # noqa: S608
            owner.platform,
            owner.workspace,
            owner.user_id,
        )
        return None if row is None else Consent(owner, bool(row[0]), row[1])

    async def set_consent(self, consent: Consent) -> None:
        """Store the owner's answer, replacing an earlier one."""
        k = consent.owner
        await self._db.execute(
            "INSERT INTO consents (platform, workspace, user_id, overview, decided_at) "
            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (platform, workspace, user_id) DO UPDATE "
            "SET overview = excluded.overview, decided_at = excluded.decided_at",
            k.platform,
            k.workspace,
            k.user_id,
            bool(consent.overview),
            utc(consent.decided_at),
        )


class PostgresOverview(Concern):
    """The :class:`OverviewSource` port: one query for the assessments, one for the answers."""

    async def overview_rows(self) -> list[OverviewRow]:
        """Return the consenting owners' finished self-evaluations, oldest finished first."""
        rows = await self._db.all(
            "SELECT a.id, a.platform, a.workspace, a.user_id, a.questionnaire_id, a.phase, "
            "a.profile, a.completed_at FROM assessments AS a JOIN consents AS c "
            "ON c.platform = a.platform AND c.workspace = a.workspace AND c.user_id = a.user_id "
            "WHERE c.overview AND a.status = 'completed' AND a.phase IS NOT NULL "
            "AND a.team_of IS NULL AND a.completed_at IS NOT NULL "
            "ORDER BY a.completed_at, a.id"
        )
        if not rows:
            return []
        ids = [int(r["id"]) for r in rows]
        answers = await self._db.all(
            "SELECT assessment_id, standard_id, answer FROM answers "
            "WHERE assessment_id = ANY($1::bigint[])",
            ids,
        )
        codes: dict[int, dict[str, str | None]] = {aid: {} for aid in ids}
        # Sorted here, by code point as SQLite's byte order: whatever the database collation.
        for a in sorted(answers, key=lambda a: (a[0], a[1])):
            codes[int(a[0])][a[1]] = a[2]
        return [
            OverviewRow(
                owner=UserKey(r["platform"], r["workspace"], r["user_id"]),
                assessment_id=int(r["id"]),
                questionnaire_id=r["questionnaire_id"],
                phase=r["phase"],
                completed_at=r["completed_at"],
                profile=load_object(r["profile"]),
                codes=codes[int(r["id"])],
            )
            for r in rows
        ]
