"""The word-form lexicon: Polish and English forms of the words our content uses.

simplemma's full Polish dictionary (3.7 million forms) takes seconds to load, too slow for
start-up. ``clusterbot build-lexicon`` keeps only the forms whose lemma occurs in the
cards and their facts and stores them in ``content/lexicon.json`` with a key of the content's
words; start-up loads that file in milliseconds. When the content changed since the file
was built, start-up builds it in memory from simplemma (slow, with a warning).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Mapping

from bot.core.folding import fold
from bot.knowledge.documents import card_texts, reduce_lexicon
from bot.knowledge.model import KnowledgeContent

log = logging.getLogger(__name__)
LANGUAGES = ("pl", "en")
_WORD = re.compile(r"[^\W\d_]+")


def corpus_words(content: KnowledgeContent) -> set[str]:
    """Every distinct lower-case word of the cards (with their facts) and the ask cues."""
    texts: list[str] = []
    for card in content.cards:
        title, body = card_texts(card)
        texts += title + body
        texts += [q for fact in card.facts for q in fact.questions]
    for ask in content.vocabulary.ask_types:
        texts += ask.cues
    for group in content.vocabulary.synonyms:
        texts += group
    return {w.lower() for text in texts for w in _WORD.findall(text)}


def corpus_key(words: Iterable[str]) -> str:
    """Return a fingerprint of the content's words (the lexicon is valid for it only)."""
    return hashlib.sha256("\n".join(sorted(words)).encode("utf-8")).hexdigest()[:16]


def build_lexicon(words: set[str]) -> dict[str, str]:
    """Reduce simplemma's Polish and English dictionaries to what ``words`` can need."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    factory = DefaultDictionaryFactory()
    lexicon: dict[str, str] = {}
    for language in reversed(LANGUAGES):  # Polish last: it wins on shared forms
        full = factory.get_dictionary(language)
        lexicon.update(reduce_lexicon(full, words))
    # Forms typed without diacritics find their lemma too; a form with diacritics wins
    # over an unrelated dictionary word that happens to look like it folded ("zlota").
    for form, lemma in list(lexicon.items()):
        if fold(form) != form.lower():
            lexicon[fold(form)] = lemma
    return lexicon


def lexicon_for(content: KnowledgeContent, stored: Mapping[str, object] | None) -> dict[str, str]:
    """Return the stored lexicon when it matches the content, else build one (slow)."""
    words = corpus_words(content)
    key = corpus_key(words)
    if stored is not None and stored.get("key") == key and isinstance(stored.get("forms"), dict):
        forms = stored["forms"]
        assert isinstance(forms, dict)  # noqa: S101 - checked above; narrows for mypy
        if all(isinstance(v, str) for v in forms.values()):  # JSON keys are strings
            return forms
        return {str(k): str(v) for k, v in forms.items()}
    log.warning(
        "content/lexicon.json is missing or out of date; building it from simplemma "
        "(takes seconds; run `clusterbot build-lexicon` to store it)"
    )
    return build_lexicon(words)
