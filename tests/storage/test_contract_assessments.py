"""The contract of the assessment ports on every backend: records, answers, ids and errors."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.records import AnswerRecord
from bot.errors import RecordNotFound, StorageError
from tests.storage.conftest import KEY, OTHER, T0, Store

UNKNOWN = 999_999


class TestAssessmentRecords:
    async def test_a_new_assessment_is_in_progress_with_an_id(self, store: Store) -> None:
        record = await store.create_assessment(KEY, "parp", "v1", T0)
        assert record.id > 0 and record.status == "in_progress" and record.owner == KEY
        assert await store.get_assessment(record.id) == record
        assert await store.get_assessment(UNKNOWN) is None

    async def test_listed_newest_first_per_owner(self, store: Store) -> None:
        first = await store.create_assessment(KEY, "parp", "v1", T0)
        await store.create_assessment(OTHER, "parp", "v1", T0)
        second = await store.create_assessment(KEY, "parp", "v2", T0 + timedelta(days=1))
        assert [r.id for r in await store.list_assessments(KEY)] == [second.id, first.id]
        assert second.id > first.id

    async def test_an_update_keeps_id_owner_and_creation(self, store: Store) -> None:
        record = await store.create_assessment(KEY, "parp", "v1", T0)
        changed = await store.get_assessment(record.id)
        assert changed is not None
        changed.owner, changed.created_at = OTHER, T0 + timedelta(days=9)
        changed.profile = {"name": "Klaster", "sizes": [1, 2]}
        changed.baseline = {"1.1.1": "y"}
        changed.status, changed.phase, changed.cursor = "completed", "rozwój", None
        changed.completed_at = changed.updated_at = T0 + timedelta(hours=2)
        await store.update_assessment(changed)
        again = await store.get_assessment(record.id)
        assert again is not None
        assert (again.owner, again.created_at) == (KEY, T0)
        assert (again.profile, again.baseline) == (
            {"name": "Klaster", "sizes": [1, 2]},
            {"1.1.1": "y"},
        )
        assert (again.status, again.phase, again.completed_at) == (
            "completed",
            "rozwój",
            T0 + timedelta(hours=2),
        )

    async def test_a_record_read_back_is_a_copy(self, store: Store) -> None:
        record = await store.create_assessment(KEY, "parp", "v1", T0)
        record.profile = {"name": "A", "list": [1]}
        await store.update_assessment(record)
        record.profile["list"].append(2)  # the caller's copy, after saving
        loaded = await store.get_assessment(record.id)
        assert loaded is not None and loaded.profile == {"name": "A", "list": [1]}
        loaded.profile["list"].append(3)
        loaded.baseline["x"] = "y"
        again = await store.get_assessment(record.id)
        assert again is not None and again.profile == {"name": "A", "list": [1]}
        assert again.baseline == {}

    async def test_saved_twice_unchanged_it_is_still_the_store_s_own_copy(
        self, store: Store
    ) -> None:
        record = await store.create_assessment(KEY, "parp", "v1", T0)
        record.profile = {"sizes": (1, 2), "list": [1]}
        await store.update_assessment(record)
        await store.update_assessment(record)  # the same text: a cache may reuse its parse
        record.profile["list"].append(2)  # the caller's objects, after both saves
        loaded = await store.get_assessment(record.id)
        assert loaded is not None and loaded.profile == {"sizes": [1, 2], "list": [1]}
        loaded.profile["list"].append(3)
        await store.update_assessment(loaded)
        again = await store.get_assessment(record.id)
        assert again is not None and again.profile["list"] == [1, 3]

    async def test_an_unknown_id_cannot_be_updated(self, store: Store) -> None:
        record = await store.create_assessment(KEY, "parp", "v1", T0)
        record.id = UNKNOWN
        with pytest.raises(RecordNotFound) as info:
            await store.update_assessment(record)
        assert (info.value.kind, info.value.id) == ("assessment", UNKNOWN)
        assert await store.get_assessment(UNKNOWN) is None

    async def test_a_status_the_schema_does_not_know_is_refused(self, store: Store) -> None:
        record = await store.create_assessment(KEY, "parp", "v1", T0)
        record.status = "paused"
        with pytest.raises(StorageError):
            await store.update_assessment(record)
        assert (await store.get_assessment(record.id)).status == "in_progress"  # type: ignore[union-attr]

    async def test_teams_are_listed_by_their_lead(self, store: Store) -> None:
        lead = await store.create_assessment(KEY, "q", "1", T0)
        member = await store.create_assessment(OTHER, "q", "1", T0)
        member.team_of = lead.id
        await store.update_assessment(member)
        assert [r.id for r in await store.list_team(lead.id)] == [member.id]
        assert await store.list_team(member.id) == []


class TestAnswerStore:
    async def test_answers_are_stored_replaced_and_deleted(self, store: Store) -> None:
        record = await store.create_assessment(KEY, "q", "1", T0)
        assert await store.list_answers(record.id) == {}
        await store.save_answer(record.id, AnswerRecord("1.1.1", "y", "", T0))
        await store.save_answer(record.id, AnswerRecord("1.1.2", None, "notatka", T0))
        await store.save_answer(record.id, AnswerRecord("1.1.1", "n", "zmiana", T0))
        assert await store.list_answers(record.id) == {
            "1.1.1": AnswerRecord("1.1.1", "n", "zmiana", T0),
            "1.1.2": AnswerRecord("1.1.2", None, "notatka", T0),
        }
        await store.delete_answers(record.id, ["1.1.1", "9.9.9"])
        assert set(await store.list_answers(record.id)) == {"1.1.2"}
        await store.delete_answers(UNKNOWN, ["1.1.1"])  # unknown ids are ignored
        assert await store.list_answers(UNKNOWN) == {}

    async def test_an_answer_recorded_with_its_assessment(self, store: Store) -> None:
        record = await store.create_assessment(KEY, "q", "1", T0)
        record.cursor, record.updated_at = "1.1.2", T0 + timedelta(minutes=1)
        await store.record_answer(record, AnswerRecord("1.1.1", "y", "uwaga", T0))
        again = await store.get_assessment(record.id)
        assert (
            again is not None and again.cursor == "1.1.2" and again.updated_at == record.updated_at
        )
        assert await store.list_answers(record.id) == {
            "1.1.1": AnswerRecord("1.1.1", "y", "uwaga", T0)
        }

    async def test_an_answer_to_an_unknown_assessment_is_refused(self, store: Store) -> None:
        # In SQLite a foreign key: never the driver's exception, the store's error.
        with pytest.raises(RecordNotFound) as info:
            await store.save_answer(UNKNOWN, AnswerRecord("1.1.1", "y", "", T0))
        assert (info.value.kind, info.value.id) == ("assessment", UNKNOWN)
        assert await store.list_answers(UNKNOWN) == {}

    async def test_recording_for_an_unknown_assessment_stores_neither(self, store: Store) -> None:
        record = await store.create_assessment(KEY, "q", "1", T0)
        record.id = UNKNOWN
        with pytest.raises(RecordNotFound):
            await store.record_answer(record, AnswerRecord("1.1.1", "y", "", T0))
        assert await store.list_answers(UNKNOWN) == {}
        assert await store.get_assessment(UNKNOWN) is None

    async def test_an_answer_code_the_schema_does_not_know_stores_nothing(
        self, store: Store
    ) -> None:
        record = await store.create_assessment(KEY, "q", "1", T0)
        record.cursor = "1.1.2"
        with pytest.raises(StorageError):
            await store.record_answer(record, AnswerRecord("1.1.1", "maybe", "", T0))
        assert await store.list_answers(record.id) == {}
        assert (await store.get_assessment(record.id)).cursor is None  # type: ignore[union-attr]
