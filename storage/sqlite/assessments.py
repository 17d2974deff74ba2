"""Assessments and their answers in SQLite."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.events import UserKey
from bot.core.records import AnswerRecord, AssessmentRecord
from bot.errors import RecordNotFound, StorageError
from storage.codec import copy_record, dump_object, dump_time, load_object, load_time
from storage.sqlite.database import Concern, violated
from storage.writer import Statement

_COLUMNS = (
    "id, platform, workspace, user_id, questionnaire_id, questionnaire_version, status, "
    "phase, profile, cursor, baseline, created_at, updated_at, completed_at, team_of"
)


class SqliteAssessments(Concern):
    """The :class:`AssessmentStore` port: assessments (cached) and answers (cached)."""

    async def create_assessment(
        self, owner: UserKey, questionnaire_id: str, version: str, now: datetime
    ) -> AssessmentRecord:
        """Create an in-progress assessment and return it with its id."""
        outcome = await self._db.execute(
            "INSERT INTO assessments (platform, workspace, user_id, questionnaire_id, "
            "questionnaire_version, status, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, 'in_progress', ?, ?)",
            (
                owner.platform,
                owner.workspace,
                owner.user_id,
                questionnaire_id,
                version,
                dump_time(now),
                dump_time(now),
            ),
        )
        if outcome.lastrowid is None:  # pragma: no cover - SQLite always sets it
            raise StorageError("the new assessment got no id")
        record = AssessmentRecord(
            id=outcome.lastrowid,
            owner=owner,
            questionnaire_id=questionnaire_id,
            questionnaire_version=version,
            status="in_progress",
            created_at=now,
            updated_at=now,
        )
        if self._caches.enabled:
            self._caches.assessments[record.id] = copy_record(record)
            self._caches.answers[record.id] = {}
        return record

    async def get_assessment(self, assessment_id: int) -> AssessmentRecord | None:
        """Return a copy of the assessment or ``None``."""
        cached = self._caches.assessments.get(assessment_id)
        if cached is not None:
            return copy_record(cached)
        rows = await self._fill(
            f"SELECT {_COLUMNS} FROM assessments WHERE id = ?",  # noqa: S608
            (assessment_id,),
        )
        if not rows:
            return None
        record = _assessment(rows[0])
        if not self._caches.enabled:
            return record
        self._caches.assessments[assessment_id] = record
        return copy_record(record)

    async def list_assessments(self, owner: UserKey) -> list[AssessmentRecord]:
        """Return the owner's assessments, newest first."""
        rows = await self._db.all(
            f"SELECT {_COLUMNS} FROM assessments "  # noqa: S608 - constant columns
            "WHERE platform = ? AND workspace = ? AND user_id = ? ORDER BY id DESC",
            (owner.platform, owner.workspace, owner.user_id),
        )
        return [_assessment(row) for row in rows]

    async def update_assessment(self, record: AssessmentRecord) -> None:
        """Store the mutable fields of the assessment."""
        written, texts = self._written(record)
        [outcome] = await self._db.write([_update(record, *texts)])
        if outcome.rowcount == 0:
            raise RecordNotFound("assessment", record.id)
        self._cache_update(written, texts)

    async def list_team(self, assessment_id: int) -> list[AssessmentRecord]:
        """Return the members' assessments of a team."""
        rows = await self._db.all(
            f"SELECT {_COLUMNS} FROM assessments WHERE team_of = ? ORDER BY id",  # noqa: S608
            (assessment_id,),
        )
        return [_assessment(row) for row in rows]

    async def list_answers(self, assessment_id: int) -> dict[str, AnswerRecord]:
        """Return the answers by standard id."""
        answers = self._caches.answers.get(assessment_id)
        if answers is None:
            rows = await self._fill(
                "SELECT standard_id, answer, note, answered_at FROM answers "
                "WHERE assessment_id = ?",
                (assessment_id,),
            )
            answers = {r[0]: AnswerRecord(r[0], r[1], r[2], load_time(r[3])) for r in rows}
            if self._caches.enabled:
                self._caches.answers[assessment_id] = answers
        return dict(answers)  # the records are frozen; the mapping is the caller's

    async def save_answer(self, assessment_id: int, answer: AnswerRecord) -> None:
        """Insert or replace one answer of a stored assessment."""
        await self._write_answer(assessment_id, [_upsert_answer(assessment_id, answer)])
        self._cache_answer(assessment_id, answer)

    async def record_answer(self, record: AssessmentRecord, answer: AnswerRecord) -> None:
        """Store the answer and the assessment's fields in one transaction."""
        written, texts = self._written(record)
        await self._write_answer(
            record.id, [_upsert_answer(record.id, answer), _update(record, *texts)]
        )
        self._cache_answer(record.id, answer)
        self._cache_update(written, texts)

    async def delete_answers(self, assessment_id: int, standard_ids: Sequence[str]) -> None:
        """Drop the answers to these standards."""
        sql = "DELETE FROM answers WHERE assessment_id = ? AND standard_id = ?"
        await self._db.write([(sql, (assessment_id, sid)) for sid in standard_ids])
        self._caches.answers.pop(assessment_id, None)

    async def _write_answer(self, assessment_id: int, unit: list[Statement]) -> None:
        try:
            await self._db.write(unit)
        except StorageError as exc:
            if violated(exc, "FOREIGN KEY"):
                raise RecordNotFound("assessment", assessment_id) from exc.__cause__
            raise

    def _written(self, record: AssessmentRecord) -> tuple[AssessmentRecord, tuple[str, str]]:
        """The record as the file will hold it after its update, and its JSON texts.

        The profile and baseline go through JSON as the file stores them (a tuple becomes a
        list), but a text unchanged since the last write reuses the cached parse: most turns
        change neither.

        Raises:
            TypeError: the profile or baseline holds a value JSON cannot (nothing is written).

        """
        texts = (dump_object(record.profile), dump_object(record.baseline))
        before = self._caches.assessments.get(record.id)
        if before is not None and self._caches.texts.get(record.id) == texts:
            profile, baseline = before.profile, before.baseline
        else:
            profile = json.loads(texts[0])
            baseline = {k: str(v) for k, v in json.loads(texts[1]).items()}
        written = copy_record(record, profile=profile, baseline=baseline)
        return written, texts

    def _cache_update(self, written: AssessmentRecord, texts: tuple[str, str]) -> None:
        """Update a cached assessment with the copy whose update was committed.

        Only the mutable fields were written: the cached owner and creation time stay.
        """
        before = self._caches.assessments.get(written.id)
        if before is not None:
            written.owner, written.created_at = before.owner, before.created_at
            self._caches.assessments[written.id] = written
            self._caches.texts[written.id] = texts

    def _cache_answer(self, assessment_id: int, answer: AnswerRecord) -> None:
        cached = self._caches.answers.get(assessment_id)
        if cached is not None:
            cached[answer.standard_id] = answer


