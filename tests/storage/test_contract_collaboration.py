"""The contract of the collaboration ports on every backend: plans, codes, content changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.core.events import Address
from bot.core.records import ActionItem, ContentChange, OneTimeCode
from bot.errors import DuplicateRecord, StorageError
from tests.storage.conftest import KEY, OTHER, T0, Store

ADDRESS = Address("telegram", "42", "42")


def step(standard: str, due: date) -> ActionItem:
    return ActionItem(0, KEY, ADDRESS, 1, standard, "T", "Ala", due, T0)


class TestActionPlanStore:
    async def test_items_are_listed_by_due_date_and_closed_by_their_owner(
        self, store: Store
    ) -> None:
        item = await store.add_action(step("2.1.1", date(2026, 6, 30)))
        sooner = await store.add_action(step("2.1.2", date(2026, 6, 1)))
        assert item.id > 0 and sooner.id > item.id
        assert [i.standard_id for i in await store.list_actions(KEY)] == ["2.1.2", "2.1.1"]
        assert await store.close_action(OTHER, item.id, T0) is False
        assert await store.close_action(KEY, item.id, T0) is True
        assert await store.close_action(KEY, item.id, T0) is False  # closed already
        assert await store.close_action(KEY, 999_999, T0) is False
        assert await store.list_actions() == [sooner]
        done = await store.list_actions(KEY, include_done=True)
        assert [(i.id, i.done_at) for i in done] == [(sooner.id, None), (item.id, T0)]
        assert await store.list_actions(OTHER) == []


class TestCodeStore:
    async def test_codes_work_once_expire_and_spare_their_maker(self, store: Store) -> None:
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
        assert await store.redeem_code("UNKNOWN0", "link", T0, OTHER) is None

    async def test_a_duplicate_code_is_refused_and_the_first_stays(self, store: Store) -> None:
        first = OneTimeCode("ABCD2345", "invite", KEY, T0 + timedelta(minutes=10), 7)
        await store.create_code(first)
        with pytest.raises(DuplicateRecord) as info:
            await store.create_code(OneTimeCode("ABCD2345", "link", OTHER, T0 + timedelta(days=1)))
        assert (info.value.kind, info.value.key) == ("code", "ABCD2345")
        used = await store.redeem_code("ABCD2345", "invite", T0, OTHER)
        assert used is not None and (used.owner, used.assessment_id) == (KEY, 7)

    async def test_a_kind_the_schema_does_not_know_is_refused(self, store: Store) -> None:
        with pytest.raises(StorageError):
            await store.create_code(OneTimeCode("ABCD2345", "gift", KEY, T0))
        assert await store.redeem_code("ABCD2345", "gift", T0, OTHER) is None


class TestContentChangeStore:
    async def test_content_changes_keep_order_ids_and_fields(self, store: Store) -> None:
        call = ContentChange(
            "feng-217", "call", "telegram:1", T0, "https://parp.gov.pl/x", None, T0.date(), "5 mln"
        )
        note = ContentChange("esca-gold", "note", "slack:T1:U1", T0, "https://e.be/", text="Cennik")
        first = await store.add_content_change(call)
        second = await store.add_content_change(note)
        assert second.id > first.id > 0
        assert await store.list_content_changes("esca-gold") == [second]
        assert await store.list_content_changes() == [first, second]
