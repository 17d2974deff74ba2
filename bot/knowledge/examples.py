"""Nearest example questions: which facts' training phrases a question resembles most.

Every fact may carry example questions (``content/questions/<card>.yaml``), written the way
coordinators ask: colloquially, without diacritics, in English. A question is compared with
each example by the cosine of their words, each word weighted by how few examples have it
(inverse document frequency, capped); a fact resembles the question by the mean of its three
closest examples, a card by its three closest examples whichever facts they are for. This
catches what the fact's own text cannot: "ile klastrów przebadano" resembles an example
"jak duża była próba benchmarkingu", whatever words the fact uses. An example about another
year or round than the question's resembles it less. The sums over examples are numpy
arrays, so a question costs about the same however many examples share its common words.
The constants were chosen on the dev part of the evaluation.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

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
class Resemblance:
    """How closely a question resembles each fact's and each card's example questions."""

    facts: Mapping[str, float]
    cards: Mapping[str, float]

    def plus(self, other: Resemblance, share: float) -> Resemblance:
        """The sum of two likenesses, ``share`` of ``other`` added to this one per fact and card."""

        def add(a: Mapping[str, float], b: Mapping[str, float]) -> dict[str, float]:
            return {k: a.get(k, 0.0) + share * b.get(k, 0.0) for k in a.keys() | b.keys()}

        return Resemblance(add(self.facts, other.facts), add(self.cards, other.cards))


class ExampleIndex:
    """Example questions indexed by their terms (the sums over examples in numpy arrays)."""

    def __init__(
        self,
        keys: Sequence[tuple[str, str]],
        postings: Mapping[str, npt.NDArray[np.int32]],
        idf: Mapping[str, float],
        norms: npt.NDArray[np.float64],
        named: Sequence[Marks],
    ) -> None:
        self._size = len(keys)
        #: For each term, the examples that have it.
        self.postings = postings
        self.idf = idf
        self._norms = norms
        self._owners = Owners(keys, named)

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
        norms = []
        rarest: dict[tuple[str, ...], float] = {}  # the same words recur in many examples
        for _, _, tokens in rows:
            # A word weighs by its most telling term (a prefix may be rarer than the lemma).
            best = {}
            for t in tokens:
                weight = rarest.get(t.terms)
                if weight is None:
                    weight = rarest[t.terms] = max(idf[term] for term in t.terms)
                best[t.main] = weight
            norms.append(math.sqrt(sum(w * w for w in best.values())))
        return cls(
            [(card, fact) for card, fact, _ in rows],
            {t: np.fromiter(ids, dtype=np.int32, count=len(ids)) for t, ids in postings.items()},
            idf,
            np.array(norms, dtype=np.float64),
            [marks(tokens) for _, _, tokens in rows],
        )

    def resemblance(
        self, tokens: Sequence[Token], weight: Callable[[Token], float] | None = None
    ) -> Resemblance:
        """Each fact's and card's closest examples' cosine with the question.

        A fact (or card) resembles the question by the mean cosine of its ``TOP`` closest
        examples; those sharing no word with the question are absent.

        ``weight`` scales a question word (how much it says in the language); by default
        every word counts by its rarity among the examples only.
        """
        if not self._size:
            return Resemblance({}, {})
        dots = np.zeros(self._size)
        matched = np.zeros(self._size)
        squares = 0.0
        seen: set[str] = set()
        for token in tokens:
            if token.main in seen:
                continue
            seen.add(token.main)
            found = sorted((self.idf[t], t) for t in token.terms if t in self.idf)
            idf = found[-1][0] if found else 0.0
            if idf <= 0:
                # A word no example has still makes the question longer.
                idf = min(IDF_CAP, math.log(self._size + 1))
            w = idf * (weight(token) if weight is not None else 1.0)
            squares += w * w
            if not found:
                continue
            # An example counts the word by its most telling term: the rarest written last.
            matched[:] = 0.0
            for term_idf, term in found:
                matched[self.postings[term]] = term_idf
            dots += w * matched
        if squares <= 0:
            return Resemblance({}, {})
        return self._owners.resemblance(dots, math.sqrt(squares), self._norms, marks(tokens))


class Owners:
    """Whose each example is (its fact and card) and which years and rounds it names."""

    def __init__(self, keys: Sequence[tuple[str, str]], named: Sequence[Marks]) -> None:
        """``keys``: each example's ``(card id, fact id)``; ``named``: its years and rounds."""
        self._facts = Keys(fact for _, fact in keys)
        self._cards = Keys(card for card, _ in keys)
        self._marks = MarkIndex(named)

    def resemblance(
        self,
        dots: npt.NDArray[np.float64],
        length: float,
        norms: npt.NDArray[np.float64],
        asked: Marks | None,
    ) -> Resemblance:
        """Each fact's and card's closest examples, from the question's dot products with them.

        ``length``: the question's norm; an example naming only other years or rounds than
        ``asked`` counts ``OTHER_MARK_SHARE`` of its cosine.
        """
        with np.errstate(divide="ignore", invalid="ignore"):
            cosines = np.where(norms > 0, dots / (length * norms), 0.0)
        if asked:  # most questions name no year or round
            cosines[self._marks.other_than(asked)] *= OTHER_MARK_SHARE
        shared = np.flatnonzero(cosines > 0)
        best_first = shared[np.argsort(-cosines[shared], kind="stable")]
        return Resemblance(
            self._facts.closest(cosines, best_first), self._cards.closest(cosines, best_first)
        )


