"""The import rules of ../shared/ARCHITECTURE.md, checked on the source with ``ast``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SDKS = ("telegram", "slack_bolt", "slack_sdk", "aiohttp", "httpx")
FEATURES = ("bot.assessment", "bot.knowledge", "bot.reminders", "bot.home")

# (package or module prefix, forbidden import prefixes). The first matching rule applies.
RULES: list[tuple[str, tuple[str, ...]]] = [
    (
        "bot.core",
        (
            "aiosqlite",
            "storage",
            "bot.adapters",
            "bot.app",
            "bot.config",
            "bot.cli",
            "bot.loader",
            "yaml",
            *SDKS,
            *FEATURES,
            "bot.reports",
        ),
    ),
    ("bot.reports", ("aiosqlite", "storage", "bot.adapters", "bot.app", "bot.config", *SDKS)),
    *[
        (
            feature,
            (
                "aiosqlite",
                "storage",
                "bot.adapters",
                "bot.app",
                "bot.config",
                "bot.cli",
                "bot.reports",
                *SDKS,
                *(f for f in FEATURES if f != feature),
            ),
        )
        for feature in FEATURES
    ],
    (
        "bot.adapters.telegram",
        ("slack_bolt", "slack_sdk", "storage", "aiosqlite", "bot.app", "bot.config"),
    ),
    ("bot.adapters.slack", ("telegram", "storage", "aiosqlite", "bot.app", "bot.config")),
    # The HTTP server both webhook modes share: aiohttp only, no platform SDK.
    (
        "bot.adapters.web",
        ("telegram", "slack_bolt", "slack_sdk", "storage", "aiosqlite", "bot.app", "bot.config"),
    ),
    # The calendar-feed client: aiohttp as an HTTP client, the reminders' port, no SDK.
    (
        "bot.adapters.calendar_feeds",
        ("telegram", "slack_bolt", "slack_sdk", "storage", "aiosqlite", "bot.app", "bot.config"),
    ),
    ("bot.adapters", (*SDKS, "storage", "aiosqlite", "bot.app", "bot.config")),
    ("bot.loader", ("storage", "aiosqlite", "bot.adapters", "bot.app", "bot.cli", *SDKS)),
    ("storage", ("bot.adapters", "bot.app", "bot.cli", "bot.config", *SDKS, *FEATURES)),
    ("bot.errors", ("bot", "storage")),
]
ALLOWED_EVERYWHERE = ("bot.errors",)


def _modules() -> list[tuple[str, Path]]:
    found = []
    for top in ("bot", "storage"):
        for path in (ROOT / top).rglob("*.py"):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts.pop()
            found.append((".".join(parts), path))
    return sorted(found)


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _violations(module: str, imports: list[str]) -> list[str]:
    for prefix, forbidden in RULES:
        if _under(module, prefix):
            return [
                name
                for name in imports
                if any(_under(name, f) for f in forbidden)
                and not any(_under(name, ok) for ok in ALLOWED_EVERYWHERE)
                and not _under(name, prefix)
            ]
    return []


@pytest.mark.parametrize(
    ("module", "path"), _modules(), ids=lambda v: str(v) if isinstance(v, str) else ""
)
def test_module_respects_the_import_rules(module: str, path: Path) -> None:
    assert _violations(module, _imports(path)) == []


def test_only_the_cli_imports_the_composition_root() -> None:
    importers = [m for m, p in _modules() if "bot.app" in _imports(p) and m != "bot.app"]
    assert importers == ["bot.cli"]


def test_the_rules_catch_a_forbidden_arrow() -> None:
    assert _violations("bot.core.dispatcher", ["storage.sqlite"]) == ["storage.sqlite"]
    assert _violations("bot.adapters.telegram.convert", ["slack_sdk.web"]) == ["slack_sdk.web"]
    assert _violations("bot.home.service", ["bot.assessment.engine"]) == ["bot.assessment.engine"]
    assert _violations("storage.sqlite", ["bot.core.events", "bot.errors"]) == []
