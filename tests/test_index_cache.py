"""The knowledge index kept between starts: read when nothing changed, never out of date."""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

import pytest

import bot.index_cache
import bot.loader
from bot.config import REPO_CONTENT_DIR, load_settings
from bot.index_cache import KEPT, IndexCache, cache_key, code_fingerprint
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
    assert cache.stored is not None and len(list((tmp_path / "cache").iterdir())) == 2


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


@pytest.fixture(scope="module")
def built() -> KnowledgeBase:
    return knowledge_base(REPO_CONTENT_DIR)


def test_the_stored_lexicon_and_verb_endings_are_part_of_the_key(
    content: Path, tmp_path: Path, builds: list[int]
) -> None:
    cache = IndexCache(tmp_path / "cache")
    knowledge_base(content, cache)
    for name in ("lexicon.json", "verb_endings.json"):
        path = content / name
        path.write_bytes(path.read_bytes() + b"\n")  # read the same, stored differently
        knowledge_base(content, cache)
    assert len(builds) == 3


def test_a_file_others_may_write_or_a_link_is_not_read(
    tmp_path: Path, builds: list[int], built: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    cache = IndexCache(tmp_path / "cache")
    knowledge_base(REPO_CONTENT_DIR, cache)
    assert cache.stored is not None and len(builds) == 1
    stored = cache.stored
    stored.chmod(0o666)
    with caplog.at_level(logging.WARNING, logger="bot.index_cache"):
        knowledge_base(REPO_CONTENT_DIR, cache)
    assert len(builds) == 2 and "ignored" in caplog.text  # and stored again, privately
    assert oct(stored.stat().st_mode & 0o777) == "0o600"
    elsewhere = tmp_path / "elsewhere.pickle"
    stored.rename(elsewhere)
    stored.symlink_to(elsewhere)  # a link, even to our own private file, is not followed
    knowledge_base(REPO_CONTENT_DIR, cache)
    assert len(builds) == 3 and not stored.is_symlink()


def test_the_newest_indexes_are_kept_and_what_a_killed_writer_left_removed(
    tmp_path: Path, built: KnowledgeBase
) -> None:
    cache = IndexCache(tmp_path / "cache")
    made: list[str] = []

    def build(key: str) -> KnowledgeBase:
        made.append(key)
        return built

    old = tmp_path / "cache" / ".tmp-killed"
    for number, key in enumerate(["a", "b", "c", "d"]):
        cache.knowledge_base(key, lambda key=key: build(key))  # type: ignore[misc]
        when = time.time() - 100 + number  # written one after another
        os.utime(cache.path(key), (when, when))
        if number == 0:
            old.write_bytes(b"half")
            os.utime(old, (when - 7200, when - 7200))
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [
        cache.path(k).name for k in "bcd"
    ]
    assert KEPT == 3
    for key in ["c", "d", "c", "d"]:  # two versions taking turns find their own
        cache.knowledge_base(key, lambda key=key: build(key))  # type: ignore[misc]
    assert made == ["a", "b", "c", "d"]


def test_an_index_that_cannot_be_stored_is_still_answered_from(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    kb = knowledge_base(REPO_CONTENT_DIR)
    kb.unpicklable = lambda: None  # type: ignore[attr-defined]
    cache = IndexCache(tmp_path / "cache")
    with caplog.at_level(logging.WARNING, logger="bot.index_cache"):
        assert cache.knowledge_base("k", lambda: kb) is kb
    assert cache.stored is None and "not written" in caplog.text
    assert list((tmp_path / "cache").iterdir()) == []  # no half-written file left


def test_an_index_others_may_write_is_not_read(
    tmp_path: Path, builds: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "cache"
    knowledge_base(REPO_CONTENT_DIR, IndexCache(folder))
    folder.chmod(0o777)
    cache = IndexCache(folder)
    with caplog.at_level(logging.WARNING, logger="bot.index_cache"):
        knowledge_base(REPO_CONTENT_DIR, cache)
    assert len(builds) == 2 and "chmod go-w" in caplog.text
    assert cache.stored is None  # nor written there: it would never be read back


def test_nowhere_to_write_still_answers(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", "utf-8")
    cache = IndexCache(blocked / "cache")
    kb = knowledge_base(REPO_CONTENT_DIR, cache)
    assert cache.stored is None
    assert answers(kb)[0] is not None


def test_the_key_follows_content_code_and_libraries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code_fingerprint_with_real_versions = code_fingerprint()
    assert code_fingerprint() == code_fingerprint_with_real_versions
    assert cache_key([b"a"], code=b"x") == cache_key([b"a"], code=b"x")
    assert cache_key([b"a"], code=b"x") != cache_key([b"b"], code=b"x")
    assert cache_key([b"a"], code=b"x") != cache_key([b"a"], code=b"y")
    assert cache_key([b"ab", b""], code=b"x") != cache_key([b"a", b"b"], code=b"x")
    monkeypatch.setattr(bot.index_cache.metadata, "version", lambda name: "0.0")
    assert code_fingerprint() != code_fingerprint_with_real_versions
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
    monkeypatch.delenv("CLUSTERBOT_INDEX_CACHE")

    def homeless() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(homeless))
    assert load_settings().index_cache is None  # no home: no cache, and still a start


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
    folder.chmod(0o775)  # a folder others may write to: stored there, it would not be read
    loose = run("build-index", env={"CLUSTERBOT_INDEX_CACHE": str(folder)})
    assert loose.returncode == 1 and "chmod go-w" in loose.stderr
