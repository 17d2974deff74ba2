"""Per-user throttling: a sliding window of recent messages, kept in memory."""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Hashable
from datetime import datetime, timedelta

MAX_TRACKED = 50_000


class Throttle:
    """Allows ``limit`` messages per ``window`` for each key; a cache, safe to lose."""

    def __init__(self, limit: int, window: timedelta) -> None:
        self.limit = limit
        self.window = window
        self._seen: OrderedDict[Hashable, deque[datetime]] = OrderedDict()

    def __len__(self) -> int:
        """How many keys are tracked (those active within the window, at most)."""
        return len(self._seen)

    def allow(self, key: Hashable, now: datetime) -> bool:
        """Record a message at ``now``; ``False`` when the key is over its limit."""
        times = self._seen.pop(key, None) or deque(maxlen=self.limit)
        self._forget_idle(now)
        self._seen[key] = times  # most recently active last
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        if len(self._seen) > MAX_TRACKED:
            self._seen.popitem(last=False)
        return True

    def _forget_idle(self, now: datetime) -> None:
        # The least recently active come first: drop those silent for a whole window (they
        # are under any limit again), so memory follows the users active now, not all
        # users ever seen. Two at most per call keeps each call O(1).
        for _ in range(2):
            if not self._seen:
                return
            oldest = next(iter(self._seen.values()))
            if oldest and now - oldest[-1] < self.window:
                return
            self._seen.popitem(last=False)
