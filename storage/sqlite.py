"""SQLite stores in one file, in WAL mode, migrated at start-up."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import sqlite3
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import aiosqlite
from cachetools import LRUCache

from bot.core.events import Address, UserKey
from bot.core.ports import AnswerRecord, AssessmentRecord, SessionState, User
from bot.core.records import (
    ActionItem,
    ContentChange,
    Event,
    FeedState,
    OneTimeCode,
    StatusDate,
    Subscription,
)
from bot.errors import DatabaseLost, StorageError, StorageUnavailable
from storage.codec import dump_object, dump_time, load_object, load_time
from storage.migrate import apply_migrations, bundled_migrations
from storage.ownership import Ownership
from storage.records_json import user_export
from storage.writer import Statement, Writer

log = logging.getLogger(__name__)


#: How many people's working data (account, conversation state, link, assessments, answers)
#: stay in memory by default.
DEFAULT_CACHE_SIZE = 1000
#: Seconds between WAL checkpoints (at most about this much WAL to copy each time).
CHECKPOINT_EVERY = 1.0
#: Seconds between looks at whether the database file is still there (an idle bot notices).
WATCH_EVERY = 2.0

_SEEN = "SELECT 1 FROM processed_updates WHERE update_key = ?"

_UserRow = tuple[str, str, int]  # locale, created_at, active
_SessionRow = tuple[str | None, str]  # step, data as JSON


class SqliteStorage:
    """Every store in one SQLite file.

    Reads run on an aiosqlite connection (the per-update "seen before?" lookup on the event
    loop, see :meth:`seen`); every write goes through :class:`Writer`, which
    commits the writes of concurrent turns together. When a write method returns, its data
    is committed and survives a killed process. WAL lets reads proceed while a write commits.

    What a conversation turn reads (the account's link, the user, the conversation state, the
    assessment on screen and its answers) is also kept in bounded LRU caches: filled by reads
    in order with the writes, updated by each write's caller after its commit, so a turn costs
    only its writes. The caches hold the file's values, so only one process may write the
    file: :meth:`open` takes the file's lock (see ``storage.ownership``). Every commit, and
    a watchdog every ``WATCH_EVERY`` seconds, checks that the path still names the file that
    was opened; once it does not, every write raises :class:`DatabaseLost`.
    """

    def __init__(
        self,
        conn: aiosqlite.Connection,
        writer: Writer,
        probe: sqlite3.Connection,
        ownership: Ownership,
        cache_size: int = DEFAULT_CACHE_SIZE,
    ) -> None:
        self._conn = conn
        self._writer = writer
        self._probe = probe
        self._ownership = ownership
        self._closed = False
        self._checkpoints = asyncio.create_task(self._checkpoint_every(CHECKPOINT_EVERY))
        self._watchdog = asyncio.create_task(self._watch_every(WATCH_EVERY))
        self.path = ownership.path
        size = max(1, cache_size)
        self._caching = cache_size > 0
        self._users: LRUCache[UserKey, _UserRow | None] = LRUCache(size)
        self._sessions: LRUCache[UserKey, _SessionRow | None] = LRUCache(size)
        self._links: LRUCache[UserKey, tuple[str, str, str] | None] = LRUCache(size)
        self._assessments: LRUCache[int, tuple[object, ...]] = LRUCache(size)
        self._answers: LRUCache[int, dict[str, AnswerRecord]] = LRUCache(size)

    def _clear_caches(self) -> None:
        for cache in (self._users, self._sessions, self._links, self._assessments, self._answers):
            cache.clear()

    @classmethod
    async def open(
        cls, path: str, cache_size: int = DEFAULT_CACHE_SIZE, *, exclusive: bool = True
    ) -> SqliteStorage:
        """Lock, open (creating if needed) and migrate the database at ``path``.

        ``cache_size`` bounds the in-memory caches (people and assessments); 0 turns them off.
        ``exclusive=False`` skips the lock: only for a second view of a file this process
        owns already (tests compare the owner's caches with the file through one).

        Raises:
            DatabaseInUse: another process (or another exclusive store) owns the file.
            StorageUnavailable: the file or its directory cannot be created or read, or the
                file is not a SQLite database.

        """
        if path == ":memory:" or path.startswith("file:"):
            raise StorageUnavailable(path, "the bot needs a database file path")
        ownership: Ownership | None = None
        conn: aiosqlite.Connection | None = None
        writer: Writer | None = None
        probe: sqlite3.Connection | None = None
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            ownership = Ownership.claim(path) if exclusive else Ownership.unclaimed(path)
            conn = await aiosqlite.connect(path, isolation_level=None)
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA busy_timeout = 5000")
            await apply_migrations(conn, bundled_migrations())
            # From here on this connection only reads; every write goes through the writer.
            await conn.execute("PRAGMA query_only = ON")
            ownership.remember_file()
            writer = Writer(path, verify=ownership.check)
            await writer.open()
            probe = _open_probe(path)
        except BaseException as exc:
            if writer is not None:
                await writer.close()
            if conn is not None:
                await conn.close()
            if ownership is not None:
                ownership.release()
            if isinstance(exc, OSError | sqlite3.Error):
                raise StorageUnavailable(path, str(exc) or type(exc).__name__) from exc
            raise
        log.info("database ready at %s", path)
        return cls(conn, writer, probe, ownership, cache_size)

    async def _one(self, sql: str, params: Sequence[object] = ()) -> Any:
        """Run a query and return its first row (``None`` when none): one thread hop."""
        rows = await self._conn.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def _all(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """Run a query and return all rows: one thread hop."""
        return list(await self._conn.execute_fetchall(sql, params))

    async def _miss(self, sql: str, params: Sequence[object]) -> list[Any]:
        """Read rows to fill a cache, in order with the writes (see :class:`Writer`).

        A write's caller updates the cache after its commit, so it always updates it last.
        """
        if not self._caching:
            return await self._all(sql, params)
        return await self._writer.read(sql, params)

    async def _by_user(self, cache: LRUCache[UserKey, Any], key: UserKey, sql: str) -> Any:
        """The cached value for ``key``, or the first row of ``sql`` (``None`` if none).

        ``sql`` selects by ``platform``, ``workspace`` and ``user_id``; the row is cached as a
        tuple.
        """
        if key in cache:
            return cache[key]
        rows = await self._miss(sql, (key.platform, key.workspace, key.user_id))
        row = tuple(rows[0]) if rows else None
        if self._caching:
            cache[key] = row
        return row

    async def _checkpoint_every(self, seconds: float) -> None:
        """Copy the WAL into the database file now and then, beside the writer.

        A PASSIVE checkpoint on the read connection does not wait for or block the writer,
        so no commit (and no user's reply) pays for it; in a commit, SQLite's automatic
        checkpoint took the paced p99 from about 6.5 ms to as much as 10.8 ms.
        """
        while True:
            await asyncio.sleep(seconds)
            try:
                await self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error as exc:
                log.warning("WAL checkpoint failed: %s", exc)

    async def _watch_every(self, seconds: float) -> None:
        """Look at the database file now and then (an idle bot notices too); leave it once lost.

        A commit can find the file lost first (see :class:`Writer`): that wakes this up too.
        """
        while True:
            try:
                await asyncio.wait_for(self._writer.failed(), seconds)
                break
            except TimeoutError:
                self._look_at_the_file()
        await self._leave_lost_file()

    def _look_at_the_file(self) -> None:
        try:
            self._ownership.check()  # one stat: microseconds, not worth a thread hop
        except DatabaseLost as exc:
            self._writer.fail(exc)

    async def _leave_lost_file(self) -> None:
        """Copy the WAL into the lost file, then take it away from the path.

        The file may have been moved rather than deleted: the checkpoint completes it. Left
        beside the path, the WAL would be read as part of another file.
        """
        try:
            await self._conn.execute("PRAGMA wal_checkpoint(FULL)")
        except sqlite3.Error as exc:
            log.warning("checkpoint into the lost database file failed: %s", exc)
        self._ownership.discard_sidecars()

    async def wait_lost(self) -> StorageError:
        """Wait until the database file is found deleted or replaced, and return the error."""
        return await self._writer.failed()

    async def close(self) -> None:
        """Commit the queued writes, close both connections (the last one checkpoints), unlock.

        A second call does nothing.
        """
        if self._closed:
            return
        self._closed = True
        for task in (self._checkpoints, self._watchdog):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        try:
            await self._writer.close()
            self._look_at_the_file()  # a stop right after the file went is no exception
            if self._ownership.lost is not None:
                await self._leave_lost_file()
            self._probe.close()
            await self._conn.close()
        finally:
            self._ownership.release()

    async def schema_version(self) -> int:
        """Return ``PRAGMA user_version`` (the number of the last applied migration)."""
        row = await self._one("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def get_user(self, key: UserKey) -> User | None:
        """Return the user or ``None``."""
        row = await self._by_user(
            self._users,
            key,
            "SELECT locale, created_at, active FROM users "
            "WHERE platform = ? AND workspace = ? AND user_id = ?",
        )
        if row is None:
            return None
        return User(key=key, locale=row[0], created_at=load_time(row[1]), active=bool(row[2]))

    async def save_user(self, user: User) -> None:
        """Insert the user, or update the locale of a known one."""
        k = user.key
        await self._writer.execute(
            "INSERT INTO users (platform, workspace, user_id, locale, created_at, active) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, workspace, user_id) "
            "DO UPDATE SET locale = excluded.locale, active = excluded.active",
            (
                k.platform,
                k.workspace,
                k.user_id,
                user.locale,
                dump_time(user.created_at),
                int(user.active),
            ),
        )
        # The stored first contact wins over the one given: read the row back when needed.
        self._users.pop(k, None)

    async def load_session(self, key: UserKey) -> SessionState:
        """Return the stored state or an empty one."""
        row = await self._by_user(
            self._sessions,
            key,
            "SELECT step, data FROM sessions WHERE platform = ? AND workspace = ? AND user_id = ?",
        )
        if row is None:
            return SessionState()
        return SessionState(step=row[0], data=load_object(row[1]))

    async def save_session(self, key: UserKey, state: SessionState) -> None:
        """Replace the stored state."""
        data = dump_object(state.data)
        await self._writer.execute(
            "INSERT INTO sessions (platform, workspace, user_id, step, data) "
            "VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (platform, workspace, user_id) "
            "DO UPDATE SET step = excluded.step, data = excluded.data",
            (key.platform, key.workspace, key.user_id, state.step, data),
        )
        if self._caching:
            self._sessions[key] = (state.step, data)

    async def seen(self, update_key: str) -> bool:
        """Return whether the id was remembered.

        Every update asks this, and no cache can answer "not yet", so it is the one read of a
        turn that reaches the file. It runs on the event loop: a primary-key lookup costs
        about 5 µs there, a hop to the reading thread about 100 µs of CPU (more under load).
        The probe never waits for a lock; when SQLite reports one (or any other error), the
        read takes the hop, which waits for the lock and raises what is really wrong.
        """
        try:
            # fetchall ends the statement, so the next lookup reads the latest commit.
            return bool(self._probe.execute(_SEEN, (update_key,)).fetchall())
        except sqlite3.Error:
            return await self._one(_SEEN, (update_key,)) is not None

    async def remember(self, update_key: str, at: datetime) -> None:
        """Remember the id (first time wins)."""
        await self._writer.execute(
            "INSERT INTO processed_updates (update_key, seen_at) VALUES (?, ?) "
            "ON CONFLICT (update_key) DO NOTHING",
            (update_key, dump_time(at)),
        )

    async def forget_before(self, cutoff: datetime) -> int:
        """Drop ids older than ``cutoff``."""
        cursor = await self._writer.execute(
            "DELETE FROM processed_updates WHERE seen_at < ?", (dump_time(cutoff),)
        )
        return cursor.rowcount

    async def create_assessment(
        self, owner: UserKey, questionnaire_id: str, version: str, now: datetime
    ) -> AssessmentRecord:
        """Create an in-progress assessment and return it with its id."""
        cursor = await self._writer.execute(
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
        new_id = cursor.lastrowid
        if new_id is None:  # pragma: no cover - SQLite always sets it after an INSERT
            raise StorageError("the new assessment got no id")
        record = AssessmentRecord(
            id=new_id,
            owner=owner,
            questionnaire_id=questionnaire_id,
            questionnaire_version=version,
            status="in_progress",
            created_at=now,
            updated_at=now,
        )
        if self._caching:
            self._assessments[new_id] = _assessment_row(record)
            self._answers[new_id] = {}
        return record

    async def get_assessment(self, assessment_id: int) -> AssessmentRecord | None:
        """Return the assessment or ``None``."""
        row = self._assessments.get(assessment_id)
        if row is None:
            found = await self._miss(
                f"SELECT {_ASSESSMENT_COLUMNS} FROM assessments WHERE id = ?",  # noqa: S608
                (assessment_id,),
            )
            if not found:
                return None
            row = tuple(found[0])
            if self._caching:
                self._assessments[assessment_id] = row
        return _assessment(row)

    async def list_assessments(self, owner: UserKey) -> list[AssessmentRecord]:
        """Return the owner's assessments, newest first."""
        rows = await self._all(
            f"SELECT {_ASSESSMENT_COLUMNS} FROM assessments "  # noqa: S608 - constant columns
            "WHERE platform = ? AND workspace = ? AND user_id = ? ORDER BY id DESC",
            (owner.platform, owner.workspace, owner.user_id),
        )
        return [_assessment(row) for row in rows]

    async def update_assessment(self, record: AssessmentRecord) -> None:
        """Store the mutable fields of the assessment."""
        row = _assessment_row(record)
        await self._writer.run([_update_assessment(row)])
        self._cache_assessment(row)

    def _cache_assessment(self, row: tuple[object, ...]) -> None:
        """Update a cached assessment after its update was committed.

        Only the mutable fields were written: the cached owner and creation time stay.
        """
        key = int(str(row[0]))
        before = self._assessments.get(key)
        if before is not None:
            self._assessments[key] = (*before[:5], *row[5:11], before[11], *row[12:])

    async def record_answer(self, record: AssessmentRecord, answer: AnswerRecord) -> None:
        """Store the answer and the assessment's fields in one transaction."""
        row = _assessment_row(record)
        await self._writer.run([_upsert_answer(record.id, answer), _update_assessment(row)])
        self._cache_answer(record.id, answer)
        self._cache_assessment(row)

    async def list_team(self, assessment_id: int) -> list[AssessmentRecord]:
        """Return the members' assessments of a team."""
        rows = await self._all(
            f"SELECT {_ASSESSMENT_COLUMNS} FROM assessments WHERE team_of = ? ORDER BY id",  # noqa: S608
            (assessment_id,),
        )
        return [_assessment(row) for row in rows]

    async def list_answers(self, assessment_id: int) -> dict[str, AnswerRecord]:
        """Return the answers by standard id."""
        answers = self._answers.get(assessment_id)
        if answers is None:
            rows = await self._miss(
                "SELECT standard_id, answer, note, answered_at FROM answers "
                "WHERE assessment_id = ?",
                (assessment_id,),
            )
            answers = {r[0]: AnswerRecord(r[0], r[1], r[2], load_time(r[3])) for r in rows}
            if self._caching:
                self._answers[assessment_id] = answers
        return dict(answers)  # the records are frozen; the mapping is the caller's

    async def save_answer(self, assessment_id: int, answer: AnswerRecord) -> None:
        """Insert or replace one answer."""
        await self._writer.run([_upsert_answer(assessment_id, answer)])
        self._cache_answer(assessment_id, answer)

    def _cache_answer(self, assessment_id: int, answer: AnswerRecord) -> None:
        cached = self._answers.get(assessment_id)
        if cached is not None:
            cached[answer.standard_id] = answer

    async def delete_answers(self, assessment_id: int, standard_ids: Sequence[str]) -> None:
        """Drop the answers to these standards."""
        sql = "DELETE FROM answers WHERE assessment_id = ? AND standard_id = ?"
        await self._writer.run([(sql, (assessment_id, sid)) for sid in standard_ids])
        self._answers.pop(assessment_id, None)

    # -- privacy ------------------------------------------------------------------------------

    async def export_user(self, key: UserKey) -> dict[str, Any]:
        """Return everything stored about ``key``."""
        user = await self.get_user(key)
        if user is None:
            return {}
        who = (key.platform, key.workspace, key.user_id)
        async with self._conn.execute(
            "SELECT standard_id, title, responsible, due_on, done_at FROM action_items "
            "WHERE platform = ? AND workspace = ? AND user_id = ?",
            who,
        ) as cursor:
            actions = [
                {
                    "standard_id": r[0],
                    "title": r[1],
                    "responsible": r[2],
                    "due_on": r[3],
                    "done_at": r[4],
                }
                for r in await cursor.fetchall()
            ]
        async with self._conn.execute(
            "SELECT platform, workspace, user_id FROM identity_links "
            "WHERE c_platform = ? AND c_workspace = ? AND c_user_id = ?",
            who,
        ) as cursor:
            linked = [str(UserKey(*r)) for r in await cursor.fetchall()]
        return await user_export(self, key, user, actions, linked)

    async def delete_user(self, key: UserKey) -> None:
        """Erase everything about ``key`` and the accounts linked to it, in one transaction."""
        who = (key.platform, key.workspace, key.user_id)
        linked = await self._all(
            "SELECT platform, workspace, user_id FROM identity_links "
            "WHERE c_platform = ? AND c_workspace = ? AND c_user_id = ?",
            who,
        )
        owned = "platform = ? AND workspace = ? AND user_id = ?"
        unit: list[Statement] = []
        for k in [who, *[tuple(r) for r in linked]]:
            unit.append(
                (
                    "DELETE FROM answers WHERE assessment_id IN "  # noqa: S608 - constant SQL
                    f"(SELECT id FROM assessments WHERE {owned})",
                    k,
                )
            )
            unit += [
                (f"DELETE FROM {table} WHERE {owned}", k)  # noqa: S608 - constant names
                for table in (
                    "assessments",
                    "sessions",
                    "subscriptions",
                    "reminder_settings",
                    "status_dates",
                    "action_items",
                    "codes",
                    "identity_links",
                    "users",
                )
            ]
            unit.append(
                (
                    "DELETE FROM identity_links WHERE c_platform = ? AND c_workspace = ? "
                    "AND c_user_id = ?",
                    k,
                )
            )
            unit.append(
                ("DELETE FROM reminder_ledger WHERE instr(key, ?) > 0", (f"|{UserKey(*k)}|",))
            )
        await self._writer.run(unit)
        self._clear_caches()  # rare: simpler to start cold than to trace every linked row

    # -- action plans, codes, linked accounts ------------------------------------------------

    async def add_action(self, item: ActionItem) -> ActionItem:
        """Store an item and return it with its id."""
        k = item.owner
        cursor = await self._writer.execute(
            "INSERT INTO action_items (platform, workspace, user_id, chat_id, assessment_id, "
            "standard_id, title, responsible, due_on, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                k.platform,
                k.workspace,
                k.user_id,
                item.address.chat_id,
                item.assessment_id,
                item.standard_id,
                item.title,
                item.responsible,
                item.due_on.isoformat(),
                dump_time(item.created_at),
            ),
        )
        return dataclasses.replace(item, id=int(cursor.lastrowid or 0))

    async def list_actions(self, owner: UserKey | None = None) -> list[ActionItem]:
        """Return open items by due date."""
        query = (
            "SELECT id, platform, workspace, user_id, chat_id, assessment_id, standard_id, title, "
            "responsible, due_on, created_at FROM action_items WHERE done_at IS NULL"
        )
        params: tuple[str, ...] = ()
        if owner is not None:
            query += " AND platform = ? AND workspace = ? AND user_id = ?"
            params = (owner.platform, owner.workspace, owner.user_id)
        rows = await self._all(query + " ORDER BY due_on, id", params)
        return [
            ActionItem(
                id=int(r[0]),
                owner=UserKey(r[1], r[2], r[3]),
                address=Address(r[1], r[4], r[3], r[2] or None),
                assessment_id=int(r[5]),
                standard_id=r[6],
                title=r[7],
                responsible=r[8],
                due_on=date.fromisoformat(r[9]),
                created_at=load_time(r[10]),
            )
            for r in rows
        ]

    async def close_action(self, owner: UserKey, item_id: int, at: datetime) -> bool:
        """Mark an open item of the owner done."""
        cursor = await self._writer.execute(
            "UPDATE action_items SET done_at = ? WHERE id = ? AND platform = ? AND workspace = ? "
            "AND user_id = ? AND done_at IS NULL",
            (dump_time(at), item_id, owner.platform, owner.workspace, owner.user_id),
        )
        return cursor.rowcount == 1

    async def create_code(self, code: OneTimeCode) -> None:
        """Store a code."""
        k = code.owner
        await self._writer.execute(
            "INSERT INTO codes (code, kind, platform, workspace, user_id, assessment_id, "
            "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                code.code,
                code.kind,
                k.platform,
                k.workspace,
                k.user_id,
                code.assessment_id,
                dump_time(code.expires_at),
            ),
        )

    async def redeem_code(
        self, code: str, kind: str, now: datetime, redeemer: UserKey
    ) -> OneTimeCode | None:
        """Use a code once, if valid and not the redeemer's own (one UPDATE: one winner)."""
        cursor = await self._writer.execute(
            "UPDATE codes SET used_at = ? WHERE code = ? AND kind = ? AND used_at IS NULL "
            "AND expires_at > ? AND NOT (platform = ? AND workspace = ? AND user_id = ?)",
            (
                dump_time(now),
                code,
                kind,
                dump_time(now),
                redeemer.platform,
                redeemer.workspace,
                redeemer.user_id,
            ),
        )
        used_at: datetime | None = now if cursor.rowcount == 1 else None
        row = await self._one(
            "SELECT platform, workspace, user_id, assessment_id, expires_at, used_at FROM codes "
            "WHERE code = ? AND kind = ?",
            (code, kind),
        )
        if row is None:
            return None
        owner = UserKey(row[0], row[1], row[2])
        own_and_valid = owner == redeemer and row[5] is None and load_time(row[4]) > now
        if used_at is None and not own_and_valid:
            return None  # used, expired or of another kind
        return OneTimeCode(
            code=code,
            kind=kind,
            owner=owner,
            expires_at=load_time(row[4]),
            assessment_id=None if row[3] is None else int(row[3]),
            used_at=used_at,
        )

    async def link_identity(self, alias: UserKey, canonical: UserKey, at: datetime) -> None:
        """Make ``alias`` act as ``canonical``."""
        await self._writer.execute(
            "INSERT INTO identity_links (platform, workspace, user_id, c_platform, c_workspace, "
            "c_user_id, linked_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (platform, workspace, user_id) DO UPDATE SET "
            "c_platform = excluded.c_platform, c_workspace = excluded.c_workspace, "
            "c_user_id = excluded.c_user_id, linked_at = excluded.linked_at",
            (
                alias.platform,
                alias.workspace,
                alias.user_id,
                canonical.platform,
                canonical.workspace,
                canonical.user_id,
                dump_time(at),
            ),
        )
        if self._caching:
            self._links[alias] = (canonical.platform, canonical.workspace, canonical.user_id)

    async def canonical(self, key: UserKey) -> UserKey | None:
        """Return the identity ``key`` acts as."""
        row = await self._by_user(
            self._links,
            key,
            "SELECT c_platform, c_workspace, c_user_id FROM identity_links "
            "WHERE platform = ? AND workspace = ? AND user_id = ?",
        )
        return None if row is None else UserKey(*row)

    async def unlink_identity(self, alias: UserKey) -> bool:
        """Make ``alias`` act as itself again."""
        cursor = await self._writer.execute(
            "DELETE FROM identity_links WHERE platform = ? AND workspace = ? AND user_id = ?",
            (alias.platform, alias.workspace, alias.user_id),
        )
        if self._caching:
            self._links[alias] = None
        return cursor.rowcount == 1

    async def list_aliases(self, canonical: UserKey) -> list[UserKey]:
        """Return the accounts linked to ``canonical``, in the order they were linked."""
        rows = await self._all(
            "SELECT platform, workspace, user_id FROM identity_links "
            "WHERE c_platform = ? AND c_workspace = ? AND c_user_id = ? "
            "ORDER BY linked_at, platform, workspace, user_id",
            (canonical.platform, canonical.workspace, canonical.user_id),
        )
        return [UserKey(*row) for row in rows]

    # -- content changes ------------------------------------------------------------------

    async def add_content_change(self, change: ContentChange) -> ContentChange:
        """Store an administrator's change to a card; return it with its id."""
        cursor = await self._writer.execute(
            "INSERT INTO content_changes (card, kind, author, created_at, url, start_on, end_on, "
            "budget, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                change.card,
                change.kind,
                change.author,
                dump_time(change.created_at),
                change.url,
                change.start.isoformat() if change.start else None,
                change.end.isoformat() if change.end else None,
                change.budget,
                change.text,
            ),
        )
        return dataclasses.replace(change, id=int(cursor.lastrowid or 0))

    async def list_content_changes(self, card: str | None = None) -> list[ContentChange]:
        """Return the recorded changes (of one card, or all), oldest first."""
        sql = f"SELECT {_CHANGE_COLUMNS} FROM content_changes"  # noqa: S608 - constant columns
        rows = await self._all(
            sql + (" WHERE card = ? ORDER BY id" if card else " ORDER BY id"),
            (card,) if card else (),
        )
        return [_content_change(r) for r in rows]

    # -- reminders ------------------------------------------------------------------------

    async def save_event(self, event: Event) -> None:
        """Insert or replace an admin event."""
        await self._writer.execute(
            "INSERT OR REPLACE INTO events (id, title_pl, title_en, starts_at, ends_at, place, "
            "url, organiser, category, region, cancelled, date_only, feed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event.id,
                event.title_pl,
                event.title_en,
                dump_time(event.starts_at),
                dump_time(event.ends_at) if event.ends_at else None,
                event.place,
                event.url,
                event.organiser,
                event.category,
                event.region,
                int(event.cancelled),
                int(event.date_only),
                event.feed,
            ),
        )

    async def list_admin_events(self) -> list[Event]:
        """Return every admin event."""
        rows = await self._all(
            "SELECT id, title_pl, title_en, starts_at, ends_at, place, url, organiser, category, "
            "region, cancelled, date_only, feed FROM events ORDER BY starts_at, id"
        )
        return [
            Event(
                id=r[0],
                title_pl=r[1],
                title_en=r[2],
                starts_at=load_time(r[3]),
                ends_at=load_time(r[4]) if r[4] else None,
                place=r[5],
                url=r[6],
                organiser=r[7],
                category=r[8],
                region=r[9],
                origin="feed" if r[12] else "admin",
                cancelled=bool(r[10]),
                date_only=bool(r[11]),
                feed=r[12],
            )
            for r in rows
        ]

    async def add_subscription(
        self,
        owner: UserKey,
        address: Address,
        kind: str,
        target: str,
        region: str | None,
        now: datetime,
    ) -> Subscription:
        """Subscribe, or return the identical existing subscription."""
        await self._writer.execute(
            "INSERT INTO subscriptions (platform, workspace, user_id, chat_id, kind, target, "
            "region, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (
                owner.platform,
                owner.workspace,
                owner.user_id,
                address.chat_id,
                kind,
                target,
                region or "",
                dump_time(now),
            ),
        )
        for sub in await self.list_subscriptions(owner):
            if (sub.kind, sub.target, sub.region) == (kind, target, region):
                return sub
        raise StorageError("the subscription was not stored")  # pragma: no cover

    async def list_subscriptions(self, owner: UserKey | None = None) -> list[Subscription]:
        """Return the owner's (or everyone's) subscriptions, oldest first."""
        query = (
            "SELECT id, platform, workspace, user_id, chat_id, kind, target, region, created_at "
            "FROM subscriptions"
        )
        params: tuple[str, ...] = ()
        if owner is not None:
            query += " WHERE platform = ? AND workspace = ? AND user_id = ?"
            params = (owner.platform, owner.workspace, owner.user_id)
        rows = await self._all(query + " ORDER BY id", params)
        return [
            Subscription(
                id=int(r[0]),
                owner=UserKey(r[1], r[2], r[3]),
                address=Address(r[1], r[4], r[3], r[2] or None),
                kind=r[5],
                target=r[6],
                region=r[7] or None,
                created_at=load_time(r[8]),
            )
            for r in rows
        ]

    async def remove_subscription(self, owner: UserKey, subscription_id: int) -> bool:
        """Remove one of the owner's subscriptions."""
        cursor = await self._writer.execute(
            "DELETE FROM subscriptions WHERE id = ? AND platform = ? AND workspace = ? "
            "AND user_id = ?",
            (subscription_id, owner.platform, owner.workspace, owner.user_id),
        )
        return cursor.rowcount > 0

    async def remove_subscriptions(self, owner: UserKey) -> int:
        """Remove all the owner's subscriptions."""
        cursor = await self._writer.execute(
            "DELETE FROM subscriptions WHERE platform = ? AND workspace = ? AND user_id = ?",
            (owner.platform, owner.workspace, owner.user_id),
        )
        return cursor.rowcount

    async def claim_delivery(self, key: str, at: datetime) -> bool:
        """Claim a ledger key; ``False`` when it was claimed before."""
        cursor = await self._writer.execute(
            "INSERT INTO reminder_ledger (key, delivered_at) VALUES (?, ?) "
            "ON CONFLICT (key) DO NOTHING",
            (key, dump_time(at)),
        )
        return cursor.rowcount == 1

    async def release_delivery(self, key: str) -> None:
        """Forget a claim."""
        await self._writer.execute("DELETE FROM reminder_ledger WHERE key = ?", (key,))

    async def get_offsets(self, owner: UserKey) -> tuple[int, ...] | None:
        """Return the owner's offsets or ``None``."""
        row = await self._one(
            "SELECT offsets FROM reminder_settings WHERE platform = ? AND workspace = ? "
            "AND user_id = ?",
            (owner.platform, owner.workspace, owner.user_id),
        )
        return None if row is None else tuple(int(x) for x in json.loads(row[0]))

    async def set_offsets(self, owner: UserKey, offsets: tuple[int, ...] | None) -> None:
        """Store or clear the owner's offsets."""
        key = (owner.platform, owner.workspace, owner.user_id)
        if offsets is None:
            await self._writer.execute(
                "DELETE FROM reminder_settings WHERE platform = ? AND workspace = ? "
                "AND user_id = ?",
                key,
            )
            return
        await self._writer.execute(
            "INSERT INTO reminder_settings (platform, workspace, user_id, offsets) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (platform, workspace, user_id) "
            "DO UPDATE SET offsets = excluded.offsets",
            (*key, json.dumps(list(offsets))),
        )

    async def set_status_date(
        self,
        owner: UserKey,
        address: Address,
        kind: str,
        granted_on: date | None,
        at: datetime | None = None,
    ) -> None:
        """Store or forget a status date (a new date clears the renewal reminder)."""
        key = (owner.platform, owner.workspace, owner.user_id)
        if granted_on is None:
            await self._writer.execute(
                "DELETE FROM status_dates WHERE platform = ? AND workspace = ? AND user_id = ? "
                "AND kind = ?",
                (*key, kind),
            )
            return
        await self._writer.execute(
            "INSERT INTO status_dates (platform, workspace, user_id, chat_id, kind, granted_on, "
            "set_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform, workspace, user_id, kind) "
            "DO UPDATE SET granted_on = excluded.granted_on, chat_id = excluded.chat_id, "
            "set_at = excluded.set_at, renew_on = NULL",
            (*key, address.chat_id, kind, granted_on.isoformat(), dump_time(at) if at else None),
        )

    async def set_renewal(self, owner: UserKey, kind: str, renew_on: date | None) -> bool:
        """Set or clear the renewal reminder day of a stored status date."""
        cursor = await self._writer.execute(
            "UPDATE status_dates SET renew_on = ? WHERE platform = ? AND workspace = ? "
            "AND user_id = ? AND kind = ?",
            (
                renew_on.isoformat() if renew_on else None,
                owner.platform,
                owner.workspace,
                owner.user_id,
                kind,
            ),
        )
        return cursor.rowcount > 0

    async def list_status_dates(self) -> list[StatusDate]:
        """Return every status date."""
        rows = await self._all(
            "SELECT platform, workspace, user_id, chat_id, kind, granted_on, set_at, renew_on "
            "FROM status_dates"
        )
        return [
            StatusDate(
                owner=UserKey(r[0], r[1], r[2]),
                address=Address(r[0], r[3], r[2], r[1] or None),
                kind=r[4],
                granted_on=date.fromisoformat(r[5]),
                set_at=load_time(r[6]) if r[6] else None,
                renew_on=date.fromisoformat(r[7]) if r[7] else None,
            )
            for r in rows
        ]

    # -- calendar feeds -------------------------------------------------------------------

    async def get_feed(self, url: str) -> FeedState | None:
        """Return a feed's state or ``None``."""
        row = await self._one(
            "SELECT url, etag, last_modified, ok_at, failures, failing_since, problem, next_at "
            "FROM event_feeds WHERE url = ?",
            (url,),
        )
        if row is None:
            return None
        return FeedState(
            url=row[0],
            etag=row[1],
            last_modified=row[2],
            ok_at=load_time(row[3]) if row[3] else None,
            failures=int(row[4]),
            failing_since=load_time(row[5]) if row[5] else None,
            problem=row[6],
            next_at=load_time(row[7]) if row[7] else None,
        )

    async def save_feed(self, state: FeedState) -> None:
        """Insert or replace a feed's state."""
        times = (state.ok_at, state.failing_since, state.next_at)
        ok_at, failing_since, next_at = (dump_time(t) if t else None for t in times)
        await self._writer.execute(
            "INSERT OR REPLACE INTO event_feeds (url, etag, last_modified, ok_at, failures, "
            "failing_since, problem, next_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                state.url,
                state.etag,
                state.last_modified,
                ok_at,
                state.failures,
                failing_since,
                state.problem,
                next_at,
            ),
        )


