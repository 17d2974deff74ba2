"""Verb endings: how likely a Polish word is a verb form, told by its last letters.

A long question from a busy coordinator is full of verbs in forms no frequency list holds
("przebadano", "polegniemy", "dopytuje", "celujemy"). Rare in the language and absent from
our cards, they looked like the salient words of another topic and got questions refused.
But a verb seldom names a topic: "fotowoltaika", "hipoteka" and "ZUS" are nouns. So a word
outside our cards counts against an answer less the likelier its ending is a verb's.

The shares come from simplemma's Polish dictionary (3.7 million forms with their lemmas): of
the forms ending in, say, "-ujemy", the share whose lemma is a verb (an infinitive, "-ć" or
"-c"). Verbal nouns ("przetwarzania", "powierzenie") count as nouns: they do name topics.
``clusterbot build-lexicon`` stores the table in ``content/verb_endings.json``.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from bot.core.folding import fold

log = logging.getLogger(__name__)
ENDINGS_FILE = "verb_endings.json"
#: The ending lengths looked at, longest first.
LENGTHS = (5, 4, 3, 2)
#: An ending is kept when at least this many dictionary forms have it ...
MIN_FORMS = 20
#: ... and its share differs by at least this much from that of the longest shorter ending kept
#: (the rest would say nothing new).
MIN_DIFFERENCE = 0.05
#: Endings of verbal nouns ("-anie", "-enia", "-ęciem"), which lemmatisers file under the verb.
VERBAL_NOUN = tuple(
    f"{stem}{case}" for stem in ("ni", "ci") for case in ("e", "a", "u", "em", "om", "ach", "ami")
)
#: Infinitive endings ("-ać", "-ić", "-ąć", "-ść" as in "nieść").
_INFINITIVE = ("ać", "eć", "ić", "yć", "uć", "ąć", "ść", "źć")
#: Infinitives ending in "-c" rather than "-ć" ("pomóc", "upiec", "polec").
_C_VERB = ("móc", "piec", "biec", "strzec", "wlec", "rzec", "siąc", "tłuc", "ciec", "polec")


def is_verb(form: str, lemma: str) -> bool:
    """Whether a dictionary form is a verb's (not a verbal noun's)."""
    if fold(form).endswith(VERBAL_NOUN):
        return False
    if lemma.endswith("ość"):  # "wartość", "nieruchomość": nouns
        return False
    return lemma.endswith((*_INFINITIVE, *_C_VERB))


def build_endings(dictionary: Mapping[str, str]) -> dict[str, float]:
    """The share of verb forms among the dictionary forms ending in each ending."""
    forms: Counter[str] = Counter()
    verbs: Counter[str] = Counter()
    for form, lemma in dictionary.items():
        folded = fold(form)
        verb = is_verb(form, lemma)
        for length in LENGTHS:
            if len(folded) > length + 1:
                forms[folded[-length:]] += 1
                verbs[folded[-length:]] += verb
    shares = {e: verbs[e] / n for e, n in forms.items() if n >= MIN_FORMS}
    kept: dict[str, float] = {}
    for ending in sorted(shares, key=len):
        parent = _share(kept, ending[1:])
        if parent is None or abs(shares[ending] - parent) >= MIN_DIFFERENCE:
            kept[ending] = round(shares[ending], 2)
    return kept


def _share(table: Mapping[str, float], ending: str) -> float | None:
    """The share of the longest ending of ``ending`` that the table holds."""
    for length in LENGTHS:
        if len(ending) >= length and (share := table.get(ending[-length:])) is not None:
            return share
    return None


class VerbEndings:
    """Looks up how likely a word is a Polish verb form."""

    def __init__(self, table: Mapping[str, float]) -> None:
        self._table = dict(table)

    def share(self, word: str) -> float:
        """The likelihood (0–1) that ``word`` is a verb form, by its longest known ending."""
        folded = fold(word)
        if len(folded) <= min(LENGTHS) + 1:
            return 0.0
        return _share(self._table, folded[-max(LENGTHS) :]) or 0.0


def read_endings(root: Path) -> VerbEndings:
    """The stored table, or one built now from simplemma (slow, with a warning)."""
    try:
        data = json.loads((root / ENDINGS_FILE).read_text("utf-8"))
        if isinstance(data, dict) and isinstance(data.get("endings"), dict):
            return VerbEndings({str(k): float(v) for k, v in data["endings"].items()})
    except (OSError, ValueError, TypeError):
        pass
    log.warning(
        "content/%s is missing or unreadable; building it from simplemma "
        "(takes seconds; run `clusterbot build-lexicon` to store it)",
        ENDINGS_FILE,
    )
    return VerbEndings(polish_endings())


def polish_endings() -> dict[str, float]:
    """Build the table from simplemma's Polish dictionary."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    return build_endings(DefaultDictionaryFactory().get_dictionary("pl"))


def store_endings(root: Path) -> Path:
    """Build the table and write it to ``content/verb_endings.json``."""
    path = root / ENDINGS_FILE
    data = {"source": "simplemma Polish dictionary", "endings": polish_endings()}
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    return path
