"""The contract of the privacy port on every backend: the same export, a complete erasure."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.core.events import Address, UserKey
from bot.core.records import ActionItem, AnswerRecord, OneTimeCode, SessionState, User
from bot.core.web_ports import REPORT_LINK, SIGN_IN, Consent, WebToken
from bot.errors import RecordNotFound
from tests.storage.conftest import KEY, OTHER, T0, Store, open_store

STRANGER = UserKey("console", "", "stranger")
HOME = Address("telegram", "42", "42")


def link(owner: UserKey, name: str) -> str:
    """The digest of one of ``owner``'s web links."""
    return hashlib.sha256(f"{owner}|{name}".encode()).hexdigest()


async def fill(store: Store) -> None:
    """The same life on any store: KEY with an alias (OTHER), and a stranger beside them."""
    for key in (KEY, OTHER, STRANGER):
        await store.save_user(User(key, "pl", T0))
        await store.save_session(key, SessionState("assess.note", {"standard": "1.1.1"}))
        await store.set_offsets(key, (1440, 60))
        await store.add_subscription(key, HOME, "category", "webinar", "mazowieckie", T0)
        await store.claim_delivery(f"ev|{key}|", T0, key)
        await store.set_consent(Consent(key, key != STRANGER, T0))
        await store.add_web_token(WebToken(link(key, "in"), SIGN_IN, key, T0, T0 + timedelta(1)))
    await store.link_identity(OTHER, KEY, T0)
    first = await store.create_assessment(KEY, "parp", "v1", T0)
    first.profile = {"name": "Klaster Testowy", "members": [3, 4]}
    first.status, first.completed_at = "completed", T0 + timedelta(hours=1)
    await store.update_assessment(first)
    await store.save_answer(first.id, AnswerRecord("1.1.2", "n", "", T0))
    await store.save_answer(first.id, AnswerRecord("1.1.10", "y", "Notatka", T0))
    await store.create_assessment(KEY, "parp", "v2", T0 + timedelta(days=1))
    await store.create_assessment(STRANGER, "parp", "v1", T0)
    await store.set_status_date(KEY, HOME, "kkk", date(2025, 1, 1), at=T0)
    await store.set_status_date(KEY, HOME, "esca", date(2024, 1, 1))
    later = await store.add_action(
        ActionItem(0, KEY, HOME, first.id, "1.1.2", "Strategia", "Ala", date(2026, 9, 1), T0)
    )
    await store.add_action(
        ActionItem(0, KEY, HOME, first.id, "1.1.3", "Zespół", "Ola", date(2026, 7, 1), T0)
    )
    await store.close_action(KEY, later.id, T0 + timedelta(days=2))
    await store.create_code(OneTimeCode("KEYCODE1", "invite", KEY, T0 + timedelta(days=1)))
    month = T0 + timedelta(days=30)
    await store.add_web_token(WebToken(link(KEY, "r1"), REPORT_LINK, KEY, T0, month, first.id))
    await store.add_web_token(WebToken(link(KEY, "r2"), REPORT_LINK, KEY, T0, month, first.id))
    await store.revoke_web_tokens(KEY, REPORT_LINK, T0 + timedelta(days=2))
    await store.add_web_token(
        WebToken(link(KEY, "r3"), REPORT_LINK, KEY, T0 + timedelta(days=3), month, 999)
    )
    await store.use_web_token(link(KEY, "in"), SIGN_IN, T0 + timedelta(minutes=1))
    await store.set_consent(Consent(KEY, False, T0 + timedelta(days=4)))


