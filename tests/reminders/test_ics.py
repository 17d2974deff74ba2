"""Calendar files out and in."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.records import Event
from bot.reminders.ics import IcsError, from_ics, to_ics

WAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_round_trip() -> None:
    original = Event(
        "adm-1",
        "Spotkanie w Łodzi",
        "Meeting in Łódź",
        datetime(2026, 5, 27, 8, 0, tzinfo=UTC),
        "meeting",
        place="Łódź, ul. Piotrkowska 1",
        url="https://example.org/e",
        ends_at=datetime(2026, 5, 27, 10, 0, tzinfo=UTC),
    )
    data = to_ics([original], "pl", WAW)
    assert b"BEGIN:VCALENDAR" in data and b"SUMMARY:Spotkanie w \xc5\x81odzi" in data
    back = from_ics(data, "meeting", "Europe/Warsaw")
    assert len(back) == 1
    event = back[0]
    assert (event.title_pl, event.starts_at, event.ends_at) == (
        "Spotkanie w Łodzi",
        original.starts_at,
        original.ends_at,
    )
    assert (event.place, event.url, event.date_only) == (original.place, original.url, False)


def test_date_only_events_are_all_day() -> None:
    day = Event(
        "d",
        "Termin",
        "Deadline",
        datetime(2026, 5, 26, 22, 0, tzinfo=UTC),
        "call_deadline",
        date_only=True,
    )
    data = to_ics([day], "pl", WAW)
    assert b"DTSTART;VALUE=DATE:20260527" in data
    back = from_ics(data, "call_deadline", "Europe/Warsaw")
    assert (
        back[0].date_only and back[0].starts_at.astimezone(WAW).date().isoformat() == "2026-05-27"
    )


@pytest.mark.parametrize(
    "data", [b"not a calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", b"\x00\xff"]
)
def test_unreadable_files(data: bytes) -> None:
    with pytest.raises(IcsError):
        from_ics(data, "meeting", "Europe/Warsaw")


def test_export_leaves_out_an_event_it_cannot_write_and_unsafe_links(
    caplog: pytest.LogCaptureFixture,
) -> None:
    far = Event(
        "far", "Daleko", "Far", datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), "meeting",
        date_only=True,
    )  # fmt: skip
    unsafe = Event(
        "js", "X" * 5000, "X", NOW + timedelta(days=3), "meeting", url="javascript:alert(1)"
    )
    with caplog.at_level(logging.WARNING):
        data = to_ics([far, unsafe], "pl", WAW)
    assert b"UID:js@clusterbot" in data and b"far@clusterbot" not in data
    assert b"javascript" not in data and data.count(b"X") < 300
    assert "far" in caplog.text and "Daleko" not in caplog.text
