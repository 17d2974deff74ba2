"""Per-user throttling: the limit per window, one notice per window, memory only for users
active now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.throttle import Throttle, Verdict

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
ALLOW, SLOW_DOWN, DROP = Verdict.ALLOW, Verdict.SLOW_DOWN, Verdict.DROP


def test_the_limit_applies_per_user_and_frees_up_after_the_window() -> None:
    throttle = Throttle(3, timedelta(seconds=60))
    assert [throttle.check("alice", T0 + timedelta(seconds=n)) for n in range(3)] == [ALLOW] * 3
    assert throttle.check("alice", T0 + timedelta(seconds=3)) is SLOW_DOWN
    assert throttle.check("bob", T0 + timedelta(seconds=3)) is ALLOW
    assert throttle.check("alice", T0 + timedelta(seconds=61)) is ALLOW


def test_a_flood_is_told_to_slow_down_once_per_window_and_otherwise_dropped() -> None:
    throttle = Throttle(3, timedelta(seconds=60))
    # 2,000 messages over 200 seconds: 10 a second, far over 3 a minute.
    verdicts = [throttle.check("alice", T0 + timedelta(seconds=n / 10)) for n in range(2000)]
    notices = [n / 10 for n, v in enumerate(verdicts) if v is SLOW_DOWN]
    assert notices == [0.3, 60.3, 120.3, 180.3]  # one per window, as the window slides on
    assert verdicts.count(ALLOW) == 12
    assert verdicts.count(DROP) == 2000 - 12 - 4
    # Another user meanwhile is served as usual, and told once when they flood too.
    assert [throttle.check("bob", T0 + timedelta(seconds=5)) for _ in range(5)] == [
        ALLOW,
        ALLOW,
        ALLOW,
        SLOW_DOWN,
        DROP,
    ]


def test_users_who_went_quiet_are_forgotten() -> None:
    throttle = Throttle(120, timedelta(seconds=60))
    for n in range(1000):  # a thousand users, each done after a few messages
        for m in range(3):
            throttle.check(f"user{n}", T0 + timedelta(seconds=n + m))
    # Only those who wrote within the last minute are still tracked.
    assert len(throttle) <= 62
    assert throttle.check("user999", T0 + timedelta(seconds=1002)) is ALLOW


def test_flooders_who_went_quiet_are_forgotten_too() -> None:
    throttle = Throttle(2, timedelta(seconds=60))
    for n in range(1000):  # a thousand users, each flooding for a moment
        for m in range(5):
            throttle.check(f"user{n}", T0 + timedelta(seconds=n + m / 10))
    assert len(throttle) <= 62
