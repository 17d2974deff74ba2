"""Content models: instrument cards, FAQ entries and the retrieval vocabulary."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.core.folding import fold
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
#: Where a programme stands (whether a call is open today is worked out from its calls):
#: ``running``: it runs and calls may come; ``ended``: it is over; ``unknown``: whether more
#: calls will come is not known; ``permanent``: no calls, always available (a label, a platform).
Status = Literal["running", "ended", "unknown", "permanent"]
#: What a user is told today: ``open`` when a call of a running (or unknown) programme is open,
#: ``upcoming`` when one is announced and not open yet.
State = Literal["open", "upcoming", "running", "ended", "unknown", "permanent"]


#: What a fact says; a question's ask-type prefers some kinds over others.
FactKind = Literal[
    "amount",  # how much money one can get
    "share",  # what share (co-financing, aid intensity, own contribution)
    "cost",  # what it costs the cluster (a price, a fee)
    "count",  # how many (members, clusters, projects, indicators)
    "duration",  # how long something lasts or is valid
    "date",  # when something happened or happens
    "deadline",  # until when one may apply
    "status",  # whether it is open, ended, or still runs
    "eligibility",  # who may apply, conditions
    "funded",  # what the money pays for
    "benefit",  # what it gives
    "definition",  # what it is
    "procedure",  # how it works, the steps
    "contact",  # where to ask
    "result",  # what a call or round produced (who won, how many were chosen)
    "history",  # how it came to be
]
FACT_KINDS: tuple[str, ...] = get_args(FactKind)
Certainty = Literal["confirmed", "single_source", "uncertain"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Fact(_Frozen):
    """One atomic, sourced statement about a card's subject, in both languages."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,60}$")
    kind: FactKind
    pl: str = Field(min_length=1, max_length=600)
    en: str = Field(min_length=1, max_length=600)
    source: Source
    certainty: Certainty
    #: Extra words a question may use for this fact (synonyms the text does not contain).
    keywords: tuple[str, ...] = ()
    #: Names of what this fact alone is about, in either language ("klaster wzrostowy",
    #: "growth cluster"): a question naming one asks for this fact among its card's.
    names: tuple[str, ...] = ()
    #: Questions this fact answers, as a coordinator would ask them (training phrases, from
    #: ``content/questions/<card>.yaml``): they teach retrieval the words people use.
    questions: tuple[str, ...] = ()

    def text(self, locale: str) -> str:
        """Return the fact in ``locale`` (Polish for anything else)."""
        return self.en if locale == "en" else self.pl


class QuestionsFile(_Frozen):
    """``content/questions/<card>.yaml``: example questions for each of a card's facts."""

    card: str
    questions: dict[str, tuple[Annotated[str, Field(min_length=3, max_length=600)], ...]]


class OutsideFile(_Frozen):
    """``content/outside.yaml``: questions the assistant must not answer (none of our topics).

    They sound close ("VAT od dotacji dla klastra") but ask what no card covers; a question
    that resembles them more than any card's examples is refused.
    """

    questions: tuple[Annotated[str, Field(min_length=3, max_length=600)], ...] = Field(min_length=1)


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
    #: The last day to apply (never a results or approval date: see ``results_on``).
    end: date | None = None
    #: When the results were announced or approved.
    results_on: date | None = None
    budget: Localized | None = None
    results: Localized | None = None

    def is_open(self, today: date) -> bool:
        """Whether one may apply ``today`` (the call has a deadline not yet passed)."""
        if self.end is None or today > self.end:
            return False
        return self.start is None or self.start <= today


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
    #: False when the successor is only the closest programme, not a stated successor; the
    #: note then says how it differs ("internationalisation is only an optional add-on").
    successor_certain: bool = True
    successor_note: Localized | None = None
    sources: tuple[Source, ...] = Field(min_length=1)
    #: When an editor should next check the card against its sources (``check-content
    #: --stale`` and the administrators' weekly digest list it from that day).
    review_by: date
    uncertainty: Localized | None = None
    facts: tuple[Fact, ...] = Field(default=(), min_length=1)

    @model_validator(mode="after")
    def _successor_explained(self) -> Card:
        if not self.successor_certain and (self.successor is None or self.successor_note is None):
            raise ValueError("an uncertain successor needs a successor and a successor_note")
        return self

    def open_call(self, today: date) -> Call | None:
        """The call one may apply to ``today``, if any."""
        return next((c for c in self.calls if c.is_open(today)), None)

    def next_call(self, today: date) -> Call | None:
        """The earliest announced call that has not started yet, if any."""
        coming = [c for c in self.calls if c.start is not None and c.start > today]
        return min(coming, key=lambda c: c.start or today) if coming else None

    def state(self, today: date) -> State:
        """What the user is told today: a call open or announced, or where it stands."""
        if self.status in ("running", "unknown"):
            if self.open_call(today) is not None:
                return "open"
            if self.next_call(today) is not None:
                return "upcoming"
        return self.status

    @property
    def last_call(self) -> Call | None:
        """The call with the latest end date (or the last one listed)."""
        dated = [c for c in self.calls if c.end is not None]
        if dated:
            return max(dated, key=lambda c: c.end or date.min)
        return self.calls[-1] if self.calls else None


