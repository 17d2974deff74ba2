"""Rounds and editions by number: "rundzie VI", "szóstej edycji", "the third KKK round".

A Roman numeral or an ordinal word names a round only beside a word for rounds or editions,
or with an acronym between after it (pure string tests: thousands of texts are indexed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.folding import fold

#: A Roman numeral as rounds and editions are numbered ("runda VI", "Runda I").
ROMAN = re.compile(r"X{0,3}(?:IX|IV|VI{0,3}|I{1,3})|X{1,3}")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
#: A numeral or an ordinal word names a round only beside one of these words ("rundzie VI",
#: "szóstej edycji", "first call"), or an acronym after it ("third KKK round"): "oś II", "po
#: pierwsze", "firma X" name none.
_ROUNDS = ("rund", "round", "edycj", "edition", "etap", "stage", "nabor", "call", "odslon")
#: Ordinal words, Polish by their folded stem and an adjective ending ("trzeciej",
#: "szósta", "pierwszego"), English as written.
_POLISH_STEMS = {
    stem: i
    for i, stem in enumerate(
        ("pierwsz", "drug", "trzec", "czwart", "piat", "szost", "siodm", "osm", "dziewiat"), 1
    )
} | {"dziesiat": 10}
_POLISH_ORDINAL = re.compile(
    f"({'|'.join(_POLISH_STEMS)})"
    r"(?:y|a|e|ej|ego|emu|ym|ymi|ych|i|ia|ie|iej|iego|iemu|im|imi|ich)"
)
_ENGLISH_ORDINALS = {
    word: i
    for i, word in enumerate(
        ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"), 1
    )
} | {"tenth": 10}
#: English numbers that name a round only right after an English word for one ("round one",
#: "edition two"): before it they count ("one call", "two rounds"), and after "call" the
#: word may be a verb ("call one of them").
_ENGLISH_AFTER = {
    word: i
    for i, word in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"), 1
    )
}
_ENGLISH_ROUNDS = ("round", "edition", "stage")


def ordinal(word: str) -> int | None:
    """The number a Roman numeral or an ordinal word stands for ("VI", "szóstej": 6)."""
    if ROMAN.fullmatch(word):
        return roman_value(word)
    folded = fold(word)
    if folded in _ENGLISH_ORDINALS:
        return _ENGLISH_ORDINALS[folded]
    polish = _POLISH_ORDINAL.fullmatch(folded)
    return _POLISH_STEMS[polish.group(1)] if polish else None


def number_after_round(text: str, found: Sequence[re.Match[str]], index: int) -> int | None:
    """The round an English number names right after a word for rounds ("round one": 1)."""
    number = _ENGLISH_AFTER.get(fold(found[index].group()))
    if number is None or index == 0:
        return None
    before = found[index - 1]
    named = fold(before.group()).startswith(_ENGLISH_ROUNDS)
    return number if named and not text[before.end() : found[index].start()].strip() else None


def beside_round(text: str, found: Sequence[re.Match[str]], index: int) -> bool:
    """Whether a word next to ``found[index]`` names rounds ("rundzie VI", "first call").

    Only spaces stand between them, or, after the number, an acronym ("the third KKK round"):
    not after a one-letter numeral ("I KKK nabór też?" is "and") nor in shouted text.
    """
    here = found[index]
    for other in (index - 1, index + 1):
        if 0 <= other < len(found) and _names_rounds(text, here, found[other], ""):
            return True
    after = index + 2
    if after < len(found) and _acronym_after(here.group(), found[index + 1].group()):
        return _names_rounds(text, here, found[after], found[index + 1].group())
    return False


def _names_rounds(text: str, here: re.Match[str], near: re.Match[str], acronym: str) -> bool:
    """Whether ``near`` is a word for rounds with only spaces and ``acronym`` before it."""
    gap = text[min(here.end(), near.end()) : max(here.start(), near.start())]
    return gap.strip() == acronym and fold(near.group()).startswith(_ROUNDS)


def _acronym_after(number: str, word: str) -> bool:
    """Whether ``word``, after the round's ``number``, is an acronym ("third KKK round")."""
    if len(word) < 2 or not word.isupper() or ROMAN.fullmatch(word):
        return False
    if ROMAN.fullmatch(number):
        return len(number) >= 2  # "VI KKK round", not "I KKK nabór"
    return not number.isupper()  # "PIERWSZY RAZ NABÓR" is shouted, not an acronym


def is_ordinal(term: str) -> bool:
    """Whether a term is a round's number (``o6`` for "VI", "szóstej", "sixth")."""
    return term[0] == "o" and term[1:].isdigit()


def roman_value(numeral: str) -> int:
    """The value of a Roman numeral ("VI" → 6, "IX" → 9)."""
    total = 0
    for letter, after in zip(numeral, [*numeral[1:], ""], strict=True):
        value = _ROMAN_VALUES[letter]
        total += -value if after and _ROMAN_VALUES[after] > value else value
    return total
