"""Example questions: they teach retrieval how coordinators ask, and they agree with their facts."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz, process

from bot.core.folding import fold
from bot.knowledge.examples import ExampleIndex
from bot.knowledge.retrieval import KnowledgeBase
from bot.knowledge.spelling import SpellingIndex
from bot.knowledge.text import Analyzer, marks
from bot.knowledge.tuning import CONFIDENCE_THRESHOLD
from bot.loader import Content
from tests.knowledge.qa import PARTS, load_part

#: Every fact comes with at least this many example questions (``content/questions/``).
MIN_EXAMPLES = 6


def _without_examples(kb: KnowledgeBase) -> KnowledgeBase:
    cards = tuple(
        card.model_copy(
            update={"facts": tuple(f.model_copy(update={"questions": ()}) for f in card.facts)}
        )
        for card in kb.content.cards
    )
    return KnowledgeBase(
        kb.content.model_copy(update={"cards": cards}), kb.analyzer, kb.words, kb.verbs
    )


def test_a_question_resembles_the_fact_whose_example_it_echoes() -> None:
    analyzer = Analyzer({}, stopwords=("a", "w"))
    index = ExampleIndex.build(
        [
            ("card", "price", "Ile kosztuje ocena ekspertów?"),
            ("card", "price", "Jaka jest cena oceny?"),
            ("card", "date", "Kiedy był ostatni nabór?"),
            ("other", "members", "Ilu członków ma klaster?"),
        ],
        analyzer.tokens,
    )
    found = index.resemblance(analyzer.tokens("a ile kosztuje taka ocena"))
    assert max(found.facts, key=lambda fact: found.facts[fact]) == "price"
    assert all(0 < score <= 1 for score in found.facts.values())
    # A card resembles the question by its closest examples, whichever facts they are for.
    assert found.cards["card"] >= found.facts["price"]
    assert "other" not in found.cards
    unrelated = index.resemblance(analyzer.tokens("pogoda w Gdańsku"))
    assert not unrelated.facts and not unrelated.cards


def test_an_example_about_another_round_or_year_resembles_less() -> None:
    analyzer = Analyzer({}, stopwords=("w", "i", "to"))
    rows = [
        ("kkk", "round2", "Ilu klastrom przyznano status w rundzie II i jakie to były klastry?"),
        ("kkk", "round6", "Ilu klastrom dano status w rundzie VI?"),
        ("poir", "call2016", "Jaki był budżet naboru na targi zagraniczne w 2016?"),
        ("poir", "call2019", "Budżet naboru 2019?"),
    ]
    # Letter pieces found in more than a tenth of the examples are skipped: a few others.
    others = ["Gdzie zapytać PARP?", "Co daje odznaka?", "Jak długo ważna?", "Kto ocenia?"]
    rows += [("other", f"other{i}", q) for i, q in enumerate(others * 4)]
    index = ExampleIndex.build(rows, analyzer.tokens)
    spelling = SpellingIndex(rows, lambda text: marks(analyzer.tokens(text)))

    def best(question: str) -> tuple[str, str]:
        tokens = analyzer.tokens(question)
        by_words = index.resemblance(tokens).facts
        by_letters = spelling.resemblance(question, marks(tokens)).facts
        return max(by_words, key=by_words.__getitem__), max(by_letters, key=by_letters.__getitem__)

    assert best("Ilu klastrom przyznano status w rundzie VI?") == ("round6", "round6")
    assert best("Ilu klastrom przyznano status?") == ("round2", "round2")
    assert best("Jaki był budżet naboru na targi zagraniczne w 2019?") == ("call2019", "call2019")
    assert best("Jaki był budżet naboru na targi zagraniczne?") == ("call2016", "call2016")


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        # Neither "dostaje" nor "ekspert" is in the price fact; its examples ask that way.
        ("Ile dostaje ekspert za ocenę na srebro ESCA?", "esca-silver-price"),
        # "W którym mieście" is how people ask for the place of an event.
        (
            "W którym mieście była European Cluster Conference 2019?",
            "european-cluster-conference-2019-date-place",
        ),
    ],
)
def test_examples_lead_to_the_fact_asked_where_its_own_words_do_not(
    content: Content, question: str, fact: str
) -> None:
    kb = content.knowledge_base
    hit = kb.search(question)[0]
    assert hit.lead is not None and hit.lead.id == fact
    assert hit.confidence >= CONFIDENCE_THRESHOLD
    bare = _without_examples(kb).search(question)[0]
    assert bare.lead is None or bare.lead.id != fact


@pytest.mark.parametrize(
    "question",
    [
        "Jak zatrudnić koordynatora klastra na umowę o pracę?",
        "Czy koordynator klastra może pracować na B2B?",
    ],
)
def test_a_question_like_those_outside_our_topics_is_refused(
    content: Content, question: str
) -> None:
    """Near the domain ("klaster", "stowarzyszenie", "koordynator") but about what no card covers.

    Without ``content/outside.yaml`` the card's words alone would answer it.
    """
    kb = content.knowledge_base
    hits = kb.search(question)
    assert not hits or hits[0].confidence < CONFIDENCE_THRESHOLD
    bare = KnowledgeBase(
        kb.content.model_copy(update={"outside": ()}), kb.analyzer, kb.words, kb.verbs
    )
    assert bare.search(question)[0].confidence >= CONFIDENCE_THRESHOLD


def test_every_fact_has_example_questions(content: Content) -> None:
    thin = [
        fact.id
        for fact in content.knowledge_base.facts.values()
        if len(set(fact.questions)) < MIN_EXAMPLES
    ]
    assert thin == []


def test_example_questions_lead_to_their_own_facts(content: Content) -> None:
    """Most examples, asked as questions, are answered with their own fact.

    One that leads elsewhere usually means two facts overlap or the example is misfiled; a
    share well below today's 97.9% means that examples and facts disagree.
    """
    kb = content.knowledge_base
    total = right = 0
    for fact in kb.facts.values():
        for question in fact.questions:
            total += 1
            hits = kb.search(question)
            lead = hits[0].lead if hits else None
            right += int(lead is not None and lead.id == fact.id)
    assert total > 2000
    assert right / total >= 0.9


def test_no_example_question_copies_an_evaluation_question(content: Content) -> None:
    """The evaluation measures questions retrieval has not seen: examples (and the questions
    outside our topics) stay apart from it.

    A near-copy (RapidFuzz ratio 90 or more, case and diacritics folded) of a dev or frozen
    test question would let the examples answer the evaluation by heart.
    """
    asked = [fold(case.q.lower()) for part in PARTS for case in load_part(part)]
    kb = content.knowledge_base
    ours = [q for fact in kb.facts.values() for q in fact.questions] + list(kb.content.outside)
    copies = [
        question
        for question in ours
        if process.extractOne(fold(question.lower()), asked, scorer=fuzz.ratio, score_cutoff=90)
    ]
    assert copies == []
