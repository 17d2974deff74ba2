"""Example questions compared letter by letter: four-letter pieces of words, not words.

The word index (``examples``) compares lemmas, so it misses what a lemma cannot join: a
clipped or misspelt word ("umiedzynarodowienie", "kluczwy"), a compound ("Smart UP" and
"smartup"), a form the lexicon does not know ("przebadano"). Here every word, folded
(``Łódź`` → ``lodz``) and padded with a space on each side, is cut into its overlapping
four-letter pieces; a question resembles an example by the cosine of the pieces they share,
each piece weighted by how few examples have it (inverse document frequency). A fact resembles
the question by the mean of its three closest examples, a card by its three closest examples
whichever facts they are for, as in ``examples``. Pieces found in more than a tenth of the
examples (" kla", "ster") say little and are skipped. The sums over examples are numpy's
(``bincount``), which keeps a question around a millisecond over some 4,000 examples.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable

import numpy as np
import numpy.typing as npt

from bot.core.folding import fold
from bot.knowledge.examples import Owners, Resemblance
from bot.knowledge.text import Marks

#: The length of a piece.
PIECE = 4
#: Pieces in more than this share of the examples are skipped.
COMMON = 0.1
_WORD = re.compile(r"[^\W_]+")


def pieces(text: str, memo: dict[str, frozenset[str]] | None = None) -> frozenset[str]:
    """The four-letter pieces of a text's words, each word padded with spaces.

    A word shorter than a piece (" a ") is one piece of its own. ``memo`` keeps each word's
    pieces while many texts are indexed.
    """
    memo = {} if memo is None else memo
    found: set[str] = set()
    for word in _WORD.findall(fold(text)):
        known = memo.get(word)
        if known is None:
            padded = f" {word} "
            count = max(1, len(padded) - PIECE + 1)
            known = memo[word] = frozenset(padded[i : i + PIECE] for i in range(count))
        found |= known
    return frozenset(found)


class SpellingIndex:
    """Example questions indexed by their four-letter pieces (sums in numpy arrays)."""

    def __init__(
        self,
        questions: Iterable[tuple[str, str, str]],
        marks_of: Callable[[str], Marks] = lambda _: Marks(),
    ) -> None:
        """Index ``(card id, fact id, question)`` triples.

        ``marks_of``: the years and rounds a text names (an example about others resembles a
        question less, as in ``examples``).
        """
        memo: dict[str, frozenset[str]] = {}
        listed = list(questions)
        rows = [(card, fact, pieces(question, memo)) for card, fact, question in listed]
        self._owners = Owners(
            [(card, fact) for card, fact, _ in rows], [marks_of(q) for _, _, q in listed]
        )
        postings: dict[str, list[int]] = defaultdict(list)
        for i, (_, _, found) in enumerate(rows):
            for piece in found:
                postings[piece].append(i)
        n = len(rows)
        limit = max(COMMON * n, 1)  # a piece of one example is always kept
        self._postings = {
            p: np.array(ids, dtype=np.int32) for p, ids in postings.items() if len(ids) <= limit
        }
        self._square = {
            p: (math.log((n + 1) / (len(ids) + 1)) + 1.0) ** 2
            for p, ids in postings.items()
            if p in self._postings
        }
        kept = list(self._postings)
        self._norms = np.sqrt(self._dots(kept, [self._square[p] for p in kept], n))
        self._size = n

    def resemblance(self, question: str, asked: Marks | None = None) -> Resemblance:
        """Each fact's and card's closest examples' cosine with ``question``.

        ``asked``: the years and rounds the question names.
        """
        found = [p for p in pieces(question) if p in self._postings]
        squares = [self._square[p] for p in found]
        length = math.sqrt(sum(squares))
        if length <= 0:
            return Resemblance({}, {})
        dots = self._dots(found, squares, self._size)
        return self._owners.resemblance(dots, length, self._norms, asked)

    def _dots(self, found: list[str], weights: list[float], n: int) -> npt.NDArray[np.float64]:
        """For every example, the sum of ``weights`` of the pieces ``found`` it has."""
        if not found:
            return np.zeros(n)
        ids = np.concatenate([self._postings[p] for p in found])
        repeated = np.repeat(weights, [len(self._postings[p]) for p in found])
        return np.asarray(np.bincount(ids, weights=repeated, minlength=n), dtype=np.float64)
