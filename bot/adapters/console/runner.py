"""Runs the console chat: reads lines, dispatches them, prints the replies, saves the files."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from bot.adapters.console.convert import ADDRESS, OpenLink, parse_line, render
from bot.adapters.console.files import FileShelf, safe_name
from bot.adapters.console.lines import LineSource, PipeLines, TerminalLines
from bot.core.events import Address, Button, Incoming, Reply
from bot.core.i18n import Texts

log = logging.getLogger(__name__)

Handle = Callable[[Incoming], Awaitable[list[Reply]]]
PROMPT = "> "
HISTORY_FILE = ".clusterbot_history"


@dataclass(frozen=True, slots=True)
class Voice:
    """The console's own lines (a file saved, goodbye) in the console user's language."""

    texts: Texts
    #: The language the console user chose (read each time: ``/jezyk en`` changes it).
    locale: Callable[[], Awaitable[str]]

    async def say(self, key: str, **params: object) -> str:
        """The text of ``key`` in the user's language."""
        return self.texts.get(await self.locale(), key, **params)


def default_history() -> Path | None:
    """``~/.clusterbot_history``, as Python keeps ``~/.python_history``; ``None`` without a home."""
    try:
        return Path.home() / HISTORY_FILE
    except RuntimeError:
        return None


def open_lines(inp: BinaryIO, out: TextIO, *, terminal: bool) -> LineSource:
    """Line editing and history on a terminal; otherwise the input read line by line."""
    return TerminalLines(out, default_history()) if terminal else PipeLines(inp)


class ConsoleMessenger:
    """Prints replies that arrive outside a request (reminders) to the console."""

    def __init__(self, chat: ConsoleChat) -> None:
        """Print through ``chat``, which owns the screen and the shown buttons."""
        self._chat = chat

    async def send(self, address: Address, replies: Sequence[Reply]) -> None:
        """Print the replies and make their buttons the ones a number presses."""
        await self._chat.show(replies, unasked=True)


class ConsoleChat:
    """A conversation over a line source and an output stream, ending at end of input.

    When the input is not a terminal (a piped script), each line is echoed after ``> `` so
    the printed output reads as a conversation. Images and documents are saved by ``shelf``
    and their paths printed. At the end of input (Ctrl-D) the chat says goodbye.
    """

    def __init__(
        self,
        handle: Handle,
        lines: LineSource,
        out: TextIO,
        *,
        echo: bool,
        voice: Voice,
        shelf: FileShelf,
    ) -> None:
        """Chat through ``handle``; ``echo`` repeats each piped line after the prompt."""
        self._handle = handle
        self._lines = lines
        self._out = out
        self._echo = echo
        self._voice = voice
        self._shelf = shelf
        self._buttons: list[Button] = []
        self._screen = asyncio.Lock()  # a reminder never prints into the middle of a turn
        self.messenger = ConsoleMessenger(self)

    async def run(self) -> None:
        """Chat until the input ends (or the task is cancelled, even mid-read or mid-turn)."""
        number = 0
        try:
            while (line := await self._next_line()) is not None:
                number += 1
                parsed = parse_line(line, self._buttons)
                if isinstance(parsed, OpenLink):
                    self._write(f"{parsed.url}\n\n")
                    continue
                incoming = Incoming(ADDRESS, parsed, update_id=None, private=True)
                await self.show(await self._handle(incoming))
            if self._lines.interactive:
                self._write("\n")  # Ctrl-D leaves the cursor after the prompt
            self._write(await self._voice.say("console.goodbye") + "\n")
        finally:
            self._lines.close()
        log.debug("console input ended after %d lines", number)

    async def show(self, replies: Sequence[Reply], *, unasked: bool = False) -> None:
        """Print replies, saving their files; their buttons become the ones a number presses.

        An empty answer (a redelivered or throttled message) keeps the shown buttons.
        """
        async with self._screen:
            attachments = [await self._save(reply) for reply in replies]
            text, buttons = render(replies, attachments)
            if unasked:
                with self._lines.above_prompt():
                    self._write(text + "\n")
            else:
                self._write(text + "\n")
            if replies:
                self._buttons = buttons

    async def _next_line(self) -> str | None:
        if self._lines.interactive:
            return await self._lines.next_line(PROMPT)
        if not self._echo:
            self._write(PROMPT)
        line = await self._lines.next_line(PROMPT)
        if line is not None and self._echo:
            self._write(f"{PROMPT}{line}\n")
        return line

    async def _save(self, reply: Reply) -> list[str]:
        """Save the reply's image and document; the lines that say where they are."""
        files: list[tuple[str, bytes]] = []
        if reply.image is not None:
            name = await self._voice.say("console.image_file")
            files.append((f"{safe_name(name, 'image')}.png", reply.image.png))
        if reply.document is not None:
            files.append((safe_name(reply.document.name, "file"), reply.document.data))
        lines = []
        if reply.image is not None and reply.image.caption:
            lines.append(reply.image.caption)
        for name, data in files:
            try:
                path = await asyncio.to_thread(self._shelf.save, name, data)
            except OSError as exc:
                folder = self._shelf.shown(self._shelf.directory)
                log.warning("could not save %s in %s: %s", name, folder, exc)
                lines.append(await self._voice.say("console.save_failed", name=name, folder=folder))
                continue
            lines.append(await self._voice.say("console.saved", path=self._shelf.shown(path)))
        return lines

    def _write(self, text: str) -> None:
        self._out.write(text)
        self._out.flush()
