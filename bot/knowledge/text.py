"""Polish-aware text analysis: numbers, lemmas, diacritics, prefixes (pure, no I/O).

A question and a card are both turned into *tokens*; each token carries the terms it can
match: its lemma without diacritics (``klastrów`` and ``klastrow`` → ``klaster``), a
five-letter prefix (``p5klast``) for inflections the lexicon does not know, and for numbers a
normalised form (``2.3.3``, ``2 3 3`` and ``233`` → ``n233``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.core.folding import fold

_NUMBER = re.compile(r"(?<![\d.])\d(?:[ .]\d){1,3}(?![\d])|\d+(?:\.\d+)*")
_WORD = re.compile(r"[^\W\d_]+")
PREFIX_LENGTH = 5


@dataclass(frozen=True, slots=True)
class Token:
    """One meaningful word or number of a text, with the terms it may match."""

    surface: str
    terms: tuple[str, ...]

    @property
    def main(self) -> str:
        """The lemma (or number) term."""
        return self.terms[0]

    def matches(self, terms: frozenset[str]) -> bool:
        """Whether any of this token's terms is among ``terms``."""
        return any(term in terms for term in self.terms)


class Analyzer:
    """Turns text into tokens using a lexicon of word forms to lemmas."""

    def __init__(self, lexicon: Mapping[str, str], stopwords: Iterable[str]) -> None:
        self._lexicon = lexicon
        self._stop = frozenset(fold(w) for w in stopwords)

    def lemma(self, word: str) -> str:
        """Return the folded lemma of a word (the folded word when the lexicon lacks it)."""
        lower = word.lower()
        found = self._lexicon.get(lower) or self._lexicon.get(fold(lower))
        return fold(found) if found else fold(lower)

    def tokens(self, text: str) -> list[Token]:
        """Analyse ``text`` into tokens, dropping stop words."""
        out: list[Token] = []
        rest = text
        for match in _NUMBER.finditer(text):
            digits = re.sub(r"\D", "", match.group())
            out.append(Token(match.group(), (f"n{digits}",)))
        rest = _NUMBER.sub(" ", text)
        for word in _WORD.findall(rest):
            folded = fold(word)
            if folded in self._stop or len(folded) < 2:
                continue
            lemma = self.lemma(word)
            terms = [lemma]
            if len(folded) > PREFIX_LENGTH:
                prefix = f"p{PREFIX_LENGTH}{folded[:PREFIX_LENGTH]}"
                if prefix != lemma:
                    terms.append(prefix)
            out.append(Token(word, tuple(terms)))
        return out
