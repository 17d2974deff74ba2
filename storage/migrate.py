"""Numbered SQL migrations, listed from a package of ``NNNN_name.sql`` files.

SQLite's (``storage/migrations``) are applied here and tracked with ``PRAGMA user_version``;
PostgreSQL's (``storage/migrations_postgres``) are listed here and applied by
``storage.postgres.database`` (under an advisory lock, tracked in ``schema_migrations``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

import aiosqlite

log = logging.getLogger(__name__)
_NAME = re.compile(r"(\d{4})_[a-z0-9_]+\.sql")


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: its number, file name and SQL text."""

    number: int
    name: str
    sql: str


#: The package of SQLite's migrations.
SQLITE_MIGRATIONS = "storage.migrations"
#: The package of PostgreSQL's migrations.
POSTGRES_MIGRATIONS = "storage.migrations_postgres"


def bundled_migrations() -> list[Migration]:
    """Return SQLite's migrations, shipped in ``storage/migrations``, in order.

    Raises:
        ValueError: numbers are not 1, 2, 3, ... without gaps.

    """
    return migrations_in(SQLITE_MIGRATIONS)


def postgres_migrations() -> list[Migration]:
    """Return PostgreSQL's migrations, shipped in ``storage/migrations_postgres``, in order.

    Raises:
        ValueError: numbers are not 1, 2, 3, ... without gaps.

    """
    return migrations_in(POSTGRES_MIGRATIONS)


def migrations_in(package: str) -> list[Migration]:
    """Return the ``NNNN_name.sql`` files of ``package`` (a dotted name), in order.

    Raises:
        ValueError: numbers are not 1, 2, 3, ... without gaps.

    """
    found = []
    for entry in resources.files(package).iterdir():
        match = _NAME.fullmatch(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.number)
    if [m.number for m in found] != list(range(1, len(found) + 1)):
        raise ValueError(f"migration numbers must run 1..n without gaps: {[m.name for m in found]}")
    return found


async def apply_migrations(conn: aiosqlite.Connection, migrations: list[Migration]) -> int:
    """Apply every migration newer than the database's ``user_version``; return the version.

    Each migration runs in one transaction together with the version bump, so a crash leaves
    the schema either before or after it, never half-way.
    """
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    version = int(row[0]) if row else 0
    for migration in migrations:
        if migration.number <= version:
            continue
        log.info("applying migration %s", migration.name)
        await conn.executescript(
            f"BEGIN;\n{migration.sql}\nPRAGMA user_version = {migration.number};\nCOMMIT;"
        )
        version = migration.number
    return version
