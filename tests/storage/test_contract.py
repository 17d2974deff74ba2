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


@pytest.fixture(params=["memory", "sqlite"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[object]:
    if request.param == "memory":
        yield MemoryStorage()
        return
    db = await SqliteStorage.open(str(tmp_path / "contract.sqlite3"))
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
