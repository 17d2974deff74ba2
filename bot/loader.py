"""Reads everything under ``content/`` and validates it, naming the file and field of errors.

Each content kind (locales now; questionnaires, instrument cards and events with their
features) is a set of file paths and a function that turns parsed YAML into validated
objects. :func:`load_content` stops at the first error (start-up); :func:`check_content`
collects them all (``clusterbot check-content``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.assessment.insights import Readiness
from bot.assessment.model import ProfileSpec, Questionnaire
from bot.core.i18n import SUPPORTED_LOCALES, Texts
from bot.core.menu import CommandMenu, read_menu
from bot.core.records import Event
from bot.errors import ContentError
from bot.index_cache import IndexCache, cache_key
from bot.knowledge.endings import ENDINGS_FILE, VerbEndings, read_endings
from bot.knowledge.lexicon import lexicon_for
from bot.knowledge.model import Card, KnowledgeContent, OutsideFile, QuestionsFile, Vocabulary
from bot.knowledge.retrieval import KnowledgeBase
from bot.knowledge.text import Analyzer
from bot.knowledge.wordinfo import WordInfo
from bot.reminders.model import EventsFile, event_from_entry

#: libyaml's parser when PyYAML was built with it (several times faster), else pure Python.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """A safe YAML loader that refuses a key written twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
        return dict(super().construct_mapping(node, deep=deep))


