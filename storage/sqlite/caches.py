"""What a conversation turn reads, kept in bounded LRU caches as records."""

from __future__ import annotations

from dataclasses import dataclass

from cachetools import LRUCache

from bot.core.events import UserKey
from bot.core.records import AnswerRecord, AssessmentRecord, User

#: How many people's working data (account, conversation state, link, assessments, answers)
#: stay in memory by default.
DEFAULT_CACHE_SIZE = 1000


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A conversation state as the file holds it: the step and its data as JSON text.

    Kept as text so each read parses a fresh copy for its caller, as the file would give.
    """

    step: str | None
    data: str


class Caches:
    """The records of the people and assessments in use, as the file holds them.

    Filled by reads in order with the writes and updated by each write's caller after its
    commit (see ``storage.writer``), so a turn costs only its writes. They hold the file's
    values, so only one process may write the file (see ``storage.ownership``). The records
    in here are never handed out: readers get copies. Size 0 turns caching off.
    """

    def __init__(self, size: int = DEFAULT_CACHE_SIZE) -> None:
        self.enabled = size > 0
        bound = max(1, size)
        self.users: LRUCache[UserKey, User | None] = LRUCache(bound)
        self.sessions: LRUCache[UserKey, StoredSession | None] = LRUCache(bound)
        self.links: LRUCache[UserKey, UserKey | None] = LRUCache(bound)
        self.assessments: LRUCache[int, AssessmentRecord] = LRUCache(bound)
        self.answers: LRUCache[int, dict[str, AnswerRecord]] = LRUCache(bound)
        #: The profile and baseline JSON last written for a cached assessment.
        self.texts: LRUCache[int, tuple[str, str]] = LRUCache(bound)

    def clear(self) -> None:
        """Forget everything (after an erasure: simpler than tracing every linked row)."""
        for cache in (
            self.users,
            self.sessions,
            self.links,
            self.assessments,
            self.answers,
            self.texts,
        ):
            cache.clear()
