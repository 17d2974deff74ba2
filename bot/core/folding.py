"""Case and diacritic folding for matching what people type (``Łódź`` → ``lodz``)."""

from __future__ import annotations

import unicodedata

_FOLD = str.maketrans({"ł": "l", "Ł": "L"})


def fold(text: str) -> str:
    """Lower-case and strip diacritics."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
