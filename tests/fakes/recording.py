"""What both fake platform APIs share: waiting for recorded calls."""

from __future__ import annotations

import asyncio
from typing import Any


class Recording:
    """A fake server that records ``calls``; tests wait on them."""

    calls: list[Any]

    def sent(self, method: str = "") -> list[Any]:  # overridden with the platform's default
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, predicate: Any, within: float = 10.0) -> None:
        async def poll() -> None:
            while not predicate():  # noqa: ASYNC110 - the predicate reads recorded calls
                await asyncio.sleep(0.01)

        await asyncio.wait_for(poll(), within)

    async def settle(self, before: int, quiet: float = 0.1, within: float = 15.0) -> None:
        """Wait until more than ``before`` messages were sent and no call came for ``quiet`` s."""
        await self.wait_for(lambda: len(self.sent()) > before, within)
        await self.quiet(quiet)

    async def quiet(self, quiet: float = 0.3) -> None:
        """Wait until no call came for ``quiet`` seconds."""
        seen = -1
        while seen != len(self.calls):
            seen = len(self.calls)
            await asyncio.sleep(quiet)
