"""Facts: enough of them, each with its own source, and no number the reference lacks."""

from __future__ import annotations

import contextlib
import re
from datetime import date
from pathlib import Path

import pytest

from bot.core.localized import Source
from bot.errors import ContentError
from bot.knowledge.facts import CardFacts
from bot.knowledge.model import FACT_KINDS, Fact
from bot.knowledge.text import Analyzer, asking_sentences, marks
from bot.knowledge.tuning import ASIDE_SHARE
from bot.loader import Content, load_knowledge
from tests.knowledge.qa import numbers

#: A copy of ``../shared/reference/content-facts.md`` (outside this repository, so absent on a
#: clean clone), taken when the facts were written from it; refresh it with the facts.
REFERENCE = Path(__file__).resolve().parents[1] / "data" / "content-facts.md"
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_MON = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"


def _dates(text: str) -> tuple[set[date], str]:
    """Every full date a text gives, and the text without them (for the other numbers)."""
    found: set[date] = set()

    def take(d: int, m: int, y: int) -> str:
        with contextlib.suppress(ValueError):
            found.add(date(y, m, d))
        return " "

    text = re.sub(  # 14–16.05.2019
        r"\b(\d{1,2})\s*[–-]\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\b",
        lambda g: take(int(g[1]), int(g[3]), int(g[4])) + take(int(g[2]), int(g[3]), int(g[4])),
        text,
    )
    text = re.sub(  # 13.06–14.09.2023, 13.06 do 14.09.2023
        r"\b(\d{1,2})\.(\d{1,2})\s*(?:–|-|do)\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\b",
        lambda g: take(int(g[1]), int(g[2]), int(g[5])) + take(int(g[3]), int(g[4]), int(g[5])),
        text,
    )
    text = re.sub(
        r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b", lambda g: take(int(g[1]), int(g[2]), int(g[3])), text
    )
    text = re.sub(  # 14–16 May 2019
        rf"\b(\d{{1,2}})\s*[–-]\s*(\d{{1,2}}) {_MON} (\d{{4}})\b",
        lambda g: (
            take(int(g[1]), MONTHS[g[3].lower()], int(g[4]))
            + take(int(g[2]), MONTHS[g[3].lower()], int(g[4]))
        ),
        text,
    )
    text = re.sub(  # 13 Jun – 14 Sep 2023, 30 Oct 2020 to 11 Mar 2021
        rf"\b(\d{{1,2}}) {_MON}\s*(?:–|-|to)\s*(\d{{1,2}}) {_MON} (\d{{4}})\b",
        lambda g: (
            take(int(g[1]), MONTHS[g[2].lower()], int(g[5]))
            + take(int(g[3]), MONTHS[g[4].lower()], int(g[5]))
        ),
        text,
    )
    text = re.sub(
        rf"\b(\d{{1,2}}) {_MON},? (\d{{4}})\b",
        lambda g: take(int(g[1]), MONTHS[g[2].lower()], int(g[3])),
        text,
    )
    return found, text


def _day_months(text: str) -> list[tuple[int, int, int]]:
    """Days given without a year ("first set to 30 Aug"): position, day, month."""
    return [
        (g.start(), int(g[1]), MONTHS[g[2].lower()])
        for g in re.finditer(rf"\b(\d{{1,2}}) {_MON}", text)
    ]


@pytest.fixture(scope="module")
def reference() -> tuple[set[date], set[str], str]:
    text = REFERENCE.read_text("utf-8")
    dates, rest = _dates(text)
    known = numbers(rest) | {str(d.year) for d in dates} | {str(d.day) for d in dates}
    # A day and month given without a year ("first set to 30 Aug") counts in the year its own
    # line (bullet or table row) names nearest to it.
    for line in rest.splitlines():
        years = [(y.start(), int(y[0])) for y in re.finditer(r"\b(?:19|20)\d\d\b", line)]
        for where, day, month in _day_months(line):
            if years:
                year = min(years, key=lambda y: abs(y[0] - where))[1]
                dates.add(date(year, month, day))
    return dates, known, text


def test_every_card_has_facts_and_there_are_enough(content: Content) -> None:
    cards = content.knowledge_base.content.cards
    assert all(card.facts for card in cards)
    assert sum(len(card.facts) for card in cards) >= 150
    assert {f.kind for card in cards for f in card.facts} <= set(FACT_KINDS)


