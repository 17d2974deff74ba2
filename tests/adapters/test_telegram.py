"""The real PTB Application against a fake Bot API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import web
from telegram import Bot as PtbBot
from telegram import InputFile, Update
from telegram.error import NetworkError, TimedOut

from bot.adapters.telegram.convert import to_html, to_outgoing
from bot.adapters.telegram.messenger import RetryPolicy
from bot.adapters.telegram.runner import TelegramConfig, TelegramRunner
from bot.adapters.telegram.transport import AiohttpRequest
from bot.app import build_services
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.events import Address, Button, Reply
from bot.loader import Content
from storage.sqlite import SqliteStorage
from tests.fakes.telegram_api import (
    TOKEN,
    FakeBotApi,
    button_press,
    group_text,
    private_text,
    utf16_units,
)
from tests.helpers import Chat
from tests.sample import PROFILE

ALA = 501


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


class TrackingRunner(TelegramRunner):
    """The runner, noting each update it is done with (every call for it made)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.done: set[int] = set()

    async def _on_update(self, update: Update, context: Any) -> None:
        try:
            await super()._on_update(update, context)
        finally:
            self.done.add(update.update_id)


#: The running bot of each fake API, so that `say` and `press` know when a turn is over.
RUNNING: dict[int, TrackingRunner] = {}


class Bot:
    """The assistant's Telegram side, running against the fake API."""

    def __init__(
        self,
        api: FakeBotApi,
        content: Content,
        db_path: Path,
        clock: ManualClock,
        settings: Settings | None = None,
        **config: Any,
    ) -> None:
        self.settings = settings or Settings()
        self.api = api
        self.content = content
        self.db_path = db_path
        self.clock = clock
        self.config = config
        self.unreachable: list[Address] = []

    async def __aenter__(self) -> Bot:
        self.store = await SqliteStorage.open(str(self.db_path))
        self.services = build_services(self.content, self.store, self.clock, self.settings)
        dispatcher = self.services.dispatcher
        menus = self.content.menus
        commands = {None: menus["pl"].pairs(), "en": menus["en"].pairs()}
        config = TelegramConfig(
            token=TOKEN,
            base_url=self.api.base_url,
            base_file_url=self.api.file_url,
            polling_timeout=1,
            **self.config,
        )

        async def unreachable(address: Address) -> None:
            self.unreachable.append(address)

        self.runner = TrackingRunner(config, dispatcher.handle, commands, unreachable)
        await self.runner.__aenter__()
        RUNNING[id(self.api)] = self.runner
        assert self.runner.messenger is not None
        self.services.outbox.register("telegram", self.runner.messenger)  # as `clusterbot run` does
        self.services.links.use(self.runner.start_link)  # as `clusterbot run` does
        return self

    async def __aexit__(self, *exc: object) -> None:
        RUNNING.pop(id(self.api), None)
        await self.runner.__aexit__(None, None, None)
        await self.store.close()


async def answered(api: FakeBotApi, update_id: int, before: int) -> None:
    """Wait until the bot is done with the update, which sent at least one message."""
    runner = RUNNING.get(id(api))
    if runner is None:  # pragma: no cover - every test here talks to a running Bot
        await api.settle(before)
        return
    await api.wait_for(lambda: update_id in runner.done, within=15)
    assert len(api.sent()) > before, "the update got no answer"


async def say(api: FakeBotApi, text: str, user: int = ALA, language: str = "pl") -> None:
    before = len(api.sent())
    await answered(api, api.queue(private_text(user, text, language)), before)


#: The sentinel of :func:`barrier` and how its answer is recognised.
SENTINEL, SENTINEL_ANSWER = "/pomoc", "Polecenia ogólne"