_ASSESSMENT_COLUMNS = (
    "id, platform, workspace, user_id, questionnaire_id, questionnaire_version, status, "
    "phase, profile, cursor, baseline, created_at, updated_at, completed_at, team_of"
)


def _assessment(row: sqlite3.Row | tuple[object, ...]) -> AssessmentRecord:
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
    ) = tuple(row)
    return AssessmentRecord(
        id=int(str(aid)),
        owner=UserKey(str(platform), str(workspace), str(user_id)),
        questionnaire_id=str(qid),
        questionnaire_version=str(version),
        status=str(status),
        phase=None if phase is None else str(phase),
        profile=load_object(str(profile)),
        cursor=None if cursor is None else str(cursor),
        baseline={k: str(v) for k, v in load_object(str(baseline)).items()},
        created_at=load_time(str(created)),
        updated_at=load_time(str(updated)),
        completed_at=None if completed is None else load_time(str(completed)),
        team_of=None if team_of is None else int(str(team_of)),
    )


def _assessment_row(record: AssessmentRecord) -> tuple[object, ...]:
    """The record as a row of ``_ASSESSMENT_COLUMNS`` (what :func:`_assessment` reads)."""
    return (
        record.id,
        record.owner.platform,
        record.owner.workspace,
        record.owner.user_id,
        record.questionnaire_id,
        record.questionnaire_version,
        record.status,
        record.phase,
        dump_object(record.profile),
        record.cursor,
        dump_object(record.baseline),
        dump_time(record.created_at),
        dump_time(record.updated_at),
        dump_time(record.completed_at) if record.completed_at else None,
        record.team_of,
    )


