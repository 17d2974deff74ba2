"""slack-bolt's AsyncApp in HTTP mode on 127.0.0.1, the Web API faked on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import httpx
import pytest
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.adapters.slack.convert import reply_blocks, to_messages, to_mrkdwn
from bot.adapters.slack.runner import SERVER_RETRIES, SlackConfig, SlackRunner
from bot.app import build_services
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.events import Address, Button, Document, Image, Reply
from bot.core.markup import escape
from bot.errors import DeliveryError
from bot.loader import Content
from storage.sqlite import SqliteStorage
from tests.fakes.slack_api import (
    BOT_TOKEN,
    BOT_USER,
    SIGNING_SECRET,
    FakeSlackApi,
    block_action,
    dm_event,
    dm_file_event,
    signed_headers,
    trigger_id,
)
from tests.sample import PROFILE, sample_ics


@pytest.fixture
async def api() -> AsyncIterator[FakeSlackApi]:
    server = FakeSlackApi()
    await server.start()
    yield server
    await server.stop()


class SlackBot:
    def __init__(
        self,
        api: FakeSlackApi,
        content: Content,
        db: Path,
        clock: ManualClock,
        settings: Settings | None = None,
    ) -> None:
        self.api, self.content, self.db, self.clock = api, content, db, clock
        self.settings = settings or Settings()
        self.unreachable: list[Address] = []

    async def __aenter__(self) -> SlackBot:
        self.store = await SqliteStorage.open(str(self.db))
        services = build_services(self.content, self.store, self.clock, self.settings)
        dispatcher = services.dispatcher
        config = SlackConfig(
            bot_token=BOT_TOKEN,
            signing_secret=SIGNING_SECRET,
            api_url=self.api.api_url,
            http_host="127.0.0.1",
            http_port=0,
        )

        async def unreachable(address: Address) -> None:
            self.unreachable.append(address)

        self.runner = SlackRunner(config, dispatcher.handle, dispatcher.overview, unreachable)
        await self.runner.__aenter__()
        services.outbox.register("slack", self.runner.messenger)  # as `clusterbot run` does
        self.url = f"http://127.0.0.1:{self.runner.port}/slack/events"
        self.http = httpx.AsyncClient(timeout=10)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.aclose()
        await self.runner.__aexit__(None, None, None)
        await self.store.close()

    async def post(
        self, body: bytes, content_type: str, headers: dict[str, str] | None = None, **signing: Any
    ) -> httpx.Response:
        all_headers = {
            "Content-Type": content_type,
            **signed_headers(body, **signing),
            **(headers or {}),
        }
        return await self.http.post(self.url, content=body, headers=all_headers)

    async def event(
        self, payload: dict[str, Any], headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return await self.post(json.dumps(payload).encode(), "application/json", headers)

    async def interact(self, payload: dict[str, Any]) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return await self.post(body, "application/x-www-form-urlencoded")

    async def command(self, text: str, user: str = "U1", team: str = "T1") -> httpx.Response:
        return await self.post(command_body(text, user, team), FORM)


FORM = "application/x-www-form-urlencoded"


def command_body(text: str, user: str = "U1", team: str = "T1") -> bytes:
    """A new invocation of ``/klaster <text>``, as Slack posts it."""
    form = {
        "command": "/klaster",
        "text": text,
        "user_id": user,
        "team_id": team,
        "channel_id": "C1",
        "response_url": "http://127.0.0.1:9/x",
        "trigger_id": trigger_id(),
    }
    return urlencode(form).encode()


@pytest.fixture
async def slack(
    api: FakeSlackApi, content: Content, tmp_path: Path, clock: ManualClock
) -> AsyncIterator[SlackBot]:
    async with SlackBot(api, content, tmp_path / "slack.sqlite3", clock) as bot:
        yield bot


async def dm(slack: SlackBot, text: str, user: str = "U1", team: str = "T1") -> None:
    before = len(slack.api.sent())
    response = await slack.event(dm_event(text, user, team))
    assert response.status_code == 200
    await slack.api.settle(before)


async def barrier(slack: SlackBot, user: str = "U1") -> list[str]:
    """Send a sentinel DM, wait for its answer; return what the DM got before it.

    A conversation's messages are handled and answered one at a time, in arrival order, so
    an answer that has not come before the sentinel's never comes: no sleeping for silence.
    """
    channel = f"D{user}"

    def texts() -> list[str]:
        sent = zip(slack.api.sent(), slack.api.texts(), strict=True)
        return [text for call, text in sent if call.params["channel"] == channel]

    before = len(texts())
    assert (await slack.event(dm_event("/pomoc", user))).status_code == 200
    await slack.api.wait_for(lambda: any("Polecenia ogólne" in t for t in texts()[before:]))
    got = texts()
    return got[: next(n for n in range(before, len(got)) if "Polecenia ogólne" in got[n])]


async def press(slack: SlackBot, label: str, user: str = "U1", team: str = "T1") -> None:
    message, value = slack.api.button(f"D{user}", label)
    before = len(slack.api.sent())
    response = await slack.interact(block_action(message, value, user, team))
    assert response.status_code == 200
    await slack.api.settle(before)


async def test_a_greeting_in_a_dm_gets_the_menu(slack: SlackBot, api: FakeSlackApi) -> None:
    await dm(slack, "cześć")
    call = api.sent()[-1]
    assert call.params["channel"] == "DU1"
    assert "*Dzień dobry!*" in api.texts()[-1]
    labels = [
        e["text"]["text"]
        for b in call.params["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    assert labels == [
        "📋 Samoocena według standardów PARP",
        "💶 Finansowanie i wsparcie",
        "📅 Wydarzenia i przypomnienia",
        "❓ Pomoc",
        "🌐 English",
    ]


async def test_a_full_self_evaluation_by_buttons(slack: SlackBot, api: FakeSlackApi) -> None:
    await dm(slack, "menu")
    await press(slack, "Samoocena")
    for value in PROFILE:
        await dm(slack, value)
    await press(slack, "faza rozwoju")
    for _ in range(36):
        await press(slack, "Spełnia")
    assert "Wynik samooceny: POZYTYWNY" in api.texts()[-2]
    assert "Jeszcze jedno pytanie" in api.texts()[-1]
    updates = api.sent("chat.update")
    assert (
        sum("✅ Spełnia" in json.dumps(u.params["blocks"], ensure_ascii=False) for u in updates)
        == 36
    )
    assert all(not any(b["type"] == "actions" for b in u.params["blocks"]) for u in updates)
    await press(slack, "Tak, uwzględnij anonimowo")
    assert "będą uwzględniane anonimowo" in api.texts()[-1]


async def test_slash_command_subcommands(slack: SlackBot, api: FakeSlackApi) -> None:
    response = await slack.command("ocena")
    assert response.status_code == 200
    await api.wait_for(lambda: any("Jak nazywa się klaster?" in t for t in api.texts()))
    assert {c.params["channel"] for c in api.sent()} == {"DU1"}
    await slack.command("pomoc")
    # The help, then the profile question still waiting for its answer.
    await api.wait_for(lambda: "Wracamy do profilu klastra" in api.texts()[-1])
    assert "/ocena" in api.texts()[-2]


async def test_app_home_shows_progress_and_shortcuts(slack: SlackBot, api: FakeSlackApi) -> None:
    await dm(slack, "/ocena")
    await dm(slack, "Klaster Testowy")
    home = {
        "type": "event_callback",
        "team_id": "T1",
        "event_id": "EvHome",
        "event": {"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "home"},
    }
    await slack.event(home)
    await api.wait_for(lambda: api.sent("views.publish"))
    view = api.sent("views.publish")[-1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    text = json.dumps(view, ensure_ascii=False)
    assert view["type"] == "home"
    assert "Masz rozpoczętą samoocenę (Klaster Testowy): 0/36" in text
    assert "Kontynuuj" in text
    # A button in App Home answers in the DM.
    value = next(
        e["value"]
        for b in view["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if "Kontynuuj" in e["text"]["text"]
    )
    before = len(api.sent())
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1", "team_id": "T1"},
        "view": {"type": "home"},
        "trigger_id": trigger_id(),
        "actions": [{"action_id": "b0", "value": value, "type": "button"}],
    }
    await slack.interact(payload)
    await api.wait_for(lambda: len(api.sent()) > before)
    assert api.sent()[-1].params["channel"] == "DU1"
    assert "Jaka organizacja jest koordynatorem" in api.texts()[-1]


async def test_bad_signature_and_stale_timestamp_are_refused(
    slack: SlackBot, api: FakeSlackApi
) -> None:
    body = json.dumps(dm_event("cześć")).encode()
    wrong = await slack.http.post(
        slack.url,
        content=body,
        headers={"Content-Type": "application/json", **signed_headers(body, secret="nope")},
    )
    stale = await slack.http.post(
        slack.url,
        content=body,
        headers={
            "Content-Type": "application/json",
            **signed_headers(body, timestamp=int(time.time()) - 360),
        },
    )
    unsigned = await slack.http.post(
        slack.url, content=body, headers={"Content-Type": "application/json"}
    )
    assert (wrong.status_code, stale.status_code, unsigned.status_code) == (401, 401, 401)
    assert await barrier(slack) == []


async def test_a_retried_event_is_processed_once(slack: SlackBot, api: FakeSlackApi) -> None:
    event = dm_event("cześć", event_id="EvSame")
    await slack.event(event)
    await slack.event(
        event, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    assert len(await barrier(slack)) == 1


def count(api: FakeSlackApi, part: str) -> int:
    return sum(part in text for text in api.texts())


async def test_a_replayed_slash_command_is_processed_once(
    slack: SlackBot, api: FakeSlackApi
) -> None:
    await slack.command("pomoc")  # the DM channel is known from now on
    await api.wait_for(lambda: count(api, "Polecenia ogólne") == 1)
    body = command_body("polacz")
    headers = {"Content-Type": FORM, **signed_headers(body)}
    for _ in range(2):  # byte for byte the same request, signature included
        assert (await slack.http.post(slack.url, content=body, headers=headers)).status_code == 200
    later = int(time.time()) + 1  # and once more, signed again (still within five minutes)
    assert (await slack.post(body, FORM, timestamp=later)).status_code == 200
    await slack.command("pomoc")  # a new command after the replays: once it is answered...
    await api.wait_for(lambda: count(api, "Polecenia ogólne") == 2)
    assert count(api, "Kod połączenia") == 1  # ...the replays have been dropped
    await slack.command("polacz")  # a new invocation of the same command is answered
    await api.wait_for(lambda: count(api, "Kod połączenia") == 2)
    codes = [t.split("*")[1] for t in api.texts() if "Kod połączenia" in t]
    assert codes[0] != codes[1]


async def test_a_replayed_button_press_is_processed_once(
    slack: SlackBot, api: FakeSlackApi
) -> None:
    await dm(slack, "menu")
    message, value = api.button("DU1", "Pomoc")
    press = block_action(message, value)
    for _ in range(2):  # the same payload, signed for each delivery
        assert (await slack.interact(press)).status_code == 200
    await slack.event(dm_event("cześć"))  # once this is answered, the replay was handled
    await api.wait_for(lambda: count(api, "Dzień dobry") == 2)
    assert count(api, "Polecenia ogólne") == 1
    assert len(api.sent("chat.update")) == 1
    await slack.interact(block_action(message, value))  # a new press of the same button
    await api.wait_for(lambda: count(api, "Polecenia ogólne") == 2)


async def test_own_and_bot_messages_are_ignored(slack: SlackBot, api: FakeSlackApi) -> None:
    own = dm_event("cześć", user=BOT_USER)
    own["event"]["channel"] = "DU1"  # our own message in U1's DM, as Slack echoes it
    other_bot = dm_event("cześć")
    other_bot["event"]["bot_id"] = "B2"
    edited = dm_event("cześć")
    edited["event"]["subtype"] = "message_changed"
    for payload in (own, other_bot, edited):
        assert (await slack.event(payload)).status_code == 200
    assert await barrier(slack) == []


async def test_personal_data_asked_for_in_a_channel_goes_to_the_dm(
    slack: SlackBot, api: FakeSlackApi
) -> None:
    mention = dm_event(f"<@{BOT_USER}> /moje_dane")
    mention["event"] |= {"type": "app_mention", "channel": "C1"}
    del mention["event"]["channel_type"]
    before = len(api.sent())
    assert (await slack.event(mention)).status_code == 200
    await api.wait_for(lambda: api.sent("files.completeUploadExternal"))
    await api.settle(before)
    in_channel = [c for c in api.sent() if c.params["channel"] == "C1"]
    assert [c.params["text"] for c in in_channel] == ["Napisałem do Ciebie prywatnie."]
    assert in_channel[0].params["thread_ts"] == mention["event"]["ts"]
    [upload] = api.sent("files.completeUploadExternal")
    assert upload.params["channel_id"] == "DU1"
    assert {c.params["channel"] for c in api.sent()} == {"C1", "DU1"}


async def test_a_personal_button_pressed_in_a_channel_answers_in_the_dm(
    slack: SlackBot, api: FakeSlackApi
) -> None:
    mention = dm_event(f"<@{BOT_USER}> /start")
    mention["event"] |= {"type": "app_mention", "channel": "C1"}
    await slack.event(mention)
    await api.wait_for(lambda: api.sent())
    message, value = api.button("C1", "Samoocena")
    before = len(api.sent())
    await slack.interact(block_action(message, value))
    await api.settle(before)
    texts = {c.params["channel"]: c.params["text"] for c in api.sent()[before:]}
    assert texts["C1"] == "Napisałem do Ciebie prywatnie."
    assert "Jak nazywa się klaster?" in texts["DU1"]
    assert api.sent("chat.update") == []  # the channel's menu keeps its buttons for others


async def test_workspaces_do_not_see_each_other(slack: SlackBot, api: FakeSlackApi) -> None:
    await dm(slack, "/ocena", user="U1", team="T1")
    await dm(slack, "Klaster z T1", user="U1", team="T1")
    await dm(slack, "/ocena", user="U1", team="T2")
    assert "Jak nazywa się klaster?" in api.texts()[-1]  # a fresh start, not T1's progress
    t1 = await slack.store.list_assessments(Address("slack", "", "U1", "T1").user_key)
    t2 = await slack.store.list_assessments(Address("slack", "", "U1", "T2").user_key)
    assert t1[0].profile == {"name": "Klaster z T1"} and t2[0].profile == {}


async def test_rate_limited_calls_are_retried(slack: SlackBot, api: FakeSlackApi) -> None:
    api.fail("chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
    await slack.event(dm_event("cześć"))
    await api.wait_for(lambda: len(api.sent()) == 2, within=10)
    assert "Dzień dobry" in api.texts()[-1]


def fast_retries(runner: SlackRunner) -> None:
    """Keep the client's own retry handlers, with 10 ms between attempts."""
    for handler in runner.client.retry_handlers:
        handler.interval_calculator = FixedValueRetryIntervalCalculator(0.01)


