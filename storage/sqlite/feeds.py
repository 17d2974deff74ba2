"""Calendar feeds' states and administrators' content changes in SQLite."""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from bot.core.records import ContentChange, FeedState
from storage.codec import dump_time, load_time
from storage.sqlite.database import Concern

_CHANGE_COLUMNS = "id, card, kind, author, created_at, url, start_on, end_on, budget, text"


class SqliteFeeds(Concern):
    """The :class:`FeedStore` port."""

    async def get_feed(self, url: str) -> FeedState | None:
        """Return a feed's state or ``None``."""
        row = await self._db.one(
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
        await self._db.execute(
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


class SqliteContentChanges(Concern):
    """The :class:`ContentChangeStore` port."""

    async def add_content_change(self, change: ContentChange) -> ContentChange:
        """Store an administrator's change to a card; return it with its id."""
        outcome = await self._db.execute(
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
        return dataclasses.replace(change, id=int(outcome.lastrowid or 0))

    async def list_content_changes(self, card: str | None = None) -> list[ContentChange]:
        """Return the recorded changes (of one card, or all), oldest first."""
        sql = f"SELECT {_CHANGE_COLUMNS} FROM content_changes"  # noqa: S608 - constant columns
        rows = await self._db.all(
            sql + (" WHERE card = ? ORDER BY id" if card else " ORDER BY id"),
            (card,) if card else (),
        )
        return [_content_change(r) for r in rows]


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
