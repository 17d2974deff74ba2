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


def test_an_ordinary_word_mistyped_weighs_as_that_word(content: Content) -> None:
    """A typo of an everyday word is not a rare word that no card explains."""
    kb = content.knowledge_base
    assert kb.words.zipf("trzba") == 0
    assert kb.words.infos(["trzba"], [0.0], typo=True) == [kb.words.info("trzeba")]
    for typed in ("trzba", "zmainy", "dofinasowanie", "orgaznizowal"):
        assert kb.words.info(typed) == 1.0  # unmended, as a word of ours is
        (token,) = kb.analyzer.tokens(typed)
        assert kb.info(token) <= 0.6
    # A word one letter from none of the lists' words, a short one one letter from a rarer
    # word (a brand: "koleo" is not "kolego"), a capitalised one (a name) stay rare.
    for rare in ("fotowoltajka", "koleo", "blik", "Dacia", "x" * 40):
        (token,) = kb.analyzer.tokens(rare)
        assert kb.info(token) > 0.9, rare


def test_a_question_with_a_mistyped_everyday_word_is_answered(content: Content) -> None:
    kb = content.knowledge_base
    hit = kb.search("ile obszarow poprawy trzba wskazac przy srebrnej odznace")
    assert hit[0].confidence >= 0.5
    assert hit[0].lead is not None and hit[0].lead.id == "esca-silver-improvement-areas"
    # … while a brand that happens to be one letter from a word is still not ours.
    assert kb.search("Jak kupić bilet przez koleo na spotkanie KKK?")[0].confidence < 0.5