class CategoryInfo(_Frozen):
    """A browse category."""

    id: Category
    title: Localized


class AskTypeEntry(_Frozen):
    """An ask-type: the fact kinds it prefers (best first) and the phrases that signal it."""

    name: str = Field(pattern=r"^[a-z]+$")
    #: A regular expression the text of a fact that answers this ask tends to match.
    shape: str | None = None
    kinds: tuple[FactKind, ...] = Field(min_length=1)
    cues: tuple[str, ...] = Field(min_length=1)


class Vocabulary(_Frozen):
    """``content/knowledge.yaml``: categories, ask-types and stop words."""

    categories: tuple[CategoryInfo, ...]
    ask_types: tuple[AskTypeEntry, ...] = Field(min_length=1)
    #: Greetings and framing removed from a question before it is read.
    courtesy: tuple[str, ...] = ()
    #: Closings a message may end with, a signature after them ("Pozdrawiam, Anna Nowak"):
    #: the closing and the signature after it are removed before the question is read.
    closings: tuple[str, ...] = ()
    #: How the footer a mail or chat app adds begins ("Sent from my iPhone", "Wysłane z
    #: iPhone'a"): on a line of its own at the end, it is removed before the question is read.
    footers: tuple[str, ...] = ()
    #: Abbreviations and what they stand for, in our texts both mean both.
    abbreviations: dict[str, str] = Field(default_factory=dict)
    #: Interrogatives: a cue holding one of them says more about what is asked.
    question_words: tuple[str, ...] = ()
    #: Verbs a request opens with ("Napisz …", "Poleć …"): with the question words, a sentence
    #: opening with one asks even without a question mark.
    request_words: tuple[str, ...] = ()
    #: Words people put inside a question that say nothing about what it asks ("ile *w końcu*
    #: projektów", "ile *właściwie* jest klastrów"): passed over when its ask cue is sought.
    fillers: tuple[str, ...] = ()
    #: Words that say a question asks about what holds now ("teraz", "current"): of two close
    #: facts of one kind, the later leads.
    now_words: tuple[str, ...] = ()
    #: Cues that say a question asks about the latest ("ostatnio", "nowa edycja", "lately"): of
    #: the facts that fit it nearly as well, whatever their kinds, the latest leads.
    recent_cues: tuple[str, ...] = ()
    stopwords: tuple[str, ...]
    #: Groups of words a question may use for one another ("kryterium", "warunek").
    synonyms: tuple[Annotated[tuple[str, ...], Field(min_length=2)], ...] = ()

    @model_validator(mode="after")
    def _one_group_per_word(self) -> Vocabulary:
        seen: set[str] = set()
        for group in self.synonyms:
            for word in {fold(w.lower()) for w in group}:  # "nabór" and "nabor" are one
                if word in seen:
                    raise ValueError(f"synonyms: {word!r} is in more than one group")
                seen.add(word)
        return self


class KnowledgeContent(_Frozen):
    """Everything the knowledge base is built from, cross-checked."""

    cards: tuple[Card, ...]
    vocabulary: Vocabulary
    #: Questions outside our topics (``content/outside.yaml``).
    outside: tuple[str, ...] = ()

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
        fact_ids: set[str] = set()
        named: dict[str, str] = {}
        for card in self.cards:
            for fact in card.facts:
                if fact.id in fact_ids:
                    raise ValueError(f"card {card.id}: fact id {fact.id!r} is used twice")
                fact_ids.add(fact.id)
                for name in fact.names:
                    other = named.setdefault(name.casefold(), fact.id)
                    if other != fact.id:
                        raise ValueError(f"fact {fact.id}: name {name!r} is {other}'s already")
        categories = {c.id for c in self.vocabulary.categories}
        for card in self.cards:
            if card.category not in categories:
                raise ValueError(f"card {card.id} has a category without a title: {card.category}")
        return self
