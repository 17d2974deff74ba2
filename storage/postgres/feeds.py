"""Calendar feeds' states and administrators' content changes in PostgreSQL."""

from __future__ import annotations

import dataclasses

import asyncpg

from bot.core.records import ContentChange, FeedState
from bot.errors import StorageError
from storage.postgres.database import Concern, utc

_CHANGE_COLUMNS = "id, card, kind, author, created_at, url, start_on, end_on, budget, text"


class PostgresFeeds(Concern):
    """The :class:`FeedStore` port."""

    async def get_feed(self, url: str) -> FeedState | None:
        """Return a feed's state or ``None``."""
        row = await self._db.one(
            "SELECT url, etag, last_modified, ok_at, failures, failing_since, problem, next_at "
            "FROM event_feeds WHERE url = $1",
            url,
        )
        if row is None:
            return None
        return FeedState(
            url=row["url"],
            etag=row["etag"],
            last_modified=row["last_modified"],
            ok_at=row["ok_at"],
            failures=int(row["failures"]),
            failing_since=row["failing_since"],
            problem=row["problem"],
            next_at=row["next_at"],
        )

    async def save_feed(self, state: FeedState) -> None:
        """Insert or replace a feed's state."""
        times = (state.ok_at, state.failing_since, state.next_at)
        ok_at, failing_since, next_at = (utc(t) if t else None for t in times)
        await self._db.execute(
            "INSERT INTO event_feeds (url, etag, last_modified, ok_at, failures, "
            "failing_since, problem, next_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
            "ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, ok_at = excluded.ok_at, "
            "failures = excluded.failures, failing_since = excluded.failing_since, "
            "problem = excluded.problem, next_at = excluded.next_at",
            state.url,
            state.etag,
            state.last_modified,
            ok_at,
            state.failures,
            failing_since,
            state.problem,
            next_at,
        )


class PostgresContentChanges(Concern):
    """The :class:`ContentChangeStore` port."""

    async def add_content_change(self, change: ContentChange) -> ContentChange:
        """Store an administrator's change to a card; return it with its id."""
        row = await self._db.one(
            "INSERT INTO content_changes (card, kind, author, created_at, url, start_on, end_on, "
            "budget, text) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            change.card,
            change.kind,
            change.author,
            utc(change.created_at),
            change.url,
            change.start,
            change.end,
            change.budget,
            change.text,
        )
        if row is None:  # pragma: no cover - RETURNING always gives the row
            raise StorageError("the new content change got no id")
        return dataclasses.replace(change, id=int(row[0]))

    async def list_content_changes(self, card: str | None = None) -> list[ContentChange]:
        """Return the recorded changes (of one card, or all), oldest first."""
        sql = f"SELECT {_CHANGE_COLUMNS} FROM content_changes"  # noqa: S608 - constant columns
        if card:
            rows = await self._db.all(sql + " WHERE card = $1 ORDER BY id", card)
        else:
            rows = await self._db.all(sql + " ORDER BY id")
        return [_content_change(r) for r in rows]


def _content_change(r: asyncpg.Record) -> ContentChange:
    """A ``content_changes`` row as a record."""
    return ContentChange(
        id=int(r["id"]),
        card=r["card"],
        kind=r["kind"],
        author=r["author"],
        created_at=r["created_at"],
        url=r["url"],
        start=r["start_on"],
        end=r["end_on"],
        budget=r["budget"],
        text=r["text"],
    )
