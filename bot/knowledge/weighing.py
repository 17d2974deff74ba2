"""How much a question word tells: its rarity among our cards times its rarity in the language.

Ordinary words ("otwarty", "kryteria", "wybrano") neither decide the card nor make a question
look foreign, while rare words that no card has ("fotowoltaika") do (``wordinfo``). A word
our cards do not have weighs less the likelier it is a verb form (``endings``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence, Set

from bot.core.folding import fold
from bot.knowledge.asker import describing
from bot.knowledge.endings import VerbEndings
from bot.knowledge.text import Token
from bot.knowledge.tuning import (
    CONTEXT_SHARE,
    INFO_CACHE,
    NUMBER_WEIGHT,
    PENALTY_POWER,
    QUANTITY_INFO,
    VERB_RELIEF,
)
from bot.knowledge.wordinfo import ENGLISH_SHIFT, WordInfo


class Weigher:
    """Weighs question words against our cards' terms and the language's word frequencies."""

    def __init__(
        self,
        card_df: Counter[str],
        n_cards: int,
        title_terms: frozenset[str],
        words: WordInfo,
        verbs: VerbEndings,
        names: frozenset[str] = frozenset(),
    ) -> None:
        self._card_df = card_df
        self._names = names
        self._n_cards = n_cards
        self._title_terms = title_terms
        self.words = words
        self.verbs = verbs
        self._info_cache: dict[tuple[str, str], tuple[float, float]] = {}

    def forget(self) -> None:
        """Drop remembered word weights (benchmarks measure each run from cold)."""
        self._info_cache.clear()

    def idf(self, term: str) -> float:
        """Inverse card frequency; a term no card has counts as the rarest."""
        return math.log((self._n_cards + 1) / (self._card_df.get(term, 0) + 0.5))

    def weight(self, token: Token, *, info: float | None = None) -> float:
        """How much a question word tells: rarity among our cards times rarity in language."""
        rarity = max(self.idf(term) for term in token.terms)
        if info is None:
            info = self.info(token)
        return rarity * info

    def weights(self, tokens: Sequence[Token], named: Set[int]) -> tuple[list[float], list[float]]:
        """Weights of a question's words, and with English words judged as Polish ones.

        ``named``: the places of the words of a card's alias of two or more words ("National
        Key Cluster"): they weigh as rare words. So does, towards naming our topic, a card's
        one-word name that the word lists lack ("ScaleUp": its stem "scale" is no guide).
        """
        plain, balanced = [], []
        for i, token in enumerate(tokens):
            rarity = self.weight(token, info=1.0)
            plain.append(rarity if i in named else rarity * self.info(token))
            name = token.main in self._names and not self.words.zipf(token.surface)
            balanced.append(
                rarity if i in named or name else rarity * self.info(token, balanced=True)
            )
        return plain, balanced

    def info(self, token: Token, *, balanced: bool = False) -> float:
        """How much a word says in the language (numbers and acronyms by their own rules).

        An instrument's number ("2.3.3", "2.17") names it and counts double; any other number
        ("200", "2019") is a quantity or a year of middling weight. An acronym our cards do not
        know ("ZUS", "KRS", "KPO") names something outside them and weighs in full.
        ``balanced``: an English word judged ``ENGLISH_SHIFT`` rarer, as its Polish forms are.
        """
        if token.is_number:
            return NUMBER_WEIGHT if token.main in self._title_terms else QUANTITY_INFO
        if token.surface.isupper() and len(token.surface) >= 2 and token.main not in self._card_df:
            return 1.0
        key = (token.surface, token.main)
        known = self._info_cache.get(key)
        if known is None:
            if len(self._info_cache) >= INFO_CACHE:
                self._info_cache.clear()
            ours = token.main in self._card_df
            forms = (token.surface, token.main)
            plain, shifted = self.words.infos(forms, (0.0, ENGLISH_SHIFT), typo=not ours)
            if not ours and self.polish(token.surface):
                relief = 1.0 - VERB_RELIEF * self.verbs.share(token.surface)
                plain, shifted = plain * relief, shifted * relief
            known = self._info_cache[key] = (plain, shifted)
        return known[balanced]

    def against(
        self, tokens: Sequence[Token], weights: Sequence[float], question: str
    ) -> list[float]:
        """How much each word counts against an answer that does not explain it.

        Its weight tempered by its rarity in the language: "fotowoltaika" counts fully,
        "szefowa" or "celujemy" much less; a word describing the asker's cluster ("klastra
        *meblarskiego*") as little as the context around the question.
        """
        own = describing(question)
        return [
            weight
            * min(1.0, self.info(token)) ** PENALTY_POWER
            * (CONTEXT_SHARE if fold(token.surface.lower()) in own else 1.0)
            for token, weight in zip(tokens, weights, strict=True)
        ]

    def example_weight(self, token: Token) -> float:
        """How much a word counts in the likeness to example questions."""
        return math.sqrt(min(1.0, self.info(token)))

    def polish(self, word: str) -> bool:
        """Whether a word is not clearly English ("invoices" ends like "robiłeś" folded)."""
        return self.words.zipf(word, "en") <= self.words.zipf(word, "pl")

    def english(self, word: str) -> bool:
        """Whether a word is clearly English."""
        return not self.polish(word)
