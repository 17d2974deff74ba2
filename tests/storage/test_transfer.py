"""`clusterbot migrate-data`: a SQLite deployment copied into PostgreSQL, ids and all."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.core.clock import ManualClock
from bot.core.events import Address
from bot.core.records import AnswerRecord, OneTimeCode
from bot.core.web_ports import REPORT_LINK, Consent, WebToken
from bot.loader import Content
from storage.postgres import PostgresStorage
from storage.sqlite import SqliteStorage
from storage.transfer import migrate_data
from tests.helpers import ALICE, BOB, command, make_dispatcher, payload_of, press, text
from tests.pg import fresh_schema_url
from tests.sample import PROFILE
from tests.storage.conftest import T0


@pytest.fixture
async def url() -> AsyncIterator[str]:
    async with fresh_schema_url() as fresh:
        yield fresh


async def _a_deployment(path: Path, content: Content, clock: ManualClock) -> SqliteStorage:
    """A SQLite database as a season of use leaves it: what people did through the chat."""
    store = await SqliteStorage.open(str(path))
    bot = make_dispatcher(content, store, clock)
    replies = await bot.handle(command("ocena"))
    for value in PROFILE:
        replies = await bot.handle(text(value))
    replies = await bot.handle(press(payload_of(replies, "faza rozwoju")))
    for _ in range(5):
        replies = await bot.handle(press(payload_of(replies, "Spełnia")))
    await bot.handle(command("jezyk", "en", address=BOB))
    # An assessment started and erased: its id must never be given out again.
    gone = await store.create_assessment(BOB.user_key, "parp", "v1", T0)
    await store.save_answer(gone.id, AnswerRecord("1.1.1", "y", "", T0))
    await store.delete_user(BOB.user_key)
    await bot.handle(command("start", address=BOB))
    here = Address("telegram", "-100", "7")
    await store.add_subscription(ALICE.user_key, here, "category", "konferencja", None, T0)
    await store.set_offsets(ALICE.user_key, (1440, 60))
    await store.set_status_date(ALICE.user_key, here, "kkk", date(2025, 3, 1), T0)
    await store.claim_delivery("event-1|2026-06-01|1440", T0, ALICE.user_key)
    await store.create_code(OneTimeCode("ABC123", "link", ALICE.user_key, T0 + timedelta(hours=1)))
    [done, *_] = await store.list_assessments(ALICE.user_key)
    done.status, done.completed_at = "completed", T0 + timedelta(hours=1)  # for the overview
    await store.update_assessment(done)
    await store.set_consent(Consent(ALICE.user_key, True, T0))
    for name in ("shared", "revoked"):
        secret = hashlib.sha256(name.encode()).hexdigest()
        month = T0 + timedelta(days=30)
        await store.add_web_token(WebToken(secret, REPORT_LINK, ALICE.user_key, T0, month, done.id))
        if name == "revoked":
            await store.revoke_web_tokens(ALICE.user_key, REPORT_LINK, T0 + timedelta(hours=2))
    return store


async def test_a_deployment_is_copied_verified_and_copied_again_idempotently(
    url: str, tmp_path: Path, content: Content, clock: ManualClock
) -> None:
    path = tmp_path / "bot.sqlite3"
    running = await _a_deployment(path, content, clock)  # still open: a running deployment
    try:
        first = await migrate_data(str(path), url)
        assert first.ok, first.differences
        assert first.people == 2 and first.copied["answers"] == 5
        assert (first.copied["web_tokens"], first.copied["consents"]) == (2, 1)
        assert all(left == right for left, right in first.counts.values())
        # More use, then the final copy: the rows changed since are brought up to date.
        await running.set_offsets(ALICE.user_key, (120,))
        second = await migrate_data(str(path), url)
        assert second.ok, second.differences
        assert second.counts == first.counts  # nothing duplicated by the second run
    finally:
        highest = max(a.id for a in await running.list_assessments(ALICE.user_key))
        await running.close()
    pg = await PostgresStorage.open(url, pool_size=2)
    try:
        assert await pg.get_offsets(ALICE.user_key) == (120,)
        assert await pg.get_consent(ALICE.user_key) == Consent(ALICE.user_key, True, T0)
        overview = await pg.overview_rows()
        assert [(r.owner, len(r.codes)) for r in overview] == [(ALICE.user_key, 5)]
        record = await pg.create_assessment(ALICE.user_key, "parp", "v1", T0)
        assert record.id > highest + 1  # past the erased one too: no id is reused
        sqlite_view = await SqliteStorage.open(str(path), 0, exclusive=False)
        try:
            mine = await sqlite_view.export_user(ALICE.user_key)
            assert await sqlite_view.overview_rows() == overview
        finally:
            await sqlite_view.close()
        theirs = await pg.export_user(ALICE.user_key)
        theirs["assessments"] = [a for a in theirs["assessments"] if a["id"] != record.id]
        assert json.dumps(theirs, sort_keys=True) == json.dumps(mine, sort_keys=True)
    finally:
        await pg.close()


async def test_the_command_reports_and_exits_zero(
    url: str,
    tmp_path: Path,
    content: Content,
    clock: ManualClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.cli import main

    path = tmp_path / "bot.sqlite3"
    await (await _a_deployment(path, content, clock)).close()
    code = await _in_thread(main, ["migrate-data", "--from", f"sqlite://{path}", "--to", url])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "answers" in out and "verified: the copy matches" in out


async def test_a_missing_file_is_a_clear_error(url: str, tmp_path: Path) -> None:
    from bot.cli import main

    code = await _in_thread(main, ["migrate-data", "--from", str(tmp_path / "no.db"), "--to", url])
    assert code == 2


async def _in_thread(main: object, argv: list[str]) -> int:
    """Run the command (it has its own event loop) beside the test's loop."""
    import asyncio

    return int(await asyncio.to_thread(main, argv))  # type: ignore[arg-type]


async def test_every_table_of_both_schemas_is_copied(url: str, tmp_path: Path) -> None:
    import asyncpg

    from storage.schema import ALL_TABLES

    sqlite_store = await SqliteStorage.open(str(tmp_path / "t.sqlite3"))
    await sqlite_store.close()
    import sqlite3

    with sqlite3.connect(tmp_path / "t.sqlite3") as conn:
        mine = {
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] != "sqlite_sequence"
        }
    pg = await PostgresStorage.open(url, pool_size=1)
    await pg.close()
    conn_pg = await asyncpg.connect(url)
    try:
        theirs = {
            r[0]
            for r in await conn_pg.fetch(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        } - {"schema_migrations"}
    finally:
        await conn_pg.close()
    assert mine == theirs == set(ALL_TABLES)
