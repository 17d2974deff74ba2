"""Calendar feeds against a local HTTP server whose calendar changes between polls.

The poller is driven with the controllable clock: each ``poll()`` is one hourly round.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web

from bot.app import build_services
from bot.config import Settings, load_settings
from bot.core.clock import ManualClock
from bot.core.events import Address, Reply
from bot.core.records import FeedState
from bot.errors import ConfigError
from bot.loader import Content
from bot.reminders.feeds import backoff, feed_event_id
from storage.memory import MemoryStorage
from storage.sqlite import SqliteStorage
from tests.helpers import ALICE, BOB, Chat

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADMIN = Address("console", "", "admin")


def vevent(uid: str, title: str, start: str, *, extra: str = "") -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260301T000000Z\r\nSUMMARY:{title}\r\n"
        f"DTSTART:{start}\r\n{extra}END:VEVENT\r\n"
    )


def calendar(*events: str) -> bytes:
    body = "".join(events)
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//PL\r\n{body}END:VCALENDAR\r\n".encode()
    )


A = vevent("a@parp", "Forum Klastrów", "20260410T080000Z", extra="LOCATION:Warszawa\r\n")
B = vevent("b@parp", "Szkolenie z benchmarkingu", "20260505T080000Z")
D = vevent("d@parp", "Spotkanie sieciujące", "20260520T080000Z")
P = vevent("p@parp", "Zeszłoroczne spotkanie", "20260115T080000Z")
V1 = calendar(A, B, D, P)
A_MOVED = vevent("a@parp", "Forum Klastrów", "20260411T100000Z", extra="LOCATION:Warszawa\r\n")
B_CANCELLED = vevent(
    "b@parp", "Szkolenie z benchmarkingu", "20260505T080000Z", extra="STATUS:CANCELLED\r\n"
)
C = vevent("c@parp", "Konferencja klastrowa", "20260612T070000Z")
V2 = calendar(A_MOVED, B_CANCELLED, C)


@dataclass
class FeedServer:
    """Serves ``body`` with an ETag and Last-Modified; 304 to a matching conditional GET."""

    body: bytes = V1
    version: int = 1
    status: int = 200
    requests: list[dict[str, str]] = field(default_factory=list)
    port: int = 0

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'

    @property
    def last_modified(self) -> str:
        return f"Mon, 0{self.version} Mar 2026 08:00:00 GMT"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/kalendarz.ics"

    def publish(self, body: bytes) -> None:
        self.body, self.version, self.status = body, self.version + 1, 200

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(dict(request.headers))
        if self.status != 200:
            return web.Response(status=self.status, text="Internal Server Error")
        if request.headers.get("If-None-Match") == self.etag:
            return web.Response(status=304)
        headers = {"ETag": self.etag, "Last-Modified": self.last_modified}
        return web.Response(body=self.body, headers=headers, content_type="text/calendar")


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    feed = FeedServer()
    app = web.Application()
    app.router.add_get("/kalendarz.ics", feed.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    feed.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield feed
    await runner.cleanup()


class Inbox:
    """A messenger that keeps every reply sent outside a request, by user."""

    def __init__(self) -> None:
        self.sent: list[tuple[Address, Reply]] = []

    async def send(self, address: Address, replies: Sequence[Reply]) -> None:
        self.sent.extend((address, r) for r in replies)

    def of(self, address: Address) -> list[Reply]:
        return [r for a, r in self.sent if a.user_id == address.user_id]

    def text(self, address: Address) -> str:
        return "\n".join(r.text for r in self.of(address))

    def take(self) -> list[tuple[Address, Reply]]:
        taken, self.sent = self.sent, []
        return taken


def world(content: Content, store: Any, server: FeedServer, clock: ManualClock) -> Any:
    settings = Settings(admins="console:admin", event_feeds=server.url)
    built = build_services(content, store, clock, settings)
    inbox = Inbox()
    built.outbox.register("console", inbox)
    return built, inbox


async def test_a_changing_feed_is_followed_and_its_subscribers_hear_once(
    content: Content, server: FeedServer
) -> None:
    clock, store = ManualClock(T0), MemoryStorage()
    built, inbox = world(content, store, server, clock)
    feeds = built.feeds
    alice, bob = Chat(built.dispatcher, ALICE), Chat(built.dispatcher, BOB)

    await alice.send("/wydarzenia")
    await alice.press("Powiadom mnie o nowych wydarzeniach")

    # First poll: three upcoming events and a past one; the watcher hears of the upcoming.
    assert await feeds.poll() == [server.url]
    assert "If-None-Match" not in server.requests[0]
    news = inbox.of(ALICE)
    assert news[0].text == "🆕 **Nowe wydarzenia w kalendarzu** (3):"
    assert [r.text.split("\n")[0] for r in news[1:]] == [
        "**Forum Klastrów**",
        "**Szkolenie z benchmarkingu**",
        "**Spotkanie sieciujące**",
    ]
    inbox.take()

    await bob.send("/wydarzenia")
    assert "Forum Klastrów" in bob.text and "📍 Warszawa" in bob.text
    listed = bob.last
    for title in ("Forum", "Szkolenie", "Spotkanie sieciujące"):
        card = next(r for r in listed if title in r.text)
        await bob.press_payload(
            next(b.payload for b in card.all_buttons if "Przypomnij" in b.label)
        )
        assert "przypomnę o wydarzeniu" in bob.text

    # Not due yet: nothing is fetched; an hour later the server says "not modified".
    assert await feeds.poll() == []
    clock.advance(timedelta(hours=1))
    assert await feeds.poll() == [server.url]
    assert server.requests[-1]["If-None-Match"] == '"v1"'
    assert server.requests[-1]["If-Modified-Since"] == "Mon, 01 Mar 2026 08:00:00 GMT"
    assert inbox.take() == []

    # The calendar changes: A moves, B is marked cancelled, D disappears, P (past) is dropped
    # by the server, C is new.
    server.publish(V2)
    clock.advance(timedelta(hours=1))
    await feeds.poll()
    bob_heard = inbox.text(BOB)
    assert "🔁 Zmiana: **Forum Klastrów** – 11.04.2026, 12:00, Warszawa." in bob_heard
    assert "🚫 Odwołane: **Szkolenie z benchmarkingu**" in bob_heard
    assert "🚫 Odwołane: **Spotkanie sieciujące**" in bob_heard
    assert len(inbox.of(BOB)) == 3
    alice_heard = inbox.of(ALICE)
    assert alice_heard[0].text == "🆕 **Nowe wydarzenie w kalendarzu**"
    assert "Konferencja klastrowa" in alice_heard[1].text
    assert any("Przypomnij mi" in b.label for b in alice_heard[1].all_buttons)
    assert len(alice_heard) == 2
    inbox.take()

    # The same calendar again (say, after a restart lost the ETag): nobody hears twice.
    await store.save_feed(FeedState(server.url))
    await feeds.poll()
    assert server.requests[-1].get("If-None-Match") is None
    assert inbox.take() == []

    await bob.send("/wydarzenia")
    assert "11.04.2026, 12:00" in bob.text and "Konferencja klastrowa" in bob.text
    assert "Szkolenie" not in bob.text and "Spotkanie sieciujące" not in bob.text
    await bob.press("Minione wydarzenia")
    assert "15.01.2026, 09:00: Zeszłoroczne spotkanie" in bob.text  # a past event is kept


async def test_a_broken_feed_is_reported_once_keeps_its_events_and_backs_off(
    content: Content, server: FeedServer
) -> None:
    clock, store = ManualClock(T0), MemoryStorage()
    built, inbox = world(content, store, server, clock)
    feeds = built.feeds
    await feeds.poll()
    inbox.take()
    kept = sorted(e.title_pl for e in await store.list_admin_events() if not e.cancelled)

    server.status = 500
    waits = []
    for _ in range(3):
        clock.advance(timedelta(days=2))  # whatever the wait, the next round is due
        assert await feeds.poll() == [server.url]
        state = await store.get_feed(server.url)
        waits.append(state.next_at - clock.now())
        if len(waits) == 2:
            server.publish(b"<html>Strona w przebudowie</html>")
    assert waits == [timedelta(hours=1), timedelta(hours=2), timedelta(hours=4)]
    assert state.failures == 3 and state.problem == "unreadable"
    told = inbox.take()
    assert [a.user_id for a, _ in told] == ["admin"]
    assert told[0][1].text.startswith(
        "⚠️ Kalendarz 127.0.0.1/kalendarz.ics nie działa: serwer odpowiada błędem HTTP 500."
    )
    assert "Wydarzenia z niego zostają bez zmian" in told[0][1].text
    assert sorted(e.title_pl for e in await store.list_admin_events() if not e.cancelled) == kept

    # Not due before the wait is over; then the feed works again and the admin hears it once.
    clock.advance(timedelta(hours=3))
    assert await feeds.poll() == []
    server.publish(V1)
    clock.advance(timedelta(hours=1))
    assert await feeds.poll() == [server.url]
    told = inbox.take()
    assert [a.user_id for a, _ in told] == ["admin"]
    assert told[0][1].text.startswith("✅ Kalendarz 127.0.0.1/kalendarz.ics znów działa")
    state = await store.get_feed(server.url)
    assert state.failures == 0 and state.next_at == clock.now() + timedelta(hours=1)


async def test_an_empty_calendar_cancels_nothing(content: Content, server: FeedServer) -> None:
    clock, store = ManualClock(T0), MemoryStorage()
    built, inbox = world(content, store, server, clock)
    await built.feeds.poll()
    server.publish(calendar())
    clock.advance(timedelta(hours=1))
    await built.feeds.poll()
    assert not any(e.cancelled for e in await store.list_admin_events())
    assert "w kalendarzu nie ma żadnego wydarzenia" in inbox.text(ADMIN)


async def test_feed_events_survive_in_sqlite_and_a_restart_repeats_nothing(
    content: Content, server: FeedServer, tmp_path: Any
) -> None:
    path = str(tmp_path / "feeds.sqlite3")
    clock = ManualClock(T0)
    db = await SqliteStorage.open(path)
    try:
        built, inbox = world(content, db, server, clock)
        bob = Chat(built.dispatcher, BOB)
        await bob.press_payload(
            f"r1:sub:e:{feed_event_id(server.url, 'a@parp')}"
        )  # stale: no event yet
        await built.feeds.poll()
        await bob.press_payload(f"r1:sub:e:{feed_event_id(server.url, 'a@parp')}")
        assert "przypomnę o wydarzeniu „Forum Klastrów”" in bob.text
        server.publish(V2)
        clock.advance(timedelta(hours=1))
        await built.feeds.poll()
        assert len(inbox.take()) == 1
    finally:
        await db.close()
    db = await SqliteStorage.open(path)
    try:
        built, inbox = world(content, db, server, clock)
        events = {e.id: e for e in await db.list_admin_events()}
        moved = events[feed_event_id(server.url, "a@parp")]
        assert moved.origin == "feed" and moved.feed == server.url
        assert moved.starts_at == datetime(2026, 4, 11, 10, 0, tzinfo=UTC)
        state = await db.get_feed(server.url)
        assert state is not None and state.etag == '"v2"'
        await db.save_feed(FeedState(server.url))  # forget the ETag: a full fetch again
        clock.advance(timedelta(hours=1))
        await built.feeds.poll()
        assert inbox.take() == []
    finally:
        await db.close()


def test_backoff_doubles_up_to_a_day() -> None:
    assert [backoff(n).total_seconds() / 3600 for n in range(1, 8)] == [1, 2, 4, 8, 16, 24, 24]


@pytest.mark.parametrize("value", ["ftp://example.org/a.ics", "file:///etc/passwd", "kalendarz"])
def test_only_http_feeds_are_accepted(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTERBOT_EVENT_FEEDS", value)
    with pytest.raises(ConfigError, match="CLUSTERBOT_EVENT_FEEDS"):
        load_settings()


def test_feeds_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTERBOT_EVENT_FEEDS", "https://a.pl/k.ics, https://b.pl/k.ics")
    assert load_settings().event_feeds == ("https://a.pl/k.ics", "https://b.pl/k.ics")