async def barrier(api: FakeBotApi, chat: int = ALA, user: int = ALA) -> list[str]:
    """Send a sentinel to ``chat``, wait for its answer; return what the chat got before it.

    A chat's updates are handled and answered one at a time, in arrival order, so an answer
    that has not come before the sentinel's never comes: no sleeping to prove silence.
    """
    before = len(api.texts(chat))
    if chat == user:
        api.queue(private_text(user, SENTINEL))
    else:
        api.queue(group_text(chat, user, f"{SENTINEL}@klaster_test_bot"))
    await api.wait_for(lambda: any(SENTINEL_ANSWER in t for t in api.texts(chat)[before:]))
    texts = api.texts(chat)
    answer = next(n for n in range(before, len(texts)) if SENTINEL_ANSWER in texts[n])
    return texts[:answer]


async def press(api: FakeBotApi, label: str, user: int = ALA) -> None:
    message, data = api.button(user, label)
    before = len(api.sent())
    await answered(api, api.queue(button_press(user, message, data)), before)


@pytest.fixture
async def bot(
    api: FakeBotApi, content: Content, tmp_path: Path, clock: ManualClock
) -> AsyncIterator[Bot]:
    async with Bot(api, content, tmp_path / "tg.sqlite3", clock) as running:
        yield running


async def test_start_shows_the_menu_as_an_inline_keyboard(bot: Bot, api: FakeBotApi) -> None:
    await say(api, "/start")
    message = api.sent()[-1]
    assert "<b>Dzień dobry!</b>" in message.params["text"]
    assert message.params["parse_mode"] == "HTML"
    rows = message.params["reply_markup"]["inline_keyboard"]
    assert [r[0]["text"] for r in rows] == [
        "📋 Samoocena według standardów PARP",
        "💶 Finansowanie i wsparcie",
        "📅 Wydarzenia i przypomnienia",
        "❓ Pomoc",
        "🌐 English",
    ]
    assert all(len(r[0]["callback_data"].encode()) <= 64 for r in rows)


async def test_command_menus_are_set_in_both_languages(bot: Bot, api: FakeBotApi) -> None:
    calls = api.sent("setMyCommands")
    by_language = {
        c.params.get("language_code"): [x["command"] for x in c.params["commands"]] for c in calls
    }
    assert by_language[None][:2] == ["start", "ocena"]
    assert by_language["en"][:2] == ["start", "assess"]


async def test_a_slash_with_no_command_gets_a_polite_answer(bot: Bot, api: FakeBotApi) -> None:
    """ "/ " once broke the converter: no answer at all, a traceback in the log (issue 17)."""
    await say(api, "/ ")
    assert "Napisz pytanie słowami" in api.sent()[-1].params["text"]
    await say(api, "/start")
    assert "Dzień dobry" in api.sent()[-1].params["text"]


async def test_english_telegram_user_gets_english(bot: Bot, api: FakeBotApi) -> None:
    await say(api, "/start", language="en")
    assert "Hello!" in api.sent()[-1].params["text"]


async def test_a_press_is_answered_and_the_keyboard_replaced_by_the_choice(
    bot: Bot, api: FakeBotApi
) -> None:
    await say(api, "/start")
    await press(api, "English")
    assert len(api.sent("answerCallbackQuery")) == 1
    edit = api.sent("editMessageText")[-1]
    assert "➡️ <b>🌐 English</b>" in edit.params["text"]
    assert "reply_markup" not in edit.params or not edit.params["reply_markup"]
    assert "we will talk in English" in api.sent()[-1].params["text"]


async def test_a_press_in_a_group_leaves_the_shared_message_alone(
    bot: Bot, api: FakeBotApi
) -> None:
    group = -100200
    await say(api, "/start")  # Ala has written to the bot privately
    api.queue(group_text(group, ALA, "/start@klaster_test_bot"))
    await api.wait_for(lambda: api.texts(group))
    message, data = api.button(group, "Samoocena")
    before = len(api.sent())
    api.queue(button_press(ALA, message, data))
    await api.wait_for(lambda: len(api.texts(group)) == 2)
    await api.settle(before)
    assert api.texts(group)[-1] == "Napisałem do Ciebie prywatnie."
    assert "Jak nazywa się klaster?" in api.texts(ALA)[-1]
    assert len(api.sent("answerCallbackQuery")) == 1  # the spinner stops ...
    assert api.sent("editMessageText") == api.sent("editMessageReplyMarkup") == []  # ... only


