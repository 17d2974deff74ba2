"""Runs the console chat: reads lines, dispatches them, prints the replies."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import BinaryIO, TextIO

from bot.adapters.console.convert import ADDRESS, OpenLink, parse_line, render
from bot.core.events import Address, Button, Incoming, Reply

log = logging.getLogger(__name__)

Handle = Callable[[Incoming], Awaitable[list[Reply]]]


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


class ConsoleMessenger:
    """Prints replies that arrive outside a request (reminders) to the console."""

    def __init__(self, out: TextIO, on_buttons: Callable[[list[Button]], None]) -> None:
        self._out = out
        self._on_buttons = on_buttons

    async def send(self, address: Address, replies: Sequence[Reply]) -> None:
        """Print the replies and make their buttons the ones a number presses."""
        text, buttons = render(replies)
        self._out.write(text + "\n")
        self._out.flush()
        self._on_buttons(buttons)


class ConsoleChat:
    """A conversation over an input and an output stream, ending at end of input.

    When the input is not a terminal (a piped script), each line is echoed after ``> `` so
    the printed output reads as a conversation.
    """

    def __init__(self, handle: Handle, inp: BinaryIO, out: TextIO, *, echo: bool) -> None:
        self._handle = handle
        self._in = inp
        self._out = out
        self._echo = echo
        self._buttons: list[Button] = []
        self.messenger = ConsoleMessenger(out, self._set_buttons)

    def _set_buttons(self, buttons: list[Button]) -> None:
        self._buttons = buttons

    async def run(self) -> None:
        """Chat until the input ends (or the task is cancelled, even mid-read)."""
        lines = self._read_lines()
        number = 0
        while True:
            if not self._echo:
                self._write("> ")
            raw = await lines.get()
            if not raw:
                break
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if self._echo:
                self._write(f"> {line}\n")
            number += 1
            parsed = parse_line(line, self._buttons)
            if isinstance(parsed, OpenLink):
                self._write(f"{parsed.url}\n\n")
                continue
            replies = await self._handle(Incoming(ADDRESS, parsed, update_id=None, private=True))
            text, buttons = render(replies)
            self._write(text + "\n")
            if buttons or replies:
                self._buttons = buttons
        log.debug("console input ended after %d lines", number)

    def _read_lines(self) -> asyncio.Queue[bytes]:
        """Read the input on a daemon thread, line by line, into a queue (``b""``: the end).

        A read blocked on a terminal cannot be cancelled; on the default executor it would
        keep the process alive after the chat was stopped (say, its database was lost) until
        the user pressed Enter. A daemon thread does not hold the exit; it reads the file
        descriptor itself, because a daemon blocked inside a buffered reader aborts the
        interpreter's shutdown.
        """
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[bytes] = asyncio.Queue()

        def put(raw: bytes) -> bool:
            try:
                loop.call_soon_threadsafe(lines.put_nowait, raw)
            except RuntimeError:  # the loop is closed: nobody reads any more
                return False
            return bool(raw)

        def read() -> None:
            for raw in _raw_lines(self._in):
                if not put(raw):
                    return
            put(b"")

        threading.Thread(target=read, name="console-input", daemon=True).start()
        return lines

    def _write(self, text: str) -> None:
        self._out.write(text)
        self._out.flush()
