"""One contract, run against every store implementation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.events import UserKey
from bot.core.ports import SessionState, User
from storage.memory import MemoryStorage
from storage.sqlite import SqliteStorage

KEY = UserKey("telegram", "", "42")
OTHER = UserKey("slack", "T1", "42")
T0 = datetime(2026, 5, 27, 8, 0, tzinfo=UTC)


@pytest.fixture(params=["memory", "sqlite", "sqlite-uncached"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[object]:
    if request.param == "memory":
        yield MemoryStorage()
        return
    cache_size = 0 if request.param == "sqlite-uncached" else 1000
    db = await SqliteStorage.open(str(tmp_path / "contract.sqlite3"), cache_size)
    yield db
    await db.close()


class TestStoreContract:
    async def test_unknown_user_is_none(self, store: MemoryStorage) -> None:
        assert await store.get_user(KEY) is None

    async def test_user_round_trip_and_locale_update_keeps_first_contact(
        self, store: MemoryStorage
    ) -> None:
        await store.save_user(User(KEY, "pl", T0))
        await store.save_user(User(KEY, "en", T0 + timedelta(days=3)))
        user = await store.get_user(KEY)
        assert user == User(KEY, "en", T0)
        assert user.created_at.tzinfo is not None

    async def test_user_can_be_marked_inactive_and_back(self, store: MemoryStorage) -> None:
        await store.save_user(User(KEY, "pl", T0))
        await store.save_user(User(KEY, "pl", T0, active=False))
        assert (await store.get_user(KEY)).active is False  # type: ignore[union-attr]
        await store.save_user(User(KEY, "pl", T0, active=True))
        assert (await store.get_user(KEY)).active is True  # type: ignore[union-attr]

    async def test_users_of_two_platforms_are_separate(self, store: MemoryStorage) -> None:
        await store.save_user(User(KEY, "pl", T0))
        await store.save_user(User(OTHER, "en", T0))
        assert (await store.get_user(KEY)).locale == "pl"  # type: ignore[union-attr]
        assert (await store.get_user(OTHER)).locale == "en"  # type: ignore[union-attr]

    async def test_missing_session_is_empty(self, store: MemoryStorage) -> None:
        assert await store.load_session(KEY) == SessionState()

    async def test_session_round_trip_is_a_copy(self, store: MemoryStorage) -> None:
        state = SessionState(step="assess.note", data={"standard": "2.1.1", "n": [1, 2], "ą": "ż"})
        await store.save_session(KEY, state)
        state.data["standard"] = "changed after saving"
        loaded = await store.load_session(KEY)
        assert loaded == SessionState(
            step="assess.note", data={"standard": "2.1.1", "n": [1, 2], "ą": "ż"}
        )
        loaded.data["n"].append(3)
        assert (await store.load_session(KEY)).data["n"] == [1, 2]

    async def test_session_replace_and_clear_step(self, store: MemoryStorage) -> None:
        await store.save_session(KEY, SessionState(step="x.y", data={"a": 1}))
        await store.save_session(KEY, SessionState())
        assert await store.load_session(KEY) == SessionState()
        assert await store.load_session(OTHER) == SessionState()

    async def test_session_rejects_values_json_cannot_hold(self, store: MemoryStorage) -> None:
        with pytest.raises(TypeError):
            await store.save_session(KEY, SessionState(data={"when": object()}))

    async def test_update_log(self, store: MemoryStorage) -> None:
        assert not await store.seen("telegram::1")
        await store.remember("telegram::1", T0)
        await store.remember("telegram::1", T0 + timedelta(hours=1))
        await store.remember("telegram::2", T0 + timedelta(days=3))
        assert await store.seen("telegram::1")
        assert await store.forget_before(T0 + timedelta(days=1)) == 1
        assert not await store.seen("telegram::1")
        assert await store.seen("telegram::2")

    async def test_text_is_stored_as_text(self, store: MemoryStorage) -> None:
        evil = "x'); DROP TABLE users; --"
        await store.save_user(User(UserKey("console", "", evil), "pl", T0))
        await store.save_session(KEY, SessionState(step=evil, data={evil: evil}))
        assert (await store.load_session(KEY)).data == {evil: evil}
        assert await store.get_user(UserKey("console", "", evil)) is not None

    async def test_codes_work_once_expire_and_spare_their_maker(self, store: MemoryStorage) -> None:
        from bot.core.records import OneTimeCode

        await store.create_code(OneTimeCode("ABCD2345", "link", KEY, T0 + timedelta(minutes=10)))
        assert await store.redeem_code("ABCD2345", "invite", T0, OTHER) is None  # wrong kind
        mine = await store.redeem_code("ABCD2345", "link", T0, KEY)
        assert mine is not None and mine.used_at is None  # the maker does not use it up
        used = await store.redeem_code("ABCD2345", "link", T0, OTHER)
        assert used is not None and used.owner == KEY and used.used_at == T0
        assert await store.redeem_code("ABCD2345", "link", T0, OTHER) is None  # once
        await store.create_code(OneTimeCode("EFGH6789", "link", KEY, T0 + timedelta(minutes=10)))
        assert (
            await store.redeem_code("EFGH6789", "link", T0 + timedelta(minutes=11), OTHER) is None
        )

    async def test_an_answer_recorded_with_its_assessment(self, store: MemoryStorage) -> None:
        from bot.core.ports import AnswerRecord

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

    async def test_action_items_and_links_and_teams(self, store: MemoryStorage) -> None:
        from datetime import date

        from bot.core.events import Address
        from bot.core.records import ActionItem

        address = Address("telegram", "42", "42")
        item = await store.add_action(
            ActionItem(0, KEY, address, 1, "2.1.1", "T", "Ala", date(2026, 6, 30), T0)
        )
        assert item.id > 0
        assert [i.standard_id for i in await store.list_actions(KEY)] == ["2.1.1"]
        assert await store.close_action(OTHER, item.id, T0) is False
        assert await store.close_action(KEY, item.id, T0) is True
        assert await store.list_actions() == []
        assert await store.canonical(OTHER) is None
        await store.link_identity(OTHER, KEY, T0)
        assert await store.canonical(OTHER) == KEY
        lead = await store.create_assessment(KEY, "q", "1", T0)
        member = await store.create_assessment(OTHER, "q", "1", T0)
        member.team_of = lead.id
        await store.update_assessment(member)
        assert [r.id for r in await store.list_team(lead.id)] == [member.id]

    async def test_links_are_listed_and_undone(self, store: MemoryStorage) -> None:
        third = UserKey("console", "", "7")
        assert await store.list_aliases(KEY) == []
        assert await store.unlink_identity(OTHER) is False
        await store.link_identity(OTHER, KEY, T0)
        await store.link_identity(third, KEY, T0 + timedelta(seconds=1))
        assert await store.list_aliases(KEY) == [OTHER, third]
        assert await store.canonical(OTHER) == KEY  # read once: a cache now holds it
        assert await store.unlink_identity(OTHER) is True
        assert await store.canonical(OTHER) is None
        assert await store.list_aliases(KEY) == [third]
        assert await store.unlink_identity(OTHER) is False


async def test_content_changes_keep_order_ids_and_fields(store: object) -> None:
    from bot.core.records import ContentChange

    call = ContentChange(
        "feng-217", "call", "telegram:1", T0, "https://parp.gov.pl/x", None, T0.date(), "5 mln zł"
    )
    note = ContentChange("esca-gold", "note", "slack:T1:U1", T0, "https://e.be/", text="Cennik")
    first = await store.add_content_change(call)  # type: ignore[attr-defined]
    second = await store.add_content_change(note)  # type: ignore[attr-defined]
    assert second.id > first.id > 0
    assert await store.list_content_changes("esca-gold") == [second]  # type: ignore[attr-defined]
    assert await store.list_content_changes() == [first, second]  # type: ignore[attr-defined]
