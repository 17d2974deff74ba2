"""PostgreSQL for tests: an empty schema of its own for each test, dropped after it.

``fresh_schema_url()`` yields a URL whose connections work in a new schema (``?search_path=``,
which asyncpg passes to the server), so anything that takes a URL uses it: a
``PostgresStorage.open``, or several ``clusterbot run`` processes given it as
``CLUSTERBOT_DATABASE_URL``. Schemas make tests isolated under pytest-xdist without a
database each (creating one costs far more than a schema).

The server is ``CLUSTERBOT_TEST_DATABASE_URL`` (default: the local one, database ``test``).
When it cannot be reached the test is skipped, except in CI (``CI=true``), where it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import NoReturn
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

#: Read at import: the suite's autouse ``clean_environment`` fixture removes every
#: ``CLUSTERBOT_*`` variable before each test.
DATABASE_URL = os.environ.get(
    "CLUSTERBOT_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI") == "true"
#: Seconds to wait for the test server before giving up on it.
CONNECT_TIMEOUT = 5.0

#: Why the server could not be reached (once per process: later tests skip at once).
_unreachable: list[str] = []


def where(url: str = DATABASE_URL) -> str:
    """``host:port`` of ``url``, for messages."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}"


def unreachable(reason: str) -> NoReturn:
    """Skip the test (locally) or fail it (in CI): the server is not there."""
    message = f"PostgreSQL not reachable at {where()}: {reason}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def with_search_path(url: str, schema: str) -> str:
    """``url`` whose connections work in ``schema`` (asyncpg sends it as ``search_path``)."""
    parts = urlsplit(url)
    query = "&".join(p for p in (parts.query, f"search_path={schema}") if p)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


async def connect(url: str = DATABASE_URL) -> asyncpg.Connection:
    """A connection to the test server (skipped or failed as above when it is not there)."""
    if _unreachable:
        unreachable(_unreachable[0])
    try:
        return await asyncpg.connect(url, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        _unreachable.append(str(exc) or type(exc).__name__)
        unreachable(_unreachable[0])


@asynccontextmanager
async def fresh_schema_url() -> AsyncIterator[str]:
    """Create an empty schema, yield a URL that works in it, and drop it (and its tables)."""
    schema = f"t_{uuid.uuid4().hex}"
    admin = await connect()
    try:
        await admin.execute(f"CREATE SCHEMA {schema}")
        try:
            yield with_search_path(DATABASE_URL, schema)
        finally:
            await admin.execute("SET client_min_messages = warning")  # no NOTICE per table
            await admin.execute(f"DROP SCHEMA {schema} CASCADE")
    finally:
        await admin.close()
