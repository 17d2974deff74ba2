"""Calendar feeds' states and administrators' content changes in memory."""

from __future__ import annotations

import dataclasses

from bot.core.records import ContentChange, FeedState
from storage.memory.tables import CHANGE_KINDS, Tables, require, utc


class MemoryFeeds(Tables):
    """The :class:`FeedStore` port (records are frozen: safe to share)."""

    async def get_feed(self, url: str) -> FeedState | None:
        """Return a feed's state or ``None``."""
        return self._feeds.get(url)

    async def save_feed(self, state: FeedState) -> None:
        """Insert or replace a feed's state."""
        self._feeds[state.url] = dataclasses.replace(
            state,
            ok_at=None if state.ok_at is None else utc(state.ok_at),
            failing_since=None if state.failing_since is None else utc(state.failing_since),
            next_at=None if state.next_at is None else utc(state.next_at),
        )


class MemoryContentChanges(Tables):
    """The :class:`ContentChangeStore` port."""

    async def add_content_change(self, change: ContentChange) -> ContentChange:
        """Store an administrator's change to a card; return it with its new id."""
        require("kind", change.kind, CHANGE_KINDS)
        stored = dataclasses.replace(
            change, id=self._next_id("content_changes"), created_at=utc(change.created_at)
        )
        self._changes.append(stored)
        return stored

    async def list_content_changes(self, card: str | None = None) -> list[ContentChange]:
        """Return the recorded changes (of one card, or all), oldest first."""
        return [c for c in self._changes if card is None or c.card == card]