async def test_a_full_self_evaluation_with_buttons(bot: Bot, api: FakeBotApi) -> None:
    await say(api, "/ocena")
    for value in ("Klaster Testowy", "Fundacja", "stowarzyszenie"):
        await say(api, value)
    for value in ("ICT", "45", "300", "2015", "mazowieckie", "nie"):
        await say(api, value)
    await press(api, "faza rozwoju")
    for _ in range(36):
        await press(api, "Spełnia")
    *_, report, consent = api.sent()
    assert "Wynik samooceny: POZYTYWNY" in report.params["text"]
    assert "Jeszcze jedno pytanie" in consent.params["text"]
    edits = api.sent("editMessageText")
    assert sum("➡️ <b>✅ Spełnia</b>" in e.params["text"] for e in edits) == 36
    await press(api, "✅ Tak, uwzględnij anonimowo")
    assert "będą uwzględniane anonimowo" in api.sent()[-1].params["text"]


async def test_a_stale_button_gets_the_current_question(bot: Bot, api: FakeBotApi) -> None:
    await say(api, "/ocena")
    await say(api, "/start")
    await press(api, "Samoocena")
    message, _ = api.button(ALA, "Samoocena")  # the menu message's button from /start
    before = len(api.sent())
    api.queue(button_press(ALA, message, "a1:999:1.1.1:y"))
    await api.wait_for(lambda: len(api.sent()) > before)
    assert any("nieaktywny" in c.params["text"] for c in api.sent()[before:])


async def test_a_redelivered_update_is_processed_once(bot: Bot, api: FakeBotApi) -> None:
    update = private_text(ALA, "/start")
    update_id = api.queue(update)
    await api.wait_for(lambda: len(api.sent()) == 1)
    api.requeue(update_id, update)
    assert len(await barrier(api)) == 1  # the first /start's greeting only


async def test_two_presses_of_one_button_at_once(bot: Bot, api: FakeBotApi) -> None:
    await say(api, "/ocena")
    for value in PROFILE:
        await say(api, value)
    await press(api, "faza rozwoju")
    message, data = api.button(ALA, "Spełnia")
    before = len(api.sent())
    api.queue(button_press(ALA, message, data))
    api.queue(button_press(ALA, message, data))
    new = (await barrier(api))[before:]
    assert sum("Zapisano 1.1.1" in t for t in new) == 1
    assert sum("nieaktywny" in t for t in new) == 1
    assert (
        sum("1.1.2 Struktura organizacyjna" in t for t in new) == 2
    )  # next question, then again as "current"


async def test_restart_mid_assessment_continues(
    api: FakeBotApi, content: Content, tmp_path: Path, clock: ManualClock
) -> None:
    db = tmp_path / "restart.sqlite3"
    async with Bot(api, content, db, clock):
        await say(api, "/ocena")
        for value in PROFILE:
            await say(api, value)
        await press(api, "faza rozwoju")
        await press(api, "Spełnia")
        await press(api, "Nie spełnia")
    async with Bot(api, content, db, clock):
        await say(api, "/ocena")
        await press(api, "Kontynuuj")
        assert "1.1.3 Aktualna baza członków" in api.sent()[-1].params["text"]
        assert "Odpowiedzi: 2/36" in api.sent()[-1].params["text"]


async def test_groups_hear_commands_and_mentions_only(bot: Bot, api: FakeBotApi) -> None:
    group = -100200
    api.queue(group_text(group, ALA, "rozmawiamy o czymś innym"))
    api.queue(group_text(group, ALA, "/start@other_bot"))
    api.queue(group_text(group, ALA, "/start@klaster_test_bot"))
    await api.wait_for(lambda: len(api.sent()) == 1)
    api.queue(group_text(group, ALA, "@klaster_test_bot hej"))
    await api.wait_for(lambda: len(api.sent()) == 2)
    assert len(await barrier(api, group)) == 2
    assert all(int(c.params["chat_id"]) == group for c in api.sent())


