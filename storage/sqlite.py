"""SQLite stores on one aiosqlite connection, in WAL mode, migrated at start-up."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import aiosqlite

from bot.core.events import UserKey
from bot.core.ports import AnswerRecord, AssessmentRecord, SessionState, User
from bot.errors import StorageError, StorageUnavailable
from storage.codec import dump_object, dump_time, load_object, load_time
from storage.migrate import apply_migrations, bundled_migrations

log = logging.getLogger(__name__)


class SqliteStorage:
    """Users, sessions and the update log in one SQLite file.

    Every write is its own committed statement (autocommit), so when a method returns the
    data survives a killed process. WAL lets readers proceed while a write commits.
    """

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self._conn = conn
        self.path = path

    @classmethod
    async def open(cls, path: str) -> SqliteStorage:
        """Open (creating if needed) and migrate the database at ``path``.

        Raises:
            StorageUnavailable: the file or its directory cannot be created or read, or the
                file is not a SQLite database.

        """
        conn: aiosqlite.Connection | None = None
        try:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = await aiosqlite.connect(path, isolation_level=None)
            await conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode: a commit survives a killed process; only a power cut can
            # lose the last transactions.
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA busy_timeout = 5000")
            await apply_migrations(conn, bundled_migrations())
        except (OSError, sqlite3.Error) as exc:
            if conn is not None:
                await conn.close()
            raise StorageUnavailable(path, str(exc) or type(exc).__name__) from exc
        log.info("database ready at %s", path)
        return cls(conn, path)

    async def close(self) -> None:
        """Checkpoint and close the connection."""
        await self._conn.close()

    async def schema_version(self) -> int:
        """Return ``PRAGMA user_version`` (the number of the last applied migration)."""
        async with self._conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def get_user(self, key: UserKey) -> User | None:
        """Return the user or ``None``."""
        async with self._conn.execute(
            "SELECT locale, created_at, active FROM users "
            "WHERE platform = ? AND workspace = ? AND user_id = ?",
            (key.platform, key.workspace, key.user_id),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return User(key=key, locale=row[0], created_at=load_time(row[1]), active=bool(row[2]))

    async def save_user(self, user: User) -> None:
        """Insert the user, or update the locale of a known one."""
        k = user.key
        await self._conn.execute(
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

    async def load_session(self, key: UserKey) -> SessionState:
        """Return the stored state or an empty one."""
        async with self._conn.execute(
            "SELECT step, data FROM sessions WHERE platform = ? AND workspace = ? AND user_id = ?",
            (key.platform, key.workspace, key.user_id),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return SessionState()
        return SessionState(step=row[0], data=load_object(row[1]))

    async def save_session(self, key: UserKey, state: SessionState) -> None:
        """Replace the stored state."""
        await self._conn.execute(
            "INSERT INTO sessions (platform, workspace, user_id, step, data) "
            "VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (platform, workspace, user_id) "
            "DO UPDATE SET step = excluded.step, data = excluded.data",
            (key.platform, key.workspace, key.user_id, state.step, dump_object(state.data)),
        )

    async def seen(self, update_key: str) -> bool:
        """Return whether the id was remembered."""
        async with self._conn.execute(
            "SELECT 1 FROM processed_updates WHERE update_key = ?", (update_key,)
        ) as cursor:
            return await cursor.fetchone() is not None

    async def remember(self, update_key: str, at: datetime) -> None:
        """Remember the id (first time wins)."""
        await self._conn.execute(
            "INSERT INTO processed_updates (update_key, seen_at) VALUES (?, ?) "
            "ON CONFLICT (update_key) DO NOTHING",
            (update_key, dump_time(at)),
        )

    async def forget_before(self, cutoff: datetime) -> int:
        """Drop ids older than ``cutoff``."""
        cursor = await self._conn.execute(
            "DELETE FROM processed_updates WHERE seen_at < ?", (dump_time(cutoff),)
        )
        return cursor.rowcount

    async def create_assessment(
        self, owner: UserKey, questionnaire_id: str, version: str, now: datetime
    ) -> AssessmentRecord:
        """Create an in-progress assessment and return it with its id."""
        cursor = await self._conn.execute(
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
        return AssessmentRecord(
            id=new_id,
            owner=owner,
            questionnaire_id=questionnaire_id,
            questionnaire_version=version,
            status="in_progress",
            created_at=now,
            updated_at=now,
        )

    async def get_assessment(self, assessment_id: int) -> AssessmentRecord | None:
        """Return the assessment or ``None``."""
        async with self._conn.execute(
            f"SELECT {_ASSESSMENT_COLUMNS} FROM assessments WHERE id = ?",  # noqa: S608 - constant
            (assessment_id,),
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None else _assessment(row)

    async def list_assessments(self, owner: UserKey) -> list[AssessmentRecord]:
        """Return the owner's assessments, newest first."""
        async with self._conn.execute(
            f"SELECT {_ASSESSMENT_COLUMNS} FROM assessments "  # noqa: S608 - constant columns
            "WHERE platform = ? AND workspace = ? AND user_id = ? ORDER BY id DESC",
            (owner.platform, owner.workspace, owner.user_id),
        ) as cursor:
            rows = await cursor.fetchall()
        return [_assessment(row) for row in rows]

    async def update_assessment(self, record: AssessmentRecord) -> None:
        """Store the mutable fields of the assessment."""
        await self._conn.execute(
            "UPDATE assessments SET questionnaire_version = ?, status = ?, phase = ?, "
            "profile = ?, cursor = ?, baseline = ?, updated_at = ?, completed_at = ? "
            "WHERE id = ?",
            (
                record.questionnaire_version,
                record.status,
                record.phase,
                dump_object(record.profile),
                record.cursor,
                dump_object(record.baseline),
                dump_time(record.updated_at),
                dump_time(record.completed_at) if record.completed_at else None,
                record.id,
            ),
        )

    async def list_answers(self, assessment_id: int) -> dict[str, AnswerRecord]:
        """Return the answers by standard id."""
        async with self._conn.execute(
            "SELECT standard_id, answer, note, answered_at FROM answers WHERE assessment_id = ?",
            (assessment_id,),
        ) as cursor:
            rows = await cursor.fetchall()
        return {row[0]: AnswerRecord(row[0], row[1], row[2], load_time(row[3])) for row in rows}

    async def save_answer(self, assessment_id: int, answer: AnswerRecord) -> None:
        """Insert or replace one answer."""
        await self._conn.execute(
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

    async def delete_answers(self, assessment_id: int, standard_ids: Sequence[str]) -> None:
        """Drop the answers to these standards."""
        await self._conn.executemany(
            "DELETE FROM answers WHERE assessment_id = ? AND standard_id = ?",
            [(assessment_id, sid) for sid in standard_ids],
        )


_ASSESSMENT_COLUMNS = (
    "id, platform, workspace, user_id, questionnaire_id, questionnaire_version, status, "
    "phase, profile, cursor, baseline, created_at, updated_at, completed_at"
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
    )
