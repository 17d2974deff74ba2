"""The contract of the people ports, on every backend: users, sessions, the update log, links."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.events import UserKey
from bot.core.records import SessionState, User
from tests.storage.conftest import KEY, OTHER, T0, Store


class TestUserStore:
    async def test_unknown_user_is_none(self, store: Store) -> None:
        assert await store.get_user(KEY) is None

    async def test_user_round_trip_and_locale_update_keeps_first_contact(
        self, store: Store
    ) -> None:
        await store.save_user(User(KEY, "pl", T0))
        await store.save_user(User(KEY, "en", T0 + timedelta(days=3)))
        user = await store.get_user(KEY)
        assert user == User(KEY, "en", T0)
        assert user.created_at.tzinfo is not None

    async def test_user_can_be_marked_inactive_and_back(self, store: Store) -> None:
        await store.save_user(User(KEY, "pl", T0))
        await store.save_user(User(KEY, "pl", T0, active=False))
        assert (await store.get_user(KEY)).active is False  # type: ignore[union-attr]
        await store.save_user(User(KEY, "pl", T0, active=True))
        assert (await store.get_user(KEY)).active is True  # type: ignore[union-attr]

    async def test_users_of_two_platforms_are_separate(self, store: Store) -> None:
        await store.save_user(User(KEY, "pl", T0))
        await store.save_user(User(OTHER, "en", T0))
        assert (await store.get_user(KEY)).locale == "pl"  # type: ignore[union-attr]
        assert (await store.get_user(OTHER)).locale == "en"  # type: ignore[union-attr]

    async def test_a_user_read_back_is_a_copy(self, store: Store) -> None:
        await store.save_user(User(KEY, "pl", T0))
        user = await store.get_user(KEY)
        assert user is not None
        user.locale = "en"  # changed by the caller, not saved
        assert (await store.get_user(KEY)).locale == "pl"  # type: ignore[union-attr]

    async def test_text_is_stored_as_text(self, store: Store) -> None:
        evil = "x'); DROP TABLE users; --"
        await store.save_user(User(UserKey("console", "", evil), "pl", T0))
        await store.save_session(KEY, SessionState(step=evil, data={evil: evil}))
        assert (await store.load_session(KEY)).data == {evil: evil}
        assert await store.get_user(UserKey("console", "", evil)) is not None

    async def test_a_naive_time_is_refused(self, store: Store) -> None:
        with pytest.raises(ValueError, match="naive"):
            await store.save_user(User(KEY, "pl", T0.replace(tzinfo=None)))
        assert await store.get_user(KEY) is None


class TestSessionStore:
    async def test_missing_session_is_empty(self, store: Store) -> None:
        assert await store.load_session(KEY) == SessionState()

    async def test_session_round_trip_is_a_copy(self, store: Store) -> None:
        state = SessionState(step="assess.note", data={"standard": "2.1.1", "n": [1, 2], "ą": "ż"})
        await store.save_session(KEY, state)
        state.data["standard"] = "changed after saving"
        loaded = await store.load_session(KEY)
        assert loaded == SessionState(
            step="assess.note", data={"standard": "2.1.1", "n": [1, 2], "ą": "ż"}
        )
        loaded.data["n"].append(3)
        assert (await store.load_session(KEY)).data["n"] == [1, 2]

    async def test_session_replace_and_clear_step(self, store: Store) -> None:
        await store.save_session(KEY, SessionState(step="x.y", data={"a": 1}))
        await store.save_session(KEY, SessionState())
        assert await store.load_session(KEY) == SessionState()
        assert await store.load_session(OTHER) == SessionState()

    async def test_session_rejects_values_json_cannot_hold(self, store: Store) -> None:
        await store.save_session(KEY, SessionState(step="kept", data={"a": 1}))
        with pytest.raises(TypeError):
            await store.save_session(KEY, SessionState(data={"when": object()}))
        assert await store.load_session(KEY) == SessionState(step="kept", data={"a": 1})


class TestUpdateLog:
    async def test_update_log(self, store: Store) -> None:
        assert not await store.seen("telegram::1")
        await store.remember("telegram::1", T0)
        await store.remember("telegram::1", T0 + timedelta(hours=1))
        await store.remember("telegram::2", T0 + timedelta(days=3))
        assert await store.seen("telegram::1")
        assert await store.forget_before(T0 + timedelta(days=1)) == 1
        assert not await store.seen("telegram::1")
        assert await store.seen("telegram::2")

    async def test_the_first_remembering_wins(self, store: Store) -> None:
        await store.remember("slack::e1", T0)
        await store.remember("slack::e1", T0 + timedelta(days=2))  # no later date
        assert await store.forget_before(T0 + timedelta(days=1)) == 1
        assert not await store.seen("slack::e1")


class TestIdentityLinks:
    async def test_a_link_is_followed(self, store: Store) -> None:
        assert await store.canonical(OTHER) is None
        await store.link_identity(OTHER, KEY, T0)
        assert await store.canonical(OTHER) == KEY
        assert await store.canonical(KEY) is None  # the link goes one way

    async def test_links_are_listed_and_undone(self, store: Store) -> None:
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

    async def test_linking_again_moves_the_alias_to_the_end(self, store: Store) -> None:
        third = UserKey("console", "", "7")
        await store.link_identity(OTHER, KEY, T0)
        await store.link_identity(third, KEY, T0 + timedelta(seconds=1))
        await store.link_identity(OTHER, KEY, T0 + timedelta(seconds=2))
        assert await store.list_aliases(KEY) == [third, OTHER]
        await store.link_identity(third, OTHER, T0 + timedelta(seconds=3))
        assert await store.canonical(third) == OTHER
        assert await store.list_aliases(KEY) == [OTHER]