async def test_personal_data_asked_for_in_a_group_goes_to_the_private_chat(
    bot: Bot, api: FakeBotApi
) -> None:
    group = -100200
    await say(api, "/start")  # Ala has talked to the bot privately before
    before = len(api.calls)
    api.queue(group_text(group, ALA, "/moje_dane@klaster_test_bot"))
    await api.wait_for(lambda: api.sent("sendDocument"))
    await api.wait_for(lambda: api.texts(group))
    calls = api.calls[before:]
    to_group = [c for c in calls if int(c.params.get("chat_id", 0)) == group]
    assert [(c.method, c.params.get("text")) for c in to_group] == [
        ("sendMessage", "Napisałem do Ciebie prywatnie.")
    ]
    [document] = api.sent("sendDocument")
    assert int(document.params["chat_id"]) == ALA and b'"user"' in document.files["document"]


async def test_in_a_group_a_user_the_bot_cannot_write_to_gets_a_pointer(
    bot: Bot, api: FakeBotApi
) -> None:
    group = -100200
    api.fail(
        "sendMessage",
        403,
        {
            "ok": False,
            "error_code": 403,
            "description": "Forbidden: bot can't initiate conversation with a user",
        },
    )
    api.queue(group_text(group, ALA, "/polacz@klaster_test_bot"))
    await api.wait_for(lambda: api.texts(group))
    [pointer] = api.texts(group)
    assert "Otwórz rozmowę ze mną" in pointer and "Kod" not in pointer
    assert api.sent("sendDocument") == [] and bot.unreachable == []


async def test_retry_after_is_honoured(bot: Bot, api: FakeBotApi) -> None:
    api.fail(
        "sendMessage",
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        },
    )
    api.queue(private_text(ALA, "/start"))
    attempts = await barrier(api)
    assert len(attempts) == 2  # refused once, then sent after the wait
    assert "Dzień dobry" in attempts[-1]


async def test_a_user_who_blocked_the_bot_is_marked_and_nothing_crashes(
    bot: Bot, api: FakeBotApi
) -> None:
    api.fail(
        "sendMessage",
        403,
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
    )
    api.queue(private_text(ALA, "/start"))
    await api.wait_for(lambda: bot.unreachable)
    assert bot.unreachable[0].user_id == str(ALA)
    assert len(api.sent()) == 1  # no retry storm
    await say(api, "/start")  # and the bot keeps working
    assert "Dzień dobry" in api.sent()[-1].params["text"]


async def test_a_long_reply_is_split_on_paragraphs(bot: Bot, api: FakeBotApi) -> None:
    long_text = "\n\n".join(f"Akapit {i}: " + "słowo " * 80 for i in range(12))  # ~5,900 characters
    calls = to_outgoing([Reply(long_text, buttons=((Button("OK", "h1:menu"),),))])
    assert len(calls) == 2
    assert all(len(c.html) <= 4096 for c in calls)
    assert calls[0].keyboard is None and calls[1].keyboard is not None
    assert calls[1].html.startswith("Akapit")
    # And through the real client: a 5000-character help text arrives as two messages.
    from bot.adapters.telegram.messenger import TelegramMessenger

    assert bot.runner.messenger is not None
    before = len(api.sent())
    await TelegramMessenger.send(
        bot.runner.messenger, Address("telegram", str(ALA), str(ALA)), [Reply(long_text)]
    )
    sent = api.sent()[before:]
    assert len(sent) == 2 and all(len(c.params["text"]) <= 4096 for c in sent)


EMOJI = "\U0001f600"  # two UTF-16 code units, as most emoji


