"""Copying a SQLite deployment into PostgreSQL, table by table, ids and all.

The copy reads the SQLite file read-only (a running bot may keep writing it) and writes
each table in one PostgreSQL transaction with ``INSERT … ON CONFLICT … DO UPDATE``, so a
second run brings the copy up to date instead of duplicating it: run it once while the bot
runs, stop the bot, run it again, start the workers on PostgreSQL. Every value is converted
by the PostgreSQL column's type, so the copy follows the schema rather than a list here.
Id sequences continue after the highest id SQLite ever gave out (``sqlite_sequence``), so
no id is reused.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import asyncpg

from bot.core.events import UserKey
from bot.errors import StorageUnavailable
from storage.postgres import PostgresStorage
from storage.schema import ALL_TABLES
from storage.sqlite import SqliteStorage


@dataclass
class Report:
    """What a copy did: rows read per table, and what the verification found."""

    copied: dict[str, int] = field(default_factory=dict)
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    people: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every table's count and every person's export agree."""
        return not self.differences


def read_only(path: str) -> sqlite3.Connection:
    """Open the SQLite file for reading only (no lock taken, nothing written).

    Raises:
        StorageUnavailable: there is no SQLite database at ``path``.

    """
    if not Path(path).is_file():
        raise StorageUnavailable(path, "no such file")
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise StorageUnavailable(path, str(exc)) from exc
    return conn


async def copy_tables(source: sqlite3.Connection, target: Any) -> dict[str, int]:
    """Copy every table from ``source`` into ``target`` (an asyncpg connection).

    Returns the number of rows read per table. Each table is one transaction.
    """
    copied: dict[str, int] = {}
    for table in ALL_TABLES:
        columns = await _pg_columns(target, table)
        keys = await _pg_primary_key(target, table)
        names = [c for c in _sqlite_columns(source, table) if c in columns]
        rows = source.execute(f"SELECT {', '.join(names)} FROM {table}").fetchall()  # noqa: S608
        values = [
            [_convert(v, columns[n]) for n, v in zip(names, row, strict=True)] for row in rows
        ]
        identity = any(columns[n].identity for n in names)
        sql = _upsert(table, names, keys, identity)
        async with target.transaction():
            if values:
                await target.executemany(sql, values)
            if "id" in columns and columns["id"].sequence:
                await _continue_sequence(source, target, table)
        copied[table] = len(rows)
    return copied


async def count_rows(source: sqlite3.Connection, target: Any) -> dict[str, tuple[int, int]]:
    """Rows per table in SQLite and in PostgreSQL."""
    counts = {}
    for table in ALL_TABLES:
        (left,) = source.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
        right = await target.fetchval(f"SELECT count(*) FROM {table}")  # noqa: S608
        counts[table] = (int(left), int(right))
    return counts


