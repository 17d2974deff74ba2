"""The import rules of ../shared/ARCHITECTURE.md, checked on the source with ``ast``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
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
            "asyncpg",
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
    (
        "bot.reports",
        ("aiosqlite", "asyncpg", "storage", "bot.adapters", "bot.app", "bot.config", *SDKS),
    ),
    *[
        (
            feature,
            (
                "aiosqlite",
                "asyncpg",
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
        ("slack_bolt", "slack_sdk", "storage", "aiosqlite", "asyncpg", "bot.app", "bot.config"),
    ),
    (
        "bot.adapters.slack",
        ("telegram", "storage", "aiosqlite", "asyncpg", "bot.app", "bot.config"),
    ),
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
    ("bot.adapters", (*SDKS, "storage", "aiosqlite", "asyncpg", "bot.app", "bot.config")),
    ("bot.loader", ("storage", "aiosqlite", "bot.adapters", "bot.app", "bot.cli", *SDKS)),
    # The stored knowledge index: the knowledge feature's index and the standard library.
    (
        "bot.index_cache",
        ("storage", "aiosqlite", "bot.adapters", "bot.app", "bot.cli", "bot.config", *SDKS),
    ),
    # The composition root's parts: the configured database, and what runs while it runs.
    ("bot.stores", ("bot.adapters", "bot.app", "bot.cli", *SDKS, *FEATURES)),
    # The web view: pages over the core's ports and the assessment's report data; aiohttp for
    # its routes, no platform SDK, no store, no other feature.
    (
        "bot.web",
        (
            "telegram",
            "slack_bolt",
            "slack_sdk",
            "storage",
            "aiosqlite",
            "asyncpg",
            "bot.adapters",
            "bot.app",
            "bot.cli",
            "bot.config",
            "bot.home",
            "bot.knowledge",
            "bot.reminders",
        ),
    ),
    # Its place in the composition root: puts the pages on a server.
    ("bot.webview", ("storage", "aiosqlite", "asyncpg", "bot.app", "bot.cli", *SDKS)),
    ("bot.lifecycle", ("storage", "aiosqlite", "bot.adapters", "bot.app", "bot.config", *SDKS)),
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


def test_only_the_composition_root_opens_the_configured_database() -> None:
    importers = [m for m, p in _modules() if "bot.stores" in _imports(p) and m != "bot.stores"]
    assert sorted(importers) == ["bot.app"]


def test_only_the_composition_root_serves_the_web_view() -> None:
    importers = [m for m, p in _modules() if "bot.webview" in _imports(p) and m != "bot.webview"]
    assert sorted(importers) == ["bot.app"]


def test_the_rules_catch_a_forbidden_arrow() -> None:
    assert _violations("bot.web.server", ["storage.sqlite"]) == ["storage.sqlite"]
    assert _violations("bot.core.dispatcher", ["storage.sqlite"]) == ["storage.sqlite"]
    assert _violations("bot.adapters.telegram.convert", ["slack_sdk.web"]) == ["slack_sdk.web"]
    assert _violations("bot.home.service", ["bot.assessment.engine"]) == ["bot.assessment.engine"]
    assert _violations("storage.sqlite", ["bot.core.events", "bot.errors"]) == []


def _runtime_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, inside functions too, except under ``if TYPE_CHECKING:``."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (``from a import b`` counts ``a.b`` if a module)."""
    modules = dict(_modules())
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _runtime_imports(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_no_import_cycles_even_through_imports_inside_functions() -> None:
    assert _cycles(_import_graph()) == []


def test_the_cycle_check_sees_imports_inside_functions() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import hidden\n"
        "def later():\n    from bot.core import events\n"
    )
    seen = [ast.unparse(node) for node in _runtime_imports(tree)]
    assert sorted(seen) == ["from bot.core import events", "from typing import TYPE_CHECKING"]
