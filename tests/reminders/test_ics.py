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
    back = from_ics(data, "meeting", "Europe/Warsaw", NOW)
    assert len(back.events) == 1 and back.skipped == [] and back.changed == []
    event = back.events[0]
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
    back = from_ics(data, "call_deadline", "Europe/Warsaw", NOW).events
    assert (
        back[0].date_only and back[0].starts_at.astimezone(WAW).date().isoformat() == "2026-05-27"
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not a calendar", "unreadable"),
        (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "no_events"),
        (b"\x00\xff", "unreadable"),
    ],
)
def test_unreadable_files(data: bytes, reason: str) -> None:
    with pytest.raises(IcsError) as info:
        from_ics(data, "meeting", "Europe/Warsaw", NOW)
    assert info.value.reason == reason


def calendar(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e}END:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\n{body}END:VCALENDAR\r\n".encode()


GOOD = "UID:good\r\nSUMMARY:Dobre\r\nDTSTART:20260601T100000Z\r\n"


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ("SUMMARY:Daleko\r\nDTSTART:99991231T235959Z\r\n", "out_of_range"),
        ("SUMMARY:Dawno\r\nDTSTART:19991231T100000Z\r\n", "out_of_range"),
        ("SUMMARY:Rok 1\r\nDTSTART;VALUE=DATE:00010101\r\n", "out_of_range"),
        ("SUMMARY:Za 11 lat\r\nDTSTART:20370401T100000Z\r\n", "out_of_range"),
        ("SUMMARY:Zła data\r\nDTSTART:2026-13-45\r\n", "bad_start"),
        ("SUMMARY:Zła godzina\r\nDTSTART:20261345T250000Z\r\n", "bad_start"),
        ("SUMMARY:Dwa\r\nDTSTART:20260601T100000Z\r\nDTSTART:20260602T100000Z\r\n", "bad_start"),
        ("SUMMARY:Okres\r\nDTSTART;VALUE=PERIOD:20260601T100000Z/PT1H\r\n", "bad_start"),
        ("SUMMARY:Zły koniec\r\nDTSTART:20260601T100000Z\r\nDTEND:garbage\r\n", "bad_end"),
        ("SUMMARY:Wstecz\r\nDTSTART:20260601T100000Z\r\nDTEND:20260501T100000Z\r\n",
         "end_before_start"),
        ("SUMMARY:Bez końca\r\nDTSTART:20260601T100000Z\r\nDTEND:99991231T235959Z\r\n",
         "out_of_range"),
        ("SUMMARY:Bez daty\r\n", "no_start"),
        ("DTSTART:20260601T100000Z\r\n", "no_title"),
    ],
)  # fmt: skip
def test_a_bad_event_is_skipped_with_its_reason_and_the_good_one_kept(
    event: str, reason: str
) -> None:
    result = from_ics(calendar(f"UID:bad\r\n{event}", GOOD), "meeting", "Europe/Warsaw", NOW)
    assert [e.title_pl for e in result.events] == ["Dobre"]
    assert [p.reason for p in result.skipped] == [reason]
    assert result.changed == []


def test_the_range_ends_ten_years_after_now() -> None:
    ok = "SUMMARY:Za 9 lat\r\nDTSTART:20350301T100000Z\r\n"
    result = from_ics(calendar(ok), "meeting", "Europe/Warsaw", NOW)
    assert [e.starts_at.year for e in result.events] == [2035]


def test_long_fields_are_cut_and_other_links_dropped_with_a_note() -> None:
    long_title = "Spotkanie " * 90_000  # 900,000 characters
    events = [
        f"UID:long\r\nSUMMARY:{long_title}\r\nDTSTART:20260601T100000Z\r\n",
        "UID:js\r\nSUMMARY:Link\r\nDTSTART:20260602T100000Z\r\nURL:javascript:alert(1)\r\n",
        f"UID:place\r\nSUMMARY:Miejsce\r\nDTSTART:20260603T100000Z\r\nLOCATION:{'Ł' * 400}\r\n",
        "UID:web\r\nSUMMARY:Strona\r\nDTSTART:20260604T100000Z\r\nURL:https://example.org/a\r\n",
        # A bare host: Telegram refuses such a link button, and with it the whole message.
        "UID:lan\r\nSUMMARY:Sieć\r\nDTSTART:20260605T100000Z\r\nURL:http://intranet/x\r\n",
    ]
    result = from_ics(calendar(*events), "meeting", "Europe/Warsaw", NOW)
    by_id = {e.id: e for e in result.events}
    assert set(by_id) == {"ics-long", "ics-js", "ics-place", "ics-web", "ics-lan"}
    assert result.skipped == [] and by_id["ics-lan"].url is None
    title = by_id["ics-long"].title_pl
    assert len(title) == 200 and title.endswith("…") and title.startswith("Spotkanie Spotkanie")
    assert by_id["ics-js"].url is None and by_id["ics-web"].url == "https://example.org/a"
    place = by_id["ics-place"].place
    assert place is not None and len(place) == 300 and place.endswith("…")
    reasons = sorted(p.reason for p in result.changed)
    assert reasons == ["place_cut", "title_cut", "url_dropped", "url_dropped"]
    assert all(len(p.title) <= 60 for p in result.changed)


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


def test_long_uids_that_share_a_beginning_stay_apart_and_a_repeated_uid_is_noted() -> None:
    outlook = "040000008200E00074C5B7101A82E00800000000"  # how every Outlook UID begins
    events = [
        f"UID:{outlook}A1B2\r\nSUMMARY:Pierwsze\r\nDTSTART:20260601T100000Z\r\n",
        f"UID:{outlook}C3D4\r\nSUMMARY:Drugie\r\nDTSTART:20260602T100000Z\r\n",
        f"UID:{outlook}C3D4\r\nSUMMARY:Drugie, zmienione\r\nDTSTART:20260603T100000Z\r\n",
        "UID:krotki-1\r\nSUMMARY:Krótkie\r\nDTSTART:20260604T100000Z\r\n",
    ]
    result = from_ics(calendar(*events), "meeting", "Europe/Warsaw", NOW)
    assert [e.title_pl for e in result.events] == ["Pierwsze", "Drugie", "Krótkie"]
    assert len({e.id for e in result.events}) == 3
    assert result.events[-1].id == "ics-krotki-1"  # a short UID keeps its readable id
    assert all(len(e.id) <= 40 for e in result.events)
    assert [(p.title, p.reason) for p in result.skipped] == [("Drugie, zmienione", "duplicate")]
