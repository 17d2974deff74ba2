"""Assessments and their answers in memory."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import datetime

from bot.core.events import UserKey
from bot.core.records import AnswerRecord, AssessmentRecord
from bot.errors import RecordNotFound
from storage.codec import copy_record, dump_object
from storage.memory.tables import ANSWER_CODES, ASSESSMENT_STATUSES, Tables, require, utc


class MemoryAssessments(Tables):
    """The :class:`AssessmentStore` port."""

    async def create_assessment(
        self, owner: UserKey, questionnaire_id: str, version: str, now: datetime
    ) -> AssessmentRecord:
        """Create an in-progress assessment with a new id."""
        record = AssessmentRecord(
            id=self._next_id("assessments"),
            owner=owner,
            questionnaire_id=questionnaire_id,
            questionnaire_version=version,
            status="in_progress",
            created_at=utc(now),
            updated_at=utc(now),
        )
        self._assessments[record.id] = record
        self._answers[record.id] = {}
        return copy_record(record)

    async def get_assessment(self, assessment_id: int) -> AssessmentRecord | None:
        """Return a copy of the assessment or ``None``."""
        record = self._assessments.get(assessment_id)
        return None if record is None else copy_record(record)

    async def list_assessments(self, owner: UserKey) -> list[AssessmentRecord]:
        """Return the owner's assessments, newest first."""
        mine = [r for r in self._assessments.values() if r.owner == owner]
        return [copy_record(r) for r in sorted(mine, key=lambda r: r.id, reverse=True)]

    async def update_assessment(self, record: AssessmentRecord) -> None:
        """Replace the stored fields (id, owner and creation time stay)."""
        self._assessments[record.id] = self._updated(record)

    async def list_team(self, assessment_id: int) -> list[AssessmentRecord]:
        """Return the members' assessments of a team."""
        team = [r for r in self._assessments.values() if r.team_of == assessment_id]
        return [copy_record(r) for r in sorted(team, key=lambda r: r.id)]

    async def list_answers(self, assessment_id: int) -> dict[str, AnswerRecord]:
        """Return the answers by standard id."""
        return dict(self._answers.get(assessment_id, {}))  # records are frozen

    async def save_answer(self, assessment_id: int, answer: AnswerRecord) -> None:
        """Insert or replace one answer of a stored assessment."""
        answers = self._answers.get(assessment_id)
        if answers is None:
            raise RecordNotFound("assessment", assessment_id)
        answers[answer.standard_id] = _checked(answer)

    async def record_answer(self, record: AssessmentRecord, answer: AnswerRecord) -> None:
        """Store both, or neither when either is refused."""
        updated, checked = self._updated(record), _checked(answer)
        self._assessments[record.id] = updated
        self._answers[record.id][answer.standard_id] = checked

    async def delete_answers(self, assessment_id: int, standard_ids: Sequence[str]) -> None:
        """Drop the answers to these standards."""
        answers = self._answers.get(assessment_id, {})
        for standard_id in standard_ids:
            answers.pop(standard_id, None)

    def _updated(self, record: AssessmentRecord) -> AssessmentRecord:
        """The stored assessment with ``record``'s mutable fields (checked, not yet stored).

        Raises:
            RecordNotFound: no assessment has ``record.id``.
            StorageError: the status is not one the schema accepts.

        """
        stored = self._assessments.get(record.id)
        if stored is None:
            raise RecordNotFound("assessment", record.id)
        require("status", record.status, ASSESSMENT_STATUSES)
        updated = _stored(record)
        updated.owner, updated.created_at = stored.owner, stored.created_at
        updated.updated_at = utc(record.updated_at)
        if record.completed_at is not None:
            updated.completed_at = utc(record.completed_at)
        return updated


def _checked(answer: AnswerRecord) -> AnswerRecord:
    require("answer", answer.answer, ANSWER_CODES)
    at = utc(answer.answered_at)
    return answer if at is answer.answered_at else dataclasses.replace(answer, answered_at=at)


def _stored(record: AssessmentRecord) -> AssessmentRecord:
    """A copy of ``record`` as SQLite would store it: its JSON fields through JSON.

    Raises:
        TypeError: the profile or baseline holds a value JSON cannot.

    """
    stored = copy_record(record)
    stored.profile = json.loads(dump_object(record.profile))
    stored.baseline = {k: str(v) for k, v in json.loads(dump_object(record.baseline)).items()}
    return stored
