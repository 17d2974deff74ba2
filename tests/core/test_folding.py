"""Folding what people type: case and diacritics away, the same whatever the text holds."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.core import folding
from bot.core.folding import fold


def _by_definition(text: str) -> str:
    """Lower-case, ``ł`` as ``l``, then compatibility decomposition without combining marks."""
    lowered = text.lower().replace("ł", "l")
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_polish_letters_and_typography() -> None:
    assert fold("Łódź, ŻÓŁĆ i „Gęś” – ﬁrma") == "lodz, zolc i „ges” – firma"
    assert fold("1\u00a0292 m²") == "1 292 m2"  # a no-break space and a superscript two


def test_every_character_folds_as_the_whole_text_would() -> None:
    """Each character is folded by itself (and remembered): the result is the definition's."""
    characters = [chr(cp) for cp in range(0x80, 0x3000)]
    assert [fold(c) for c in characters] == [_by_definition(c) for c in characters]
    assert fold("".join(characters)) == _by_definition("".join(characters))


@given(st.text(max_size=60))
def test_any_text_folds_as_defined(text: str) -> None:
    assert fold(text) == _by_definition(text)


def test_what_is_remembered_stays_bounded() -> None:
    """A user sending every character there is does not grow the memory without end."""
    fold("".join(chr(cp) for cp in range(0x80, 0x30000) if not 0xD800 <= cp < 0xE000))
    assert len(folding._FOLDING) <= folding._KEPT