async def test_2990_emoji_arrive_within_telegrams_limit(bot: Bot, api: FakeBotApi) -> None:
    assert bot.runner.messenger is not None
    text = EMOJI * 2990  # 2,990 characters, but 5,980 UTF-16 units for Telegram
    await bot.runner.messenger.send(Address("telegram", str(ALA), str(ALA)), [Reply(text)])
    assert api.refused == []
    shown = [m["text"] for m in api.messages]
    assert len(shown) == 2 and all(utf16_units(t) <= 4096 for t in shown)
    assert "".join(shown) == text


def test_a_long_word_is_cut_between_characters_and_keeps_its_style() -> None:
    flags = "\U0001f1f5\U0001f1f1" * 1500  # 🇵🇱: two characters, four UTF-16 units
    calls = to_outgoing([Reply(f"**{flags}**")])
    assert len(calls) == 2
    for call in calls:
        assert call.html.startswith("<b>") and call.html.endswith("</b>")
        assert utf16_units(call.html[3:-4]) <= 4096
    assert "".join(c.html[3:-4] for c in calls) == flags  # no flag cut in half


async def test_an_announcement_of_2990_emoji_reaches_a_telegram_subscriber(
    api: FakeBotApi, content: Content, tmp_path: Path, clock: ManualClock
) -> None:
    bob = 502
    settings = Settings(admins="console:admin")
    async with Bot(api, content, tmp_path / "bc.sqlite3", clock, settings=settings) as bot:
        await say(api, "/wydarzenia", user=bob)
        for label in ("kategorii", "Spotkanie", "Cała Polska"):
            await press(api, label, user=bob)
        # The admin writes at the console, which has no length limit of its own.
        admin = Chat(bot.services.dispatcher, Address("console", "c", "admin"))
        await admin.send("/admin")
        await admin.press("Ogłoszenie")
        await admin.press_payload("r1:adm:bc:meeting")
        await admin.send(EMOJI * 2990)
        await admin.press("Tak")
        assert "Wysłano do 1 os." in admin.text
    to_bob = [m["text"] for m in api.messages if m["chat"]["id"] == bob]
    start = max(i for i, text in enumerate(to_bob) if "Ogłoszenie" in text)
    assert "".join(to_bob[start:]).count(EMOJI) == 2990  # in several messages
    assert api.refused == []


def failing(status: int) -> dict[str, Any]:
    phrase = {500: "Internal Server Error", 502: "Bad Gateway"}[status]
    return {"ok": False, "error_code": status, "description": phrase}


FAST = RetryPolicy(total=5.0, first=0.01, longest=0.05)


async def test_replies_survive_a_spell_of_server_errors(
    api: FakeBotApi, content: Content, tmp_path: Path, clock: ManualClock
) -> None:
    for n in range(20):  # the first 20 sends fail with 500 or 502, then Telegram recovers
        api.fail("sendMessage", 500 if n % 2 else 502, failing(500 if n % 2 else 502))
    users = range(601, 606)
    async with Bot(api, content, tmp_path / "5xx.sqlite3", clock, send_retry=FAST):
        for n in range(10):
            for user in users:
                api.queue(private_text(user, f"/x{n}"))
        await api.wait_for(lambda: len(api.messages) == 50, within=60)
        await api.quiet()
    assert len(api.messages) == 50  # each reply once
    for user in users:
        replies = [m["text"] for m in api.messages if m["chat"]["id"] == user]
        assert [r.split("\n")[0] for r in replies] == [
            f"Nie znam polecenia /x{n}." for n in range(10)
        ]  # in order