def people(source: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """Every person SQLite knows (platform, workspace, user id), for the export comparison."""
    rows = source.execute(
        "SELECT platform, workspace, user_id FROM users ORDER BY platform, workspace, user_id"
    ).fetchall()
    return [(str(a), str(b), str(c)) for a, b, c in rows]


@dataclass(frozen=True, slots=True)
class _Column:
    type: str  # PostgreSQL's data_type: text, bigint, jsonb, timestamp with time zone, ...
    identity: bool  # GENERATED ALWAYS AS IDENTITY: inserting an id needs OVERRIDING
    sequence: bool  # an identity or serial column: its sequence must continue after the ids


async def _pg_columns(conn: Any, table: str) -> dict[str, _Column]:
    rows = await conn.fetch(
        "SELECT column_name, data_type, is_identity, identity_generation, column_default "
        "FROM information_schema.columns "
        "WHERE table_name = $1 AND table_schema = current_schema()",
        table,
    )
    if not rows:
        raise StorageUnavailable(table, "PostgreSQL has no such table: is it migrated?")
    return {
        r["column_name"]: _Column(
            r["data_type"],
            r["identity_generation"] == "ALWAYS",
            r["is_identity"] == "YES" or "nextval(" in (r["column_default"] or ""),
        )
        for r in rows
    }


async def _pg_primary_key(conn: Any, table: str) -> list[str]:
    rows = await conn.fetch(
        "SELECT a.attname FROM pg_index i "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = (quote_ident(current_schema()) || '.' || $1)::regclass "
        "AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)",
        table,
    )
    return [r["attname"] for r in rows]


def _sqlite_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _upsert(table: str, names: Sequence[str], keys: Sequence[str], identity: bool) -> str:
    placeholders = ", ".join(f"${n}" for n in range(1, len(names) + 1))
    overriding = " OVERRIDING SYSTEM VALUE" if identity else ""
    others = [n for n in names if n not in keys]
    action = (
        "DO UPDATE SET " + ", ".join(f"{n} = excluded.{n}" for n in others)
        if others
        else "DO NOTHING"
    )
    return (
        f"INSERT INTO {table} ({', '.join(names)}){overriding} VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(keys)}) {action}"
    )


async def _continue_sequence(source: sqlite3.Connection, target: Any, table: str) -> None:
    """Set the id sequence past every id either database ever gave out."""
    row = source.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    given = int(row[0]) if row else 0
    highest = await target.fetchval(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608
    sequence = await target.fetchval("SELECT pg_get_serial_sequence($1, 'id')", table)
    current = await target.fetchval(
        f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {sequence}"  # noqa: S608
    )
    last = max(given, int(highest), int(current))
    if last > 0:
        await target.execute("SELECT setval($1, $2)", sequence, last)


def _convert(value: Any, column: _Column) -> Any:
    """A SQLite value as the PostgreSQL column takes it (asyncpg's Python types)."""
    if value is None:
        return None
    kind = column.type
    if kind.startswith("timestamp"):
        return datetime.fromisoformat(value) if isinstance(value, str) else value
    if kind == "date":
        return date.fromisoformat(value) if isinstance(value, str) else value
    if kind == "boolean":
        return bool(value)
    if kind in ("integer", "bigint", "smallint"):
        return int(value)
    if kind == "ARRAY":  # SQLite keeps a list as JSON text (reminder offsets)
        return json.loads(value) if isinstance(value, str) else value
    if kind in ("json", "jsonb"):
        return value if isinstance(value, str) else json.dumps(value)
    return value if isinstance(value, str) else str(value)


async def migrate_data(sqlite_path: str, postgres_url: str) -> Report:
    """Copy the SQLite database at ``sqlite_path`` into PostgreSQL and verify the copy.

    PostgreSQL is migrated first. The verification compares every table's row count and
    every person's data export (the same export ``/moje_dane`` gives) in both databases.

    Raises:
        StorageUnavailable: either database cannot be opened (the password never shown).

    """
    report = Report()
    source = read_only(sqlite_path)
    try:
        target = await PostgresStorage.open(postgres_url, pool_size=2)
        try:
            conn = await asyncpg.connect(**target._db.connect_options())
            try:
                report.copied = await copy_tables(source, conn)
                report.counts = await count_rows(source, conn)
            finally:
                await conn.close()
            for table, (left, right) in report.counts.items():
                if left != right:
                    report.differences.append(f"{table}: {left} rows in SQLite, {right} here")
            # A view of the file, not its owner: the running bot keeps its lock; no cache.
            view = await SqliteStorage.open(sqlite_path, 0, exclusive=False)
            try:
                for platform, workspace, user_id in people(source):
                    key = UserKey(platform, workspace, user_id)
                    left_export = json.dumps(await view.export_user(key), sort_keys=True)
                    right_export = json.dumps(await target.export_user(key), sort_keys=True)
                    report.people += 1
                    if left_export != right_export:
                        report.differences.append(f"the export of {platform}:{user_id} differs")
            finally:
                await view.close()
        finally:
            await target.close()
    finally:
        source.close()
    return report
