"""The console chat: typed lines become events, replies become numbered buttons."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest

from bot.adapters.console.convert import ADDRESS, OpenLink, parse_line, render
from bot.adapters.console.files import FileShelf, safe_name
from bot.adapters.console.lines import PipeLines
from bot.adapters.console.runner import ConsoleChat, Handle, Voice
from bot.core.clock import ManualClock
from bot.core.events import Action, Button, Command, Image, Incoming, Reply, Text
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


def piped_chat(
    content: Content,
    store: MemoryStorage,
    clock: ManualClock,
    script: bytes,
    files: Path,
    handle: Handle | None = None,
) -> tuple[ConsoleChat, io.StringIO]:
    """The console chat over a piped script, saving files in ``files``."""
    dispatcher = make_dispatcher(content, store, clock)

    async def locale() -> str:
        user = await store.get_user(ADDRESS.user_key)
        return user.locale if user else "pl"

    out = io.StringIO()
    chat = ConsoleChat(
        handle or dispatcher.handle,
        PipeLines(io.BytesIO(script)),
        out,
        echo=True,
        voice=Voice(content.texts, locale),
        shelf=FileShelf(files, cwd=files.parent),
    )
    return chat, out


async def test_piped_script_is_a_conversation(
    content: Content, clock: ManualClock, tmp_path: Path
) -> None:
    script = "/start\n🌐 english\n/jezyk pl".encode() + b"\n\xff\xfe\x01\n" + b"x" * 100_000 + b"\n"
    chat, out = piped_chat(content, MemoryStorage(), clock, script, tmp_path / "files")
    await chat.run()
    printed = out.getvalue()
    assert printed.startswith("> /start\nDzień dobry!")
    assert "> 🌐 english\nAll right, we will talk in English." in printed
    assert "Dobrze, rozmawiamy po polsku." in printed
    assert "Napisz pytanie słowami" in printed  # the binary line got an answer
    assert "za długa" in printed
    assert printed.endswith("\nDo zobaczenia!\n")  # the end of input says goodbye
    assert not (tmp_path / "files").exists()  # no file sent, no folder made


def test_a_label_typed_without_its_emoji_or_polish_letters_presses_it() -> None:
    answers = (Button("✅ Spełnia", "a1:1:2.1.1:y"), Button("❌ Nie spełnia", "a1:1:2.1.1:n"))
    assert parse_line("spelnia", answers) == Action("a1:1:2.1.1:y")
    assert parse_line("Nie spełnia", answers) == Action("a1:1:2.1.1:n")
    assert parse_line("nie", answers) == Text("nie")  # a part of a label is not a press


async def test_sent_files_are_saved_and_their_paths_printed(
    content: Content, clock: ManualClock, tmp_path: Path
) -> None:
    files = tmp_path / "files"
    script = b"/moje_dane\n/moje_dane\n/jezyk en\n/mydata\n"
    chat, out = piped_chat(content, MemoryStorage(), clock, script, files)
    await chat.run()
    printed = out.getvalue()
    assert "📎 Zapisano plik: files/moje-dane.json" in printed.splitlines()
    # A second copy never overwrites the first one.
    assert "📎 Zapisano plik: files/moje-dane-2.json" in printed.splitlines()
    assert "📎 File saved: files/moje-dane-3.json" in printed.splitlines()
    assert printed.endswith("\nGoodbye!\n")
    saved = sorted(p.name for p in files.iterdir())
    assert saved == ["moje-dane-2.json", "moje-dane-3.json", "moje-dane.json"]
    first = json.loads((files / "moje-dane.json").read_text("utf-8"))
    latest = json.loads((files / "moje-dane-3.json").read_text("utf-8"))
    assert first != latest  # each is the data of its own moment (the language changed)
    assert "[moje-dane.json" not in printed  # the file is saved, not just described


async def test_a_chart_is_saved_as_a_png_with_its_caption(
    content: Content, clock: ManualClock, tmp_path: Path
) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 20
    replies = [Reply("**Wynik**", image=Image(png, "Wyniki w obszarach"))]

    async def handle(_: Incoming) -> list[Reply]:
        return replies

    # The report itself is tested with the assessment; here only how the console shows it.
    chat, out = piped_chat(
        content, MemoryStorage(), clock, b"/raport\n", tmp_path / "files", handle
    )
    await chat.run()
    lines = out.getvalue().splitlines()
    at = lines.index("Wyniki w obszarach")
    assert lines[at - 1] == "Wynik" and lines[at + 1] == "📎 Zapisano plik: files/wykres.png"
    assert (tmp_path / "files" / "wykres.png").read_bytes() == png


async def test_a_file_that_cannot_be_saved_is_reported_and_the_chat_goes_on(
    content: Content, clock: ManualClock, tmp_path: Path
) -> None:
    blocked = tmp_path / "files"
    blocked.write_text("a file where the folder should be", "utf-8")
    chat, out = piped_chat(content, MemoryStorage(), clock, b"/moje_dane\n/start\n", blocked)
    await chat.run()
    printed = out.getvalue()
    assert "⚠️ Nie udało się zapisać pliku moje-dane.json w folderze files." in printed
    assert "Dzień dobry!" in printed  # the next line is answered as usual


async def test_ctrl_c_during_a_turn_stops_without_a_goodbye(
    content: Content, clock: ManualClock, tmp_path: Path
) -> None:
    started = asyncio.Event()

    async def slow(_: Incoming) -> list[Reply]:
        started.set()
        await asyncio.Event().wait()  # a turn that never ends by itself
        return []

    chat, out = piped_chat(content, MemoryStorage(), clock, b"/raport pdf\n", tmp_path, slow)
    task = asyncio.create_task(chat.run())
    await started.wait()
    task.cancel()  # what asyncio.run does on SIGINT
    with pytest.raises(asyncio.CancelledError):
        await task
    assert out.getvalue() == "> /raport pdf\n"


@pytest.mark.parametrize(
    ("sent", "saved"),
    [
        ("raport-samooceny-1.pdf", "raport-samooceny-1.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\raport.pdf", "raport.pdf"),
        (".bashrc", "bashrc"),
        ("..", "plik"),
        ("", "plik"),
        ("raport: Klaster Łódź?.pdf", "raport_Klaster_Łódź.pdf"),
        ("a\x00b\nc.csv", "a_b_c.csv"),
        ("CON.txt", "CON_.txt"),
        ("x" * 300 + ".pdf", "x" * 100 + ".pdf"),
    ],
)
def test_file_names_are_made_safe(sent: str, saved: str) -> None:
    assert safe_name(sent, "plik") == saved


def test_paths_outside_the_working_directory_are_printed_in_full(tmp_path: Path) -> None:
    inside = FileShelf(tmp_path / "out", cwd=tmp_path)
    assert inside.shown(inside.save("a.ics", b"x")) == str(Path("out") / "a.ics")
    elsewhere = FileShelf(tmp_path / "out", cwd=tmp_path / "somewhere")
    assert elsewhere.shown(elsewhere.save("a.ics", b"x")) == str(tmp_path / "out" / "a-2.ics")
