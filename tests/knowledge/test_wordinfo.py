"""How informative a word is: Polish and English words judged on one scale."""

from __future__ import annotations

import re
import statistics

from bot.knowledge import wordinfo
from bot.loader import Content

_WORD = re.compile(r"[^\W\d_]{4,}")


def test_the_english_shift_is_what_our_parallel_texts_show(content: Content) -> None:
    """Our facts say the same in Polish and English; their English words are more frequent."""
    kb = content.knowledge_base

    def mean_zipf(texts: list[str], language: str) -> float:
        found = [kb.words.zipf(w, language) for t in texts for w in _WORD.findall(t)]
        return statistics.mean(z for z in found if z > 0)

    facts = kb.facts.values()
    gap = mean_zipf([f.en for f in facts], "en") - mean_zipf([f.pl for f in facts], "pl")
    assert abs(gap - wordinfo.ENGLISH_SHIFT) <= 0.1


def test_a_word_and_its_translation_name_a_topic_alike(content: Content) -> None:
    words = content.knowledge_base.words
    pairs = [("fee", "opłata"), ("areas", "obszary"), ("score", "ocena"), ("plans", "plany")]

    def gap(shift: float) -> float:
        return statistics.mean(
            abs(words.info(en, english_shift=shift) - words.info(pl, english_shift=shift))
            for en, pl in pairs
        )

    assert gap(wordinfo.ENGLISH_SHIFT) < 0.6 * gap(0.0)
    # A Polish word is not shifted.
    assert words.info("opłata", english_shift=1.0) == words.info("opłata")
