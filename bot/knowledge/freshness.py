"""How current the content is: cards due for review and facts that may have gone stale.

Pure functions over the cards and today's date, used by the answers ("może być nieaktualne"),
by ``clusterbot check-content --stale`` and by the administrators' weekly digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.knowledge.facts import latest_year
from bot.knowledge.model import Card, Fact

#: A status or deadline fact whose source is older than this may no longer hold.
STALE_AFTER = timedelta(days=365)
#: The fact kinds that go stale: whether something is open, and until when.
PERISHABLE = ("status", "deadline")


@dataclass(frozen=True, slots=True)
class Due:
    """Something an editor should check: a card past its review date, or a stale fact."""

    card: str
    fact: str | None
    #: The card's ``review_by``, or the fact's source date (``None``: undated).
    since: date | None


def may_be_stale(fact: Fact, today: date) -> bool:
    """Whether a status or deadline fact is undated or its source older than ``STALE_AFTER``.

    A deadline fact only about calls of past years ("Nabór 2009 trwał do …") is history, not
    news that can go stale: it is left alone.
    """
    if fact.kind not in PERISHABLE:
        return False
    if fact.kind == "deadline" and 0 < latest_year(fact) < today.year:
        return False
    as_of = fact.source.as_of
    return as_of is None or today - as_of > STALE_AFTER


def due_cards(cards: tuple[Card, ...] | list[Card], today: date) -> list[Card]:
    """The cards whose ``review_by`` has come, the longest overdue first."""
    return sorted((c for c in cards if c.review_by <= today), key=lambda c: (c.review_by, c.id))


def due_items(cards: tuple[Card, ...] | list[Card], today: date) -> list[Due]:
    """Every card due for review and every status or deadline fact that may be stale."""
    items = [Due(card.id, None, card.review_by) for card in due_cards(cards, today)]
    for card in cards:
        items += [
            Due(card.id, fact.id, fact.source.as_of)
            for fact in card.facts
            if may_be_stale(fact, today)
        ]
    return items
