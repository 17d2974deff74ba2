"""The ``clusterbot`` command: run the assistant, check the content.

Exit codes: 0 done; 1 failed while running (e.g. the database file was deleted or replaced)
or content problems found by ``check-content``; 2 cannot start (settings, content, a database
that cannot be opened or that another process owns); 130 interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from bot import app, logs
from bot.adapters.console.convert import render
from bot.config import Settings, load_settings
from bot.core.clock import SystemClock
from bot.core.events import Address, Incoming, Text
from bot.core.ports import User
from bot.core.records import ContentChange
from bot.errors import BotError, ConfigError, ContentError, StorageUnavailable
from bot.index_cache import IndexCache
from bot.knowledge.editing import changes_patch, changes_report
from bot.knowledge.endings import store_endings
from bot.knowledge.freshness import due_items
from bot.knowledge.lexicon import build_lexicon, corpus_key, corpus_words
from bot.loader import (
    LEXICON_FILE,
    check_content,
    knowledge_base,
    load_content,
    load_knowledge,
)
from storage.memory import MemoryStorage
from storage.sqlite import read_content_changes

EXIT_FAILURE = 1
EXIT_USAGE = 2

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clusterbot",
        description="Chat assistant for cluster coordinators (PARP standards, support, reminders).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "run", help="start the configured platforms (the console chat when no token is set)"
    )
    check = commands.add_parser(
        "check-content", help="validate every file under the content directory"
    )
    check.add_argument(
        "--stale",
        action="store_true",
        help="also list cards past their review_by and status or deadline facts over a year "
        "old or undated (exit code 1 when any)",
    )
    ask = commands.add_parser("ask", help="answer one question as the chat would")
    ask.add_argument("question", help='the question, e.g. "ile można dostać z 2.3.3?"')
    ask.add_argument("--json", action="store_true", help="print card, confidence and text as JSON")
    ask.add_argument("--lang", choices=("pl", "en"), default=None, help="answer language")
    changes = commands.add_parser(
        "content-changes", help="list the changes administrators recorded to cards in chat"
    )
    changes.add_argument(
        "--patch", action="store_true", help="print them as YAML to merge into content files"
    )
    move = commands.add_parser(
        "migrate-data",
        help="copy the SQLite database into PostgreSQL (again: brings the copy up to date)",
    )
    move.add_argument(
        "--from",
        dest="source",
        default=None,
        help="sqlite:///path/to/file.sqlite3 or a path (default: CLUSTERBOT_DB_PATH)",
    )
    move.add_argument(
        "--to",
        dest="target",
        default=None,
        help="postgresql://user:password@host:port/db (default: CLUSTERBOT_DATABASE_URL)",
    )
    commands.add_parser(
        "build-lexicon",
        help="store the word-form lexicon for the current cards (content/lexicon.json) "
        "and the verb endings (content/verb_endings.json)",
    )
    commands.add_parser(
        "build-index",
        help="index the knowledge base into CLUSTERBOT_INDEX_CACHE now (else the first start "
        "does it)",
    )
    return parser


def _configure_logging(settings: Settings) -> None:
    """Log to stderr under the policy of `bot.logs`, with every token and secret redacted."""
    secrets = {
        "TELEGRAM_BOT_TOKEN": settings.telegram_bot_token,
        "TELEGRAM_WEBHOOK_SECRET": settings.telegram_webhook_secret,
        "SLACK_BOT_TOKEN": settings.slack_bot_token,
        "SLACK_APP_TOKEN": settings.slack_app_token,
        "SLACK_SIGNING_SECRET": settings.slack_signing_secret,
    }
    values = [(name, s.get_secret_value()) for name, s in secrets.items() if s is not None]
    token = settings.telegram_bot_token
    if token is not None:  # <bot id>:<secret>; the id is public (getMe), the rest is not
        values.append(("TELEGRAM_BOT_TOKEN", token.get_secret_value().partition(":")[2]))
    url = settings.database_url
    password = urlsplit(url.get_secret_value()).password if url is not None else None
    if password:  # the driver may quote its connection string in an error
        values.append(("CLUSTERBOT_DATABASE_URL password", password))
    logs.configure(settings.log_level, values)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"clusterbot: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _configure_logging(settings)
    if command == "check-content":
        code = _check_content(settings.content_dir, settings.locale)
        if code == 0 and args.stale:
            return _list_stale(settings.content_dir)
        return code
    try:
        if command == "ask":
            print(asyncio.run(_ask(settings, args.question, args.lang, as_json=args.json)))
            return 0
        if command == "content-changes":
            print(content_changes(settings, patch=args.patch))
            return 0
        if command == "migrate-data":
            return _migrate_data(settings, args.source, args.target)
        if command == "build-index":
            return _build_index(settings)
        if command == "build-lexicon":
            path = _store_lexicon(settings)
            print(f"lexicon written to {path}")
            endings = store_endings(settings.content_dir)
            print(f"verb endings written to {endings}" if endings else "verb endings up to date")
            return 0
        asyncio.run(app.run(settings))
    except ContentError as exc:
        print(f"clusterbot: invalid content: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StorageUnavailable as exc:
        print(f"clusterbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BotError as exc:  # DatabaseLost among others: stopped after start-up
        print(f"clusterbot: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`clusterbot ask … | head`): nothing more can be printed.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception:
        # Through the log rather than Python's own report, which would print a library's
        # message as it is, e.g. PTB's "The token `…` was rejected by the server."
        log.critical("clusterbot stopped on an unexpected error", exc_info=True)
        return 1
    return 0


def _check_content(directory: Path, locale: str) -> int:
    problems = check_content(directory, locale)
    for problem in problems:
        print(f"{problem}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    print(f"content OK: {directory}")
    return 0


def _list_stale(directory: Path) -> int:
    """Print what an editor should check; 1 when anything is due."""
    items = due_items(load_knowledge(directory).cards, date.today())
    for item in items:
        if item.fact is None:
            print(f"{item.card}: review_by {item.since} has come")
        else:
            since = item.since.isoformat() if item.since else "undated"
            print(f"{item.card}: facts[{item.fact}] (status/deadline, source {since})")
    reviews = sum(1 for i in items if i.fact is None)
    print(f"{reviews} card(s) due for review, {len(items) - reviews} fact(s) that may be stale")
    return 1 if items else 0


async def _ask(settings: Settings, question: str, locale: str | None, *, as_json: bool) -> str:
    """Answer one question through the dispatcher, as the console chat would print it."""
    content = load_content(settings.content_dir, settings.locale, settings.index_cache)
    store = MemoryStorage()
    services = app.build_services(content, store, SystemClock(), settings)
    address = Address("console", "ask", "ask")
    if locale is not None:
        await store.save_user(User(address.user_key, locale, SystemClock().now()))
        services.knowledge.follow_question_language = False  # --lang overrides detection
    replies = await services.dispatcher.handle(Incoming(address, Text(question), private=True))
    text, _ = render(replies)
    if not as_json:
        return text.rstrip()
    hit = services.knowledge.best(question)
    result = {
        "card": hit.card.id if hit else None,
        "fact": hit.lead.id if hit and hit.lead else None,
        "confidence": hit.confidence if hit else 0.0,
        "text": text.rstrip(),
    }
    return json.dumps(result, ensure_ascii=False)


def _build_index(settings: Settings) -> int:
    """Store the knowledge base's index for the next start; 1 when there is nowhere to."""
    folder = settings.index_cache
    if folder is None:
        print("clusterbot: CLUSTERBOT_INDEX_CACHE is off; nothing to build", file=sys.stderr)
        return 1
    cache = IndexCache(folder)
    knowledge_base(settings.content_dir, cache)
    if cache.stored is None:
        print(f"clusterbot: could not store the index in {folder}", file=sys.stderr)
        return 1
    print(f"index stored in {cache.stored}")
    return 0


