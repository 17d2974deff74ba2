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
from collections.abc import Callable, Iterable
from itertools import chain
from typing import TypeVar

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
T = TypeVar("T")


def pieces(text: str) -> frozenset[str]:
    """The four-letter pieces of a text's words, each word padded with spaces.

    A word shorter than a piece (" a ") is one piece of its own.
    """
    return _pieces(text, {}, _word_pieces)


def _pieces(
    text: str, memo: dict[str, frozenset[T]], of_word: Callable[[str], frozenset[T]]
) -> frozenset[T]:
    """The pieces of a text's words; ``memo`` keeps each word's while many texts are read."""
    words = _WORD.findall(fold(text))
    for word in words:
        if word not in memo:
            memo[word] = of_word(word)
    return frozenset().union(*map(memo.__getitem__, words))


def _word_pieces(word: str) -> frozenset[str]:
    padded = f" {word} "
    return frozenset(padded[i : i + PIECE] for i in range(max(1, len(padded) - PIECE + 1)))


class SpellingIndex:
    """Example questions indexed by their four-letter pieces (sums in numpy arrays).

    The examples having each piece stand in one array, piece after piece (``_starts`` says
    where each piece's examples begin), so indexing costs a few numpy calls, not one a piece.
    """

    def __init__(
        self,
        questions: Iterable[tuple[str, str, str]],
        marks_of: Callable[[str], Marks] = lambda _: Marks(),
    ) -> None:
        """Index ``(card id, fact id, question)`` triples.

        ``marks_of``: the years and rounds a text names (an example about others resembles a
        question less, as in ``examples``).
        """
        listed = list(questions)
        #: Each piece's number (new pieces numbered as they come).
        self._numbers: dict[str, int] = {}
        numbers = self._numbers
        memo: dict[str, frozenset[int]] = {}

        def numbered(word: str) -> frozenset[int]:
            return frozenset(numbers.setdefault(p, len(numbers)) for p in _word_pieces(word))

        rows = [_pieces(question, memo, numbered) for _, _, question in listed]
        self._owners = Owners(
            [(card, fact) for card, fact, _ in listed], [marks_of(q) for _, _, q in listed]
        )
        n = len(rows)
        lengths = np.fromiter(map(len, rows), dtype=np.int64, count=n)
        found = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=int(lengths.sum()))
        owners = np.repeat(np.arange(n, dtype=np.int32), lengths)
        having = np.bincount(found, minlength=len(self._numbers))
        # A piece of one example is always kept.
        self._kept = having <= max(COMMON * n, 1)
        self._square = np.where(self._kept, (np.log((n + 1) / (having + 1)) + 1.0) ** 2, 0.0)
        order = np.argsort(found, kind="stable")
        self._examples = owners[order]
        self._starts = np.concatenate(([0], np.cumsum(having)))
        self._norms = np.sqrt(np.bincount(owners, weights=self._square[found], minlength=n))
        self._size = n

    def resemblance(self, question: str, asked: Marks | None = None) -> Resemblance:
        """Each fact's and card's closest examples' cosine with ``question``.

        ``asked``: the years and rounds the question names.
        """
        numbers = self._numbers
        found = [i for p in pieces(question) if (i := numbers.get(p)) is not None]
        found = [i for i in found if self._kept[i]]  # common pieces say little
        if not found:
            return Resemblance({}, {})
        squares = self._square[found]
        length = math.sqrt(float(squares.sum()))
        dots = self._dots(found, squares)
        return self._owners.resemblance(dots, length, self._norms, asked)

    def _dots(self, found: list[int], weights: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """For every example, the sum of ``weights`` of the pieces ``found`` it has."""
        starts, ends = self._starts[found], self._starts[np.add(found, 1)]
        ids = np.concatenate([self._examples[a:b] for a, b in zip(starts, ends, strict=True)])
        repeated = np.repeat(weights, ends - starts)
        return np.asarray(
            np.bincount(ids, weights=repeated, minlength=self._size), dtype=np.float64
        )