class MarkIndex:
    """Which examples name which years and rounds."""

    def __init__(self, named: Sequence[Marks]) -> None:
        self._size = len(named)
        self._by: list[tuple[npt.NDArray[np.bool_], dict[str, npt.NDArray[np.bool_]]]] = []
        for part in ("years", "ordinals"):
            has = np.array([bool(getattr(m, part)) for m in named], dtype=bool)
            terms: dict[str, npt.NDArray[np.bool_]] = {}
            for i, m in enumerate(named):
                for term in getattr(m, part):
                    terms.setdefault(term, np.zeros(len(named), dtype=bool))[i] = True
            self._by.append((has, terms))

    def other_than(self, asked: Marks) -> npt.NDArray[np.bool_]:
        """The examples that name only other years, or only other rounds, than ``asked``."""
        other = np.zeros(self._size, dtype=bool)
        for (has, terms), wanted in zip(self._by, (asked.years, asked.ordinals), strict=True):
            if wanted:
                same = np.zeros(self._size, dtype=bool)
                for term in wanted:
                    if term in terms:
                        same |= terms[term]
                other |= has & ~same
        return other


class Keys:
    """Which fact (or card) each example belongs to, for the mean of its closest examples."""

    def __init__(self, keys: Iterable[str]) -> None:
        listed = list(keys)
        self.names = sorted(set(listed))
        position = {name: i for i, name in enumerate(self.names)}
        self.of = np.array([position[k] for k in listed], dtype=np.int32)

    def closest(
        self, cosines: npt.NDArray[np.float64], best_first: npt.NDArray[np.intp]
    ) -> dict[str, float]:
        """The mean of each key's ``TOP`` best cosines (missing ones count as 0).

        ``best_first``: the examples with a cosine above 0, best first.
        """
        order = best_first[np.argsort(self.of[best_first], kind="stable")]  # by key, best first
        keys, values = self.of[order], cosines[order]
        if not len(keys):
            return {}
        first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        rank = np.arange(len(keys)) - np.repeat(first, np.diff(np.r_[first, len(keys)]))
        top = rank < TOP
        sums = np.bincount(keys[top], weights=values[top], minlength=len(self.names)) / TOP
        return {self.names[i]: float(sums[i]) for i in np.flatnonzero(sums > 0)}
