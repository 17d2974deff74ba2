"""What a question asks for: its ask-type ("how much", "until when", "is it still open").

Cues come from ``content/knowledge.yaml``. A cue is a short phrase whose words must occur in
the question in order, at most one word apart ("kto teraz przyznaje"), after case and
diacritic folding. A cue word of
five letters or more matches any question word it begins (``ile czlon`` matches "ile
członków"); a shorter one only the same word ("moze" is not "mozesz"), and so does one marked
"!" ("ruszy!" is not "ruszyło"). A cue holding a
question word ("ile", "kiedy", "how") beats one without; among those, the longest wins, so
"ile kosztuje" (cost) beats "ile" (amount), and "ile projektów … do dofinansowania" asks how
many, not how much. The other ask-types a question asks with a question word ("kiedy … i ile
…") are kept beside the main one. Fillers ("ile *w końcu* projektów") are passed over.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from bot.core.folding import fold
from bot.knowledge.model import Vocabulary
from bot.knowledge.text import Token, asking_sentences, sentences

_WORD = re.compile(r"[^\W_]+")
_CUE_WORD = re.compile(r"([^\W_]+)(!?)")
#: Cue words at least this long match as prefixes; shorter ones must match whole words.
PREFIX_MIN = 5
#: A cue made of "what" or "co" and a copula names no ask of its own ("what is", "what are",
#: "co to jest", "czym są"): any other cue found beats it ("What are the *benefits* …").
_COPULAS = frozenset({"is", "are", "was", "were", "to", "jest", "sa", "byl", "byla", "bylo"})
_VAGUE = _COPULAS | {"what", "co", "czym"}
#: The words that may stand between a vague cue and the main cue it frames ("what were *the*
#: results", "what were *their* costs"); "Czym to jest *i* jak …" asks two things.
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "these", "those"})


@dataclass(frozen=True, slots=True)
class AskType:
    """One ask-type: its name, the fact kinds it prefers (best first), and its cues."""

    name: str
    kinds: tuple[str, ...]
    cues: tuple[tuple[str, ...], ...]
    shape: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class Ask:
    """The ask-type found in a question and the (folded) question words its cue used."""

    type: AskType
    cue_words: frozenset[str]
    #: The question word right after the cue ("ile **wskaźników**", "kto **napisał**"):
    #: what the answer is about.
    focus: str | None = None
    #: Other ask-types the question asks with a question word ("kiedy … i ile …").
    others: tuple[AskType, ...] = ()


def cue_words(phrase: str) -> tuple[str, ...]:
    """Split a cue phrase into folded word prefixes.

    A word marked with "!" matches only itself, however long: "ruszy!" (will it start) is
    not "ruszyło" (it started).
    """
    return tuple(fold(word) + exact for word, exact in _CUE_WORD.findall(phrase))


def question_words(question: str) -> list[str]:
    """Split a question into folded words (numbers kept)."""
    return [fold(w) for w in _WORD.findall(question)]


class AskDetector:
    """Finds the ask-type of a question from cue phrases."""

    def __init__(
        self,
        types: Sequence[AskType],
        question_words: Iterable[str] = (),
        fillers: Iterable[str] = (),
        now_words: Iterable[str] = (),
        recent_cues: Iterable[str] = (),
    ) -> None:
        self.types = tuple(types)
        self._now = frozenset(fold(w) for w in now_words)
        self._recent = [cue for cue in map(cue_words, recent_cues) if cue]
        self._interrogatives = frozenset(fold(w) for w in question_words)
        #: Fillers as folded word sequences, the longest first.
        self._fillers = sorted(
            {cue_words(f) for f in fillers if cue_words(f)}, key=len, reverse=True
        )
        #: Cues by their first word: a question word looks up itself and its prefixes.
        self._by_first: dict[str, list[tuple[tuple[str, ...], AskType]]] = {}
        for ask_type in types:
            for cue in ask_type.cues:
                if cue:
                    self._by_first.setdefault(cue[0].rstrip("!"), []).append((cue, ask_type))

    @classmethod
    def from_vocabulary(cls, vocabulary: Vocabulary) -> AskDetector:
        """The detector of ``content/knowledge.yaml``'s ask-types, cues and word lists."""
        types = [
            AskType(
                entry.name,
                entry.kinds,
                tuple(cue_words(c) for c in entry.cues),
                re.compile(entry.shape) if entry.shape else None,
            )
            for entry in vocabulary.ask_types
        ]
        return cls(
            types,
            vocabulary.question_words,
            vocabulary.fillers,
            vocabulary.now_words,
            vocabulary.recent_cues,
        )

    def detect(self, question: str, asking_text: str | None = None) -> Ask | None:
        """Return the ask-type of the longest cue found (earliest on a tie), or ``None``.

        ``asking_text``: the sentences that ask, when others stand around them. When they ask
        with a question mark and a question word and the cue found has no question word,
        their own cue leads and the other stays beside it: "We hold the Gold Label and it
        expires next spring. What would a renewal assessment cost us?" asks what it costs;
        "Proszę o odpowiedź do dnia 15 maja." asks nothing of its own.
        """
        words = self._without_fillers(question_words(question))
        best: tuple[tuple[bool, bool, int, int], AskType, list[str], str | None] | None = None
        #: The words each cue holding a question word covers, and its ask-type.
        asked: list[tuple[range, AskType, bool]] = []
        for start, word in enumerate(words):
            for cue, ask_type in self._candidates(word):
                span = _match(words, start, cue)
                if span is not None:
                    asking = any(part.rstrip("!") in self._interrogatives for part in cue)
                    generic = not _COPULAS.isdisjoint(cue) and _VAGUE.issuperset(cue)
                    if asking:
                        where = range(start, _end(words, start, span))
                        asked.append((where, ask_type, generic))
                    key = (not generic, asking, sum(len(p) for p in cue), -start)
                    if best is None or key > best[0]:
                        after = _after(words, start, span)
                        best = (key, ask_type, span, after)
        if best is None:
            return None
        if asking_text is not None and not best[0][1]:
            inner = self._asked_in(asking_text)
            if inner is not None and inner.type != best[1]:
                return replace(inner, others=(*inner.others, best[1]))
        # Another ask-type counts where its cue lies outside the main one and outside any
        # longer cue: "ile klastrów" asks how many, not also how much; "do kiedy", not "kiedy".
        main = range(-best[0][3], _end(words, -best[0][3], best[2]))
        others: dict[str, AskType] = {}
        for words_of, ask_type, generic in asked:
            inside = any(
                len(longer) > len(words_of) and _within(words_of, longer) for longer, _, _ in asked
            )
            # "What were the results …": the vague "what were" right before the main cue
            # frames it.
            between = words[words_of.stop : main.start]
            framing = generic and words_of.stop <= main.start and _DETERMINERS.issuperset(between)
            if not inside and not framing and not set(words_of) & set(main) and ask_type != best[1]:
                others.setdefault(ask_type.name, ask_type)
        return Ask(best[1], frozenset(best[2]), best[3], tuple(others.values()))

    def _asked_in(self, asking_text: str) -> Ask | None:
        """The ask-type of the sentences that ask, when they ask with "?" and a question word."""
        if "?" not in asking_text or self._interrogatives.isdisjoint(question_words(asking_text)):
            return None
        return self.detect(asking_text)

    def asks_now(self, question: str) -> bool:
        """Whether a question says it asks about what holds now ("jak *teraz* wygląda …")."""
        return not self._now.isdisjoint(question_words(question))

    def asks_recent(self, asking: str) -> bool:
        """Whether the sentences that ask say they ask about the latest ("co *ostatnio* …")."""
        words = question_words(asking)
        return any(_match(words, i, cue) for cue in self._recent for i in range(len(words)))

    def _without_fillers(self, words: list[str]) -> list[str]:
        """The words without the fillers in them ("ile w końcu projektów" → "ile projektów")."""
        kept: list[str] = []
        position = 0
        while position < len(words):
            filler = next(
                (f for f in self._fillers if tuple(words[position : position + len(f)]) == f),
                None,
            )
            if filler is None:
                kept.append(words[position])
            position += len(filler) if filler else 1
        return kept

    def _candidates(self, word: str) -> list[tuple[tuple[str, ...], AskType]]:
        found = list(self._by_first.get(word, ()))
        for length in range(PREFIX_MIN, len(word)):
            found += self._by_first.get(word[:length], ())
        return found


