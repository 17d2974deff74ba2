"""Choosing among a card's facts: which one answers the question, and which are shown.

A word tells facts apart by how few of the card's facts have it: the card's name, which most
of its facts repeat, hardly counts; "szkolenia" or "Warszawska" does. A fact of the kind
the question asks for (``asking``) gains, and so does one whose text has the answer's shape
(an amount, a date). The constants were chosen on the dev part of the evaluation.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.core.folding import fold
from bot.knowledge.asking import Ask, AskType
from bot.knowledge.model import Fact
from bot.knowledge.text import Marks, Token, marks

#: The ordinal term of "first" ("pierwszy nabór", "first call").
FIRST = "o1"

#: How much a fact's kind counts against its words: the ask-type's first kind gets all of it.
KIND_WEIGHT = 0.4
#: The share of ``KIND_WEIGHT`` a fact gets when its kind is the ask-type's first, second,
#: third (or later) preference.
KIND_RANKS = (1.0, 0.6, 0.4)
#: A question asking two things ("kiedy … i ile …") prefers the kinds of the second one this
#: share as much as those of the first (the longest cue's).
OTHER_ASK_SHARE = 0.8
#: Without an ask-type, a definition leads only when no fact fits the question's words better.
NO_ASK_DEFINITION = 0.15
#: How much more the word right after the ask cue ("ile wskaźników") counts among facts.
FOCUS_BOOST = 1.5
#: How much the kind the question's wording asks for, as the example questions teach it
#: (``kinds.KindModel``'s probability of the fact's kind), adds to a fact's fit. Held-out
#: example questions (five folds) +52 led right; the tuning parts +3 in scope, +2 refused.
KIND_MODEL_WEIGHT = 0.5
#: How much it counts that a fact's text has the shape of the answer (an amount, a date).
SHAPE_WEIGHT = 0.15
#: How much a fact gains when the question names what it alone is about (``Fact.names``).
NAME_WEIGHT = 1.0
#: How much a word of the card's own name counts when choosing among its facts.
TITLE_IN_FACT = 0.3
#: A fact's word fit is the weight of the question words it has over the weight of all the
#: question's words, but over no less than this: one ordinary word matched does not make a
#: perfect fit.
FIT_FLOOR = 2.0
#: A further fact is shown beside the lead one when it fits at least this share as well.
FOLLOW_SHARE = 0.8
MAX_FACTS = 3
#: How much a fact's closest example question (its cosine with the question) adds.
EXAMPLE_WEIGHT = 1.5
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
#: A fact about the year the question names ("w naborze 2020") gains this much; one about
#: other years only loses this share of it.
YEAR_WEIGHT = 0.2
OTHER_YEAR_SHARE = 0.5
#: A fact naming the round the question names ("round four", "rundy IV") gains this much; one
#: naming only other rounds loses as a fact about another year does. "When did round four of
#: the KKK contest take place?" got round II's dates, whose words fit better (val3 +1, held-out
#: examples +1; 0.2 the same but the held-out +0).
ORDINAL_GAIN = 0.1
#: What is known leads before what is not: an uncertain fact (often "we did not find …",
#: naming many of the topic's words) loses this much.
UNCERTAIN_PENALTY = 0.1
#: A question that names no year or round asks about what holds now: when its two best facts
#: are of one kind whose value changes from call to call (``EDITIONED``) and the second is about
#: later years (the earliest year it names is later) and fits within this much of the first,
#: the second leads ("ile punktów trzeba zdobyć w konkursie o status KKK" gets the latest
#: round's threshold, not round I's; "Do kiedy można składać wnioski w 2.3.3?" the 2020 call).
NEWER_MARGIN = 0.3
#: A question that says it asks about now ("jak *teraz* wygląda konkurs", "the *current*
#: procedure") wants the later of two close facts of one kind (``NOW_KINDS``) within this
#: much: "jak teraz wygląda konkurs KKK krok po kroku" gets the procedure since 2019, not
#: 2015's (val3 +1, held-out examples +1; 0.3 to 1.0 score the same).
NOW_MARGIN = 0.5
#: The kinds of facts that are editions of one another: amounts, dates and conditions of a call
#: or round. A procedure, a history or a result of another year answers another question
#: ("Kto przeprowadza ocenę w konkursie KKK?" is answered by 2015's procedure, naming experts).
EDITIONED = frozenset({"amount", "share", "cost", "count", "deadline", "eligibility", "duration"})
#: A question that asks about the latest ("ostatnio", "nowa edycja", "lately", "new version")
#: and names no year or round wants the latest of the facts that fit within this much of the
#: best (of the ``RECENT_POOL`` best), whatever their kinds: "What has the KKK Council been
#: working on lately?" gets the 2024 meeting, not 2017's; "czy będzie nowa edycja
#: benchmarkingu" the known editions, not 2018's result. Tuning parts +4 (val9 +3, val2 +1),
#: none worse; held-out example questions the same (4 better, 4 worse); 0.2, 0.4 and 0.5
#: gain less. Only the sentences that ask count ("Nowy prezes pyta …" tells who asks), and
#: "nowy" only before a call or an edition ("nowa usługa koordynatora" names a call's aim).
#: When no later fact is close enough, two close editions may still trade (``_edition``).
RECENT_MARGIN = 0.3
RECENT_POOL = 3
#: Asked about now, procedures are editions too; a later history is not ("Kto jest obecnie
#: autorem standardów PARP?" does not ask about the 2017 guide).
NOW_KINDS = EDITIONED | {"procedure"}


@dataclass(frozen=True, slots=True)
class ScoredFact:
    """A fact of a card with how well it fits the question."""

    fact: Fact
    fit: float


@dataclass(frozen=True, slots=True)
class CardFacts:
    """A card's facts, indexed for choosing among them.

    Which facts have each term and how many, and the terms of the card's own name.
    """

    facts: tuple[Fact, ...]
    #: For each term, the positions of the facts that have it.
    holders: Mapping[str, tuple[int, ...]]
    frequency: Counter[str]
    own: frozenset[str]
    #: The years each fact mentions, and the latest and earliest its Polish text names (0: none).
    years: Mapping[str, frozenset[str]]
    latest: Mapping[str, int]
    earliest: Mapping[str, int]
    #: The rounds or editions each fact names by an ordinal ("rundzie VI": ``o6``).
    ordinals: Mapping[str, frozenset[str]]

    @classmethod
    def index(
        cls,
        facts: Iterable[Fact],
        terms_of: Callable[[Fact], frozenset[str]],
        own: frozenset[str],
        marks_of: Callable[[Fact], Marks],
    ) -> CardFacts:
        """Index ``facts`` with ``terms_of`` (the knowledge base's text analysis).

        ``marks_of``: the years and rounds a fact's own text names.
        """
        ordered = tuple(facts)
        ordinals = {fact.id: marks_of(fact).ordinals for fact in ordered}
        frequency: Counter[str] = Counter()
        holders: dict[str, list[int]] = {}
        for position, fact in enumerate(ordered):
            found = terms_of(fact)
            frequency.update(found)
            for term in found:
                holders.setdefault(term, []).append(position)
        years = {fact.id: frozenset(_YEAR.findall(f"{fact.pl} {fact.en}")) for fact in ordered}
        held = {term: tuple(positions) for term, positions in holders.items()}
        latest = {fact.id: latest_year(fact) for fact in ordered}
        earliest = {fact.id: earliest_year(fact) for fact in ordered}
        return cls(ordered, held, frequency, own, years, latest, earliest, ordinals)

    def rank(
        self,
        tokens: Sequence[Token],
        ask: Ask | None,
        info: Callable[[Token], float],
        resemblance: Mapping[str, float] | None = None,
        told: Sequence[float] | None = None,
        *,
        now: bool = False,
        recent: bool = False,
        names: frozenset[str] = frozenset(),
        kinds: Mapping[str, float] | None = None,
    ) -> tuple[ScoredFact, ...]:
        """Order the facts by how well they answer the question (best first).

        ``info`` is how much a word says in the language; ``told``, how much each word counts
        for where it stands (less around the sentence that asks). Among equal fits, the fact
        about the latest year leads, then the one listed first; of two close editions, the
        later (``NEWER_MARGIN``; procedures too, within ``NOW_MARGIN``, when the question
        says it asks about ``now``); of close facts of any kinds, the latest when it asks about
        the ``recent``.
        """
        n = len(self.facts)
        weights = []
        for index, token in enumerate(tokens):
            df = max(self.frequency.get(term, 0) for term in token.terms)
            rarity = math.log((n + 1) / (df + 0.5))
            # Ordinary words ("cel", "termin") do tell facts apart: the language's rarity
            # counts less here than when choosing the card. The card's own name, spelled
            # out by the question and by a few facts, says little about which fact is asked.
            named = TITLE_IN_FACT if token.matches(self.own) else 1.0
            if ask is not None and ask.focus is not None and fold(token.surface) == ask.focus:
                named *= FOCUS_BOOST  # "ile *wskaźników*": the fact must be about them
            if told is not None:
                named *= told[index]
            weights.append(rarity * math.sqrt(min(1.0, info(token))) * named)
        total = max(sum(weights), FIT_FLOOR)
        asked = marks(tokens)
        asked_years = frozenset(year[1:] for year in asked.years)  # "n2019" → "2019"
        found = [0.0] * n  # the weight of the question words each fact has
        for token, weight in zip(tokens, weights, strict=True):
            for position in {p for term in token.terms for p in self.holders.get(term, ())}:
                found[position] += weight
        scored = []
        for fact, words in zip(self.facts, found, strict=True):
            fit = words / total + KIND_WEIGHT * _kind_rank(fact, ask)
            if kinds:
                fit += KIND_MODEL_WEIGHT * kinds.get(fact.kind, 0.0)
            if resemblance:
                fit += EXAMPLE_WEIGHT * resemblance.get(fact.id, 0.0)
            if fact.certainty == "uncertain":
                fit -= UNCERTAIN_PENALTY
            fit += _which(asked_years, self.years[fact.id], YEAR_WEIGHT)
            fit += _which(asked.ordinals, self.ordinals[fact.id], ORDINAL_GAIN)
            if ask is not None and ask.type.shape is not None and ask.type.shape.search(fact.pl):
                fit += SHAPE_WEIGHT
            if fact.id in names:  # the question names what this fact alone is about
                fit += NAME_WEIGHT
            scored.append(ScoredFact(fact, round(fit, 4)))
        # Among equal fits: the latest year first, then the card's order (a stable sort).
        scored.sort(key=lambda s: (-s.fit, -self.latest[s.fact.id]))
        first_asked = asked.ordinals == {FIRST} and not any(self.ordinals.values())
        undated = not asked.years and not asked.ordinals
        if recent and undated and self._latest(scored):
            return tuple(scored)
        if undated or first_asked:
            self._edition(scored, NOW_MARGIN if now else NEWER_MARGIN, now, first=first_asked)
        return tuple(scored)

    def _latest(self, scored: list[ScoredFact]) -> bool:
        """Let the fact about the latest year lead among those within ``RECENT_MARGIN``.

        The lead and that fact trade places, each keeping its place's fit. Whether they did:
        when not, two close editions may still trade (``_edition``: "the latest 2.3.3 call"
        names a now-word too).
        """
        if not scored:
            return False
        lead = scored[0]
        close = [s for s in scored[:RECENT_POOL] if lead.fit - s.fit <= RECENT_MARGIN]
        newest = max(close, key=lambda s: self.latest[s.fact.id])  # the first among equals
        if self.latest[newest.fact.id] <= self.latest[lead.fact.id]:
            return False
        place = scored.index(newest)
        scored[0] = ScoredFact(newest.fact, lead.fit)
        scored[place] = ScoredFact(lead.fact, newest.fit)
        return True

    def _edition(self, scored: list[ScoredFact], margin: float, now: bool, *, first: bool) -> None:
        """Let the later of the two best facts lead when they are editions of one another.

        Both of one kind whose value changes from call to call, the second about later years
        and within ``margin`` of the first. ``first``: the question asks for the first edition
        ("pierwszy nabór") and no fact names one: the earlier leads instead. The fits keep their
        order; the facts trade places.
        """
        if len(scored) < 2:
            return
        lead, other = scored[0], scored[1]
        start, then = self.earliest[lead.fact.id], self.earliest[other.fact.id]
        if (
            lead.fact.kind == other.fact.kind
            and lead.fact.kind in (NOW_KINDS if now else EDITIONED)
            and start > 0
            and then > 0
            and (then < start if first else start < then)
            and lead.fit - other.fit <= margin
        ):
            scored[0] = ScoredFact(other.fact, lead.fit)
            scored[1] = ScoredFact(lead.fact, other.fit)


def _which(asked: frozenset[str], named: frozenset[str], gain: float) -> float:
    """A fact about the year (or round) asked gains ``gain``; one only about others loses."""
    if not asked or not named:
        return 0.0
    return gain if asked & named else -YEAR_WEIGHT * OTHER_YEAR_SHARE


def shown(facts: Sequence[ScoredFact]) -> list[Fact]:
    """The lead fact and the few that fit nearly as well (at most ``MAX_FACTS``)."""
    if not facts:
        return []
    lead = facts[0]
    chosen = [lead.fact]
    for scored in facts[1:MAX_FACTS]:
        if lead.fit > 0 and scored.fit >= FOLLOW_SHARE * lead.fit:
            chosen.append(scored.fact)
    return chosen


def answer_facts(facts: Sequence[ScoredFact], ask: AskType | None) -> list[Fact]:
    """The facts an answer shows, best first.

    "Is it still open?" is answered from the status and the newest known call: when the
    shown facts hold no call dates, the card's latest deadline fact follows them.
    """
    chosen = shown(facts)
    if ask is not None and ask.name == "status" and chosen:
        calls = [s.fact for s in facts if s.fact.kind == "deadline"]
        if calls and not any(f.kind == "deadline" for f in chosen):
            newest = max(calls, key=latest_year)
            chosen = [*chosen[: MAX_FACTS - 1], newest]
    return chosen


def latest_year(fact: Fact) -> int:
    """The latest year a fact mentions (0 when none)."""
    return max(_years(fact), default=0)


def earliest_year(fact: Fact) -> int:
    """The earliest year a fact mentions (0 when none)."""
    return min(_years(fact), default=0)


def _years(fact: Fact) -> list[int]:
    """The years a fact's Polish text names."""
    return [int(y) for y in _YEAR.findall(fact.pl)]


def _kind_rank(fact: Fact, ask: Ask | None) -> float:
    if ask is None:
        return NO_ASK_DEFINITION if fact.kind == "definition" else 0.0
    others = (OTHER_ASK_SHARE * _rank_in(fact, other) for other in ask.others)
    return max([_rank_in(fact, ask.type), *others])


def _rank_in(fact: Fact, ask_type: AskType) -> float:
    """How well a fact's kind answers one ask-type (its place among the preferred kinds)."""
    kinds = ask_type.kinds
    if fact.kind in kinds:
        position = kinds.index(fact.kind)
        return KIND_RANKS[min(position, len(KIND_RANKS) - 1)]
    return 0.0
