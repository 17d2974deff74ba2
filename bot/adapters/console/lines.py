"""Where the console's typed lines come from: a pipe read ahead, or a terminal with editing."""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TextIO

log = logging.getLogger(__name__)

HISTORY_LENGTH = 1000


class LineSource(Protocol):
    """The lines a console user types, one at a time; ``None`` at the end of input."""

    #: Whether the source shows its own prompt (and the user's typing) on a terminal.
    interactive: bool

    async def next_line(self, prompt: str) -> str | None:
        """Wait for the next line (without its line end); ``None`` when the input ended."""
        ...

    @contextmanager
    def above_prompt(self) -> Iterator[None]:
        """Print something unasked (a reminder) without tearing an open prompt apart."""
        ...

    def close(self) -> None:
        """Leave the terminal as it was found; nothing is read afterwards."""
        ...


def _raw_lines(stream: BinaryIO) -> Iterator[bytes]:
    """Yield the lines of ``stream``, from its file descriptor when it has one."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError):  # an in-memory stream: reading it never blocks
        yield from iter(stream.readline, b"")
        return
    pending = b""
    while chunk := os.read(fd, 65536):
        pending += chunk
        *complete, pending = pending.split(b"\n")
        yield from (line + b"\n" for line in complete)
    if pending:
        yield pending


_Ask = tuple[str, asyncio.AbstractEventLoop, "asyncio.Future[str | None]"]


def _resolve(future: asyncio.Future[str | None], line: str | None) -> None:
    if not future.done():  # cancelled meanwhile (Ctrl-C): the line goes nowhere
        future.set_result(line)


class PipeLines:
    """Lines from a pipe or a file, read ahead on a daemon thread (the prompt is the chat's).

    A read blocked on a terminal cannot be cancelled; on the default executor it would keep
    the process alive after the chat was stopped (say, its database was lost) until the user
    pressed Enter. A daemon thread does not hold the exit; it reads the file descriptor
    itself, because a daemon blocked inside a buffered reader aborts the interpreter's
    shutdown.
    """

    interactive = False

    def __init__(self, stream: BinaryIO) -> None:
        """Read ``stream`` once the first line is wanted."""
        self._stream = stream
        self._lines: asyncio.Queue[str | None] | None = None

    async def next_line(self, prompt: str) -> str | None:
        """Return the next line, decoded as UTF-8 (bad bytes replaced); ``None`` at the end."""
        if self._lines is None:
            self._lines = self._start()
        return await self._lines.get()

    @contextmanager
    def above_prompt(self) -> Iterator[None]:
        """Nothing to protect: the chat printed the prompt itself."""
        yield

    def close(self) -> None:
        """Nothing to restore."""

    def _start(self) -> asyncio.Queue[str | None]:
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[str | None] = asyncio.Queue()

        def put(line: str | None) -> bool:
            try:
                loop.call_soon_threadsafe(lines.put_nowait, line)
            except RuntimeError:  # the loop is closed: nobody reads any more
                return False
            return line is not None

        def read() -> None:
            for raw in _raw_lines(self._stream):
                if not put(raw.decode("utf-8", errors="replace").rstrip("\r\n")):
                    return
            put(None)

        threading.Thread(target=read, name="console-input", daemon=True).start()
        return lines


class TerminalLines:
    """Lines typed at a terminal, with line editing and history (the stdlib ``readline``).

    ``input()`` runs on a daemon thread, asked for one line at a time, so the event loop
    keeps delivering reminders while the user types and the prompt is shown only when the
    chat waits. A daemon blocked in ``readline`` does not hold the exit (Ctrl-C), and the
    terminal settings saved at the start are put back, since readline had switched off echo.
    """

    interactive = True

    def __init__(self, out: TextIO, history: Path | None, fd: int = 0) -> None:
        """Prompt on ``out``; keep the history in ``history`` (``None``: none kept)."""
        self._out = out
        self._fd = fd
        self._history = history
        self._asks: queue.SimpleQueue[_Ask] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._prompt: str | None = None  # the prompt on screen while input() waits
        self._terminal = self._save_terminal()
        self._readline = self._load_readline()

    async def next_line(self, prompt: str) -> str | None:
        """Show ``prompt`` and return the line typed; ``None`` after Ctrl-D."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str | None] = loop.create_future()
        self._asks.put((prompt, loop, future))
        if self._thread is None:
            self._thread = threading.Thread(target=self._read, name="console-input", daemon=True)
            self._thread.start()
        return await future

    @contextmanager
    def above_prompt(self) -> Iterator[None]:
        """Clear the prompt line, let the caller print, then show the prompt and typing again."""
        prompt = self._prompt
        if prompt is None:
            yield
            return
        self._out.write("\r\x1b[K")
        try:
            yield
        finally:
            typed = self._readline.get_line_buffer() if self._readline is not None else ""
            self._out.write(prompt + typed)
            self._out.flush()

    def close(self) -> None:
        """End an open prompt's line and give the terminal back as it was."""
        if self._prompt is not None:
            self._out.write("\n")
            self._out.flush()
        if self._terminal is not None:
            import termios

            with suppress(OSError, termios.error):
                termios.tcsetattr(self._fd, termios.TCSADRAIN, self._terminal)

    def _read(self) -> None:
        while True:
            prompt, loop, future = self._asks.get()
            self._prompt = prompt
            try:
                line: str | None = input(prompt)
            except EOFError:
                line = None
            except UnicodeDecodeError:  # not the terminal's encoding: the bot says it cannot read
                line = "\ufffd"
            finally:
                self._prompt = None
            if line and line.strip():
                self._remember(line)
            try:
                loop.call_soon_threadsafe(_resolve, future, line)
            except RuntimeError:  # the loop is closed: nobody reads any more
                return
            if line is None:
                return

    def _save_terminal(self) -> list[Any] | None:
        try:
            import termios
        except ImportError:  # Windows: nothing to restore
            return None
        try:
            return termios.tcgetattr(self._fd)
        except termios.error as exc:
            log.debug("terminal settings not saved: %s", exc)
            return None

    def _load_readline(self) -> _Readline | None:
        try:
            import readline
        except ImportError:  # Windows: input() still works, without history
            return None
        if self._history is not None:
            try:
                # Only its owner may read it: answers and notes are typed here too.
                os.close(os.open(self._history, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
                readline.read_history_file(self._history)
                readline.set_history_length(HISTORY_LENGTH)
                readline.write_history_file(self._history)  # cut to the last 1000 lines
            except OSError as exc:
                log.warning("console history not kept in %s: %s", self._history, exc)
                self._history = None
        return readline

    def _remember(self, line: str) -> None:
        """Append the line to the history file at once, so Ctrl-C loses nothing typed."""
        if self._history is None or self._readline is None:
            return
        try:
            self._readline.append_history_file(1, self._history)
        except OSError as exc:
            log.warning("console history not kept in %s: %s", self._history, exc)
            self._history = None


class _Readline(Protocol):
    def get_line_buffer(self) -> str: ...

    def append_history_file(self, nelements: int, filename: str | Path | None = ...) -> None: ...
