"""The dispatcher as a user meets it: greeting, menu, language, bad input, ordering."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.core.clock import ManualClock
from bot.core.dispatcher import Dispatcher
from bot.core.events import FileUpload, Incoming, Reply, Text
from bot.core.feature import FeatureBase, Turn
from bot.errors import DatabaseLost
from bot.home.service import HomeFeature
from bot.loader import Content
from storage.memory import MemoryStorage
from tests.helpers import ALICE, BOB, command, labels, make_dispatcher, payload_of, press, text


async def snapshot(store: MemoryStorage) -> tuple[object, ...]:
    """Everything stored about the people in these tests, as their data export lists it."""
    return (await store.export_user(ALICE.user_key), await store.export_user(BOB.user_key))


async def test_start_greets_in_polish_with_the_menu(dispatcher: Dispatcher) -> None:
    replies = await dispatcher.handle(command("start"))
    assert len(replies) == 1
    assert "Dzień dobry" in replies[0].text
    assert labels(replies) == [
        "📋 Samoocena według standardów PARP",
        "💶 Finansowanie i wsparcie",
        "📅 Wydarzenia i przypomnienia",
        "❓ Pomoc",
        "🌐 English",
    ]


async def test_english_phone_starts_in_english(dispatcher: Dispatcher) -> None:
    replies = await dispatcher.handle(command("start", hint="en-GB"))
    assert "Hello" in replies[0].text
    assert "❓ Help" in labels(replies)


async def test_language_command_switches_and_is_remembered(
    content: Content, store: MemoryStorage, clock: ManualClock
) -> None:
    first = make_dispatcher(content, store, clock)
    replies = await first.handle(command("jezyk", "en"))
    assert "English" in replies[0].text
    # A new process over the same store still speaks English.
    second = make_dispatcher(content, store, clock)
    replies = await second.handle(command("start"))
    assert "Hello" in replies[0].text
    user = await store.get_user(ALICE.user_key)
    assert user is not None and user.locale == "en"


async def test_menu_button_switches_language(dispatcher: Dispatcher) -> None:
    menu = await dispatcher.handle(command("start"))
    replies = await dispatcher.handle(press(payload_of(menu, "English")))
    assert "we will talk in English" in replies[0].text
    assert "🌐 Polski" in labels(replies)
    back = await dispatcher.handle(press(payload_of(replies, "Polski")))
    assert "po polsku" in back[0].text


async def test_language_without_argument_offers_both(dispatcher: Dispatcher) -> None:
    replies = await dispatcher.handle(command("language"))
    assert labels(replies) == ["🇵🇱 Polski", "🇬🇧 English"]
    wrong = await dispatcher.handle(command("jezyk", "de"))
    assert "pl" in wrong[0].text and "en" in wrong[0].text
    assert labels(wrong) == ["🇵🇱 Polski", "🇬🇧 English"]


async def test_help_lists_commands_in_each_language(dispatcher: Dispatcher) -> None:
    pl = await dispatcher.handle(command("pomoc"))
    assert "/jezyk" in pl[0].text and "/start" in pl[0].text
    await dispatcher.handle(command("jezyk", "en"))
    en = await dispatcher.handle(command("help"))
    assert "/language" in en[0].text


async def test_greeting_words_show_the_menu(dispatcher: Dispatcher) -> None:
    for word in ("cześć", "Hej!", "hello", "MENU"):
        replies = await dispatcher.handle(text(word))
        assert "❓ Pomoc" in labels(replies), word


async def test_unknown_free_text_says_what_to_do(dispatcher: Dispatcher) -> None:
    replies = await dispatcher.handle(text("jaka jest pogoda w Szczecinie?"))
    assert "Nie wiem tego na pewno" in replies[0].text
    assert "📚 Inne tematy" in labels(replies)


async def test_bad_input_gets_a_polite_reply_and_stores_nothing(
    dispatcher: Dispatcher, store: MemoryStorage
) -> None:
    await dispatcher.handle(command("start"))
    before = await snapshot(store)
    cases: list[tuple[Incoming, str]] = [
        (command("nieznane"), "Nie znam polecenia /nieznane"),
        (command("Zła Komenda!"), "Nie znam polecenia"),
        (text(""), "pusta"),
        (text("   \x00\x07 \t"), "pusta"),
        (text("x" * 100_000), "za długa"),
        (press("zz9:whatever"), "nieaktywny"),
        (press(""), "nieaktywny"),
        (press("h1:lang:xx"), "nieaktywny"),
        (press("h1"), "nieaktywny"),
        (press("a" * 65 + ":x"), "nieaktywny"),
        (press("h1:\x00"), "nieaktywny"),
        (
            Incoming(
                ALICE, FileUpload("x.bin", b"\x00\xff", "application/octet-stream"), private=True
            ),
            "pliku",
        ),
    ]
    for incoming, expected in cases:
        replies = await dispatcher.handle(incoming)
        assert replies, incoming
        assert expected in replies[0].text, (incoming, replies[0].text)
        assert "❓ Pomoc" in labels(replies), incoming
        assert await snapshot(store) == before, incoming


async def test_unknown_command_from_a_stranger_creates_no_user(
    dispatcher: Dispatcher, store: MemoryStorage
) -> None:
    replies = await dispatcher.handle(command("xyz", address=BOB))
    assert "Nie znam polecenia /xyz" in replies[0].text
    assert await store.get_user(BOB.user_key) is None


async def test_control_characters_are_removed_not_echoed(dispatcher: Dispatcher) -> None:
    replies = await dispatcher.handle(text("he\x1bj\x00"))
    assert "Dzień dobry" in replies[0].text  # "hej" after cleaning


async def test_redelivered_update_is_processed_once(
    dispatcher: Dispatcher, store: MemoryStorage
) -> None:
    first = await dispatcher.handle(press("h1:lang:en", update_id="100"))
    assert first
    again = await dispatcher.handle(press("h1:lang:pl", update_id="100"))
    assert again == []
    user = await store.get_user(ALICE.user_key)
    assert user is not None and user.locale == "en"
    # The same id from another platform is a different update.
    other = await dispatcher.handle(
        Incoming(
            ALICE.__class__("slack", "c", "alice", "T1"), Text("hej"), update_id="100", private=True
        )
    )
    assert other


class _Recorder(FeatureBase):
    """A feature that records the order it saw texts in, sleeping on some of them."""

    name = "rec"
    action_prefix = "r1"

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.gate = asyncio.Event()

    async def on_action(self, turn: Turn, fields: list[str]) -> list[Reply]:
        return []

    async def free_text(self, turn: Turn) -> list[Reply]:
        body = turn.incoming.content.text  # type: ignore[union-attr]
        if body.startswith("slow"):
            await self.gate.wait()
        self.seen.append(f"{turn.user.key.user_id}:{body}")
        return [Reply(body)]


def _recording_dispatcher(content: Content, clock: ManualClock) -> tuple[Dispatcher, _Recorder]:
    store = MemoryStorage()
    recorder = _Recorder()
    home = HomeFeature(store)
    dispatcher = Dispatcher(
        texts=content.texts,
        users=store,
        sessions=store,
        updates=store,
        clock=clock,
        features=[recorder, home],
        free_text=recorder.free_text,
    )
    return dispatcher, recorder


async def test_one_users_updates_run_in_order_while_others_proceed(
    content: Content, clock: ManualClock
) -> None:
    dispatcher, recorder = _recording_dispatcher(content, clock)
    alice = [asyncio.create_task(dispatcher.handle(text(b))) for b in ("slow-1", "two", "three")]
    bob = asyncio.create_task(dispatcher.handle(text("b", address=BOB)))
    await asyncio.wait_for(bob, timeout=5)
    # Bob was answered while Alice's first message still waited; Alice's others waited too.
    assert recorder.seen == ["bob:b"]
    recorder.gate.set()
    results = await asyncio.gather(*alice)
    assert [r[0].text for r in results] == ["slow-1", "two", "three"]
    assert recorder.seen == ["bob:b", "alice:slow-1", "alice:two", "alice:three"]


async def test_a_failing_feature_becomes_a_polite_reply(
    content: Content, clock: ManualClock, caplog: object
) -> None:
    store = MemoryStorage()
    home = HomeFeature(store)

    async def broken(turn: Turn) -> list[Reply]:
        raise RuntimeError("boom")

    dispatcher = Dispatcher(
        texts=content.texts,
        users=store,
        sessions=store,
        updates=store,
        clock=clock,
        features=[home],
        free_text=broken,
    )
    replies = await dispatcher.handle(text("anything"))
    assert "coś poszło nie tak" in replies[0].text
    # The dispatcher keeps working afterwards.
    assert "Dzień dobry" in (await dispatcher.handle(command("start")))[0].text


async def test_an_answer_the_database_could_not_take_is_not_called_saved(
    content: Content, clock: ManualClock
) -> None:
    class LostStore(MemoryStorage):
        async def save_session(self, key: object, state: object) -> None:
            raise DatabaseLost("/data/bot.sqlite3", "was deleted or moved away")

    dispatcher = make_dispatcher(content, LostStore(), clock)
    replies = await dispatcher.handle(command("ocena"))  # opening it stores a step
    assert [r.text for r in replies] == [content.texts.get("pl", "errors.not_saved")]
    assert "zapisane" not in replies[0].text  # the usual "your answers are saved" is not true


async def test_old_update_ids_are_forgotten(
    dispatcher: Dispatcher, store: MemoryStorage, clock: ManualClock
) -> None:
    from datetime import timedelta

    from bot.core.dispatcher import UPDATE_MEMORY

    await store.remember("console::old", clock.now() - UPDATE_MEMORY - timedelta(seconds=1))
    for i in range(1000):
        await dispatcher.handle(text("hej", update_id=str(i)))
    assert not await store.seen("console::old")
    assert await store.seen("console::999")


async def test_commands_typed_with_polish_letters_are_the_same_commands(
    dispatcher: Dispatcher, store: MemoryStorage
) -> None:
    replies = await dispatcher.handle(command("język", "en"))
    assert "English" in replies[0].text
    user = await store.get_user(ALICE.user_key)
    assert user is not None and user.locale == "en"
    for spelled, plain in (("postęp", "postep"), ("zmień", "zmien"), ("Usuń_dane", "usun_dane")):
        ours = [r.text for r in await dispatcher.handle(command(spelled))]
        theirs = [r.text for r in await dispatcher.handle(command(plain))]
        assert ours == theirs and "I do not know the command" not in " ".join(ours)


async def test_an_unreachable_database_gets_a_try_again_in_a_minute(
    content: Content, clock: ManualClock
) -> None:
    from bot.errors import DatabaseUnreachable

    class Outage(MemoryStorage):
        down = False

        async def load_session(self, key: Any) -> Any:
            if self.down:
                raise DatabaseUnreachable("the server closed the connection")
            return await super().load_session(key)

    store = Outage()
    dispatcher = make_dispatcher(content, store, clock)
    await dispatcher.handle(command("start"))
    store.down = True
    replies = await dispatcher.handle(command("ocena"))
    assert [r.text for r in replies] == [content.texts.get("pl", "errors.busy")]
    assert "za minutę" in replies[0].text
    store.down = False  # the server is back: the same message now works
    replies = await dispatcher.handle(command("ocena"))
    assert "Jak nazywa się klaster?" in replies[-1].text


class RecordingLocks:
    """Shared locks that record what each turn takes and check turns never overlap."""

    def __init__(self) -> None:
        self.turns: list[list[Any]] = []
        self.open = 0

    def turn(self) -> Any:
        locks = self

        class Hold:
            def __init__(self) -> None:
                self.taken: list[Any] = []

            async def take(self, key: Any) -> None:
                self.taken.append(key)

            async def __aenter__(self) -> Hold:
                locks.open += 1
                assert locks.open == 1, "two turns of one person at once"
                return self

            async def __aexit__(self, *exc: object) -> None:
                locks.open -= 1
                locks.turns.append(self.taken)

        return Hold()


async def test_with_shared_locks_each_turn_holds_the_person_and_the_linked_account(
    content: Content, store: MemoryStorage, clock: ManualClock
) -> None:
    from bot.app import build_services
    from bot.config import Settings

    locks = RecordingLocks()
    dispatcher = build_services(content, store, clock, Settings(), shared=locks).dispatcher
    await asyncio.gather(*(dispatcher.handle(text(f"wiadomość {n}")) for n in range(5)))
    assert locks.turns == [[ALICE.user_key]] * 5
    await store.link_identity(BOB.user_key, ALICE.user_key, clock.now())
    await dispatcher.handle(command("start", address=BOB))
    assert locks.turns[-1] == [BOB.user_key, ALICE.user_key]  # the account, then the person
