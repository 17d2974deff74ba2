"""The ``clusterbot`` command: run the assistant, check the content.

Exit codes: 0 done; 1 failed while running (e.g. the database file was deleted or replaced)
or content problems found by ``check-content``; 2 cannot start (settings, content, a database
that cannot be opened or that another process owns); 130 interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import app
from bot.config import load_settings
from bot.errors import BotError, ConfigError, ContentError, StorageUnavailable
from bot.loader import check_content

EXIT_FAILURE = 1
EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clusterbot",
        description="Chat assistant for cluster coordinators (PARP standards, support, reminders).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "run", help="start the configured platforms (the console chat when no token is set)"
    )
    commands.add_parser("check-content", help="validate every file under the content directory")
    ask = commands.add_parser("ask", help="answer one question as the chat would")
    ask.add_argument("question", help='the question, e.g. "ile można dostać z 2.3.3?"')
    ask.add_argument("--json", action="store_true", help="print card, confidence and text as JSON")
    ask.add_argument("--lang", choices=("pl", "en"), default=None, help="answer language")
    commands.add_parser(
        "build-lexicon",
        help="store the word-form lexicon for the current cards (content/lexicon.json)",
    )
    return parser


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # The HTTP client logs every request URL, and Telegram's URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"clusterbot: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _configure_logging(settings.log_level)
    if command == "check-content":
        return _check_content(settings.content_dir, settings.locale)
    try:
        if command == "ask":
            print(asyncio.run(app.ask(settings, args.question, args.lang, as_json=args.json)))
            return 0
        if command == "build-lexicon":
            path = app.store_lexicon(settings)
            print(f"lexicon written to {path}")
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
