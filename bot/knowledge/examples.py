"""Nearest example questions: which facts' training phrases a question resembles most.

Every fact may carry example questions (``content/questions/<card>.yaml``), written the way
coordinators ask: colloquially, without diacritics, in English. A question is compared with
each example by the cosine of their words, each word weighted by how few examples have it
(inverse document frequency, capped); a fact resembles the question by the mean of its three
closest examples, a card by its three closest examples whichever facts they are for. This
catches what the fact's own text cannot: "ile klastrów przebadano" resembles an example
"jak duża była próba benchmarkingu", whatever words the fact uses. An example about another
year or round than the question's resembles it less. The constants were chosen on the dev
part of the evaluation.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.knowledge.text import Marks, Token, marks

#: A fact or card resembles a question by the mean cosine of its this many closest examples.
TOP = 3
#: No word weighs more than one found in about 8 of the 3,300 examples: a typo or a name that
#: one example and one question happen to share is a coincidence, not a strong likeness.
IDF_CAP = 6.0
#: An example naming only other years or rounds than the question ("w 2016" for "w 2019",
#: "drugiej rundy" for "rundy VI") is about another call: its likeness counts this share.
OTHER_MARK_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class _Example:
    fact: str
    card: str
    norm: float
    #: The years and the rounds it names ("w 2016", "drugiej rundy").
    marks: Marks


@dataclass(frozen=True, slots=True)
class Resemblance:
    """How closely a question resembles each fact's and each card's example questions."""

    facts: Mapping[str, float]
    cards: Mapping[str, float]

    def plus(self, other: Resemblance, share: float) -> Resemblance:
        """The sum of two likenesses, ``share`` of ``other`` added to this one per fact and card."""

        def add(a: Mapping[str, float], b: Mapping[str, float]) -> dict[str, float]:
            return {k: a.get(k, 0.0) + share * b.get(k, 0.0) for k in a.keys() | b.keys()}

        return Resemblance(add(self.facts, other.facts), add(self.cards, other.cards))


@dataclass(frozen=True, slots=True)
class ExampleIndex:
    """Example questions indexed by their terms."""

    examples: tuple[_Example, ...]
    #: For each term, the examples that have it.
    postings: Mapping[str, tuple[int, ...]]
    idf: Mapping[str, float]

    @classmethod
    def build(
        cls,
        questions: Iterable[tuple[str, str, str]],
        tokens_of: Callable[[str], Sequence[Token]],
    ) -> ExampleIndex:
        """Index ``(card id, fact id, question)`` triples with the knowledge base's analysis."""
        rows: list[tuple[str, str, list[Token]]] = [
            (card, fact, list(tokens_of(question))) for card, fact, question in questions
        ]
        postings: dict[str, set[int]] = defaultdict(set)
        for i, (_, _, tokens) in enumerate(rows):
            for token in tokens:
                for term in token.terms:
                    postings[term].add(i)
        n = len(rows)
        idf = {
            term: min(IDF_CAP, math.log((n + 1) / (len(ids) + 0.5)))
            for term, ids in postings.items()
        }
        examples = []
        for card, fact, tokens in rows:
            # A word weighs by its most telling term (a prefix may be rarer than the lemma).
            best = {t.main: max(idf[term] for term in t.terms) for t in tokens}
            examples.append(
                _Example(fact, card, math.sqrt(sum(w * w for w in best.values())), marks(tokens))
            )
        return cls(tuple(examples), {t: tuple(sorted(ids)) for t, ids in postings.items()}, idf)

    def resemblance(
        self, tokens: Sequence[Token], weight: Callable[[Token], float] | None = None
    ) -> Resemblance:
        """Each fact's and card's closest examples' cosine with the question.

        A fact (or card) resembles the question by the mean cosine of its ``TOP`` closest
        examples; those sharing no word with the question are absent.

        ``weight`` scales a question word (how much it says in the language); by default
        every word counts by its rarity among the examples only.
        """
        if not self.examples:
            return Resemblance({}, {})
        scores: dict[int, float] = defaultdict(float)
        squares = 0.0
        seen: set[str] = set()
        for token in tokens:
            if token.main in seen:
                continue
            seen.add(token.main)
            idf = max((self.idf.get(term, 0.0) for term in token.terms), default=0.0)
            if idf <= 0:
                # A word no example has still makes the question longer.
                idf = min(IDF_CAP, math.log(len(self.examples) + 1))
            w = idf * (weight(token) if weight is not None else 1.0)
            squares += w * w
            matched: dict[int, float] = {}
            for term in token.terms:
                for i in self.postings.get(term, ()):
                    matched[i] = max(matched.get(i, 0.0), self.idf[term])
            for i, example_weight in matched.items():
                scores[i] += w * example_weight
        if squares <= 0:
            return Resemblance({}, {})
        length = math.sqrt(squares)
        asked = marks(tokens)
        named = bool(asked)  # most questions name no year or round
        facts: dict[str, list[float]] = defaultdict(list)
        cards: dict[str, list[float]] = defaultdict(list)
        for i, dot in scores.items():
            example = self.examples[i]
            if example.norm > 0:
                cosine = dot / (length * example.norm)
                if named and example.marks and asked.other_than(example.marks):
                    cosine *= OTHER_MARK_SHARE
                facts[example.fact].append(cosine)
                cards[example.card].append(cosine)
        return Resemblance(_closest(facts), _closest(cards))


def _closest(found: Mapping[str, list[float]]) -> dict[str, float]:
    """The mean of each key's ``TOP`` best cosines (missing ones count as 0)."""
    return {key: sum(sorted(cos, reverse=True)[:TOP]) / TOP for key, cos in found.items()}