def test_every_number_of_a_fact_is_in_the_reference_or_its_own_source(
    content: Content, reference: tuple[set[date], set[str], str]
) -> None:
    dates, known, text = reference
    missing = []
    for card in content.knowledge_base.content.cards:
        for fact in card.facts:
            url = str(fact.source.url) if fact.source.url else None
            if url is not None and url.rstrip("/") not in text:
                continue  # a source we added ourselves: its numbers are its own
            for language in (fact.pl, fact.en):
                fact_dates, rest = _dates(language)
                missing += [(fact.id, d.isoformat()) for d in fact_dates - dates]
                missing += [(fact.id, n) for n in numbers(rest) - known]
    assert not missing


def test_no_source_is_a_staging_copy(content: Content) -> None:
    for card in content.knowledge_base.content.cards:
        for fact in card.facts:
            assert "hosted-temp.com" not in str(fact.source.url or ""), fact.id


def _break_fact(root: Path, card: str, old: str, new: str) -> None:
    path = root / "instruments" / f"{card}.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("kind: cost", "kind: price", "facts[esca-bronze-price].kind"),
        (
            'source: {url: "https://cluster-analysis.org/pricing-information-1", as_of: null}',
            "source: {as_of: null}",
            "facts[esca-bronze-price].source",
        ),
        (
            "as_of: null}\n    certainty: single_source",
            "as_of: 2999-01-01}\n    certainty: single_source",
            "facts[esca-bronze-price].source",
        ),
    ],
)
def test_a_broken_fact_stops_start_up_naming_file_fact_and_field(
    tmp_content: Path, old: str, new: str, field: str
) -> None:
    _break_fact(tmp_content, "esca-bronze", old, new)
    with pytest.raises(ContentError) as caught:
        load_knowledge(tmp_content)
    message = str(caught.value)
    assert "instruments/esca-bronze.yaml" in message
    assert field in message


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('card: contact\nquestions:\n  esca-bronze-price: ["Ile kosztuje brąz?"]\n', "questions."),
        ('card: esca-bronze\nquestions:\n  esca-bronze-price: ["Ile kosztuje brąz?"]\n', "card"),
        ("card: contact\nquestions:\n  contact-parp-helpline-hours: 5\n", "questions"),
    ],
)
def test_example_questions_must_name_facts_of_their_own_card(
    tmp_content: Path, text: str, field: str
) -> None:
    (tmp_content / "questions" / "contact.yaml").write_text(text, "utf-8")
    with pytest.raises(ContentError) as caught:
        load_knowledge(tmp_content)
    message = str(caught.value)
    assert "questions/contact.yaml" in message
    assert field in message


def test_a_broken_list_of_questions_outside_our_topics_stops_start_up(tmp_content: Path) -> None:
    (tmp_content / "outside.yaml").write_text("questions: []\n", "utf-8")
    with pytest.raises(ContentError) as caught:
        load_knowledge(tmp_content)
    assert "outside.yaml" in str(caught.value)
    assert "questions" in str(caught.value)


def test_words_told_around_the_question_count_less_among_facts() -> None:
    """ "Na spotkaniu w urzędzie padło, że … Ile jest KKK?": the count, not the meeting."""
    analyzer = Analyzer({}, stopwords=("w", "o", "na", "ile", "jest", "że"))

    def fact(fact_id: str, text: str) -> Fact:
        source = Source.model_validate({"url": "https://example.org/", "as_of": None})
        return Fact(
            id=fact_id, kind="history", pl=text, en=text, source=source, certainty="confirmed"
        )

    facts = CardFacts.index(
        [
            fact("meeting", "Na spotkaniu w urzędzie mówiono o radzie."),
            fact("count", "Klastrów jest 20."),
        ],
        lambda f: frozenset(term for t in analyzer.tokens(f.pl) for term in t.terms),
        frozenset(),
        lambda f: marks(()),
    )
    question = "Na spotkaniu padło, że dużo. Ile jest klastrów?"
    tokens = analyzer.tokens(question)
    where = analyzer.sentence_of(question, tokens)
    told = [1.0 if s in asking_sentences(question) else ASIDE_SHARE for s in where]
    # Word for word the two facts tie, and the one listed first would lead.
    assert facts.rank(tokens, None, lambda t: 1.0)[0].fact.id == "meeting"
    assert facts.rank(tokens, None, lambda t: 1.0, None, told)[0].fact.id == "count"
