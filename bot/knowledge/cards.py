"""A card's score for a question: its name's and its texts' words, and its aliases (pure).

A question word found in the card's title (name and aliases) counts ``TITLE_WEIGHT`` times,
one found in its body (summary, sections, facts) once; an alias of two or more words found
whole, or a one-word name said outright ("KKK", "EUCLES", "2.17"), adds ``PHRASE_WEIGHT``
times its words' weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.knowledge.names import Phrase
from bot.knowledge.text import SYNONYM_TERM, Token
from bot.knowledge.tuning import PHRASE_WEIGHT, TITLE_WEIGHT


@dataclass(frozen=True, slots=True)
class CardIndex:
    """A card's terms: of its title (name and aliases) and of its whole body."""

    title: frozenset[str]
    body: frozenset[str]
    #: One-word names and aliases ("KKK", "ESCA", "2.17"), as lemmas.
    names: frozenset[str]


def card_score(
    index: CardIndex,
    card_id: str,
    tokens: Sequence[Token],
    weights: Sequence[float],
    phrases: Sequence[tuple[Phrase, set[int]]],
) -> tuple[float, float]:
    """The card's score, and the weight of the question's words it covers."""
    score = covered = 0.0
    for token, weight in zip(tokens, weights, strict=True):
        if token.matches(index.body):  # the body holds the title's terms too
            score += weight * (TITLE_WEIGHT if token.matches(index.title) else 1.0)
            covered += weight
    for (owner, phrase), _ in phrases:
        if owner == card_id:
            score += PHRASE_WEIGHT * sum(
                w for t, w in zip(tokens, weights, strict=True) if t.main in phrase
            )
    for token, weight in zip(tokens, weights, strict=True):
        if token.main in index.names:
            score += PHRASE_WEIGHT * weight
    return score, covered


def may_name(term: str) -> bool:
    """Whether a term of a card's name may name it: not a year, not a synonym group."""
    year = len(term) == 5 and term[1:].isdigit()
    return not (year or SYNONYM_TERM in term)
