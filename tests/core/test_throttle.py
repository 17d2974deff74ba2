"""Per-user throttling: the limit per window, and memory only for users active now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.throttle import Throttle

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def test_the_limit_applies_per_user_and_frees_up_after_the_window() -> None:
    throttle = Throttle(3, timedelta(seconds=60))
    assert all(throttle.allow("alice", T0 + timedelta(seconds=n)) for n in range(3))
    assert not throttle.allow("alice", T0 + timedelta(seconds=3))
    assert throttle.allow("bob", T0 + timedelta(seconds=3))
    assert throttle.allow("alice", T0 + timedelta(seconds=61))


def test_users_who_went_quiet_are_forgotten() -> None:
    throttle = Throttle(120, timedelta(seconds=60))
    for n in range(1000):  # a thousand users, each done after a few messages
        for m in range(3):
            throttle.allow(f"user{n}", T0 + timedelta(seconds=n + m))
    # Only those who wrote within the last minute are still tracked.
    assert len(throttle) <= 62
    assert throttle.allow("user999", T0 + timedelta(seconds=1002))
