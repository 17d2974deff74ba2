"""The console chat as a user runs it: `python -m bot run` in a pipe and at a terminal."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import select
import signal
import stat
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers import clean_env

#: A guard against a hung test, generous on a slow machine; never a claim about speed.
PATIENCE = 60.0

#: A whole self-evaluation typed line by line: profile, phase, 36 standards met.
SELF_EVALUATION = [
    "/ocena",
    "Klaster Testowy",
    "Fundacja Rozwoju",
    "stowarzyszenie",
    "ICT",
    "45",
    "300",
    "2015",
    "mazowieckie",
    "nie",
    "faza rozwoju",
    *["spelnia"] * 36,
]


def run_piped(script: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        input="".join(line + "\n" for line in script),
        capture_output=True,
        text=True,
        env=clean_env(CLUSTERBOT_DB_PATH=str(cwd / "bot.sqlite3"), **env),
        cwd=cwd,
        timeout=PATIENCE,
        check=False,
    )


def test_a_piped_self_evaluation_leaves_the_report_and_exports_in_the_folder(
    tmp_path: Path,
) -> None:
    script = [*SELF_EVALUATION, "/raport pdf", "/eksport", "/eksport"]
    result = run_piped(script, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    folder = tmp_path / "clusterbot-files"  # the default, under the working directory
    # Printed relative to the working directory, as the user would open them.
    assert "📎 Zapisano plik: clusterbot-files/wykres.png" in lines
    assert "📎 Zapisano plik: clusterbot-files/raport-samooceny-1.pdf" in lines
    assert "📎 Zapisano plik: clusterbot-files/samoocena-1.csv" in lines
    assert "📎 Zapisano plik: clusterbot-files/samoocena-1.json" in lines
    # The second export is saved beside the first, which stays as it was.
    assert "📎 Zapisano plik: clusterbot-files/samoocena-1-2.csv" in lines
    assert "📎 Zapisano plik: clusterbot-files/samoocena-1-2.json" in lines
    assert lines[-1] == "Do zobaczenia!"
    assert (folder / "raport-samooceny-1.pdf").read_bytes().startswith(b"%PDF-")
    assert (folder / "wykres.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    first = (folder / "samoocena-1.csv").read_text("utf-8-sig")
    rows = list(csv.reader(io.StringIO(first), delimiter=";" if ";" in first else ","))
    assert any("2.1.1" in cell for row in rows for cell in row)
    assert (folder / "samoocena-1-2.csv").read_text("utf-8-sig") == first
    assert json.loads((folder / "samoocena-1.json").read_text("utf-8"))


def test_a_folder_outside_the_working_directory_is_printed_in_full(tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere" / "files"
    work = tmp_path / "work"
    work.mkdir()
    result = run_piped(["/moje_dane"], work, CLUSTERBOT_CONSOLE_FILES=str(folder))
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"📎 Zapisano plik: {folder / 'moje-dane.json'}" in result.stdout.splitlines()
    assert json.loads((folder / "moje-dane.json").read_text("utf-8"))
    assert not (work / "clusterbot-files").exists()


def test_ctrl_c_while_waiting_for_a_line_exits_at_once_and_closes_the_database(
    tmp_path: Path,
) -> None:
    db = tmp_path / "bot.sqlite3"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        stdin=subprocess.PIPE,  # kept open: a user at the keyboard, not typing
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(CLUSTERBOT_DB_PATH=str(db)),
        cwd=tmp_path,
    )
    assert process.stdin and process.stdout
    process.stdin.write(b"/start\n")
    process.stdin.flush()
    shown = b""
    while b"[5]" not in shown:  # the menu is there: the chat waits for the next line
        chunk = process.stdout.read1(65536)
        assert chunk, "the console ended before showing the menu"
        shown += chunk
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=PATIENCE)  # the input is still open
    assert process.returncode == 130, err.decode()[-2000:]
    assert b"Traceback" not in err and b"Error" not in err
    assert b"Do zobaczenia" not in out  # Ctrl-C is no goodbye
    # The database was closed: its write-ahead log was folded back into the file.
    assert db.exists() and not Path(f"{db}-wal").exists()
    again = run_piped(["/start"], tmp_path)
    assert again.returncode == 0 and "Dzień dobry!" in again.stdout


@dataclass
class Terminal:
    """The console chat on a pseudo-terminal: what a user at a keyboard sees."""

    process: subprocess.Popen[bytes]
    master: int
    slave: int
    seen: bytearray = field(default_factory=bytearray)

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def wait_for(self, text: str) -> str:
        """Read the screen until ``text`` shows (from what was not yet read); return it."""
        wanted = text.encode()
        deadline = time.monotonic() + PATIENCE
        while wanted not in self.seen:
            assert time.monotonic() < deadline, f"{text!r} never shown: {bytes(self.seen)!r}"
            ready, _, _ = select.select([self.master], [], [], 1.0)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536)
                except OSError:  # the process ended and closed the terminal
                    break
        assert wanted in self.seen, f"{text!r} never shown: {bytes(self.seen)!r}"
        at = self.seen.index(wanted) + len(wanted)
        shown = self.seen[:at].decode("utf-8", errors="replace")
        del self.seen[:at]
        return shown

    def rest(self) -> str:
        """Everything shown after the process ended."""
        while select.select([self.master], [], [], 0)[0]:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.seen += chunk
        return self.seen.decode("utf-8", errors="replace")

    def echoes(self) -> bool:
        """Whether the terminal is back to echoing what is typed, line by line."""
        flags = termios.tcgetattr(self.slave)[3]
        return bool(flags & termios.ECHO) and bool(flags & termios.ICANON)


@contextmanager
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    master, slave = pty.openpty()
    env = clean_env(
        CLUSTERBOT_DB_PATH=str(tmp_path / "bot.sqlite3"),
        HOME=str(tmp_path),  # the history file goes here, not into the real home
        TERM="dumb",
        INPUTRC=os.devnull,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    try:
        yield Terminal(process, master, slave)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=PATIENCE)
        assert process.stderr is not None
        process.stderr.close()
        os.close(master)
        os.close(slave)


def test_ctrl_d_at_a_terminal_says_goodbye_and_keeps_the_history(tmp_path: Path) -> None:
    with terminal(tmp_path) as screen:
        screen.wait_for("> ")
        screen.type(b"/start\r")
        assert "Dzień dobry!" in screen.wait_for("[5] 🌐 English")
        screen.wait_for("> ")
        screen.type(b"\x04")  # Ctrl-D on an empty line
        assert screen.process.wait(timeout=PATIENCE) == 0
        assert "Do zobaczenia!" in screen.rest()
        assert screen.echoes()
        assert screen.process.stderr is not None
        assert b"Traceback" not in screen.process.stderr.read()
    history = tmp_path / ".clusterbot_history"
    assert "/start" in history.read_text("utf-8").splitlines()
    assert stat.S_IMODE(history.stat().st_mode) == 0o600  # answers are typed here too
    # The next session can call the line back with the Up arrow.
    with terminal(tmp_path) as screen:
        screen.wait_for("> ")
        screen.type(b"\x1b[A\r")  # Up, Enter: /start again
        assert "Dzień dobry!" in screen.wait_for("[5] 🌐 English")
        screen.wait_for("> ")  # typed before the prompt, Ctrl-D would reach no editor
        screen.type(b"\x04")
        assert screen.process.wait(timeout=PATIENCE) == 0


def test_ctrl_c_at_a_terminal_prompt_exits_and_gives_the_terminal_back(tmp_path: Path) -> None:
    with terminal(tmp_path) as screen:
        screen.wait_for("> ")
        screen.type(b"/pomo")  # half a line typed when the user gives up
        screen.wait_for("/pomo")
        screen.process.send_signal(signal.SIGINT)
        assert screen.process.wait(timeout=PATIENCE) == 130
        assert "Do zobaczenia" not in screen.rest()
        # readline had switched echo off while the line was edited; it is on again.
        assert screen.echoes()
        assert screen.process.stderr is not None
        assert b"Traceback" not in screen.process.stderr.read()
    assert not (tmp_path / "bot.sqlite3-wal").exists()