def _update_assessment(row: tuple[object, ...]) -> Statement:
    """The UPDATE of an assessment's mutable fields from its :func:`_assessment_row`."""
    return (
        "UPDATE assessments SET questionnaire_version = ?, status = ?, phase = ?, "
        "profile = ?, cursor = ?, baseline = ?, updated_at = ?, completed_at = ?, "
        "team_of = ? WHERE id = ?",
        (*row[5:11], *row[12:], row[0]),
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


def _open_probe(path: str) -> sqlite3.Connection:
    """A read-only connection for the event loop's own lookups: it never waits for a lock."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("PRAGMA query_only = ON")
    except sqlite3.Error:
        probe.close()
        raise
    return probe


_CHANGE_COLUMNS = "id, card, kind, author, created_at, url, start_on, end_on, budget, text"


def read_content_changes(path: str) -> list[ContentChange]:
    """Read the recorded content changes without taking the database over (read-only).

    Works while the assistant runs; an absent file or a database from before the table was
    added has none.
    """
    if not Path(path).exists():
        return []
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        try:
            rows = db.execute(
                f"SELECT {_CHANGE_COLUMNS} FROM content_changes ORDER BY id"  # noqa: S608
            ).fetchall()
        except sqlite3.OperationalError:  # no such table: nothing recorded yet
            return []
    return [_content_change(r) for r in rows]


def _content_change(r: Sequence[Any]) -> ContentChange:
    """A ``content_changes`` row (in ``_CHANGE_COLUMNS`` order) as a record."""
    return ContentChange(
        id=r[0],
        card=r[1],
        kind=r[2],
        author=r[3],
        created_at=load_time(r[4]),
        url=r[5],
        start=date.fromisoformat(r[6]) if r[6] else None,
        end=date.fromisoformat(r[7]) if r[7] else None,
        budget=r[8],
        text=r[9],
    )
