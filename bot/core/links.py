"""Links that open a chat with the assistant and start it with a code (deep links).

Only a platform knows how to build one (Telegram: ``https://t.me/<bot>?start=<code>``); its
adapter hands the builder over when it starts, and features ask here without knowing which.
"""

from __future__ import annotations

from collections.abc import Callable


class StartLinks:
    """Builds a link that sends ``/start <code>`` to the assistant, where a platform can."""

    def __init__(self) -> None:
        self._build: Callable[[str], str | None] | None = None

    def use(self, build: Callable[[str], str | None]) -> None:
        """Take the builder of a platform that has started."""
        self._build = build

    def __call__(self, code: str) -> str | None:
        """The link for ``code``, or ``None`` while no platform builds links."""
        return self._build(code) if self._build is not None else None
