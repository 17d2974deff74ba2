"""One user's flood through Bolt in HTTP mode: one "slow down", the rest dropped silently."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.core.clock import ManualClock
from bot.loader import Content
from tests.adapters.test_slack import SlackBot, dm
from tests.fakes.slack_api import FakeSlackApi, dm_event, signed_headers

FLOOD = 2000
LIMIT = 120  # the default CLUSTERBOT_RATE_LIMIT, 120 messages a minute


@pytest.fixture
async def api() -> AsyncIterator[FakeSlackApi]:
    server = FakeSlackApi()
    await server.start()
    yield server
    await server.stop()


async def test_two_thousand_dms_get_one_notice(
    api: FakeSlackApi, content: Content, tmp_path: Path, clock: ManualClock
) -> None:
    events = [dm_event("cześć") for _ in range(FLOOD)]
    async with (
        SlackBot(api, content, tmp_path / "flood.sqlite3", clock) as slack,
        aiohttp.ClientSession() as http,  # a fifth of httpx's time for 2,000 requests
    ):
        for event in events:
            body = json.dumps(event).encode()
            headers = {"Content-Type": "application/json", **signed_headers(body)}
            async with http.post(slack.url, data=body, headers=headers) as response:
                assert response.status == 200  # each one acknowledged
        pending = [f"slack:T1:{e['event_id']}" for e in events]
        async with asyncio.timeout(120):
            while pending:  # a dropped message sends nothing: wait until each one was handled
                pending = [key for key in pending if not await slack.store.seen(key)]
                await asyncio.sleep(0.05)
        texts = api.texts()
        assert sum("Piszesz bardzo szybko" in t for t in texts) == 1
        assert sum("Dzień dobry" in t for t in texts) == LIMIT
        assert len(texts) == LIMIT + 1
        await dm(slack, "cześć", user="U2")  # and another user is answered as usual
        assert "Dzień dobry" in api.texts()[-1]