def _end(words: Sequence[str], start: int, span: Sequence[str]) -> int:
    """The position just after a cue matched from ``start`` (the words it skipped included)."""
    position = start
    for word in span:
        while position < len(words) and words[position] != word:
            position += 1
        position += 1
    return position


def _within(inner: range, outer: range) -> bool:
    return outer.start <= inner.start and inner.stop <= outer.stop


def _after(words: Sequence[str], start: int, span: Sequence[str]) -> str | None:
    """The first word after a matched cue that is not a short function word."""
    position = _end(words, start, span)
    for word in words[position : position + 2]:
        if len(word) > 3:
            return word
    return None


def _match(words: Sequence[str], start: int, cue: Sequence[str]) -> list[str] | None:
    """The question words a cue matches from ``start``, or ``None``.

    One word may stand between two cue words ("kto teraz przyznaje", "ile to kosztuje").
    """
    if not _word_matches(words[start], cue[0]):
        return None
    matched = [words[start]]
    position = start + 1
    for part in cue[1:]:
        if position < len(words) and _word_matches(words[position], part):
            matched.append(words[position])
            position += 1
        elif position + 1 < len(words) and _word_matches(words[position + 1], part):
            matched.append(words[position + 1])
            position += 2
        else:
            return None
    return matched


def _word_matches(word: str, part: str) -> bool:
    if part.endswith("!"):
        return word == part[:-1]
    return word == part or (len(part) >= PREFIX_MIN and word.startswith(part))


def topical_places(
    every: Sequence[Token], ask: Ask | None, names: frozenset[str] = frozenset()
) -> list[int]:
    """The places of the words that say what a question is about: all but its ask cue's.

    A cue word that is a word of our cards' names (``names``) says what it is about too:
    "Ile jest *standardów* zarządzania klastrem?" names the standards in its cue "ile
    standard". Not where it asks where to ask: "infolinia" asks for the helpline, whatever
    else the question is about.
    """
    cue = ask.cue_words if ask is not None else frozenset()
    if ask is not None and ask.type.name == "contact":
        names = frozenset()
    return [i for i, t in enumerate(every) if fold(t.surface) not in cue or t.matches(names)]


def asking_text(question: str, openers: Collection[str] = ()) -> str | None:
    """The sentences that ask, when others stand around them (``None``: every one asks)."""
    parts = sentences(question, openers)
    asking = asking_sentences(question, openers)
    if len(asking) >= len(parts):
        return None
    return " ".join(parts[i] for i in sorted(asking))
