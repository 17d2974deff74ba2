"""Which kind of fact a question's wording asks for, learnt from the example questions.

The ask cues (``asking.py``) name a kind when a question holds one of their phrases; a
question in other words ("co to za euroclusters") gets none, or a vague one. Every example
question belongs to a fact of one kind, so the examples teach how each kind is asked, across
all cards: a naive Bayes model over the question's folded words and pairs of neighbouring
words, Laplace-smoothed (``ALPHA``). Only words that the examples of several cards use count
(``MIN_CARDS``): "Smart UP" says which card is asked about, not which kind. Its probabilities
are tempered (``TEMPERATURE``) and add a little to each fact's fit (``facts.KIND_MODEL_WEIGHT``):
they tip close facts, they do not overrule the question's words.

Counting is the whole training, so the model is built at start-up from ``content/questions``;
a library's naive Bayes (scikit-learn's ``MultinomialNB``) would bring SciPy and its import
time to every start for these forty lines. The constants were chosen on held-out example
questions (five folds) and the tuning parts of the evaluation.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise

from bot.knowledge.asking import question_words
from bot.knowledge.model import Card

#: Added to every word's count in every kind (unseen words do not zero a kind out).
ALPHA = 0.1
#: Log-likelihoods are divided by this before they are made probabilities.
TEMPERATURE = 5.0
#: A word counts only when the examples of at least this many cards use it.
MIN_CARDS = 5


def features(question: str) -> frozenset[str]:
    """A question's folded words and pairs of neighbouring words."""
    words = question_words(question)
    return frozenset(words) | frozenset(f"{a} {b}" for a, b in pairwise(words))


class KindModel:
    """Naive Bayes over the words of example questions, one class per fact kind."""

    def __init__(self, examples: Iterable[tuple[str, str, str]]) -> None:
        """``examples``: (question, kind of the fact it asks about, the fact's card)."""
        counts: dict[str, Counter[str]] = {}
        sizes: Counter[str] = Counter()
        cards: dict[str, set[str]] = {}
        for question, kind, card in examples:
            found = features(question)
            counts.setdefault(kind, Counter()).update(found)
            sizes[kind] += 1
            for feature in found:
                cards.setdefault(feature, set()).add(card)
        # A word asked about one topic only ("Smart UP", "Rada") tells the topic, not the kind.
        vocabulary = {f for f, seen in cards.items() if len(seen) >= MIN_CARDS}
        counts = {
            k: Counter({f: n for f, n in c.items() if f in vocabulary}) for k, c in counts.items()
        }
        total = sum(sizes.values())
        self._prior = {kind: math.log(n / total) for kind, n in sizes.items()}
        self._log: dict[str, dict[str, float]] = {}
        self._unseen: dict[str, float] = {}
        for kind, counted in counts.items():
            denominator = math.log(counted.total() + ALPHA * max(len(vocabulary), 1))
            self._log[kind] = {f: math.log(n + ALPHA) - denominator for f, n in counted.items()}
            self._unseen[kind] = math.log(ALPHA) - denominator
        self._vocabulary = frozenset(vocabulary)

    @classmethod
    def learn(cls, cards: Iterable[Card]) -> KindModel:
        """The model of the cards' facts' example questions."""
        return cls(
            (question, fact.kind, card.id)
            for card in cards
            for fact in card.facts
            for question in fact.questions
        )

    def probabilities(self, question: str) -> Mapping[str, float]:
        """How likely the question asks for each kind (summing to 1; empty without examples)."""
        known: Sequence[str] = [f for f in features(question) if f in self._vocabulary]
        scores = {
            kind: (prior + sum(self._log[kind].get(f, self._unseen[kind]) for f in known))
            / TEMPERATURE
            for kind, prior in self._prior.items()
        }
        if not scores:
            return {}
        top = max(scores.values())
        exps = {kind: math.exp(score - top) for kind, score in scores.items()}
        total = sum(exps.values())
        return {kind: value / total for kind, value in exps.items()}
