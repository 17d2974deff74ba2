"""Polish-aware text analysis: numbers, lemmas, diacritics, prefixes (pure, no I/O).

A question and a card are both turned into *tokens*; each token carries the terms it can
match: its lemma without diacritics (``klastrów`` and ``klastrow`` → ``klaster``), a
five-letter prefix (``p5klast``) for inflections the lexicon does not know, and for numbers a
normalised form (``2.3.3``, ``2 3 3`` and ``233`` → ``n233``). A Roman numeral or an
ordinal word beside a word for rounds or editions also names the round (``rundzie VI``,
``szóstej rundy`` and ``sixth round`` → ``o6``; ``rounds``). A word of a synonym group also
carries the term its group shares (``warunki``, ``kryteria`` and ``criteria`` →
``s:kryterium``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from bot.core.folding import fold
from bot.knowledge.rounds import (
    ROMAN,
    beside_round,
    is_ordinal,
    number_after_round,
    ordinal,
)

_NUMBER = re.compile(r"(?<![\d.])\d(?:[ .]\d){1,3}(?![\d])|\d+(?:\.\d+)*")
_WORD = re.compile(r"[^\W\d_]+")
#: An acronym's Polish ending written after a hyphen ("PARP-u", "KKK-ów", "PARP-owskie"):
#: the word is the acronym ("EU-funded" is two words).
_ACRONYM_ENDING = re.compile(
    r"(?<![^\W_])([A-ZĄĆĘŁŃÓŚŹŻ]{2,})-(?:u|a|y|ie|em|om|owi|ach|ami|ów|ą|ę|i"
    r"|owsk(?:i|a|ie|iego|iej|ich|im|ą)|ow(?:y|a|e|ego|ej|ych|ym|ą))(?![^\W_])"
)
#: A short ending after a hyphen ("start-*upu*", "start-*upów*"): not a word of its own.
_HYPHEN_ENDING = re.compile(r"(?<=[^\W\d_]{3})-([^\W\d_A-ZĄĆĘŁŃÓŚŹŻ]{1,7})(?![^\W_])")
PREFIX_LENGTH = 5
_PREFIX_TERM = f"p{PREFIX_LENGTH}"
#: The term a group of synonyms shares begins with this ("s:kryterium").
SYNONYM_TERM = "s:"
#: How many distinct written words keep their analysis (our texts have about 10,000).
WORD_CACHE = 50_000
#: Emoji: pictographs, symbols, flags, hearts, stars (not arrows or check marks as bullets).
_EMOJI = (
    "\U0001f1e6-\U0001f1ff\U0001f300-\U0001faff\u2600-\u26ff\u2705\u2728\u274c\u2753-\u2764\u2b50"
)
#: A sentence ends at ".", "!", "?" or ";" before a space, at a smiley standing apart (":)",
#: ";P", "xD") or an emoji (with the variation selector phones add), and at a line break:
#: "wiem :) a jaka będzie pogoda?" asks once; "(tak:)", "10:30" and "ABC:D" end nothing.
_SENTENCE = re.compile(
    r"(?<=[.!?;])\s+|\s+(?:[:;]-?[()DPdp]|[xX]D+)(?=\s|$)\s*"
    rf"|\s*[{_EMOJI}][{_EMOJI}\ufe0f\u200d]*\s+|\s*\n\s*"
)
#: What frames a question ends at a colon, a dash (the group) or a comma after a verb of asking,
#: before a question word ("Księgowa pyta, ile …", "Mamy brąz – ile …"; not "Jakie: wniosek, …").
_FRAMING = re.compile(
    r"(?::|(\s[-–—])|\b(?:pyta|pytam|pytamy|pytają|pytał|pytała|pytali|dopytuje|dopytują|wiedzieć"
    r"|dowiedzieć się|zastanawia się|zastanawiamy się|zastanawiam się|asks|asked|know"
    r"|wonders|wondering),)\s+",
    re.IGNORECASE,
)
#: Words that point back to what was said before ("Kto *go* przygotował?", "Is *it* open?"):
#: a sentence holding one asks about the sentences around it.
_BACK = frozenset(
    {
        *("go", "jego", "jej", "ich", "je", "nim", "niej", "nich", "niego", "nia", "tego"),
        *("tym", "tej", "tam", "tamten", "tamta", "tamto"),
        *("it", "its", "this", "them", "they", "those"),
    }
)
_LAST_WORD = re.compile(r"(?:^|\s|\()([^\W\d_]+(?:\.[^\W\d_]+)*)\.$")
#: Abbreviations a sentence never ends with ("ok. 40 firm", "np. PARP", "sp. z o.o. Czy").
_ABBREVIATIONS = frozenset(
    [
        "ok",
        "np",
        "tzw",
        "tzn",
        "m.in",
        "ul",
        "tj",
        "wg",
        "nr",
        "ds",
        "dot",
        "ang",
        "pt",
        "sp",
        "o.o",
        "art",
        "ust",
        "pkt",
        "ws",
        "woj",
        "im",
        "św",
        "e.g",
        "i.e",
        "ca",
        "vs",
        "approx",
        "dr",
        "prof",
        "mgr",
        "inż",
        "godz",
        "tel",
        "al",
    ]
)
#: Abbreviations that may end one ("… w 2019 r. Czy …"): they do when a capital follows.
_ABBREVIATIONS_AT_END = frozenset(["r", "rr", "itp", "itd", "etc", "mln", "mld", "tys", "zł"])


@dataclass(frozen=True, slots=True)
class Token:
    """One meaningful word or number of a text, with the terms it may match."""

    surface: str
    terms: tuple[str, ...]

    @property
    def main(self) -> str:
        """The lemma (or number) term."""
        return self.terms[0]

    def matches(self, terms: frozenset[str]) -> bool:
        """Whether any of this token's terms is among ``terms``."""
        return not terms.isdisjoint(self.terms)

    def matches_lemma(self, terms: frozenset[str]) -> bool:
        """Whether it is among ``terms`` by itself, not by its first letters or a synonym."""
        return any(
            term in terms
            for term in self.terms
            if not term.startswith((_PREFIX_TERM, SYNONYM_TERM))
        )

    @property
    def is_number(self) -> bool:
        """Whether the token is a number (``n233``) or a round's Roman numeral ("VI": ``o6``)."""
        return (self.main.startswith("n") and self.main[1:].isdigit()) or (
            is_ordinal(self.terms[-1]) and ROMAN.fullmatch(self.surface) is not None
        )