def read_yaml(path: Path, root: Path) -> Any:
    """Parse one YAML file.

    Raises:
        ContentError: the file is missing, unreadable or not valid YAML (with the line).

    """
    name = display_name(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ContentError(name, "", "file is missing") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(name, "", f"cannot be read: {exc}") from exc
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(name, where, f"invalid YAML: {problem}") from exc


def display_name(path: Path, root: Path) -> str:
    """Name a content file relative to the content directory when possible."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def validation_error(file: str, exc: ValidationError, tree: Any = None) -> ContentError:
    """Turn pydantic's first error into a :class:`ContentError` with a dotted field path.

    Where the path runs through a list item that has an ``id`` in ``tree`` (the parsed
    file), the item is named by that id: ``facts[esca-price].kind``, not ``facts.3.kind``.
    """
    first = exc.errors()[0]
    parts: list[str] = []
    node = tree
    for part in first["loc"]:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
            ident = node.get("id") if isinstance(node, dict) else None
            parts.append(f"[{ident}]" if isinstance(ident, str) else f".{part}")
            continue
        node = node.get(part) if isinstance(node, dict) else None
        parts.append(f".{part}")
    field = "".join(parts).lstrip(".")
    return ContentError(file, field, first["msg"])


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Content:
    """Everything loaded from ``content/``."""

    texts: Texts
    #: The command menu of each language (``commands`` in the locale files).
    menus: Mapping[str, CommandMenu]
    questionnaires: tuple[Questionnaire, ...]
    profile: ProfileSpec
    knowledge_base: KnowledgeBase
    events: tuple[Event, ...]
    readiness: Readiness


@dataclass(frozen=True, slots=True)
class _Kind:
    """A kind of content file: which paths belong to it and how to check one."""

    matches: Callable[[str], bool]
    describe: str


_KINDS = (
    _Kind(
        lambda rel: rel in {f"locales/{loc}.yaml" for loc in SUPPORTED_LOCALES},
        "locales/<pl|en>.yaml",
    ),
    _Kind(
        lambda rel: rel.startswith("questionnaires/") and rel.count("/") == 1,
        "questionnaires/*.yaml",
    ),
    _Kind(lambda rel: rel == "profile.yaml", "profile.yaml"),
    _Kind(
        lambda rel: rel.startswith("instruments/") and rel.count("/") == 1,
        "instruments/*.yaml",
    ),
    _Kind(
        lambda rel: rel.startswith("questions/") and rel.count("/") == 1,
        "questions/*.yaml",
    ),
    _Kind(lambda rel: rel == "knowledge.yaml", "knowledge.yaml"),
    _Kind(lambda rel: rel == "outside.yaml", "outside.yaml"),
    _Kind(lambda rel: rel == "events.yaml", "events.yaml"),
    _Kind(lambda rel: rel == "readiness.yaml", "readiness.yaml"),
)


def load_events(root: Path) -> tuple[Event, ...]:
    """Load ``events.yaml``; a start at local midnight means only the date is known."""
    parsed = load_model(root / "events.yaml", root, EventsFile)
    return tuple(
        event_from_entry(e, date_only=(e.starts_at.hour, e.starts_at.minute) == (0, 0))
        for e in parsed.events
    )


def load_knowledge(root: Path) -> KnowledgeContent:
    """Load the cards (with facts and example questions), vocabulary and outside questions.

    ``outside.yaml`` (questions outside our topics) is optional.
    """
    folder = root / "instruments"
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not paths:
        raise ContentError("instruments/", "", "no instrument card found")
    cards = []
    for path in paths:
        card = load_model(path, root, Card)
        if card.id != path.stem:
            raise ContentError(
                display_name(path, root), "id", f"must match the file name ({path.stem})"
            )
        cards.append(card)
    cards = _with_questions(root, cards)
    vocabulary = load_model(root / "knowledge.yaml", root, Vocabulary)
    outside_path = root / "outside.yaml"
    outside = load_model(outside_path, root, OutsideFile).questions if outside_path.exists() else ()
    try:
        return KnowledgeContent(cards=tuple(cards), vocabulary=vocabulary, outside=outside)
    except ValidationError as exc:
        raise validation_error("instruments/ + knowledge.yaml", exc) from exc


def _with_questions(root: Path, cards: list[Card]) -> list[Card]:
    """Attach each ``questions/<card>.yaml`` file's example questions to the card's facts.

    Raises:
        ContentError: a file for no card, or a fact id the card does not have.

    """
    by_id = {card.id: card for card in cards}
    folder = root / "questions"
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        name = display_name(path, root)
        parsed = load_model(path, root, QuestionsFile)
        card = by_id.get(parsed.card)
        if parsed.card != path.stem or card is None:
            raise ContentError(name, "card", "must be a card id matching the file name")
        facts = {fact.id: fact for fact in card.facts}
        for fact_id in parsed.questions:
            if fact_id not in facts:
                raise ContentError(name, f"questions.{fact_id}", "the card has no such fact")
        by_id[card.id] = card.model_copy(
            update={
                "facts": tuple(
                    fact.model_copy(update={"questions": parsed.questions.get(fact.id, ())})
                    for fact in card.facts
                )
            }
        )
    return [by_id[card.id] for card in cards]


LEXICON_FILE = "lexicon.json"


def build_knowledge_base(
    knowledge: KnowledgeContent,
    stored_lexicon: dict[str, object] | None,
    verbs: VerbEndings,
) -> KnowledgeBase:
    """Index the cards and facts with the stored lexicon (or one built now, slowly).

    ``verbs`` tells verb forms by their endings (``content/verb_endings.json``).
    """
    lexicon = lexicon_for(knowledge, stored_lexicon)
    vocabulary = knowledge.vocabulary
    analyzer = Analyzer(lexicon, vocabulary.stopwords, vocabulary.synonyms)
    return KnowledgeBase(knowledge, analyzer, WordInfo.load(), verbs)


def knowledge_base(root: Path, cache: IndexCache | None = None) -> KnowledgeBase:
    """Validate the knowledge content and index it, or take its index stored in ``cache``."""
    knowledge = load_knowledge(root)

    def build() -> KnowledgeBase:
        return build_knowledge_base(knowledge, read_lexicon(root), read_endings(root))

    if cache is None:
        return build()
    stored = [root / LEXICON_FILE, root / ENDINGS_FILE]
    parts = [knowledge.model_dump_json().encode(), *(_bytes(p) for p in stored)]
    return cache.knowledge_base(cache_key(parts), build)


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def read_lexicon(root: Path) -> dict[str, object] | None:
    """Read the stored word-form lexicon (``None`` when absent or unreadable)."""
    path = root / LEXICON_FILE
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def load_model(path: Path, root: Path, model: type[M]) -> M:
    """Parse a YAML file and validate it against ``model``.

    Raises:
        ContentError: naming the file and the dotted field of the first problem.

    """
    tree = read_yaml(path, root)
    try:
        return model.model_validate(tree)
    except ValidationError as exc:
        raise validation_error(display_name(path, root), exc, tree) from exc


def load_questionnaires(root: Path) -> tuple[Questionnaire, ...]:
    """Load every questionnaire file; at least one must exist and ids must be unique."""
    paths = _questionnaire_files(root)
    if not paths:
        raise ContentError("questionnaires/", "", "no questionnaire file found")
    loaded: dict[str, Questionnaire] = {}
    for path in paths:
        questionnaire = load_model(path, root, Questionnaire)
        if questionnaire.id in loaded:
            raise ContentError(display_name(path, root), "id", f"{questionnaire.id!r} used twice")
        loaded[questionnaire.id] = questionnaire
    return tuple(loaded.values())


def _check_questionnaire(path: Path, root: Path) -> Questionnaire:
    return load_model(path, root, Questionnaire)


def _questionnaire_files(root: Path) -> list[Path]:
    folder = root / "questionnaires"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def load_profile(root: Path) -> ProfileSpec:
    """Load the cluster-profile questions."""
    spec = load_model(root / "profile.yaml", root, ProfileSpec)
    for field in spec.fields:
        if field.id in {"phase", "reuse", "menu"}:
            raise ContentError("profile.yaml", "fields", f"{field.id!r} is a reserved name")
    return spec


def load_locales(root: Path, default_locale: str) -> tuple[Texts, dict[str, CommandMenu]]:
    """Load and cross-check the locale files: the texts and each language's command menu."""
    tables: dict[str, Mapping[str, Any]] = {}
    for locale in SUPPORTED_LOCALES:
        path = root / "locales" / f"{locale}.yaml"
        tree = read_yaml(path, root)
        if not isinstance(tree, Mapping):
            raise ContentError(display_name(path, root), "", "expected a mapping of keys to texts")
        tables[locale] = tree
    texts = Texts(tables, default_locale)
    menus = {loc: read_menu(tree, f"locales/{loc}.yaml") for loc, tree in tables.items()}
    return texts, menus


def load_content(
    root: Path, default_locale: str = "pl", index_cache: Path | None = None
) -> Content:
    """Load every content file; the first problem raises.

    ``index_cache``: a folder where the knowledge base, once built from this content, is
    kept for the next start (``bot.index_cache``); ``None`` builds it every time.

    Raises:
        ContentError: naming the file and the field.

    """
    if not root.is_dir():
        raise ContentError(str(root), "", "content directory does not exist")
    _check_unknown_files(root)
    texts, menus = load_locales(root, default_locale)
    return Content(
        texts=texts,
        menus=menus,
        questionnaires=load_questionnaires(root),
        profile=load_profile(root),
        knowledge_base=knowledge_base(root, IndexCache(index_cache) if index_cache else None),
        events=load_events(root),
        readiness=load_model(root / "readiness.yaml", root, Readiness),
    )


def check_content(root: Path, default_locale: str = "pl") -> list[ContentError]:
    """Validate every content file and return all problems found (empty when valid)."""
    problems: list[ContentError] = []
    if not root.is_dir():
        return [ContentError(str(root), "", "content directory does not exist")]
    checks: list[Callable[[Path], object]] = [
        _check_unknown_files,
        lambda r: load_locales(r, default_locale),
        load_profile,
        load_knowledge,
        load_events,
        lambda r: load_model(r / "readiness.yaml", r, Readiness),
    ]
    files = _questionnaire_files(root)
    # Each questionnaire file is checked on its own, so every broken file is reported.
    checks += [partial(_check_questionnaire, path) for path in files]
    if not files:
        checks.append(load_questionnaires)
    for check in checks:
        try:
            check(root)
        except ContentError as exc:
            problems.append(exc)
    return problems


def _check_unknown_files(root: Path) -> None:
    for path in sorted(root.rglob("*")):
        if path.suffix not in {".yaml", ".yml"} or not path.is_file():
            continue
        rel = display_name(path, root)
        if not any(kind.matches(rel) for kind in _KINDS):
            expected = ", ".join(kind.describe for kind in _KINDS)
            raise ContentError(rel, "", f"not a known content file (expected: {expected})")