async def test_server_errors_are_retried(slack: SlackBot, api: FakeSlackApi) -> None:
    fast_retries(slack.runner)
    for status in (500, 502, 503):
        api.fail("chat.postMessage", status, {"ok": False, "error": "fatal_error"})
    await slack.event(dm_event("cześć"))
    await api.wait_for(lambda: api.messages)
    await api.quiet()
    assert len(api.sent()) == 4  # three refused, then delivered
    assert len(api.messages) == 1 and "Dzień dobry" in api.texts()[-1]


@pytest.mark.parametrize("status", [500, 0], ids=["http-500", "connection-dropped"])
async def test_a_lasting_outage_is_given_up_with_a_warning(
    slack: SlackBot, api: FakeSlackApi, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    fast_retries(slack.runner)
    api.down["chat.postMessage"] = (status, {"ok": False, "error": "fatal_error"})
    address = Address("slack", "DU1", "U1", "T1")
    with pytest.raises(DeliveryError):
        await slack.runner.messenger.send(address, [Reply("Przypomnienie o spotkaniu")])
    assert len(api.sent()) == 1 + SERVER_RETRIES  # retried, but a bounded number of times
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("giving up a post to DU1" in w for w in warnings)
    assert not any("Przypomnienie" in r.getMessage() for r in caplog.records)
    del api.down["chat.postMessage"]
    await dm(slack, "cześć")  # the bot carries on
    assert api.messages and "Dzień dobry" in api.texts()[-1]


async def test_a_user_gone_is_reported(slack: SlackBot, api: FakeSlackApi) -> None:
    api.fail("chat.postMessage", 200, {"ok": False, "error": "channel_not_found"})
    await slack.event(dm_event("cześć"))
    await api.wait_for(lambda: slack.unreachable)
    assert slack.unreachable[0].user_id == "U1"


async def test_two_thousand_dms_get_one_slow_down(slack: SlackBot, api: FakeSlackApi) -> None:
    limit = 120  # the default CLUSTERBOT_RATE_LIMIT, 120 messages a minute
    events = [dm_event("cześć") for _ in range(2000)]
    async with aiohttp.ClientSession() as http:  # a fifth of httpx's time for 2,000 requests
        for event in events:
            body = json.dumps(event).encode()
            headers = {"Content-Type": "application/json", **signed_headers(body)}
            async with http.post(slack.url, data=body, headers=headers) as response:
                assert response.status == 200  # each one acknowledged
    pending = [f"slack:T1:{e['event_id']}" for e in events]
    async with asyncio.timeout(120):
        while pending:  # a dropped message sends nothing: wait until each one was handled
            pending = [key for key in pending if not await slack.store.seen(key)]
            await asyncio.sleep(0.05)
    texts = api.texts()
    assert sum("Piszesz bardzo szybko" in t for t in texts) == 1
    assert sum("Dzień dobry" in t for t in texts) == limit
    assert len(texts) == limit + 1
    await dm(slack, "cześć", user="U2")  # and another user is answered as usual
    assert "Dzień dobry" in api.texts()[-1]


def test_long_replies_fit_block_kit_limits() -> None:
    long_text = "\n\n".join(f"Akapit {i}: " + "słowo " * 120 for i in range(40))  # ~29,000 chars
    many = tuple((Button("x" * 100, f"h1:{i}"),) for i in range(60))
    messages = to_messages([Reply(long_text, buttons=many)])
    assert len(messages) >= 2
    for message in messages:
        assert len(message.blocks) <= 50
        for block in message.blocks:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= 3000
            if block["type"] == "actions":
                assert all(len(e["text"]["text"]) <= 75 for e in block["elements"])
        ids = [
            e["action_id"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]
        ]
        assert len(ids) == len(set(ids))
    sections = [b["text"]["text"] for m in messages for b in m.blocks if b["type"] == "section"]
    assert "".join(sections).count("Akapit") == 40


async def test_a_long_reply_through_the_real_client(slack: SlackBot, api: FakeSlackApi) -> None:
    long_text = "\n\n".join(f"Akapit {i}: " + "słowo " * 120 for i in range(40))
    await slack.runner.messenger.send(Address("slack", "DU1", "U1", "T1"), [Reply(long_text)])
    assert len(api.sent()) >= 1
    for call in api.sent():
        assert len(call.params["blocks"]) <= 50


async def test_images_and_pdfs_are_uploaded(slack: SlackBot, api: FakeSlackApi) -> None:
    replies = [
        Reply(image=Image(b"\x89PNG" + b"1" * 50, "Wykres")),
        Reply(document=Document("raport.pdf", b"%PDF-1.7", "application/pdf")),
    ]
    await slack.runner.messenger.send(Address("slack", "DU1", "U1", "T1"), replies)
    assert len(api.sent("files.getUploadURLExternal")) == 2
    assert api.uploads == [b"\x89PNG" + b"1" * 50, b"%PDF-1.7"]
    complete = api.sent("files.completeUploadExternal")
    assert [c.params["channel_id"] for c in complete] == ["DU1", "DU1"]


def test_mrkdwn_escapes_user_text() -> None:
    blocks = reply_blocks(Reply("**Klaster** <b>&</b> [PARP](https://parp.gov.pl)"))
    assert (
        blocks[0]["text"]["text"] == "*Klaster* &lt;b&gt;&amp;&lt;/b&gt; <https://parp.gov.pl|PARP>"
    )


def slack_formatting(mrkdwn: str) -> list[tuple[str, str]]:
    """The spans a Slack client formats, by its rules: a marker after a start, a space or
    punctuation and before a non-space, closed by the same marker before an end, a space or
    punctuation (what the markers do is not documented; this is their observed shape)."""
    pattern = r"(?:^|(?<=[\s(\[{'\"“„]))([*_~`])(?=\S)(.+?)(?<=\S)\1(?=$|[\s.,:;!?)\]}'\"”])"
    return [(m[1], m[2]) for m in re.finditer(pattern, mrkdwn)]


def test_mrkdwn_markers_in_user_text_do_not_format() -> None:
    name = "*Klaster* _Mazowsze_ ~x~ `kod`"
    markup = (
        f"Klaster **{escape(name)}** (__{escape(name)}__), {escape(name)}: "
        f"[{escape(name)}](https://parp.gov.pl/a_b) & <b>"
    )
    mrkdwn = to_mrkdwn(markup)
    shown = "∗Klaster∗ ˍMazowszeˍ ∼x∼ ˋkodˋ"  # the name as the user reads it
    assert mrkdwn == (
        f"Klaster *{shown}* (_{shown}_), {shown}: <https://parp.gov.pl/a_b|{shown}> &amp; &lt;b&gt;"
    )
    # Only our own bold and italic are formatted, around the whole name.
    assert slack_formatting(mrkdwn) == [("*", shown), ("_", shown)]
    assert slack_formatting(to_mrkdwn(escape(name))) == []


def test_mrkdwn_keeps_underscores_inside_words_and_addresses() -> None:
    text = "Wpisz /moje_dane albo 2*3; więcej: https://example.org/_docs/a_b"
    assert to_mrkdwn(escape(text)) == text


async def test_healthz(slack: SlackBot) -> None:
    response = await slack.http.get(slack.url.replace("/slack/events", "/healthz"))
    assert response.status_code == 200 and response.json() == {"ok": True}


async def share(slack: SlackBot, file: dict[str, Any]) -> None:
    before = len(slack.api.sent())
    response = await slack.event(dm_file_event(file))
    assert response.status_code == 200
    await slack.api.settle(before)


@pytest.mark.parametrize("with_url", [True, False])  # files.info is asked when the URL is missing
async def test_an_admin_imports_an_ics_file_shared_in_the_dm(
    api: FakeSlackApi, content: Content, tmp_path: Path, clock: ManualClock, with_url: bool
) -> None:
    api.files["F9"] = sample_ics(clock.now())
    file = {"id": "F9", "name": "k.ics", "mimetype": "text/calendar", "size": len(api.files["F9"])}
    if with_url:
        file["url_private_download"] = api.file_url("F9")
    admin = Settings(admins="slack:T1:U1")
    async with SlackBot(api, content, tmp_path / "ics.sqlite3", clock, admin) as bot:
        await dm(bot, "/admin")
        await press(bot, "Importuj plik")
        await share(bot, file)
        assert "Zaimportowano wydarzeń: 1" in api.texts()[-1]
        assert [e.title_pl for e in await bot.store.list_admin_events()] == ["Konferencja klastrów"]
    assert api.downloads == ["F9"]


async def test_a_file_from_another_host_or_too_big_is_not_downloaded(
    api: FakeSlackApi, content: Content, tmp_path: Path, clock: ManualClock
) -> None:
    api.files["F9"] = sample_ics(clock.now())
    admin = Settings(admins="slack:T1:U1")
    async with SlackBot(api, content, tmp_path / "ics.sqlite3", clock, admin) as bot:
        await dm(bot, "/admin")
        await press(bot, "Importuj plik")
        # The bot token must not travel to a host that is not Slack's.
        elsewhere = {
            "id": "F9",
            "name": "k.ics",
            "size": 10,
            "url_private_download": "http://127.0.0.1:9/F9",
        }
        await share(bot, elsewhere)
        refusal = api.texts()[-1]
        assert "Nie udało mi się pobrać tego pliku" in refusal
        big = {
            "id": "F9",
            "name": "k.ics",
            "size": 5_000_000,
            "url_private_download": api.file_url("F9"),
        }
        await share(bot, big)
        assert api.texts()[-1] == refusal
        assert await bot.store.list_admin_events() == []
    assert api.downloads == []


async def test_a_file_nobody_asked_for_gets_a_clear_reply(
    slack: SlackBot, api: FakeSlackApi
) -> None:
    api.files["F1"] = b"hello"
    await share(
        slack, {"id": "F1", "name": "a.txt", "size": 5, "url_private_download": api.file_url("F1")}
    )
    assert "Tutaj nie potrzebuję pliku." in api.texts()[-1]
    assert await slack.store.list_admin_events() == []


@pytest.mark.parametrize(
    "files",
    [
        [{"id": "F1", "name": "k.ics", "size": "huge", "url_private_download": ["x"]}],
        ["not a file"],
        [],
        [{}],
    ],
)
def test_odd_file_share_events_convert_without_raising(files: list[Any]) -> None:
    from bot.adapters.slack.convert import event_to_incoming, shared_file
    from bot.core.events import FileUpload, Text

    body = dm_file_event({})
    body["event"]["files"] = files
    incoming = event_to_incoming(body, BOT_USER)
    assert incoming is not None
    file = shared_file(body["event"])
    if file is None:
        assert isinstance(incoming.content, Text)
    else:
        assert isinstance(incoming.content, FileUpload) and incoming.content.data == b""
        assert isinstance(file["size"], int)
        assert file["url"] is None or isinstance(file["url"], str)


async def test_an_admin_records_a_correction_in_slack(
    api: FakeSlackApi, content: Content, tmp_path: Path, clock: ManualClock
) -> None:
    admin = Settings(admins="slack:T1:U1")
    async with SlackBot(api, content, tmp_path / "edit.sqlite3", clock, admin) as bot:
        await dm(bot, "/tresc")
        await press(bot, "Etykiety ESCA")
        await press(bot, "Złota")
        await press(bot, "Korekta z linkiem")
        await dm(bot, "Nowy cennik ESCA od 2027 r.")
        await dm(bot, "https://cluster-analysis.org/pricing-information-1")
        assert "Zapisane (zmiana nr 1)" in api.texts()[-1]
        [change] = await bot.store.list_content_changes("esca-gold")
        assert change.author == "slack:T1:U1" and change.text == "Nowy cennik ESCA od 2027 r."