class TestPrivacyStore:
    async def test_a_stranger_has_nothing_to_export(self, store: Store) -> None:
        assert await store.export_user(KEY) == {}

    async def test_the_export_is_the_same_on_every_store(
        self, store: Store, tmp_path: Path
    ) -> None:
        await fill(store)
        reference = await open_store("memory", tmp_path / "unused")
        await fill(reference)
        exported = json.dumps(await store.export_user(KEY), ensure_ascii=False, indent=1)
        expected = json.dumps(await reference.export_user(KEY), ensure_ascii=False, indent=1)
        assert exported == expected  # byte for byte, key order included
        data = json.loads(exported)
        assert data["user"]["created_at"] == "2026-05-27T08:00:00+00:00"
        assert [a["questionnaire_version"] for a in data["assessments"]] == ["v2", "v1"]
        assert [a["standard_id"] for a in data["assessments"][1]["answers"]] == ["1.1.10", "1.1.2"]
        assert data["assessments"][1]["profile"] == {"name": "Klaster Testowy", "members": [3, 4]}
        assert [a["title"] for a in data["action_plan"]] == ["Zespół", "Strategia"]
        assert data["action_plan"][1]["done_at"] == "2026-05-29T08:00:00+00:00"
        assert [s["kind"] for s in data["status_dates"]] == ["esca", "kkk"]
        assert data["subscriptions"][0]["region"] == "mazowieckie"
        assert data["reminder_offsets"] == [1440, 60]
        assert data["linked_accounts"] == ["slack:T1:42"]
        assert data["consent"] == {"overview": False, "decided_at": "2026-05-31T08:00:00+00:00"}
        # By creation time (then by digest: ties in an order of no meaning, the same everywhere).
        links = data["web_links"]
        assert links[3] == {
            "kind": "report",
            "assessment_id": 999,
            "created_at": "2026-05-30T08:00:00+00:00",
            "expires_at": "2026-06-26T08:00:00+00:00",
            "used_at": None,
            "revoked_at": None,
        }
        first_id = data["assessments"][1]["id"]
        assert sorted(links[:3], key=lambda w: w["kind"]) == [
            {
                "kind": "report",
                "assessment_id": first_id,
                "created_at": "2026-05-27T08:00:00+00:00",
                "expires_at": "2026-06-26T08:00:00+00:00",
                "used_at": None,
                "revoked_at": "2026-05-29T08:00:00+00:00",
            },
        ] * 2 + [
            {
                "kind": "signin",
                "assessment_id": None,
                "created_at": "2026-05-27T08:00:00+00:00",
                "expires_at": "2026-05-28T08:00:00+00:00",
                "used_at": "2026-05-27T08:01:00+00:00",
                "revoked_at": None,
            }
        ]
        for name in ("in", "r1", "r2", "r3"):
            assert link(KEY, name) not in exported  # a digest would identify the link

    async def test_erasure_leaves_nothing_of_the_person_and_their_alias(self, store: Store) -> None:
        await fill(store)
        [_, older] = await store.list_assessments(KEY)
        await store.delete_user(KEY)
        for key in (KEY, OTHER):
            assert await store.get_user(key) is None
            assert await store.export_user(key) == {}
            assert await store.load_session(key) == SessionState()
            assert await store.list_assessments(key) == []
            assert await store.list_subscriptions(key) == []
            assert await store.get_offsets(key) is None
            assert await store.list_actions(key, include_done=True) == []
            assert await store.canonical(key) is None
            assert await store.claim_delivery(f"ev|{key}|", T0, key) is True  # freed
            assert await store.get_consent(key) is None
            assert await store.get_web_token(link(key, "in")) is None
        assert await store.get_assessment(older.id) is None
        assert await store.list_answers(older.id) == {}
        assert await store.list_status_dates() == []
        assert await store.redeem_code("KEYCODE1", "invite", T0, STRANGER) is None
        assert await store.get_web_token(link(KEY, "r1")) is None
        # The stranger beside them keeps everything.
        assert await store.get_user(STRANGER) is not None
        assert len(await store.list_assessments(STRANGER)) == 1
        assert len(await store.list_subscriptions()) == 1
        assert await store.claim_delivery(f"ev|{STRANGER}|", T0, STRANGER) is False
        assert await store.get_consent(STRANGER) == Consent(STRANGER, False, T0)
        assert await store.get_web_token(link(STRANGER, "in")) is not None

    async def test_ids_of_erased_records_are_never_given_out_again(self, store: Store) -> None:
        await fill(store)
        last = await store.create_assessment(KEY, "parp", "v3", T0)  # the highest ids: KEY's
        last_sub = await store.add_subscription(KEY, HOME, "event", "e-1", None, T0)
        last_item = await store.add_action(
            ActionItem(0, KEY, HOME, last.id, "1.1.2", "T", "Ala", date(2026, 9, 1), T0)
        )
        await store.delete_user(KEY)
        again = await store.create_assessment(KEY, "parp", "v1", T0)
        sub = await store.add_subscription(KEY, HOME, "event", "e-1", None, T0)
        item = await store.add_action(
            ActionItem(0, KEY, HOME, again.id, "1.1.2", "T", "Ala", date(2026, 9, 1), T0)
        )
        assert again.id == last.id + 1
        assert sub.id == last_sub.id + 1
        assert item.id == last_item.id + 1

    async def test_an_answer_to_an_erased_assessment_is_refused(self, store: Store) -> None:
        await fill(store)
        [_, older] = await store.list_assessments(KEY)
        await store.delete_user(KEY)
        with pytest.raises(RecordNotFound) as info:
            await store.save_answer(older.id, AnswerRecord("1.1.1", "y", "", T0))
        assert (info.value.kind, info.value.id) == ("assessment", older.id)
        with pytest.raises(RecordNotFound):
            await store.update_assessment(older)
        assert await store.get_assessment(older.id) is None
