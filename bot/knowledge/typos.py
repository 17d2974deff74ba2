"""Mending typos in question words against the words of our own texts."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.core.folding import fold
from bot.knowledge.text import SYNONYM_TERM, Token
from bot.knowledge.tuning import TYPO_CUTOFF

#: Words shorter than this are not mended ("sa" is not "są"'s typo of anything we know).
MIN_LENGTH = 5
#: A word at least this common in the language is a word, not a typo (Zipf scale).
COMMON_ZIPF = 3.5
#: Polish case endings a foreign name takes ("w Scale Upie", "z Boosterem").
CASE_ENDINGS = ("owi", "ach", "ami", "ie", "em", "om", "ow", "u", "a", "y", "e")
#: A made-up name ("ESCA", "FENG", "EUCLES") is mended from a lower-case word of this length
#: or more: one letter away from a longer name ("eukles"), two letters swapped in one of this
#: length ("fneg"). Shorter words are not mended at all.
CODE_LENGTH = 4


class Typos:
    """Replaces a question word we do not know by the closest word of our texts.

    A typo is of a word as written ("obszry" for "obszary"), so the closest written form in
    our texts gives the lemma; failing that, the closest lemma ("standardow" is folded).

    A dictionary word (``in_dictionary``) is not mended into one of our cards' ``names``:
    "klaster branżowy" is no typo of the Bronze Label's "brązowy", nor "morskim" of
    "pomorski". An English name may still be its cognate ("sekretariat", "secretariat").

    A made-up name of our cards (``codes``: "esca", "feng", no dictionary word) is mended
    from an unknown lower-case word that misspells it ("fneg", "eukles"; not "ENEA", "felg").
    A word spelt as it sounds is mended into a Polish word of our texts ("nabur"), and a
    capitalised foreign name with a Polish ending after its first word ("Scale Upie").
    """

    def __init__(
        self,
        forms: Iterable[Token],
        known: Iterable[str],
        zipf: Callable[[str], float],
        *,
        names: frozenset[str] = frozenset(),
        in_dictionary: Callable[[str], bool] = lambda word: False,
        english: Callable[[str], bool] = lambda term: False,
        codes: Iterable[str] = (),
    ) -> None:
        self._forms: dict[str, str] = {}
        #: Our texts' forms as they sound: "nabór" and "nabur", "przyznano" and "pżyznano".
        self._sounds: dict[str, str] = {}
        for token in forms:
            if token.main.isalpha() and len(token.surface) >= CODE_LENGTH:
                self._sounds.setdefault(sound(token.surface), token.main)
                if len(token.surface) >= MIN_LENGTH:
                    self._forms.setdefault(fold(token.surface), token.main)
        self._form_list = sorted(self._forms)
        self._known = frozenset(known)
        # Only word lemmas are candidates for typo correction, not numbers or prefixes.
        self._vocabulary = sorted(t for t in self._known if t.isalpha())
        self._zipf = zipf
        self._names = names
        self._in_dictionary = in_dictionary
        self._english = english
        self._codes = sorted(c for c in codes if c.isalpha() and len(c) >= CODE_LENGTH)

    def correct(self, tokens: list[Token]) -> list[Token]:
        """The tokens, each unknown rare word given the closest known lemma first."""
        fixed: list[Token] = []
        for token in tokens:
            lemma = None
            if (
                token.main not in self._known
                and not self._has_synonym(token)
                and not token.is_number
                and len(token.main) >= CODE_LENGTH
                and self._zipf(token.surface) < COMMON_ZIPF
            ):
                before = fixed[-1].main if fixed else ""
                lemma = (
                    self._sounded(token) or self._inflected_name(token, before) or self._code(token)
                )
                if lemma is None and len(token.main) >= MIN_LENGTH:
                    lemma = self._closest(token)
                if lemma is not None and self._renames(token, lemma):
                    lemma = None
            fixed.append(Token(token.surface, (lemma, *token.terms)) if lemma else token)
        return fixed

    def _renames(self, token: Token, lemma: str) -> bool:
        """Whether mending would turn a dictionary word into another word, one of our names."""
        return (
            lemma in self._names and self._in_dictionary(token.surface) and not self._english(lemma)
        )

    def _has_synonym(self, token: Token) -> bool:
        """Whether the word has a synonym in our texts ("pułap" for "limit"): no typo."""
        return any(t in self._known for t in token.terms if t.startswith(SYNONYM_TERM))

    def _sounded(self, token: Token) -> str | None:
        """The Polish word of our texts an unknown word sounds like ("nabur": "nabor")."""
        lemma = self._sounds.get(sound(token.surface))
        return lemma if lemma is not None and not self._english(lemma) else None

    def _inflected_name(self, token: Token, before: str) -> str | None:
        """The name a capitalised word declines in Polish ("w Scale Upie": "up").

        Only after the name's first word (``before``): "Aśka" alone is no "ask".
        """
        if not token.surface[:1].isupper() or before not in self._names:
            return None
        folded = fold(token.surface.lower())
        for ending in CASE_ENDINGS:
            stem = folded.removesuffix(ending)
            if stem != folded and len(stem) >= 2 and stem in self._names:
                return stem
        return None

    def _code(self, token: Token) -> str | None:
        """The made-up name an unknown lower-case word misspells, if any.

        One letter away from a name of five letters or more ("eukles"), two letters swapped
        in a shorter one ("fneg"); a word written with capitals is a name of its own ("ENEA",
        "Fang"), and "felg" is no FENG.
        """
        if not token.surface.islower() or self._in_dictionary(token.surface):
            return None
        word = fold(token.surface)
        for code in self._codes:
            if OSA.distance(word, code, score_cutoff=1) <= 1 and (
                len(code) > CODE_LENGTH or sorted(word) == sorted(code)
            ):
                return code
        return None

    def _closest(self, token: Token) -> str | None:
        form = process.extractOne(
            fold(token.surface), self._form_list, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF
        )
        if form is not None:
            return self._forms[form[0]]
        best = process.extractOne(
            token.main, self._vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF
        )
        return best[0] if best is not None else None


def sound(word: str) -> str:
    """A word as it sounds in Polish: "ó" is "u", "rz" is "ż", "ch" is "h" (folded).

    The commonest Polish spelling slips ("nabur", "pżyznano", "hcemy") sound like the word.
    """
    folded = fold(word.lower().replace("ó", "u"))
    return folded.replace("rz", "z").replace("ch", "h")
