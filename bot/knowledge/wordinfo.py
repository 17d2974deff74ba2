"""How informative a word is in general Polish and English, and which language a text is in.

The frequencies are the ``wordfreq`` package's "small" Polish and English lists (words with a
frequency of at least one per million, from Wikipedia, subtitles, news, books and the web).
Importing ``wordfreq`` itself takes about half a second (it pulls in ``langcodes`` and
``ftfy``), so its data files are read directly: each is a gzipped msgpack "cBpack", a header
followed by bins of words, bin *i* holding the words whose frequency is ``10 ** (-i / 100)``
(the format ``wordfreq.read_cBpack`` documents). Reading both takes tens of milliseconds.

A word that is common in the language ("kryteria", "otwarty", "jeszcze", "wybrano") says
little about *which* topic a question is on; a word that is rare in the language ("klaster",
"fotowoltaika", "hipoteka") says a lot, whether or not our cards contain it.
"""

from __future__ import annotations

import bisect
import gzip
import importlib.util
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import msgpack  # type: ignore[import-untyped]

from bot.core.folding import fold, fold_letters

LANGUAGES = ("pl", "en")
#: Words at least this common (Zipf scale: log10 of occurrences per billion words) carry
#: almost no information about a topic; words at RARE or below carry all of it.
COMMON_ZIPF = 5.0
RARE_ZIPF = 2.5
#: A stem keeps all but two letters of a word, and at least this many.
STEM_MIN = 5
#: How many letters of a word's end a stem leaves out (Polish endings: -ach, -ami, -ego).
STEM_CUT = 2
#: How many dictionary words sharing a stem are looked at.
STEM_SCAN = 400
#: The least a word weighs: very common words still count a little.
MIN_INFO = 0.08
#: An English word form stands for what several Polish forms share ("fee": "opłata", "opłaty",
#: "opłatę" …), so it is more frequent than a Polish form of a word as ordinary: the words of
#: our facts' English texts are on average this much higher on the Zipf scale than those of
#: their Polish texts (mean 4.91 against 4.45; ``test_wordinfo`` measures it again). Where
#: a question must name our topic (``confidence.explained_share``), an English word is judged
#: as if this much rarer.
ENGLISH_SHIFT = 0.5
_WORD = re.compile(r"[^\W\d_]+")
#: A word the lists do not have, of this many letters, one typo away from a word they have is
#: that word mistyped ("trzba", "orgaznizowal"): it weighs as that word (``typo_zipf``).
TYPO_MIN = 4
TYPO_MAX = 30
#: From this length on, a letter extra or replaced counts as a typo too, not only one missing
#: or two swapped.
TYPO_FULL = 7
#: … and below it, the word it is taken for must be at least this common (Zipf: "trzeba" 5.7,
#: "zmiany" 5.3; not "kolego" 4.3 for "koleo", "blink" 3.7 for "blik").
TYPO_SHORT_ZIPF = 4.5
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_POLISH_LETTERS = frozenset("ąćęłńóśźż")


def _data_file(language: str) -> Path:
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        raise RuntimeError("the wordfreq package is not installed")
    return Path(spec.origin).parent / "data" / f"small_{language}.msgpack.gz"


def read_zipf(path: Path) -> dict[str, float]:
    """Read a wordfreq cBpack file into ``{word: zipf}`` (the more frequent form wins)."""
    data = msgpack.unpackb(gzip.decompress(path.read_bytes()), raw=False)
    header, *bins = data
    if not isinstance(header, dict) or header.get("format") != "cB":
        raise ValueError(f"{path} is not a wordfreq cBpack file")
    # Rarest bins first, so that a word listed twice keeps its higher frequency.
    zipf: dict[str, float] = {}
    for index in range(len(bins) - 1, -1, -1):
        zipf.update(dict.fromkeys(bins[index], round(9 - index / 100, 2)))
    return zipf


