"""The knowledge index kept between starts: read when nothing changed, never out of date."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

import bot.loader
from bot.config import REPO_CONTENT_DIR, load_settings
from bot.index_cache import IndexCache, cache_key, code_fingerprint
from bot.knowledge.retrieval import KnowledgeBase
from bot.loader import knowledge_base
from tests.test_cli import run

#: Questions whose card, lead fact and confidence must not depend on where the index came from.
QUESTIONS = [
    "ile kosztuje srebrna odznaka ESCA?",
    "Kiedy był nabór FENG 2.17?",
    "What replaced POIR 2.3.3?",
    "jak zostać krajowym klastrem kluczowym",
    "Ile kosztuje hipoteka?",
]


def answers(kb: KnowledgeBase) -> list[tuple[str, str, float] | None]:
    out: list[tuple[str, str, float] | None] = []
    for question in QUESTIONS:
        hits = kb.search(question)
        top = hits[0] if hits else None
        lead = top.lead.id if top and top.lead else ""
        out.append((top.card.id, lead, top.confidence) if top else None)
    return out


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts how many times the knowledge base is indexed from scratch."""
    made: list[int] = []
    real = bot.loader.build_knowledge_base

    def counting(*args: object) -> KnowledgeBase:
        made.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(bot.loader, "build_knowledge_base", counting)
    return made


@pytest.fixture
def content(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(REPO_CONTENT_DIR, copy)
    return copy


def test_the_second_start_reads_the_index_and_answers_alike(
    tmp_path: Path, builds: list[int]
) -> None:
    fresh = answers(knowledge_base(REPO_CONTENT_DIR))
    cache = IndexCache(tmp_path / "cache")
    first = knowledge_base(REPO_CONTENT_DIR, cache)
    assert cache.stored is not None and cache.stored.is_file()
    second = knowledge_base(REPO_CONTENT_DIR, IndexCache(tmp_path / "cache"))
    assert len(builds) == 2  # the uncached one and the first cached start; not the second
    assert answers(first) == answers(second) == fresh
    assert oct(cache.stored.stat().st_mode & 0o777) == "0o600"
    assert oct((tmp_path / "cache").stat().st_mode & 0o777) == "0o700"


def test_a_changed_fact_is_indexed_again_and_answered(
    content: Path, tmp_path: Path, builds: list[int]
) -> None:
    cache = IndexCache(tmp_path / "cache")
    before = knowledge_base(content, cache)
    question = "ile kosztuje srebrna odznaka ESCA?"
    assert before.search(question)[0].lead.id == "esca-silver-price"  # type: ignore[union-attr]
    card = content / "instruments" / "esca-silver.yaml"
    text = card.read_text("utf-8")
    assert "3 620 EUR" in text
    card.write_text(text.replace("3 620 EUR", "3 999 EUR"), "utf-8")
    after = knowledge_base(content, cache)
    lead = after.search(question)[0].lead
    assert lead is not None and "3 999 EUR" in lead.pl
    assert len(builds) == 2
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [cache.stored.name]  # type: ignore[union-attr]


def test_a_broken_index_file_is_built_again_with_a_warning(
    tmp_path: Path, builds: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    cache = IndexCache(tmp_path / "cache")
    knowledge_base(REPO_CONTENT_DIR, cache)
    assert cache.stored is not None
    for broken in (b"", b"\x80\x05garbage", cache.stored.read_bytes()[:1000]):
        cache.stored.write_bytes(broken)
        with caplog.at_level(logging.WARNING, logger="bot.index_cache"):
            kb = knowledge_base(REPO_CONTENT_DIR, cache)
        assert "unreadable" in caplog.text
        assert answers(kb)[0] is not None and answers(kb)[0][1] == "esca-silver-price"  # type: ignore[index]
        caplog.clear()
    assert len(builds) == 4
    knowledge_base(REPO_CONTENT_DIR, cache)  # the last rebuild was stored again
    assert len(builds) == 4


def test_an_index_others_may_write_is_not_read(
    tmp_path: Path, builds: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "cache"
    knowledge_base(REPO_CONTENT_DIR, IndexCache(folder))
    folder.chmod(0o777)
    with caplog.at_level(logging.WARNING, logger="bot.index_cache"):
        knowledge_base(REPO_CONTENT_DIR, IndexCache(folder))
    assert len(builds) == 2 and "ignored" in caplog.text


def test_nowhere_to_write_still_answers(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", "utf-8")
    cache = IndexCache(blocked / "cache")
    kb = knowledge_base(REPO_CONTENT_DIR, cache)
    assert cache.stored is None
    assert answers(kb)[0] is not None


def test_the_key_follows_content_code_and_libraries(tmp_path: Path) -> None:
    assert cache_key([b"a"], code=b"x") == cache_key([b"a"], code=b"x")
    assert cache_key([b"a"], code=b"x") != cache_key([b"b"], code=b"x")
    assert cache_key([b"a"], code=b"x") != cache_key([b"a"], code=b"y")
    assert cache_key([b"ab", b""], code=b"x") != cache_key([b"a", b"b"], code=b"x")
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "sub" / "m.py").write_text("X = 1\n", "utf-8")
    before = code_fingerprint(package)
    (package / "sub" / "m.py").write_text("X = 2\n", "utf-8")
    assert code_fingerprint(package) != before


def test_the_setting_names_a_folder_or_turns_the_cache_off(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CLUSTERBOT_INDEX_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert load_settings().index_cache == tmp_path / "clusterbot"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert load_settings().index_cache == Path.home() / ".cache" / "clusterbot"
    for off in ("off", "", "none"):
        monkeypatch.setenv("CLUSTERBOT_INDEX_CACHE", off)
        assert load_settings().index_cache is None
    monkeypatch.setenv("CLUSTERBOT_INDEX_CACHE", str(tmp_path / "x"))
    assert load_settings().index_cache == tmp_path / "x"


def test_build_index_stores_it_and_the_next_start_answers_from_it(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    built = run("build-index", env={"CLUSTERBOT_INDEX_CACHE": str(folder)})
    assert built.returncode == 0, built.stderr
    stored = list(folder.glob("knowledge-*.pickle"))
    assert len(stored) == 1 and str(stored[0]) in built.stdout
    asked = run(
        "ask", "ile kosztuje srebrna odznaka ESCA?", env={"CLUSTERBOT_INDEX_CACHE": str(folder)}
    )
    assert "3 620 EUR" in asked.stdout
    assert list(folder.glob("knowledge-*.pickle")) == stored
    off = run("build-index", env={"CLUSTERBOT_INDEX_CACHE": "off"})
    assert off.returncode == 1 and "off" in off.stderr