async def test_a_lasting_outage_is_given_up_with_a_warning(
    api: FakeBotApi,
    content: Content,
    tmp_path: Path,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.adapters.telegram.messenger")
    policy = RetryPolicy(total=0.5, first=0.02, longest=0.1)
    async with Bot(api, content, tmp_path / "down.sqlite3", clock, send_retry=policy):
        api.down["sendMessage"] = (500, failing(500))
        api.queue(private_text(ALA, "/start"))

        def records(level: int) -> list[str]:
            return [
                r.getMessage()
                for r in caplog.records
                if r.name == "bot.adapters.telegram.messenger" and r.levelno == level
            ]

        await api.wait_for(lambda: records(logging.WARNING))
        attempts = len(api.sent())
        assert 2 < attempts < 20  # retried, for a bounded time
        assert len(records(logging.DEBUG)) == attempts - 1
        (warning,) = records(logging.WARNING)
        assert f"giving up sendMessage to chat {ALA} after {attempts} attempts" in warning
        assert not any("Dzień dobry" in r.getMessage() for r in caplog.records)
        # A refusal (400) is not retried.
        del api.down["sendMessage"]
        api.fail("sendMessage", 400, {"ok": False, "error_code": 400, "description": "Bad"})
        before = len(api.sent())
        api.queue(private_text(ALA, "/start"))
        await api.wait_for(lambda: len(api.sent()) > before)
        await say(api, "/pomoc")  # and the bot carries on
        assert len(api.sent()) == before + 2
        assert "Polecenia ogólne" in api.sent()[-1].params["text"]


def test_user_text_is_escaped_in_html() -> None:
    assert to_html("**a** <script> & [x](https://e.pl/?a=1&b=2)") == (
        '<b>a</b> &lt;script&gt; &amp; <a href="https://e.pl/?a=1&amp;b=2">x</a>'
    )


async def test_webhook_mode_checks_the_secret(
    api: FakeBotApi, content: Content, tmp_path: Path, clock: ManualClock
) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = {
        "webhook_url": "https://bot.example.org/telegram",
        "webhook_listen": "127.0.0.1",
        "webhook_port": port,
        "webhook_secret": "s3cret-token",
    }
    async with Bot(api, content, tmp_path / "wh.sqlite3", clock, **config):
        set_webhook = api.sent("setWebhook")[-1]
        assert set_webhook.params["secret_token"] == "s3cret-token"
        url = f"http://127.0.0.1:{port}/telegram"
        update = {"update_id": 77, **private_text(ALA, "/start")}
        async with httpx.AsyncClient() as client:
            wrong = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
            )
            missing = await client.post(url, json=update)
            assert wrong.status_code == 403 and missing.status_code == 403
            secret = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
            broken = await client.post(url, content=b"\xff not json", headers=secret)
            shapeless = await client.post(url, json=[1, 2], headers=secret)
            assert broken.status_code == 400 and shapeless.status_code == 400
            right = await client.post(url, json=update, headers=secret)
            assert right.status_code == 200
            # Handled before Telegram hears 200: a worker killed earlier acknowledged nothing.
            assert len(api.sent()) == 1
            assert "Dzień dobry" in api.sent()[0].params["text"]
            # A replayed request (same update id, right secret) is accepted but not answered.
            replayed = await client.post(url, json=update, headers=secret)
            assert replayed.status_code == 200
            health = await client.get(f"http://127.0.0.1:{port}/healthz")
            assert health.status_code == 200 and health.json() == {"ok": True}

            async def webhook_barrier(update_id: int, helps: int) -> list[str]:
                """The sentinel through the webhook: what came before the ``helps``-th help."""
                sentinel = {"update_id": update_id, **private_text(ALA, SENTINEL)}
                await client.post(url, json=sentinel, headers=secret)
                await api.wait_for(lambda: sum(SENTINEL_ANSWER in t for t in api.texts()) == helps)
                return api.texts()[:-1]

            # Refused, broken and replayed requests got no answer: one greeting only.
            assert len(await webhook_barrier(100, helps=1)) == 1
            # A button press is answered in the webhook's response, not by a request of ours.
            message, data = api.button(ALA, "Pomoc")
            pressed = await client.post(
                url, json={"update_id": 78, **button_press(ALA, message, data)}, headers=secret
            )
            assert pressed.status_code == 200
            answer = pressed.json()
            assert answer["method"] == "answerCallbackQuery" and answer["callback_query_id"]
            before = await webhook_barrier(101, helps=3)
            assert len(before) == 3 and SENTINEL_ANSWER in before[-1]  # the press's help
        assert not api.sent("answerCallbackQuery")
        assert api.sent("editMessageText")  # the pressed message still shows the choice


