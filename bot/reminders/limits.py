"""What an event may hold, and how one event that cannot be shown is kept from breaking a list.

The limits are the ones the administrators' chat flow enforces; imports and rendering hold
every event to them too, so a row stored before they existed still fits in a chat message.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Iterable
from typing import TypeVar
from urllib.parse import urlsplit

from bot.core.records import Event

log = logging.getLogger(__name__)

MAX_TITLE = 200
MAX_FIELD = 300
ELLIPSIS = "…"

T = TypeVar("T")


def clip(text: str, limit: int) -> str:
    """Return ``text``, or its first characters and an ellipsis, in at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    return text[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


def safe_url(url: str | None) -> str | None:
    """Return ``url`` when it is an http(s) link to a public host that fits the limit.

    Anything else (``javascript:``, ``file:``, spaces or control characters, a bare host
    such as ``localhost`` or ``intranet``, which Telegram refuses in a link button and so
    refuses the whole message) is ``None``: dropped rather than shown.
    """
    if not url or len(url) > MAX_FIELD or any(c.isspace() or not c.isprintable() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme.lower() not in ("http", "https") or not _public_host(parts.hostname or ""):
        return None
    return url


def _public_host(host: str) -> bool:
    """A dotted name (``www.parp.gov.pl``) or an IP address; not ``localhost`` or ``intranet``."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        labels = host.split(".")
        return len(labels) > 1 and all(labels)
    return True


def each_shown(
    events: Iterable[Event], build: Callable[[Event], T], limit: int | None = None
) -> list[T]:
    """Build something from each event, skipping (and logging) any event that cannot be shown.

    A stored event with a date no time zone can hold, or a field no template expects, must
    never take the other events down with it.
    """
    built: list[T] = []
    for event in events:
        if limit is not None and len(built) >= limit:
            break
        try:
            built.append(build(event))
        except Exception as exc:  # one bad row must not break the list; see the docstring
            # The id only: titles and places are user text and stay out of the log.
            log.warning("event %s cannot be shown and is skipped: %s", event.id, type(exc).__name__)
    return built
