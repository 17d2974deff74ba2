"""The contract of the web view's ports on every backend: links, consents, the overview."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
from datetime import UTC, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.events import UserKey
from bot.core.records import AnswerRecord, AssessmentRecord, User
from bot.core.web_ports import REPORT_LINK, SIGN_IN, WEB_SESSION, Consent, OverviewRow, WebToken
from bot.errors import DuplicateRecord, StorageError
from tests.storage.conftest import KEY, OTHER, T0, Store, open_store

THIRD = UserKey("console", "", "third")
WARSAW = ZoneInfo("Europe/Warsaw")


def digest(name: str) -> str:
    """A digest as the web links store them: SHA-256 in lower-case hex."""
    return hashlib.sha256(name.encode()).hexdigest()


def token(
    name: str,
    kind: str = SIGN_IN,
    owner: UserKey = KEY,
    lifetime: timedelta = timedelta(minutes=15),
    assessment_id: int | None = None,
) -> WebToken:
    return WebToken(digest(name), kind, owner, T0, T0 + lifetime, assessment_id)


class TestWebTokenStore:
    async def test_a_token_is_stored_and_read_back_in_utc(self, store: Store) -> None:
        report = WebToken(
            digest("report"),
            REPORT_LINK,
            KEY,
            T0.astimezone(WARSAW),
            (T0 + timedelta(days=30)).astimezone(WARSAW),
            assessment_id=7,
        )
        await store.add_web_token(report)
        found = await store.get_web_token(digest("report"))
        assert found == report
        assert found is not None and found.created_at.tzinfo is UTC
        assert found.expires_at.tzinfo is UTC and found.used_at is found.revoked_at is None
        assert await store.get_web_token(digest("unknown")) is None

    async def test_a_duplicate_digest_is_refused_and_the_first_stays(self, store: Store) -> None:
        first = token("a", REPORT_LINK, assessment_id=3)
        await store.add_web_token(first)
        with pytest.raises(DuplicateRecord) as info:
            await store.add_web_token(token("a", SIGN_IN, OTHER))
        assert (info.value.kind, info.value.key) == ("web token", digest("a"))
        assert await store.get_web_token(digest("a")) == first

    async def test_what_the_schema_does_not_know_is_refused(self, store: Store) -> None:
        with pytest.raises(StorageError):
            await store.add_web_token(token("a", "cookie"))
        for bad in ("abc", digest("a").upper(), digest("a")[:-1] + "g", digest("a") + "0"):
            with pytest.raises(StorageError):
                await store.add_web_token(WebToken(bad, SIGN_IN, KEY, T0, T0))
        assert await store.get_web_token(digest("a")) is None

    async def test_a_token_is_used_once(self, store: Store) -> None:
        await store.add_web_token(token("a"))
        now = T0 + timedelta(minutes=1)
        used = await store.use_web_token(digest("a"), SIGN_IN, now.astimezone(WARSAW))
        assert used == dataclasses.replace(token("a"), used_at=now)
        assert used is not None and used.used_at == now and used.used_at.tzinfo is UTC
        assert await store.use_web_token(digest("a"), SIGN_IN, now) is None  # once
        assert await store.get_web_token(digest("a")) == used
        assert await store.use_web_token(digest("unknown"), SIGN_IN, now) is None

    async def test_an_expired_revoked_or_other_kind_token_cannot_be_used(
        self, store: Store
    ) -> None:
        for name in ("expired", "revoked", "session"):
            await store.add_web_token(token(name, WEB_SESSION if name == "session" else SIGN_IN))
        end = T0 + timedelta(minutes=15)
        assert await store.use_web_token(digest("expired"), SIGN_IN, end) is None  # at expiry
        assert await store.use_web_token(digest("session"), SIGN_IN, T0) is None  # wrong kind
        assert await store.revoke_web_tokens(KEY, SIGN_IN, T0) == 2
        assert await store.use_web_token(digest("revoked"), SIGN_IN, T0) is None
        stored = await store.get_web_token(digest("revoked"))
        assert stored is not None and stored.revoked_at == T0 and stored.used_at is None
        last = end - timedelta(microseconds=1)
        used = await store.use_web_token(digest("session"), WEB_SESSION, last)
        assert used is not None and used.used_at == last

    async def test_of_concurrent_uses_exactly_one_wins(self, store: Store) -> None:
        await store.add_web_token(token("a"))
        await store.add_web_token(token("b"))
        now = T0 + timedelta(minutes=1)
        results = await asyncio.gather(
            *(store.use_web_token(digest(name), SIGN_IN, now) for name in "abababab")
        )
        winners = [r for r in results if r is not None]
        assert sorted(w.digest for w in winners) == sorted([digest("a"), digest("b")])

    async def test_revoking_counts_the_owners_unrevoked_tokens_of_the_kind(
        self, store: Store
    ) -> None:
        month = timedelta(days=30)
        for name in ("r1", "r2", "r3"):
            await store.add_web_token(token(name, REPORT_LINK, KEY, month, 1))
        await store.add_web_token(token("old", REPORT_LINK, KEY, timedelta(seconds=1), 1))
        await store.add_web_token(token("other", REPORT_LINK, OTHER, month, 2))
        await store.add_web_token(token("sign", SIGN_IN))
        assert await store.revoke_web_tokens(KEY, REPORT_LINK, T0) == 4  # expired ones too
        assert await store.revoke_web_tokens(KEY, REPORT_LINK, T0 + timedelta(hours=1)) == 0
        assert await store.revoke_web_tokens(KEY, WEB_SESSION, T0) == 0
        revoked = await store.get_web_token(digest("r2"))
        assert revoked is not None and revoked.revoked_at == T0  # the first revocation stays
        assert not revoked.live(T0)
        for name in ("other", "sign"):
            kept = await store.get_web_token(digest(name))
            assert kept is not None and kept.revoked_at is None and kept.live(T0)
        await store.add_web_token(token("r4", REPORT_LINK, KEY, month, 1))
        later = (T0 + timedelta(days=1)).astimezone(WARSAW)
        assert await store.revoke_web_tokens(KEY, REPORT_LINK, later) == 1
        newest = await store.get_web_token(digest("r4"))
        assert newest is not None and newest.revoked_at == later
        assert newest.revoked_at.tzinfo is UTC


class TestConsentStore:
    async def test_a_consent_is_stored_and_replaced(self, store: Store) -> None:
        assert await store.get_consent(KEY) is None
        await store.set_consent(Consent(KEY, True, T0.astimezone(WARSAW)))
        given = await store.get_consent(KEY)
        assert given == Consent(KEY, True, T0) and given.decided_at.tzinfo is UTC
        later = T0 + timedelta(days=3)
        await store.set_consent(Consent(KEY, False, later))
        assert await store.get_consent(KEY) == Consent(KEY, False, later)
        assert await store.get_consent(OTHER) is None


async def finished(
    store: Store,
    owner: UserKey,
    done: int,
    codes: dict[str, str | None],
    *,
    phase: str | None = "rozwój",
    team_of: int | None = None,
) -> AssessmentRecord:
    """A self-evaluation of ``owner`` finished ``done`` hours after T0, with these answers."""
    record = await store.create_assessment(owner, "parp", "v1", T0)
    for standard_id, code in codes.items():
        await store.save_answer(record.id, AnswerRecord(standard_id, code, "", T0))
    record.status, record.phase, record.team_of = "completed", phase, team_of
    record.profile = {"name": f"Klaster {owner.user_id}", "size": {"members": 12}}
    record.completed_at = record.updated_at = T0 + timedelta(hours=done)
    await store.update_assessment(record)
    return record


class TestOverviewSource:
    async def test_only_consenting_owners_finished_own_assessments_in_order(
        self, store: Store
    ) -> None:
        assert await store.overview_rows() == []
        late = await finished(store, KEY, 5, {"1.1.2": "n", "1.1.10": "y", "2.1": None})
        early = await finished(store, KEY, 1, {"1.1.1": "s"})
        tie = await finished(store, THIRD, 1, {"1.1.1": "u"})
        await finished(store, KEY, 2, {"1.1.1": "y"}, phase=None)
        await finished(store, KEY, 3, {"1.1.1": "y"}, team_of=late.id)
        await store.create_assessment(KEY, "parp", "v1", T0)  # in progress
        abandoned = await finished(store, THIRD, 4, {})
        abandoned.status = "abandoned"
        await store.update_assessment(abandoned)
        await finished(store, OTHER, 0, {"1.1.1": "y"})  # declined
        await finished(store, UserKey("console", "", "never-asked"), 0, {"1.1.1": "y"})
        assert await store.overview_rows() == []  # nobody consented yet
        await store.set_consent(Consent(KEY, True, T0))
        await store.set_consent(Consent(THIRD, True, T0))
        await store.set_consent(Consent(OTHER, False, T0))
        rows = await store.overview_rows()
        assert [r.assessment_id for r in rows] == [early.id, tie.id, late.id]
        assert rows[2] == OverviewRow(
            owner=KEY,
            assessment_id=late.id,
            questionnaire_id="parp",
            phase="rozwój",
            completed_at=T0 + timedelta(hours=5),
            profile={"name": "Klaster 42", "size": {"members": 12}},
            codes={"1.1.10": "y", "1.1.2": "n", "2.1": None},
        )
        assert list(rows[2].codes) == ["1.1.10", "1.1.2", "2.1"]
        assert rows[1].owner == THIRD and rows[1].codes == {"1.1.1": "u"}
        assert rows[0].completed_at.tzinfo is UTC

    async def test_rows_are_the_same_on_every_store(self, store: Store, tmp_path: Path) -> None:
        reference = await open_store("memory", tmp_path / "unused")
        for each in (store, reference):
            await each.set_consent(Consent(KEY, True, T0))
            await finished(each, KEY, 2, {"1.1.2": "n", "1.1.10": "y", "2.1": None, "ą": "s"})
            await finished(each, KEY, 1, {})
        ours, theirs = await store.overview_rows(), await reference.overview_rows()
        assert ours == theirs
        assert [list(r.codes) for r in ours] == [list(r.codes) for r in theirs]
        assert [json.dumps(r.profile) for r in ours] == [json.dumps(r.profile) for r in theirs]

    async def test_a_withdrawn_consent_removes_the_rows(self, store: Store) -> None:
        await finished(store, KEY, 1, {"1.1.1": "y"})
        await store.set_consent(Consent(KEY, True, T0))
        assert len(await store.overview_rows()) == 1
        await store.set_consent(Consent(KEY, False, T0 + timedelta(days=1)))
        assert await store.overview_rows() == []

    async def test_an_erased_person_leaves_no_rows_links_or_consent(self, store: Store) -> None:
        await store.save_user(User(KEY, "pl", T0))
        mine = await finished(store, KEY, 1, {"1.1.1": "y"})
        kept = await finished(store, THIRD, 2, {"1.1.1": "n"})
        await store.link_identity(OTHER, KEY, T0)
        for owner in (KEY, OTHER, THIRD):
            await store.set_consent(Consent(owner, True, T0))
            name = str(owner)
            await store.add_web_token(token(name, REPORT_LINK, owner, timedelta(days=30), mine.id))
        await store.delete_user(KEY)
        assert [r.assessment_id for r in await store.overview_rows()] == [kept.id]
        for owner in (KEY, OTHER):
            assert await store.get_consent(owner) is None
            assert await store.get_web_token(digest(str(owner))) is None
            assert await store.revoke_web_tokens(owner, REPORT_LINK, T0) == 0
        assert await store.get_consent(THIRD) is not None
        assert await store.get_web_token(digest(str(THIRD))) is not None
