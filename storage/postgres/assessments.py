"""Assessments and their answers in PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg

from bot.core.events import UserKey
from bot.core.records import AnswerRecord, AssessmentRecord
from bot.errors import RecordNotFound, StorageError
from storage.codec import dump_object, load_object
from storage.postgres.database import Concern, Transaction, utc, violated

_COLUMNS = (
    "id, platform, workspace, user_id, questionnaire_id, questionnaire_version, status, "
    "phase, profile, cursor, baseline, created_at, updated_at, completed_at, team_of"
)
_UPDATE = (
    "UPDATE assessments SET questionnaire_version = $1, status = $2, phase = $3, "
    "profile = $4, cursor = $5, baseline = $6, updated_at = $7, completed_at = $8, "
    "team_of = $9 WHERE id = $10"
)
_UPSERT_ANSWER = (
    "INSERT INTO answers (assessment_id, standard_id, answer, note, answered_at) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (assessment_id, standard_id) DO UPDATE SET "
    "answer = excluded.answer, note = excluded.note, answered_at = excluded.answered_at"
)


class PostgresAssessments(Concern):
    """The :class:`AssessmentStore` port: assessments and their answers."""

    async def create_assessment(
        self, owner: UserKey, questionnaire_id: str, version: str, now: datetime
    ) -> AssessmentRecord:
        """Create an in-progress assessment and return it with its id."""
        at = utc(now)
        row = await self._db.one(
            "INSERT INTO assessments (platform, workspace, user_id, questionnaire_id, "
            "questionnaire_version, status, created_at, updated_at) "
            "VALUES ($1, $2, $3, $4, $5, 'in_progress', $6, $6) RETURNING id",
            owner.platform,
            owner.workspace,
            owner.user_id,
            questionnaire_id,
            version,
            at,
        )
        if row is None:  # pragma: no cover - RETURNING always gives the row
            raise StorageError("the new assessment got no id")
        return AssessmentRecord(
            id=int(row[0]),
            owner=owner,
            questionnaire_id=questionnaire_id,
            questionnaire_version=version,
            status="in_progress",
            created_at=now,
            updated_at=now,
        )

    async def get_assessment(self, assessment_id: int) -> AssessmentRecord | None:
        """Return the assessment (parsed afresh: the caller's own) or ``None``."""
        row = await self._db.one(
            f"SELECT {_COLUMNS} FROM assessments WHERE id = $1",  # noqa: S608
            assessment_id,
        )
        return None if row is None else _assessment(row)

    async def list_assessments(self, owner: UserKey) -> list[AssessmentRecord]:
        """Return the owner's assessments, newest first."""
        rows = await self._db.all(
            f"SELECT {_COLUMNS} FROM assessments "  # noqa: S608 - constant columns
            "WHERE platform = $1 AND workspace = $2 AND user_id = $3 ORDER BY id DESC",
            owner.platform,
            owner.workspace,
            owner.user_id,
        )
        return [_assessment(row) for row in rows]

    async def update_assessment(self, record: AssessmentRecord) -> None:
        """Store the mutable fields of the assessment.

        Raises:
            RecordNotFound: no assessment has ``record.id`` (nothing is stored).
            TypeError: the profile or baseline holds a value JSON cannot (nothing is stored).

        """
        if await self._db.execute(_UPDATE, *_updated(record)) == 0:
            raise RecordNotFound("assessment", record.id)

    async def list_team(self, assessment_id: int) -> list[AssessmentRecord]:
        """Return the members' assessments of a team."""
        rows = await self._db.all(
            f"SELECT {_COLUMNS} FROM assessments WHERE team_of = $1 ORDER BY id",  # noqa: S608
            assessment_id,
        )
        return [_assessment(row) for row in rows]

    async def list_answers(self, assessment_id: int) -> dict[str, AnswerRecord]:
        """Return the answers by standard id."""
        rows = await self._db.all(
            "SELECT standard_id, answer, note, answered_at FROM answers WHERE assessment_id = $1",
            assessment_id,
        )
        return {r[0]: AnswerRecord(r[0], r[1], r[2], r[3]) for r in rows}

    async def save_answer(self, assessment_id: int, answer: AnswerRecord) -> None:
        """Insert or replace one answer of a stored assessment.

        Raises:
            RecordNotFound: no assessment has ``assessment_id`` (nothing is stored).

        """
        try:
            await self._db.execute(_UPSERT_ANSWER, *_answer(assessment_id, answer))
        except StorageError as exc:
            if violated(exc, "FOREIGN KEY"):
                raise RecordNotFound("assessment", assessment_id) from exc.__cause__
            raise

    async def record_answer(self, record: AssessmentRecord, answer: AnswerRecord) -> None:
        """Store the answer and the assessment's fields in one transaction.

        Raises:
            RecordNotFound: no assessment has ``record.id`` (nothing is stored).

        """
        update, upsert = _updated(record), _answer(record.id, answer)
        try:
            async with self._db.transaction() as tx:
                await tx.execute(_UPSERT_ANSWER, *upsert)
                await _update_in(tx, record.id, update)
        except StorageError as exc:
            if violated(exc, "FOREIGN KEY"):
                raise RecordNotFound("assessment", record.id) from exc.__cause__
            raise

    async def delete_answers(self, assessment_id: int, standard_ids: Sequence[str]) -> None:
        """Drop the answers to these standards (one statement)."""
        await self._db.execute(
            "DELETE FROM answers WHERE assessment_id = $1 AND standard_id = ANY($2::text[])",
            assessment_id,
            list(standard_ids),
        )


async def _update_in(tx: Transaction, assessment_id: int, update: tuple[object, ...]) -> None:
    if await tx.execute(_UPDATE, *update) == 0:
        raise RecordNotFound("assessment", assessment_id)


def _assessment(row: asyncpg.Record) -> AssessmentRecord:
    """An ``assessments`` row (in ``_COLUMNS`` order) as a record."""
    team_of = row["team_of"]
    return AssessmentRecord(
        id=int(row["id"]),
        owner=UserKey(row["platform"], row["workspace"], row["user_id"]),
        questionnaire_id=row["questionnaire_id"],
        questionnaire_version=row["questionnaire_version"],
        status=row["status"],
        phase=row["phase"],
        profile=load_object(row["profile"]),
        cursor=row["cursor"],
        baseline={k: str(v) for k, v in load_object(row["baseline"]).items()},
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        completed_at=row["completed_at"],
        team_of=None if team_of is None else int(team_of),
    )


def _updated(record: AssessmentRecord) -> tuple[object, ...]:
    """The arguments of ``_UPDATE`` (the profile and baseline as JSON text).

    Raises:
        TypeError: the profile or baseline holds a value JSON cannot.
        ValueError: a time is naive.

    """
    return (
        record.questionnaire_version,
        record.status,
        record.phase,
        dump_object(record.profile),
        record.cursor,
        dump_object(record.baseline),
        utc(record.updated_at),
        utc(record.completed_at) if record.completed_at else None,
        record.team_of,
        record.id,
    )


def _answer(assessment_id: int, answer: AnswerRecord) -> tuple[object, ...]:
    """The arguments of ``_UPSERT_ANSWER``."""
    return (
        assessment_id,
        answer.standard_id,
        answer.answer,
        answer.note,
        utc(answer.answered_at),
    )
