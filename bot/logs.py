"""The logging policy: what reaches stderr at each level, and which secrets never do.

Our own loggers (``bot.*``, ``storage.*``) follow ``CLUSTERBOT_LOG_LEVEL``; at DEBUG they
say which method ran, with which ids and how long it took, never a message body. The
libraries say far more at DEBUG: python-telegram-bot prints every update and every Bot API
call's parameters and result (message texts, the webhook secret) and its base URL with the
token, slack_sdk every Web API request and response body, aiosqlite every statement with its
parameters. So a library logs at INFO at the lowest whatever the configured level, and the
few that print bodies even above DEBUG have higher floors (``FLOORS``). The floors are
applied by a filter on our handler, not by logger levels: slack_bolt sets its loggers'
levels itself on every request.

Every configured secret is replaced by its variable's name, in the whole line: message,
arguments and traceback.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from urllib.parse import quote

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: Loggers that follow the configured level, DEBUG included.
OWN = ("bot", "storage")
#: The lowest level any other logger reaches the log with.
LIBRARY_FLOOR = logging.INFO
#: Library loggers that print bodies or tokens above DEBUG; the longest matching prefix wins.
FLOORS: dict[str, int] = {
    # INFO: "Invalid request signature detected (... body: <the whole request body>)" for
    # every unsigned or badly signed request, which anyone can send.
    "slack_bolt": logging.WARNING,
    # ERROR: an unparsable Bot API response in full, which quotes the message sent; the
    # error that follows ("Invalid server response") still reaches our own log lines.
    "telegram.request": logging.CRITICAL,
    # INFO: every request URL, and Telegram's contain the token.
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
}


def floor(name: str, level: int) -> int:
    """The lowest level a record of logger ``name`` is written at, with ``level`` configured."""
    if any(name == own or name.startswith(own + ".") for own in OWN):
        return level
    matches = [prefix for prefix in FLOORS if name == prefix or name.startswith(prefix + ".")]
    limit = FLOORS[max(matches, key=len)] if matches else LIBRARY_FLOOR
    return max(level, limit)


class Redactor:
    """Replaces each secret, as written and as it appears in a URL, by ``<NAME>``."""

    def __init__(self, secrets: Iterable[tuple[str, str]]) -> None:
        """Take (name of the variable it came from, secret) pairs; a name may repeat."""
        names: dict[str, str] = {}
        for name, value in secrets:
            for variant in _variants(value):
                names.setdefault(variant, name)
        self._names = names
        # Longest first: a token's secret part is redacted only where the whole token is not.
        alternatives = sorted(names, key=len, reverse=True)
        self._pattern = (
            re.compile("|".join(re.escape(v) for v in alternatives)) if alternatives else None
        )

    def __call__(self, text: str) -> str:
        """Return ``text`` with every secret replaced."""
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: f"<{self._names[m.group()]}>", text)


def _variants(value: str) -> list[str]:
    """The forms a secret takes in a log line: raw, percent-encoded (either case)."""
    if not value:
        return []
    encoded = quote(value, safe="")
    lower = re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), encoded)
    return list(dict.fromkeys((value, encoded, lower)))


class LogPolicy(logging.Filter):
    """A handler filter: drops what is below its logger's floor, redacts what is written."""

    def __init__(self, level: int, redact: Redactor) -> None:
        """Apply the floors for the configured ``level``; redact with ``redact``."""
        super().__init__()
        self._level = level
        self._redact = redact
        self._floors: dict[str, int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep the record if it passes its floor; then redact its message and traceback."""
        limit = self._floors.get(record.name)
        if limit is None:
            limit = self._floors[record.name] = floor(record.name, self._level)
        if record.levelno < limit:
            return False
        try:
            message = record.getMessage()
        except Exception:  # bad arguments must not bypass the redaction
            message = f"{record.msg!r} (arguments that do not fit the message)"
        record.msg, record.args = self._redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redact(record.stack_info)
        return True


def configure(level: str, secrets: Iterable[tuple[str, str]]) -> logging.Handler:
    """Log to stderr at ``level`` under the policy; return the handler installed.

    Replaces a handler installed by an earlier call, and leaves any other handler alone.
    """
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ValueError(f"unknown log level {level!r}")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(LogPolicy(numeric, Redactor(secrets)))
    handler.set_name("clusterbot")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "clusterbot"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(numeric)
    return handler