def _store_lexicon(settings: Settings) -> Path:
    """Build the word-form lexicon for the current cards and write ``content/lexicon.json``."""
    knowledge = load_knowledge(settings.content_dir)
    words = corpus_words(knowledge)
    data = {"key": corpus_key(words), "forms": dict(sorted(build_lexicon(words).items()))}
    path = settings.content_dir / LEXICON_FILE
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    return path


def content_changes(settings: Settings, *, patch: bool = False) -> str:
    """The changes administrators recorded in chat, as lines or as a YAML patch.

    Read-only: it works while the assistant runs on the same database.
    """
    if settings.database_url is None:
        changes = read_content_changes(settings.db_path)
    else:
        changes = asyncio.run(_postgres_changes(settings.database_url.get_secret_value()))
    return changes_patch(changes) if patch else changes_report(changes)


async def _postgres_changes(url: str) -> list[ContentChange]:
    from storage.postgres import PostgresStorage

    store = await PostgresStorage.open(url, pool_size=1)
    try:
        return await store.list_content_changes()
    finally:
        await store.close()


def _migrate_data(settings: Settings, source: str | None, target: str | None) -> int:
    """Copy SQLite into PostgreSQL, print what was copied and checked; 1 when they differ."""
    from storage.postgres import safe_url
    from storage.transfer import migrate_data

    path = settings.db_path if source is None else source.removeprefix("sqlite://")
    url = target or (settings.database_url.get_secret_value() if settings.database_url else None)
    if url is None:
        print("clusterbot: migrate-data needs --to or CLUSTERBOT_DATABASE_URL", file=sys.stderr)
        return EXIT_USAGE
    report = asyncio.run(migrate_data(path, url))
    print(f"copied {path} into {safe_url(url)}:")
    for table, rows in report.copied.items():
        left, right = report.counts[table]
        print(f"  {table:<18} {rows:>7} rows read, {left:>7} in SQLite, {right:>7} in PostgreSQL")
    print(f"  exports compared for {report.people} people")
    for difference in report.differences:
        print(f"  DIFFERENT: {difference}")
    print("verified: the copy matches" if report.ok else "the copy does not match (see above)")
    return 0 if report.ok else EXIT_FAILURE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
