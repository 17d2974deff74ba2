"""The assistant with its web view on a loopback port, and chats that fill it with data."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp

from bot.app import Services, build_services
from bot.config import Settings
from bot.core.clock import ManualClock
from bot.core.events import Address
from bot.core.markup import to_plain
from bot.loader import Content
from bot.webview import make_view, web_view
from tests.assessment.test_conversation import answer_all, current_standard
from tests.helpers import PROFILE_ANSWERS, Chat

ADMIN = Address("console", "chat-admin", "admin")
LINK = re.compile(r"(https?://[^/\s]+)(/(?:report|panel/signin)/[A-Za-z0-9_-]{43})")


@dataclass
class Site:
    """The running web view, a browser-like HTTP client and the assistant's dispatcher."""

    base: str
    http: aiohttp.ClientSession
    services: Services
    store: object
    clock: ManualClock

    def chat(self, address: Address) -> Chat:
        """A chat of ``address`` with the assistant."""
        return Chat(self.services.dispatcher, address)

    def local(self, text: str) -> str:
        """The link in a chat reply, pointed at this machine's port (its path kept)."""
        found = LINK.search(to_plain(text))  # as the user reads it, markup escapes undone
        assert found is not None, text
        return self.base + found.group(2)


@asynccontextmanager
async def running_site(
    content: Content, store: object, clock: ManualClock, **settings: object
) -> AsyncIterator[Site]:
    """The web view on 127.0.0.1 (a free port), ``ADMIN`` as the administrator."""
    config = Settings(web_port=0, admins=f"{ADMIN.platform}:{ADMIN.user_id}", **settings)  # type: ignore[arg-type]
    services = build_services(content, store, clock, config)  # type: ignore[arg-type]
    assert services.web is not None
    view = make_view(config, content, store, services.web, services.assess.shared_report, clock)  # type: ignore[arg-type]
    async with web_view(config, view, services.web) as port:
        jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1, as a browser keeps them
        async with aiohttp.ClientSession(cookie_jar=jar) as http:
            yield Site(f"http://127.0.0.1:{port}", http, services, store, clock)


async def finished(
    chat: Chat,
    name: str = "Klaster Testowy",
    phase: str = "faza rozwoju",
    region: str = "mazowieckie",
    sector: str = "ICT",
    special: dict[str, str] | None = None,
    consent: bool | None = True,
) -> None:
    """A finished self-evaluation of ``chat``'s user, with the consent answered as asked."""
    await chat.send("/ocena")
    overrides = {"Klaster Testowy": name, "ICT": sector, "mazowieckie": region}
    for kind, value in PROFILE_ANSWERS:
        value = overrides.get(value, value)
        await (chat.send(value) if kind == "text" else chat.press(value))
    await chat.press(phase)
    assert current_standard(chat) is not None, chat.text
    await answer_all(chat, special)
    if consent is not None:
        await chat.press("Tak, uwzględnij" if consent else "Nie uwzględniaj")