def _assessment(row: Sequence[Any]) -> AssessmentRecord:
    """An ``assessments`` row (in ``_COLUMNS`` order) as a record."""
    (
        aid,
        platform,
        workspace,
        user_id,
        qid,
        version,
        status,
        phase,
        profile,
        cursor,
        baseline,
        created,
        updated,
        completed,
        team_of,
    ) = row
    return AssessmentRecord(
        id=int(aid),
        owner=UserKey(platform, workspace, user_id),
        questionnaire_id=qid,
        questionnaire_version=version,
        status=status,
        phase=phase,
        profile=load_object(profile),
        cursor=cursor,
        baseline={k: str(v) for k, v in load_object(baseline).items()},
        created_at=load_time(created),
        updated_at=load_time(updated),
        completed_at=None if completed is None else load_time(completed),
        team_of=None if team_of is None else int(team_of),
    )


def _update(record: AssessmentRecord, profile: str, baseline: str) -> Statement:
    """The UPDATE of an assessment's mutable fields (the profile and baseline as JSON text)."""
    return (
        "UPDATE assessments SET questionnaire_version = ?, status = ?, phase = ?, "
        "profile = ?, cursor = ?, baseline = ?, updated_at = ?, completed_at = ?, "
        "team_of = ? WHERE id = ?",
        (
            record.questionnaire_version,
            record.status,
            record.phase,
            profile,
            record.cursor,
            baseline,
            dump_time(record.updated_at),
            dump_time(record.completed_at) if record.completed_at else None,
            record.team_of,
            record.id,
        ),
    )


def _upsert_answer(assessment_id: int, answer: AnswerRecord) -> Statement:
    return (
        "INSERT INTO answers (assessment_id, standard_id, answer, note, answered_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (assessment_id, standard_id) DO UPDATE SET "
        "answer = excluded.answer, note = excluded.note, answered_at = excluded.answered_at",
        (
            assessment_id,
            answer.standard_id,
            answer.answer,
            answer.note,
            dump_time(answer.answered_at),
        ),
    )
