"""When a card must not answer a question, whatever words they share (pure).

Example questions outside our topics (``content/outside.yaml``) are indexed as the examples
of a card that does not exist (``OUTSIDE``): a question that resembles them more than a
card's own examples is not that card's, unless the sentences that ask, read alone, clearly
resemble the card's ("Robimy na walne zgromadzenie prezentację … Które klastry jako pierwsze
dostały status KKK …?": the questions outside our topics ask about general assemblies). The
sentences that ask, read alone, are held to the same and to one more test: "Mamy Złotą Odznakę
ESCA. Jak usunąć plamę z wina?" names the card only in what it tells about the asker. And
a question is held to it without the card's name: "Tell me a joke about PARP cluster
benchmarking" spells the name out to ask for a joke.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.knowledge.examples import Resemblance
from bot.knowledge.text import Token
from bot.knowledge.tuning import (
    ASKED_OURS,
    ASKING_MIN_LIKENESS,
    ASKING_OUTSIDE_MARGIN,
    OUTSIDE,
    OUTSIDE_MARGIN,
    REST_MARGIN,
    REST_WORDS,
)


def outside_lead(resemblance: Resemblance, card_id: str) -> float:
    """How much more a question resembles the questions outside our topics than the card's."""
    cards = resemblance.cards
    return cards.get(OUTSIDE, 0.0) - cards.get(card_id, 0.0)


def sounds_outside(resemblance: Resemblance, card_id: str, margin: float) -> bool:
    """Whether a question resembles the questions outside our topics more than the card's."""
    return outside_lead(resemblance, card_id) > margin


def not_the_cards(whole: Resemblance, asked: Resemblance | None, card_id: str) -> bool:
    """Whether a question sounds like the questions outside our topics (``OUTSIDE_MARGIN``).

    Not when the sentences that ask (``asked``: ``None`` when every sentence asks), read
    alone, resemble the card's examples ``ASKED_OURS`` more than the outside ones.
    """
    if not sounds_outside(whole, card_id, OUTSIDE_MARGIN):
        return False
    return asked is None or outside_lead(asked, card_id) >= -ASKED_OURS


def asked_alone(
    tokens: Sequence[Token],
    asks: Sequence[bool],
    keep: Sequence[int],
    resemble: Callable[[Sequence[Token]], Resemblance],
) -> tuple[Resemblance | None, int]:
    """The sentences that ask, alone: their likeness to the examples, and their size.

    ``None`` and 0 when every word stands in them. ``asks``: whether each word stands in a
    sentence that asks; ``keep``: the places of the words read (all, or all but the ask cue's:
    "Mamy KKK. Ile kosztuje bilet?" is then read as "bilet").
    """
    kept = set(keep)
    alone = [t for i, t in enumerate(tokens) if asks[i] and i in kept]
    if all(asks) or not alone:
        return None, 0
    return resemble(alone), len(alone)


def foreign_ask(asked: Resemblance, words: int, card_id: str, *, outside: bool = True) -> bool:
    """Whether the sentences that ask, read alone, are no question for this card.

    They are not when they sound like the questions outside our topics, or when they say
    something (``words``: two or more, stop words aside) and resemble none of the card's
    examples. ``outside``: whether to hold them to the first test too.
    """
    if outside and sounds_outside(asked, card_id, ASKING_OUTSIDE_MARGIN):
        return True
    return words >= 2 and asked.cards.get(card_id, 0.0) < ASKING_MIN_LIKENESS


def not_ours(
    card_id: str,
    whole: Resemblance,
    asked: tuple[Resemblance | None, int],
    topic: tuple[Resemblance | None, int],
) -> bool:
    """Whether a card must not answer, however much of the question it explains.

    The question sounds like the questions we do not answer (``not_the_cards``); or what its
    sentences that ask ask is not this card's (``asked``: their likeness, read alone, and
    their size); or, read without the ask cue, what they ask about is not (``topic``: "Kto
    wygrał Ligę Mistrzów?").
    """
    (asking, asking_words), (about, about_words) = asked, topic
    if not_the_cards(whole, asking, card_id):
        return True
    if asking is not None and foreign_ask(asking, asking_words, card_id):
        return True
    return about is not None and foreign_ask(about, about_words, card_id, outside=False)


def unnamed_outside(
    tokens: Sequence[Token],
    name: frozenset[str],
    card_id: str,
    resemble: Callable[[Sequence[Token]], Resemblance],
) -> bool:
    """Whether the question, the card's name (its title terms) taken out, is none of ours.

    What is left ("tell joke") sounds like the questions outside our topics by ``REST_MARGIN``
    more than like the card's examples. At least ``REST_WORDS`` words must be left: "What
    exactly is a Eurocluster and how does it work?" leaves two.
    """
    rest = [token for token in tokens if not token.matches(name)]
    if len(rest) < REST_WORDS or len(rest) == len(tokens):
        return False
    return sounds_outside(resemble(rest), card_id, REST_MARGIN)