async def test_images_and_documents_are_uploaded(bot: Bot, api: FakeBotApi) -> None:
    from bot.core.events import Document, Image

    assert bot.runner.messenger is not None
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    replies = [
        Reply("**Wykres**", image=Image(png, "Wynik: __pozytywny__")),
        Reply(
            document=Document("raport.pdf", b"%PDF-1.7 test", "application/pdf"),
            buttons=((Button("OK", "h1:menu"),),),
        ),
    ]
    await bot.runner.messenger.send(Address("telegram", str(ALA), str(ALA)), replies)
    photo = api.sent("sendPhoto")[-1]
    assert photo.files["photo"] == png and photo.params["caption"] == "Wynik: <i>pozytywny</i>"
    document = api.sent("sendDocument")[-1]
    assert document.files["document"] == b"%PDF-1.7 test"
    assert document.params["reply_markup"]["inline_keyboard"][0][0]["text"] == "OK"


async def test_an_admin_imports_an_ics_file_sent_as_a_document(
    api: FakeBotApi, content: Content, tmp_path: Path, clock: ManualClock
) -> None:
    from tests.fakes.telegram_api import private_document
    from tests.sample import sample_ics

    api.files["doc-1"] = sample_ics(clock.now())
    admin = Settings(admins=f"telegram:{ALA}")
    async with Bot(api, content, tmp_path / "ics.sqlite3", clock, settings=admin) as bot:
        await say(api, "/admin")
        await press(api, "Importuj plik")
        before = len(api.sent())
        # Too big to download (Telegram reports the size first): a clear reply, nothing fetched.
        api.queue(private_document(ALA, "doc-1", "k.ics", 5_000_000))
        await api.settle(before)
        assert "Nie udało mi się pobrać tego pliku" in api.sent()[-1].params["text"]
        assert not api.sent("getFile")
        before = len(api.sent())
        api.queue(private_document(ALA, "doc-1", "k.ics", len(api.files["doc-1"])))
        await api.settle(before)
        assert "Zaimportowano wydarzeń: 1" in api.sent()[-1].params["text"]
        assert [e.title_pl for e in await bot.store.list_admin_events()] == ["Konferencja klastrów"]


# -- the aiohttp transport under PTB's calls --------------------------------------------------


def bot_on(base_url: str, **timeouts: float) -> PtbBot:
    return PtbBot(TOKEN, base_url=base_url, request=AiohttpRequest(8, **timeouts))


async def test_calls_and_uploads_reach_the_api_with_their_parameters(api: FakeBotApi) -> None:
    async with bot_on(api.base_url) as bot:
        message = await bot.send_message(42, "Zażółć <b>gęślą</b>", parse_mode="HTML")
        assert message.chat.id == 42 and message.text
        await bot.send_document(42, InputFile(b"%PDF-1.4 raport", filename="raport.pdf"))
    sent = api.sent("sendMessage")[0].params
    assert sent["text"] == "Zażółć <b>gęślą</b>" and sent["parse_mode"] == "HTML"
    upload = api.sent("sendDocument")[0]
    assert upload.files["document"] == b"%PDF-1.4 raport"


async def test_an_unreachable_server_is_a_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bot = bot_on(f"http://127.0.0.1:{port}/bot")
    await bot.request.initialize()  # Bot.initialize would call getMe first
    try:
        with pytest.raises(NetworkError) as info:
            await bot.send_message(42, "x")
        assert not isinstance(info.value, TimedOut)
        assert "aiohttp.ClientConnectorError" in str(info.value)  # mapped by us, not PTB
    finally:
        await bot.request.shutdown()


