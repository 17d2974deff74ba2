"""Due times and plans: offsets, DST, filters, subscribing late, past and cancelled events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.dates import parse_when
from bot.core.events import Address
from bot.core.records import Event, Subscription
from bot.reminders.schedule import due_time, parse_offsets, plan, split_due

WAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
ALA = Address("telegram", "1", "1")
OLA = Address("telegram", "2", "2")


def event(
    eid: str,
    starts: datetime,
    category: str = "meeting",
    region: str | None = None,
    cancelled: bool = False,
) -> Event:
    return Event(eid, f"T {eid}", f"T {eid}", starts, category, region=region, cancelled=cancelled)


def sub(
    n: int,
    address: Address,
    kind: str,
    target: str = "",
    region: str | None = None,
    created: datetime = NOW,
) -> Subscription:
    return Subscription(n, address.user_key, address, kind, target, region, created)


def test_offsets_parse() -> None:
    assert parse_offsets("7d,1d,2h") == (10080, 1440, 120)
    assert parse_offsets(" 30m ; 2h ") == (120, 30)
    for bad in ("", "7x", "d7", "0d", "400d", "7 lat", "miesiąc", "7d 1"):
        with pytest.raises(ValueError, match="offset"):
            parse_offsets(bad)


def test_offsets_as_people_write_them() -> None:
    assert parse_offsets("14d 3d 1d") == (20160, 4320, 1440)
    assert parse_offsets("3 dni i 1 dzień przed") == (4320, 1440)
    assert parse_offsets("tydzień i dzień przed") == (10080, 1440)
    assert parse_offsets("2 godziny przed") == (120,)
    assert parse_offsets("2 days and 1 hour before") == (2880, 60)
    assert parse_offsets("1 tydzień, 2 dni, 30 min") == (10080, 2880, 30)
    assert parse_offsets("dwa tygodnie i dzień przed") == (20160, 1440)
    assert parse_offsets("tydzien i dwa dni wczesniej") == (10080, 2880)
    assert parse_offsets("a week and two days before") == (10080, 2880)


def test_day_offsets_keep_local_time_across_march_dst() -> None:
    # Poland moves to summer time on 29 March 2026: 10:00 CEST is 08:00 UTC.
    starts = datetime(2026, 4, 2, 10, 0, tzinfo=WAW).astimezone(UTC)
    due = due_time(starts, 7 * 1440, WAW)
    assert due.astimezone(WAW).replace(tzinfo=None) == datetime(2026, 3, 26, 10, 0)
    assert due == datetime(2026, 3, 26, 9, 0, tzinfo=UTC)  # still winter time then
    # Hour offsets are exact durations.
    assert due_time(starts, 120, WAW) == starts - timedelta(hours=2)


def test_day_offsets_across_october_dst() -> None:
    starts = datetime(2026, 10, 27, 10, 0, tzinfo=WAW).astimezone(UTC)  # after the 25 Oct change
    due = due_time(starts, 1440 * 3, WAW)
    assert due.astimezone(WAW).replace(tzinfo=None) == datetime(2026, 10, 24, 10, 0)
    # A reminder during the repeated hour is computed once, not twice.
    night = datetime(2026, 10, 25, 2, 30, tzinfo=WAW).astimezone(UTC)
    reminders = plan(
        [event("e", night + timedelta(hours=2))], [sub(1, ALA, "all")], {}, (120,), WAW, NOW
    )
    assert len(reminders) == 1


def test_plan_filters_and_orders() -> None:
    soon = NOW + timedelta(days=10)
    events = [
        event("a", soon, "meeting", region="lubelskie"),
        event("b", soon + timedelta(days=1), "training"),
        event("past", NOW - timedelta(days=1)),
        event("off", soon, cancelled=True),
    ]
    subs = [
        sub(1, ALA, "category", "meeting", region="mazowieckie"),  # a is in lubelskie: no
        sub(2, OLA, "all"),
        sub(3, OLA, "event", "a"),  # the same reminders again: once only
    ]
    reminders = plan(events, subs, {}, (1440,), WAW, NOW)
    assert [(r.event_id, r.owner.user_id) for r in reminders] == [("a", "2"), ("b", "2")]
    assert reminders[0].due_at < reminders[1].due_at


def test_offsets_already_passed_at_subscription_send_nothing() -> None:
    starts = NOW + timedelta(hours=5)
    reminders = plan(
        [event("a", starts)], [sub(1, ALA, "event", "a")], {}, (10080, 1440, 120), WAW, NOW
    )
    assert [r.offset for r in reminders] == [120]


def test_user_offsets_override_the_default() -> None:
    starts = NOW + timedelta(days=3)
    reminders = plan(
        [event("a", starts)], [sub(1, ALA, "all")], {ALA.user_key: (60,)}, (1440,), WAW, NOW
    )
    assert [r.offset for r in reminders] == [60]


def test_split_due() -> None:
    starts = NOW + timedelta(days=2)
    reminders = plan([event("a", starts)], [sub(1, ALA, "all")], {}, (1440, 120), WAW, NOW)
    due, later = split_due(reminders, starts - timedelta(hours=3))
    assert [r.offset for r in due] == [1440]
    assert later == starts - timedelta(hours=2)


@pytest.mark.parametrize(
    ("text", "expected", "has_time"),
    [
        ("27.05.2026 10:00", datetime(2026, 5, 27, 10, 0), True),
        ("27.05.2026", datetime(2026, 5, 27, 0, 0), False),
        ("27 maja 10:00", datetime(2026, 5, 27, 10, 0), True),
        ("27 maja 2027 9.30", datetime(2027, 5, 27, 9, 30), True),
        ("2 lutego", datetime(2027, 2, 2, 0, 0), False),  # already past this year: next year
        ("2026-06-01 14:15", datetime(2026, 6, 1, 14, 15), True),
        ("1 października godz. 8:00", datetime(2026, 10, 1, 8, 0), True),
        ("5 May 10:00", datetime(2026, 5, 5, 10, 0), True),
    ],
)
def test_polish_dates(text: str, expected: datetime, has_time: bool) -> None:
    parsed = parse_when(text, WAW, datetime(2026, 3, 1).date())
    assert parsed is not None
    assert parsed[0] == expected.replace(tzinfo=WAW)
    assert parsed[1] is has_time


@pytest.mark.parametrize("text", ["jutro", "31.02.2026 10:00", "27 majów", "27.05.2026 25:00", ""])
def test_bad_dates(text: str) -> None:
    assert parse_when(text, WAW, datetime(2026, 3, 1).date()) is None