class Analyzer:
    """Turns text into tokens using a lexicon of word forms to lemmas."""

    def __init__(
        self,
        lexicon: Mapping[str, str],
        stopwords: Iterable[str],
        synonyms: Iterable[Sequence[str]] = (),
    ) -> None:
        self._lexicon = lexicon
        self._stop = frozenset(fold(w) for w in stopwords)
        #: Each synonym (folded, as the group writes it) and the term its group shares
        #: ("warunki" and "kryteria": ``s:kryterium``), so that either word finds a text
        #: using the other. A question word belongs by its lemma or as written: the lexicon
        #: reads "wymagania" as "wymaganie" but "wymaganie" as "wymagać", which is no synonym.
        self._synonyms: dict[str, str] = {}
        for group in synonyms:
            shared = f"{SYNONYM_TERM}{fold(group[0].lower())}"
            self._synonyms.update(dict.fromkeys((fold(word.lower()) for word in group), shared))
        #: Each written word's token (``None`` for a stop word) and the round it may name:
        #: the same words recur in thousands of example questions and in every question.
        self._words: dict[str, tuple[Token | None, int | None]] = {}

    def _ending(self, match: re.Match[str]) -> str:
        """A short ending after a hyphen goes when it is not a word ("start-upu" → "start")."""
        return match.group() if self.knows(match.group(1)) else ""

    def knows(self, word: str) -> bool:
        """Whether the lexicon has the word: a dictionary word, not a typo ("branżowym")."""
        lower = word.lower()
        return lower in self._lexicon or fold(lower) in self._lexicon

    def lemma(self, word: str) -> str:
        """Return the folded lemma of a word (the folded word when the lexicon lacks it)."""
        lower = word.lower()
        found = self._lexicon.get(lower) or self._lexicon.get(fold(lower))
        return fold(found) if found else fold(lower)

    def sentence_of(
        self, text: str, tokens: Sequence[Token], openers: Collection[str] = ()
    ) -> list[int]:
        """The number of the sentence of ``text`` each token comes from.

        ``tokens`` are those of ``text`` (numbers first, then words, as ``tokens`` gives
        them), some perhaps left out: each takes the first sentence where its written form
        is still unclaimed, so "2.3.3" in the last sentence does not pull the words before
        it there.
        """
        parts = sentences(text, openers)
        unclaimed: dict[str, list[int]] = {}
        for number, part in enumerate(parts):
            for token in self.tokens(part):
                unclaimed.setdefault(token.surface, []).append(number)
        last = max(0, len(parts) - 1)
        where: list[int] = []
        for token in tokens:
            places = unclaimed.get(token.surface)
            where.append(places.pop(0) if places else last)
        return where

    def tokens(self, text: str) -> list[Token]:
        """Analyse ``text`` into tokens, dropping stop words."""
        out: list[Token] = []
        if "-" in text:
            text = _ACRONYM_ENDING.sub(r"\1", text)
            text = _HYPHEN_ENDING.sub(self._ending, text)
        for match in _NUMBER.finditer(text):
            digits = re.sub(r"\D", "", match.group())
            out.append(Token(match.group(), (f"n{digits}",)))
        rest = _NUMBER.sub(" ", text) if out else text
        found = list(_WORD.finditer(rest))
        for index, match in enumerate(found):
            word = match.group()
            known = self._words.get(word)
            if known is None:
                if len(self._words) >= WORD_CACHE:
                    self._words.clear()
                known = self._words[word] = (self._word(word), ordinal(word))
            token, number = known
            if number is None:
                number = number_after_round(rest, found, index)  # "round one"
            elif not beside_round(rest, found, index):
                number = None
            if number is not None:
                terms = token.terms if token is not None else (fold(word),)
                token = Token(word, (*terms, f"o{number}"))
            if token is not None:
                out.append(token)
        return out

    def _word(self, word: str) -> Token | None:
        folded = fold(word)
        if folded in self._stop or len(folded) < 2:
            return None
        lemma = self.lemma(word)
        terms = [lemma]
        if len(folded) > PREFIX_LENGTH:
            prefix = f"p{PREFIX_LENGTH}{folded[:PREFIX_LENGTH]}"
            if prefix != lemma:
                terms.append(prefix)
        if group := self._synonyms.get(lemma) or self._synonyms.get(folded):
            terms.append(group)
        return Token(word, tuple(terms))