async def test_a_server_that_does_not_answer_in_time_is_a_timeout() -> None:
    release = asyncio.Event()

    async def slow(request: web.Request) -> web.Response:
        await release.wait()  # until the client has given up
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post(r"/bot{token}/{method}", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    bot = bot_on(f"http://127.0.0.1:{port}/bot", read_timeout=0.2)
    await bot.request.initialize()
    try:
        with pytest.raises(TimedOut):
            await bot.answer_callback_query("1")
    finally:
        release.set()
        await bot.request.shutdown()
        await runner.cleanup()


def test_the_default_read_timeout_is_reported_for_long_polling() -> None:
    assert AiohttpRequest().read_timeout == 5.0
    assert AiohttpRequest(read_timeout=None).read_timeout is None


async def test_an_admin_records_a_correction_in_telegram(
    api: FakeBotApi, content: Content, tmp_path: Path, clock: ManualClock
) -> None:
    admin = Settings(admins=f"telegram:{ALA}")
    async with Bot(api, content, tmp_path / "edit.sqlite3", clock, settings=admin) as bot:
        await say(api, "/tresc")
        await press(api, "Etykiety ESCA")
        await press(api, "Złota")
        await press(api, "Korekta z linkiem")
        await say(api, "Nowy cennik ESCA od 2027 r.")
        await say(api, "to nie link")
        texts = [call.params.get("text", "") for call in api.sent("sendMessage")[-2:]]
        assert any("To nie jest pełny adres strony" in text for text in texts)
        await say(api, "https://cluster-analysis.org/pricing-information-1")
        assert "Zapisane (zmiana nr 1)" in api.sent()[-1].params["text"]
        [change] = await bot.store.list_content_changes("esca-gold")
        assert change.author == f"telegram:{ALA}" and change.text == "Nowy cennik ESCA od 2027 r."


async def test_the_bot_builds_its_own_deep_links(bot: Bot) -> None:
    # The username comes from getMe when the bot starts; features never build t.me links.
    assert bot.runner.start_link("AB12") == "https://t.me/klaster_test_bot?start=AB12"
    assert bot.services.links("AB12") == "https://t.me/klaster_test_bot?start=AB12"


class FakeLeader:
    """A lease the test grants and takes away."""

    def __init__(self) -> None:
        self.granted = asyncio.Event()
        self.broken = asyncio.Event()
        self.acquired = 0
        self.released = 0

    async def acquire(self) -> None:
        await self.granted.wait()
        self.acquired += 1

    async def lost(self) -> None:
        await self.broken.wait()
        self.broken.clear()
        self.granted.clear()

    async def release(self) -> None:
        self.released += 1


async def test_only_the_worker_holding_the_lease_polls(
    api: FakeBotApi, content: Content, tmp_path: Path, clock: ManualClock
) -> None:
    store = await SqliteStorage.open(str(tmp_path / "lease.sqlite3"))
    dispatcher = build_services(content, store, clock, Settings()).dispatcher
    config = TelegramConfig(
        token=TOKEN, base_url=api.base_url, base_file_url=api.file_url, polling_timeout=1
    )
    leader = FakeLeader()

    async def unreachable(address: Address) -> None:
        return None

    runner = TelegramRunner(config, dispatcher.handle, {}, unreachable, leader=leader)
    await runner.__aenter__()
    try:
        assert runner._app is not None and runner._app.updater is not None
        updater = runner._app.updater
        api.queue(private_text(ALA, "/start"))
        # Without the lease nothing is fetched: the update waits at Telegram (no 409 fights).
        assert not updater.running and not api.sent("getUpdates") and api.pending() == 1
        leader.granted.set()
        await api.wait_for(lambda: any("Dzień dobry" in t for t in api.texts()))
        # The lease lapses (the connection broke): polling stops until it is held again.
        leader.broken.set()
        await api.wait_for(lambda: not updater.running)
        api.queue(private_text(ALA, SENTINEL))
        leader.granted.set()
        await api.wait_for(lambda: any(SENTINEL_ANSWER in t for t in api.texts()))
        assert leader.acquired == 2
    finally:
        await runner.__aexit__(None, None, None)
        await store.close()
    assert leader.released == 1
