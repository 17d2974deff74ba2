"""Confidence: how much of what a question asks the shown answer explains (pure).

The share of the question's weight that the card's title and the shown facts explain,
judged by the few most telling unexplained words, so that the context a busy coordinator
gives does not drown what she asks; the sentences around the one that asks count less.
A question made of ordinary words only needs a word that names our topic, and a one-word
question after a word about the asker needs that word explained. Of two close cards, the one
whose answer explains clearly more answers first (``explains_more``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.knowledge.asking import Ask
from bot.knowledge.model import Fact
from bot.knowledge.text import Token
from bot.knowledge.tuning import (
    CLOSE_CARDS,
    CONFIDENCE_THRESHOLD,
    CONTEXT_SHARE,
    EXPLAINS_MORE,
    LONE_VERB,
    LONE_WORD,
    MAX_MISSED,
    MIN_EXPLAINED,
    PREFIX_SHARE,
    TITLE_WEIGHT,
)


@dataclass(frozen=True, slots=True)
class QuestionWords:
    """A question's topical words: what each weighs, counts against, and where it stands."""

    tokens: Sequence[Token]
    weights: Sequence[float]
    #: How much each word counts against an answer that does not explain it.
    against: Sequence[float]
    #: Whether each word stands in a sentence that asks (the others tell about the asker).
    asked: Sequence[bool]
    #: Whether the sentences that ask point back to those before ("Kto go przygotował?").
    points_back: bool = False
    #: How likely a word is a verb form ("Podpowiecie?", "Co omawiano?": they ask about what
    #: was told before).
    verb_share: Callable[[str], float] = lambda _: 0.0
    #: How much each word counts towards naming our topic: its weight with an English word
    #: judged as ordinary as its Polish forms (``wordinfo.ENGLISH_SHIFT``); None: the weights.
    anchors: Sequence[float] | None = None


def explained_share(words: QuestionWords, shown: frozenset[str], title: frozenset[str]) -> float:
    """The confidence of an answer showing ``shown`` terms under a card titled ``title``."""
    if _lone_word_unexplained(words, shown):
        return 0.0
    explained = anchor = 0.0
    missed: list[float] = []
    naming_weights = words.anchors if words.anchors is not None else words.weights
    for token, weight, penalty, asked, naming in zip(
        words.tokens, words.weights, words.against, words.asked, naming_weights, strict=True
    ):
        # The sentences around those that ask (``text.asking_sentences``) are context
        # ("Srebro mamy od dwóch lat …"), not what is asked.
        context = 1.0 if asked else CONTEXT_SHARE
        if token.matches(shown):
            # A word found only by its first letters ("przestawna" in "przesunięto") or by a
            # synonym ("registration" for "wpis") is weaker evidence than its lemma.
            share_found = 1.0 if token.matches_lemma(shown) else PREFIX_SHARE
            explained += weight * share_found
            anchor += naming * share_found * (TITLE_WEIGHT if token.matches(title) else 1.0)
            if share_found < 1.0:
                missed.append(penalty * (1.0 - share_found) * context)
        else:
            missed.append(penalty * context)
    # A long question is judged by its few most telling unexplained words.
    unexplained = sum(sorted(missed, reverse=True)[:MAX_MISSED])
    share = explained / (explained + unexplained) if explained else 0.0
    # A question made of ordinary words only ("what is the capital of France") has nothing
    # that names our topic, however much of it a card happens to contain; a word of the
    # card's name counts more towards naming it.
    return share * min(1.0, anchor / MIN_EXPLAINED)


def _lone_word_unexplained(words: QuestionWords, shown: frozenset[str]) -> bool:
    """Whether a sentence that asks, with one telling word, asks what the answer does not say.

    "Jesteśmy w Radzie KKK. Co to jest inflacja?": the context names our topic, the question
    asks about a word the answer does not explain and that says a lot (``LONE_WORD``).
    A common word ("Ile kosztuje udział?"), one pointing back ("Kto go przyznał?") or a verb
    ("Orientujecie się?", "Co omawiano?", "Rozstrzygnięcie?" too: it reads as one) does not.
    """
    if words.points_back or all(words.asked):
        return False
    lone = [(t, p) for t, p, a in zip(words.tokens, words.against, words.asked, strict=True) if a]
    if len(lone) != 1 or lone[0][0].matches(shown) or lone[0][1] < LONE_WORD:
        return False
    return words.verb_share(lone[0][0].surface) < LONE_VERB


class Answerable(Protocol):
    """A card's answer to a question: its score among the cards, its confidence, its lead."""

    @property
    def score(self) -> float:
        """How well the card's name, texts and facts fit the question's words."""
        ...

    @property
    def confidence(self) -> float:
        """The share of the question its answer explains (``explained_share``)."""
        ...

    @property
    def lead(self) -> Fact | None:
        """The fact its answer opens with."""
        ...


def explains_more(first: Answerable, second: Answerable, ask: Ask | None = None) -> bool:
    """Whether the second card should answer before the first, both being answered.

    Its score is close and its answer explains clearly more of the question: the first card
    won on its name alone ("… ESCA Gold Label?" asked about the ECCP listing it needs). Not
    when the question asks for a value (an ask-type with a shape: a price, an amount, a date)
    and only the first leads with a fact of its kind: "Ile kosztuje Srebrna Odznaka, jeśli
    mamy profil na ECCP?" asks the price, not the listing the labels need.
    """
    valued = ask is not None and ask.type.shape is not None
    if valued and _kind_fits(first, ask) and not _kind_fits(second, ask):
        return False
    return (
        first.confidence >= CONFIDENCE_THRESHOLD
        and second.confidence - first.confidence >= EXPLAINS_MORE
        and second.score >= first.score - CLOSE_CARDS
    )


def _kind_fits(answer: Answerable, ask: Ask | None) -> bool:
    """Whether an answer leads with a fact of a kind the ask-type prefers."""
    return ask is not None and answer.lead is not None and answer.lead.kind in ask.type.kinds
