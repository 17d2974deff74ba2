"""Anything a user can send gets at least one reply and never an exception."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.clock import ManualClock
from bot.core.events import Action, Address, Command, Content, FileUpload, Incoming, Text
from bot.loader import Content as Loaded
from storage.memory import MemoryStorage
from tests.helpers import make_dispatcher

payloads = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda p, rest: f"{p}:{rest}", st.sampled_from(["h1", "a1", "zz", ""]), st.text(max_size=70)
    ),
    st.sampled_from(["h1:lang:en", "h1:lang:pl", "h1:help", "h1:menu", "h1:lang", "h1::", ":"]),
)
commands = st.builds(
    Command,
    st.one_of(
        st.sampled_from(["start", "pomoc", "help", "jezyk", "language", "menu"]),
        st.text(max_size=40),
    ),
    st.lists(st.text(max_size=30), max_size=4).map(tuple),
)
contents: st.SearchStrategy[Content] = st.one_of(
    st.builds(Text, st.text(max_size=300)),
    st.builds(Text, st.text(min_size=4000, max_size=5000)),
    commands,
    st.builds(Action, payloads),
    st.builds(
        FileUpload,
        st.text(max_size=20),
        st.binary(max_size=64),
        st.just("application/octet-stream"),
    ),
)
incoming = st.builds(
    Incoming,
    st.builds(
        Address,
        st.sampled_from(["console", "telegram", "slack"]),
        st.just("c"),
        st.sampled_from(["u1", "u2"]),
    ),
    contents,
    st.one_of(st.none(), st.integers(0, 5).map(str)),
    st.one_of(st.none(), st.sampled_from(["pl", "en", "de-DE", ""])),
    st.booleans(),  # a private chat, or a group where personal answers go privately
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(incoming, min_size=1, max_size=8))
def test_every_input_gets_a_reply(
    content: Loaded, clock: ManualClock, messages: list[Incoming]
) -> None:
    async def scenario() -> None:
        dispatcher = make_dispatcher(content, MemoryStorage(), clock)
        seen_ids: set[tuple[str, str]] = set()
        for message in messages:
            replies = await dispatcher.handle(message)
            key = (message.address.platform, message.update_id or "")
            if message.update_id is not None and key in seen_ids:
                assert replies == []  # a redelivery is dropped silently
            else:
                assert replies, message
                assert all(r.text for r in replies)
            if message.update_id is not None:
                seen_ids.add(key)

    asyncio.run(scenario())
