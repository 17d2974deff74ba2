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

    def allow(self, key: Hashable, now: datetime) -> bool:
        """Record a message at ``now``; ``False`` when the key is over its limit."""
        times = self._seen.pop(key, None) or deque(maxlen=self.limit)
        self._seen[key] = times  # most recently active last
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        if len(self._seen) > MAX_TRACKED:
            self._seen.popitem(last=False)
        return True