@dataclass(frozen=True, slots=True)
class Marks:
    """Which call a text is about: the years (``n2016``) and the ordinals (``o6``) it names."""

    years: frozenset[str] = frozenset()
    ordinals: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.years or self.ordinals)

    def other_than(self, other: Marks) -> bool:
        """Whether ``other`` names only other years, or only other rounds, than these."""
        return any(
            mine and theirs and not mine & theirs
            for mine, theirs in ((self.years, other.years), (self.ordinals, other.ordinals))
        )


_NO_MARKS = Marks()


def marks(tokens: Iterable[Token]) -> Marks:
    """The years and ordinals ``tokens`` name (string tests: thousands of texts are indexed)."""
    years: list[str] = []
    ordinals: list[str] = []
    for token in tokens:
        term = token.terms[-1]  # a number's only term; an ordinal's is its last
        if is_ordinal(term):
            ordinals.append(term)
        elif len(term) == 5 and term[:3] in ("n19", "n20") and term[3:].isdigit():
            years.append(term)
    return Marks(frozenset(years), frozenset(ordinals)) if years or ordinals else _NO_MARKS


def sentences(text: str, openers: Collection[str] = ()) -> list[str]:
    """The sentences of a text; "ok. 40 firm", "np. PARP", "w 2019 r. ogłoszono" end none.

    What frames a question ("Księgowa pyta, | ile …") ends before one of the (folded)
    ``openers``, the words a question opens with.
    """
    parts: list[str] = []
    for part in (p for whole in _SENTENCE.split(text) for p in _clauses(whole, openers)):
        if not part.strip():
            continue
        if parts and _continues(parts[-1], part):
            parts[-1] = f"{parts[-1]} {part}"
        else:
            parts.append(part)
    return parts


def _clauses(sentence: str, openers: Collection[str]) -> list[str]:
    """A sentence cut after what frames the question in it ("Księgowa pyta, | ile …")."""
    asks = _opens_with(sentence, openers)  # "How did it go in 2015 – what stages …?" is one
    ends = (m.end() for m in _FRAMING.finditer(sentence) if not (asks and m.group(1)))
    cuts = [0, *(end for end in ends if _opens_with(sentence[end:], openers)), len(sentence)]
    return [sentence[a:b].rstrip() for a, b in pairwise(cuts) if a < b]


def refers_back(question: str, asking: Collection[int], openers: Collection[str] = ()) -> bool:
    """Whether the sentences that ask point back to what was said before ("Kto go …?")."""
    parts = sentences(question, openers)
    return any(fold(word.lower()) in _BACK for i in asking for word in _WORD.findall(parts[i]))


def _continues(before: str, part: str) -> bool:
    """Whether ``part`` goes on the sentence ``before`` cut after an abbreviation or "..."."""
    if before.endswith(".."):
        return True  # "Czy KKK... hmm... daje punkty?" is one sentence
    found = _LAST_WORD.search(before)
    if found is None:
        return False
    word = found.group(1).lower()
    return word in _ABBREVIATIONS or (word in _ABBREVIATIONS_AT_END and not part[0].isupper())


def asking_sentences(question: str, openers: Collection[str] = ()) -> frozenset[int]:
    """Which sentences ask, and so which are mere context around them.

    Those with a question mark ("Ile kosztuje srebro? Czy to się opłaca?"); failing that,
    those opening with a question word or a request, one of the (folded) ``openers`` ("Ile
    kosztuje brąz. Co do terminu, nie spieszy nam się."); failing that, the last. A sentence
    without a word ("🙏") or with only a name (a signature: "Anna Kowalska") asks nothing;
    greetings and thanks are gone before (``courtesy`` in ``content/knowledge.yaml``).
    """
    parts = sentences(question, openers)
    worded = [i for i, part in enumerate(parts) if _says_something(part)]
    marked = [i for i in worded if "?" in parts[i]]
    if not marked:
        marked = [i for i in worded if _opens_with(parts[i], openers)]
    if not marked:
        marked = worded[-1:]
    return frozenset(marked or range(len(parts)))


def _says_something(sentence: str) -> bool:
    """Whether a sentence says something: "🙏" and a signature ("Anna Kowalska") do not."""
    words = _WORD.findall(sentence)
    if not words:
        return False
    return "?" in sentence or not (len(words) <= 3 and all(w[0].isupper() for w in words))


def _opens_with(sentence: str, words: Collection[str]) -> bool:
    first = _WORD.search(sentence)
    return first is not None and fold(first.group().lower()) in words
