"""Rounds and editions by number: "rundzie VI", "szóstej edycji", "the third KKK round".

A Roman numeral or an ordinal word names a round only beside a word for rounds or editions
(pure string tests: thousands of texts are indexed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.folding import fold

#: A Roman numeral as rounds and editions are numbered ("runda VI", "Runda I").
ROMAN = re.compile(r"X{0,3}(?:IX|IV|VI{0,3}|I{1,3})|X{1,3}")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
#: A numeral or an ordinal word names a round only beside one of these words ("rundzie VI",
#: "szóstej edycji", "first call"): "oś II", "po pierwsze", "firma X" name none.
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


def ordinal(word: str) -> int | None:
    """The number a Roman numeral or an ordinal word stands for ("VI", "szóstej": 6)."""
    if ROMAN.fullmatch(word):
        return roman_value(word)
    folded = fold(word)
    if folded in _ENGLISH_ORDINALS:
        return _ENGLISH_ORDINALS[folded]
    polish = _POLISH_ORDINAL.fullmatch(folded)
    return _POLISH_STEMS[polish.group(1)] if polish else None


def beside_round(text: str, found: Sequence[re.Match[str]], index: int) -> bool:
    """Whether a word next to ``found[index]`` names rounds ("rundzie VI").

    Only spaces stand between them, or an acronym ("the third KKK round").
    """
    here = found[index]
    for step in (-1, 1):
        near = [index + step]
        if 0 <= near[0] < len(found) and found[near[0]].group().isupper():
            near.append(index + 2 * step)  # past an acronym
        for other in (i for i in near if 0 <= i < len(found)):
            there = found[other]
            gap = text[min(here.end(), there.end()) : max(here.start(), there.start())].strip()
            if fold(there.group()).startswith(_ROUNDS) and (
                not gap or (gap.isalpha() and gap.isupper())
            ):
                return True
    return False


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
