"""The searchable texts of cards and facts, and the lexicon reduced to what they need."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.core.folding import fold
from bot.knowledge.model import Card, Fact


def card_texts(card: Card) -> tuple[list[str], list[str]]:
    """Return the searchable texts of a card: its title texts and its body texts."""
    title = [card.name.pl, card.name.en, *card.aliases]
    body = [card.summary.pl, card.summary.en, card.who.pl, card.who.en, card.apply.pl]
    body += [card.apply.en, card.programme.pl, card.programme.en]
    if card.funded is not None:
        for part in (card.funded.coordinator, card.funded.members):
            if part is not None:
                body += [part.pl, part.en]
    if card.money is not None:
        for field in (
            card.money.max_grant,
            card.money.eligible_costs,
            card.money.own_contribution,
            card.money.aid_intensity,
            card.money.other,
        ):
            if field is not None:
                body += [field.pl, field.en]
    for call in card.calls:
        body += [call.label.pl, call.label.en]
        body += [str(d.year) for d in (call.start, call.end) if d is not None]
        for text in (call.budget, call.results):
            if text is not None:
                body += [text.pl, text.en]
    for fact in card.facts:
        body += fact_texts(fact)
    return title, body


def fact_texts(fact: Fact, *, questions: bool = False) -> list[str]:
    """Return the searchable texts of a fact: both languages, its keywords and names.

    With ``questions``, its example questions too (they tell facts apart, but their ordinary
    words must not make a foreign question look answered).
    """
    return [fact.pl, fact.en, *fact.keywords, *fact.names, *(fact.questions if questions else ())]


def reduce_lexicon(full: Mapping[str, str], corpus_words: Iterable[str]) -> dict[str, str]:
    """Keep only the word forms whose lemma is a lemma (or form) of the corpus.

    The full Polish dictionary takes seconds to load; the reduced one, stored as content,
    loads in milliseconds and answers every lookup that could match a card.
    """
    words = {w.lower() for w in corpus_words}
    lemmas = {full.get(w, w) for w in words}
    lemmas |= words
    wanted = {fold(lemma) for lemma in lemmas}
    return {form: lemma for form, lemma in full.items() if fold(lemma) in wanted}
