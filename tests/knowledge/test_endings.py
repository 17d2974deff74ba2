"""Verb endings: an unknown verb form does not get a long question refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import REPO_CONTENT_DIR
from bot.knowledge import endings, weighing
from bot.knowledge.endings import VerbEndings, build_endings, read_endings
from bot.knowledge.tuning import CONFIDENCE_THRESHOLD
from bot.loader import Content

#: Long questions whose rare words are verb forms ("dopytuje", "przebadano", "polegniemy").
LONG_WINDED = [
    (
        "Koleżanka z zarządu dopytuje, a ja nie pamiętam – ile klastrów przebadano w "
        "benchmarkingu PARP w 2018 roku?",
        "parp-benchmarking-2018",
    ),
    (
        "Szefowa się niecierpliwi i dopytuje, czy polegniemy na kosztach, więc ile kosztuje "
        "pierwsza ocena na złotą odznakę ESCA?",
        "esca-gold-price-first",
    ),
    (
        "Wczoraj przeglądaliśmy dokumenty i kombinowaliśmy, co dalej. Ile projektów polecono "
        "do dofinansowania w naborze Smart UP?",
        "feng-smart-up-2023-result",
    ),
]
#: Questions whose salient words are nouns of another topic.
OUTSIDE = [
    "Czy fotowoltaika na dachu hali członka klastra wymaga zgłoszenia do zakładu energetycznego?",
    "Jak zarejestrować znak towarowy naszego klastra w urzędzie patentowym?",
    "Ile wynosi podatek od nieruchomości za biuro klastra?",
]


def _dictionary() -> dict[str, str]:
    """A small dictionary: 25 forms for each ending, verbs and nouns."""
    forms: dict[str, str] = {}
    for i in range(25):
        stem = f"x{i:02d}"
        forms[f"{stem}ujemy"] = f"{stem}ować"  # a verb's first person plural
        forms[f"{stem}ujecie"] = f"{stem}ować"  # ... and second: "-cie", no "-cia" sibling
        forms[f"{stem}ował"] = f"{stem}ować"  # its past form tells it is a verb
        forms[f"{stem}owanie"] = f"{stem}ować"  # a verbal noun, filed under its verb ...
        forms[f"{stem}owania"] = f"{stem}owanie"  # ... with a declined sibling
        forms[f"{stem}ości"] = f"{stem}ość"  # an -ość noun: its lemma ends in "ć" too
        forms[f"{stem}ieci"] = f"{stem}ieć"  # a noun like "sieć": no past form in "-ł"
        forms[f"{stem}ika"] = f"{stem}ika"  # a noun
        forms[f"{stem}oże"] = f"{stem}móc"  # an infinitive in "-c" ...
        forms[f"{stem}mógł"] = f"{stem}móc"  # ... with its past form
    return forms


def test_endings_tell_verb_forms_from_nouns() -> None:
    table = VerbEndings(build_endings(_dictionary()))
    assert table.share("y07ujemy") == 1.0
    assert table.share("y07ujecie") == 1.0  # "dopytujecie", not a verbal noun
    assert table.share("y07oże") == 1.0
    assert table.share("y07owanie") == 0.0  # verbal nouns name topics
    assert table.share("y07ości") == 0.0
    assert table.share("y07ieci") == 0.0
    assert table.share("y07ika") == 0.0
    assert table.share("ab") == 0.0  # too short to tell


def test_the_stored_table_knows_polish_verbs() -> None:
    table = read_endings(REPO_CONTENT_DIR)
    verbs = (
        "polegniemy",
        "przebadano",
        "dopytuje",
        "dopytujecie",
        "celujemy",
        "porywać",
        "załapał",
    )
    for verb in verbs:
        assert table.share(verb) > 0.8, verb
    for noun in ("fotowoltaika", "hipoteka", "przetwarzania", "nieruchomości", "składki", "ZUS"):
        assert table.share(noun) < 0.2, noun


def test_a_missing_table_is_built_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(endings, "polish_endings", lambda: build_endings(_dictionary()))
    table = read_endings(tmp_path)
    assert table.share("y07ujemy") == 1.0
    assert "verb_endings.json is missing" in caplog.text
    (tmp_path / endings.ENDINGS_FILE).write_text("not json", "utf-8")
    assert read_endings(tmp_path).share("y07ujemy") == 1.0


def test_the_table_is_rebuilt_only_when_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    built: list[int] = []

    def build() -> dict[str, float]:
        built.append(1)
        return build_endings(_dictionary())

    monkeypatch.setattr(endings, "polish_endings", build)
    assert endings.store_endings(tmp_path) == tmp_path / endings.ENDINGS_FILE
    assert endings.store_endings(tmp_path) is None  # up to date: not built again
    assert len(built) == 1
    monkeypatch.setattr(endings, "FORMAT", endings.FORMAT + 1)
    assert read_endings(tmp_path).share("y07ujemy") == 1.0  # still used, with a warning
    assert "run `clusterbot build-lexicon`" in caplog.text
    assert endings.store_endings(tmp_path) is not None
    assert len(built) == 2


def test_an_english_word_is_not_taken_for_a_polish_verb(content: Content) -> None:
    """ "invoices" ends like "robiłeś" once folded; it keeps its full weight."""
    kb = content.knowledge_base
    assert kb.verbs.share("invoices") > 0.5
    token = kb.analyzer.tokens("invoices")[0]
    kb.forget()
    assert kb.info(token) == kb.words.info(token.surface, token.main)


@pytest.mark.parametrize(("question", "fact"), LONG_WINDED)
def test_a_long_question_with_rare_verbs_is_answered(
    content: Content, monkeypatch: pytest.MonkeyPatch, question: str, fact: str
) -> None:
    kb = content.knowledge_base
    kb.forget()
    hit = kb.search(question)[0]
    assert hit.confidence >= CONFIDENCE_THRESHOLD
    assert hit.lead is not None and hit.lead.id == fact
    # Without the verb endings, the same words weigh as a foreign topic's.
    monkeypatch.setattr(weighing, "VERB_RELIEF", 0.0)
    kb.forget()
    assert kb.search(question)[0].confidence < CONFIDENCE_THRESHOLD
    kb.forget()


@pytest.mark.parametrize("question", OUTSIDE)
def test_nouns_of_another_topic_still_refuse(content: Content, question: str) -> None:
    hits = content.knowledge_base.search(question)
    assert not hits or hits[0].confidence < CONFIDENCE_THRESHOLD
