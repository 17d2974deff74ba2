"""The console chat: typed lines become events, replies become numbered buttons."""

from __future__ import annotations

import io

from bot.adapters.console.convert import OpenLink, parse_line, render
from bot.adapters.console.runner import ConsoleChat
from bot.core.clock import ManualClock
from bot.core.events import Action, Button, Command, Image, Reply, Text
from bot.loader import Content
from storage.memory import MemoryStorage
from tests.helpers import make_dispatcher

BUTTONS = [
    Button("❓ Pomoc", "h1:help"),
    Button("🌐 English", "h1:lang:en"),
    Button("PARP", url="https://parp.gov.pl"),
]


def test_numbers_and_labels_press_buttons() -> None:
    assert parse_line("2", BUTTONS) == Action("h1:lang:en")
    assert parse_line(" ❓ pomoc ", BUTTONS) == Action("h1:help")
    assert parse_line("3", BUTTONS) == OpenLink("https://parp.gov.pl")


def test_numbers_outside_the_list_and_other_lines_are_text() -> None:
    assert parse_line("4", BUTTONS) == Text("4")
    assert parse_line("45", []) == Text("45")
    assert parse_line("Jak wypełnić 2.1.1?", BUTTONS) == Text("Jak wypełnić 2.1.1?")


def test_commands_are_split_into_name_and_arguments() -> None:
    assert parse_line("/Jezyk en", BUTTONS) == Command("jezyk", ("en",))
    assert parse_line("/", BUTTONS) == Text("/")


def test_render_numbers_buttons_across_replies() -> None:
    replies = [
        Reply("**Menu**", buttons=((BUTTONS[0],),)),
        Reply("Więcej", buttons=((BUTTONS[1], BUTTONS[2]),), image=Image(b"\x89PNG" + b"0" * 10)),
    ]
    printed, buttons = render(replies)
    assert "  [1] ❓ Pomoc" in printed.splitlines()
    assert "  [2] 🌐 English" in printed.splitlines()
    assert "  [3] PARP <https://parp.gov.pl>" in printed.splitlines()
    assert "**" not in printed
    assert "[PNG, 14 B]" in printed
    assert buttons == BUTTONS


async def test_piped_script_is_a_conversation(content: Content, clock: ManualClock) -> None:
    dispatcher = make_dispatcher(content, MemoryStorage(), clock)
    script = "/start\n🌐 english\n/jezyk pl".encode() + b"\n\xff\xfe\x01\n" + b"x" * 100_000 + b"\n"
    out = io.StringIO()
    chat = ConsoleChat(dispatcher.handle, io.BytesIO(script), out, echo=True)
    await chat.run()
    printed = out.getvalue()
    assert printed.startswith("> /start\nDzień dobry!")
    assert "> 🌐 english\nAll right, we will talk in English." in printed
    assert "Dobrze, rozmawiamy po polsku." in printed
    assert "Napisz pytanie słowami" in printed  # the binary line got an answer
    assert "za długa" in printed


def test_a_label_typed_without_its_emoji_or_polish_letters_presses_it() -> None:
    answers = (Button("✅ Spełnia", "a1:1:2.1.1:y"), Button("❌ Nie spełnia", "a1:1:2.1.1:n"))
    assert parse_line("spelnia", answers) == Action("a1:1:2.1.1:y")
    assert parse_line("Nie spełnia", answers) == Action("a1:1:2.1.1:n")
    assert parse_line("nie", answers) == Text("nie")  # a part of a label is not a press
