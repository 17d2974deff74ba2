"""Content models: instrument cards, FAQ entries and the retrieval vocabulary."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.core.localized import Localized, Source

Category = Literal[
    "funding",
    "status",
    "labels",
    "standards",
    "policy",
    "regional",
    "acceleration",
    "eu",
    "contact",
]
Status = Literal["open", "closed", "planned", "permanent"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Funded(_Frozen):
    """What an instrument pays for, on the coordinator's and on the members' side."""

    coordinator: Localized | None = None
    members: Localized | None = None


class Money(_Frozen):
    """The money facts of an instrument; each is optional."""

    max_grant: Localized | None = None
    eligible_costs: Localized | None = None
    own_contribution: Localized | None = None
    aid_intensity: Localized | None = None
    other: Localized | None = None


class Call(_Frozen):
    """One call for proposals (or round) with what is known of it."""

    label: Localized
    start: date | None = None
    end: date | None = None
    budget: Localized | None = None
    results: Localized | None = None


class Card(_Frozen):
    """An instrument card (``content/instruments/<id>.yaml``)."""

    id: str = Field(pattern=r"^[a-z0-9-]{2,40}$")
    category: Category
    name: Localized
    aliases: tuple[str, ...] = ()
    programme: Localized
    period: str
    status: Status
    requires_kkk: bool = False
    alternatives: tuple[str, ...] = ()
    summary: Localized
    who: Localized
    funded: Funded | None = None
    money: Money | None = None
    calls: tuple[Call, ...] = ()
    apply: Localized
    predecessor: str | None = None
    successor: str | None = None
    sources: tuple[Source, ...] = Field(min_length=1)
    uncertainty: Localized | None = None

    @property
    def last_call(self) -> Call | None:
        """The call with the latest end date (or the last one listed)."""
        dated = [c for c in self.calls if c.end is not None]
        if dated:
            return max(dated, key=lambda c: c.end or date.min)
        return self.calls[-1] if self.calls else None


class FaqEntry(_Frozen):
    """A precise question with its answer, belonging to a card."""

    id: str = Field(pattern=r"^[a-z0-9-]{2,60}$")
    card: str
    question: Localized
    keywords: tuple[str, ...] = ()
    answer: Localized
    sources: tuple[Source, ...] = Field(min_length=1)


class Faq(_Frozen):
    """``content/faq.yaml``."""

    entries: tuple[FaqEntry, ...]


class CategoryInfo(_Frozen):
    """A browse category."""

    id: Category
    title: Localized


class Facets(_Frozen):
    """Words that say which fact a question asks for."""

    money: tuple[str, ...]
    dates: tuple[str, ...]
    who: tuple[str, ...]
    funded: tuple[str, ...]


class Vocabulary(_Frozen):
    """``content/knowledge.yaml``: categories, facet words and stop words."""

    categories: tuple[CategoryInfo, ...]
    facets: Facets
    stopwords: tuple[str, ...]


class KnowledgeContent(_Frozen):
    """Everything the knowledge base is built from, cross-checked."""

    cards: tuple[Card, ...]
    faq: Faq
    vocabulary: Vocabulary

    @model_validator(mode="after")
    def _references_exist(self) -> KnowledgeContent:
        ids = {c.id for c in self.cards}
        if len(ids) != len(self.cards):
            raise ValueError("card ids must be unique")
        if "contact" not in ids:
            raise ValueError("a card with id 'contact' (where to ask) is required")
        for card in self.cards:
            for ref in (card.predecessor, card.successor, *card.alternatives):
                if ref is not None and ref not in ids:
                    raise ValueError(f"card {card.id} refers to unknown card {ref!r}")
        for entry in self.faq.entries:
            if entry.card not in ids:
                raise ValueError(f"FAQ entry {entry.id} refers to unknown card {entry.card!r}")
        categories = {c.id for c in self.vocabulary.categories}
        for card in self.cards:
            if card.category not in categories:
                raise ValueError(f"card {card.id} has a category without a title: {card.category}")
        return self