@dataclass(frozen=True, slots=True)
class WordInfo:
    """General-language frequencies of Polish and English words, folded and unfolded.

    ``stems`` is every folded word, sorted, with its frequency: a word our lexicon cannot
    lemmatise ("kazała", "robiłam") is judged by the most common word that shares its stem
    ("kazał", "robił"), so an inflected ordinary word does not look rare.
    """

    exact: Mapping[str, Mapping[str, float]]
    folded: Mapping[str, Mapping[str, float]]
    stems: tuple[list[str], list[float]]

    @classmethod
    def load(cls) -> WordInfo:
        """Read the Polish and English lists shipped with ``wordfreq``."""
        return cls.from_lists({lang: read_zipf(_data_file(lang)) for lang in LANGUAGES})

    @classmethod
    def from_lists(cls, lists: Mapping[str, Mapping[str, float]]) -> WordInfo:
        """Build from ``{language: {word: zipf}}`` (tests pass small lists).

        ``folded`` holds only the words with diacritics, under their folded form, so that
        "nabor" finds "nabór"; a plain ASCII word is found as it is.
        """
        folded: dict[str, dict[str, float]] = {}
        every: dict[str, float] = {}
        for lang, words in lists.items():
            table: dict[str, float] = {}
            for word, value in words.items():
                if word.isascii():
                    if value > every.get(word, 0.0):
                        every[word] = value
                    continue
                key = fold_letters(word)
                if value > table.get(key, 0.0):
                    table[key] = value
            folded[lang] = table
            for key, value in table.items():
                if value > every.get(key, 0.0):
                    every[key] = value
        keys = sorted(every)
        return cls(exact=lists, folded=folded, stems=(keys, [every[k] for k in keys]))

    def zipf(self, word: str, language: str | None = None) -> float:
        """The word's Zipf frequency (0 when unknown); the more common language wins."""
        lower = word.lower()
        languages = (language,) if language else LANGUAGES
        best = 0.0
        for lang in languages:
            exact = self.exact.get(lang, {}).get(lower, 0.0)
            best = max(best, exact, self.folded.get(lang, {}).get(fold(lower), 0.0))
        return best

    def stem_zipf(self, word: str) -> float:
        """The frequency of the most common word sharing the word's stem.

        The stem is all but the last two letters, and at least five: a rough lemma for
        words the lexicon does not know.
        """
        folded = fold(word)
        length = max(STEM_MIN, len(folded) - STEM_CUT)
        if len(folded) <= length:
            return 0.0
        stem = folded[:length]
        keys, values = self.stems
        start = bisect.bisect_left(keys, stem)
        best = 0.0
        for index in range(start, min(start + STEM_SCAN, len(keys))):
            if not keys[index].startswith(stem):
                break
            best = max(best, values[index])
        return best

    def typo_zipf(self, word: str) -> float:
        """The frequency of the most common listed word one typo away (0 when none is).

        Every word of the lists is common enough to be typed (at least one per million), so
        a word they lack that is one of them with a letter missing, two letters swapped, or
        (from ``TYPO_FULL`` letters on) a letter extra or replaced is most likely that word
        mistyped. A shorter word is, only when the listed word is very common ("trzba",
        "zmainy"): else it is as likely a name or a brand ("koleo", "blik", "figma"); a
        capitalised word is likely a name ("Dacia", "Opolszczyzny").
        """
        folded = fold(word.lower())
        if word[:1].isupper() or not TYPO_MIN <= len(folded) <= TYPO_MAX:
            return 0.0
        if not (folded.isascii() and folded.isalpha()):
            return 0.0
        keys, values = self.stems
        best, full = 0.0, len(folded) >= TYPO_FULL
        for variant in _edits(folded, full=full):
            index = bisect.bisect_left(keys, variant)
            if index < len(keys) and keys[index] == variant:
                best = max(best, values[index])
        return best if full or best >= TYPO_SHORT_ZIPF else 0.0

    def info(self, *forms: str, english_shift: float = 0.0) -> float:
        """How much a word says about a topic, from 1 (rare) down to ``MIN_INFO`` (common).

        Several forms of one word (what was typed, its lemma) count as the most common one:
        "wybrano" is as uninformative as "wybrać". An English word is judged ``english_shift``
        rarer.
        """
        return self.infos(forms, (english_shift,))[0]

    def infos(
        self, forms: Sequence[str], shifts: Sequence[float], *, typo: bool = False
    ) -> list[float]:
        """``info`` of the forms with each of the English shifts (the frequencies read once).

        ``typo``: a word the lists lack may be a listed word mistyped (``typo_zipf``); not
        for our own terms ("ECCP", "Euroclusters"), which the lists may lack and mean.
        """
        words = [form for form in forms if form]
        polish = max((self.zipf(form, "pl") for form in words), default=0.0)
        english = max((self.zipf(form, "en") for form in words), default=0.0)
        stem, stem_english = 0.0, False
        if forms and forms[0]:
            stem = self.stem_zipf(forms[0])
            stem_english = self.zipf(forms[0], "en") > self.zipf(forms[0], "pl")
        if typo and not (polish or english or stem) and forms and forms[0]:
            stem = self.typo_zipf(forms[0])  # "trzba": "trzeba" mistyped, not a rare word
        found = []
        for shift in shifts:
            zipf = max(polish, english - shift, stem - (shift if stem_english else 0.0))
            share = (COMMON_ZIPF - zipf) / (COMMON_ZIPF - RARE_ZIPF)
            found.append(max(MIN_INFO, min(1.0, share)))
        return found

    def language(self, text: str, default: str | None = None) -> str | None:
        """Return ``"pl"`` or ``"en"`` when the text is clearly in one of them, else ``default``.

        Each word votes for the language in which it is clearly more common; a Polish letter
        is a Polish vote. Short or mixed texts ("FENG 2.17?") keep the default.
        """
        votes = {"pl": 0.0, "en": 0.0}
        for word in _WORD.findall(text):
            lower = word.lower()
            if _POLISH_LETTERS & set(lower):
                votes["pl"] += 1.5
                continue
            pl = self.zipf(lower, "pl")
            en = self.exact.get("en", {}).get(lower, 0.0)
            if abs(pl - en) < 1.0:
                continue
            votes["pl" if pl > en else "en"] += 1.0
        best = max(votes, key=lambda lang: votes[lang])
        other = votes["en" if best == "pl" else "pl"]
        if votes[best] >= 2 and votes[best] >= 2 * other + 1:
            return best
        return default


def _edits(word: str, *, full: bool) -> set[str]:
    """The words one letter longer or with two adjacent letters swapped.

    With ``full``, also those one letter shorter or with one letter replaced.
    """
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {a + c + b for a, b in splits for c in _LETTERS}
    found.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    if full:
        found.update(a + b[1:] for a, b in splits if b)
        found.update(a + c + b[1:] for a, b in splits if b for c in _LETTERS)
    found.discard(word)
    return found
