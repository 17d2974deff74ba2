"""Per-user throttling: a sliding window of recent messages, kept in memory."""

from __future__ import annotations

import enum
from collections import OrderedDict, deque
from collections.abc import Hashable
from datetime import datetime, timedelta

MAX_TRACKED = 50_000


class Verdict(enum.Enum):
    """What to do with one message."""

    ALLOW = "allow"
    #: Over the limit, and not yet told so in this window: one polite "slow down".
    SLOW_DOWN = "slow_down"
    #: Over the limit and already told: no reply at all, so a flood costs no sends.
    DROP = "drop"


class _Entry:
    __slots__ = ("noticed", "times")

    def __init__(self, limit: int) -> None:
        self.times: deque[datetime] = deque(maxlen=limit)
        self.noticed: datetime | None = None

    def last_active(self) -> datetime | None:
        latest = self.times[-1] if self.times else None
        if self.noticed is not None and (latest is None or self.noticed > latest):
            return self.noticed
        return latest


class Throttle:
    """Allows ``limit`` messages per ``window`` for each key; a cache, safe to lose.

    Past the limit a key is told to slow down once per window; its other refused messages
    are to be dropped without a word.
    """

    def __init__(self, limit: int, window: timedelta) -> None:
        self.limit = limit
        self.window = window
        self._seen: OrderedDict[Hashable, _Entry] = OrderedDict()

    def __len__(self) -> int:
        """How many keys are tracked (those active within the window, at most)."""
        return len(self._seen)

    def check(self, key: Hashable, now: datetime) -> Verdict:
        """Record a message at ``now`` and say whether to handle it, refuse it or drop it."""
        entry = self._seen.pop(key, None) or _Entry(self.limit)
        self._forget_idle(now)
        self._seen[key] = entry  # most recently active last
        if len(self._seen) > MAX_TRACKED:
            self._seen.popitem(last=False)
        times = entry.times
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            return Verdict.ALLOW
        if entry.noticed is not None and now - entry.noticed < self.window:
            return Verdict.DROP
        entry.noticed = now
        return Verdict.SLOW_DOWN

    def _forget_idle(self, now: datetime) -> None:
        # The least recently active come first: drop those silent for a whole window (they
        # are under any limit again, and a notice would be due again), so memory follows the
        # users active now, not all users ever seen. Two at most per call keeps each call O(1).
        for _ in range(2):
            if not self._seen:
                return
            last = next(iter(self._seen.values())).last_active()
            if last is not None and now - last < self.window:
                return
            self._seen.popitem(last=False)
