"""Verb endings: how likely a Polish word is a verb form, told by its last letters.

A long question from a busy coordinator is full of verbs in forms no frequency list holds
("przebadano", "polegniemy", "dopytuje", "celujemy"). Rare in the language and absent from
our cards, they looked like the salient words of another topic and got questions refused.
But a verb seldom names a topic: "fotowoltaika", "hipoteka" and "ZUS" are nouns. So a word
outside our cards counts against an answer less the likelier its ending is a verb's.

The shares come from simplemma's Polish dictionary (3.7 million forms with their lemmas): of
the forms ending in, say, "-ujemy", the share whose lemma is a verb (an infinitive in "-ć" or
"-c" with a past form in "-ł"). Verbal nouns ("przetwarzania", "powierzenie") count as nouns:
they do name topics. ``clusterbot build-lexicon`` stores the table in
``content/verb_endings.json`` when it is missing or was built by other code or simplemma.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

from bot.core.folding import fold

log = logging.getLogger(__name__)
ENDINGS_FILE = "verb_endings.json"
#: The table's format: raised when the way it is built changes, so that it is rebuilt.
FORMAT = 3
#: The ending lengths looked at, longest first.
LENGTHS = (5, 4, 3, 2)
#: An ending is kept when at least this many dictionary forms have it ...
MIN_FORMS = 20
#: ... and its share differs by at least this much from that of the longest shorter ending kept
#: (the rest would say nothing new).
MIN_DIFFERENCE = 0.05
#: Endings only verbal nouns have among verb lemmas ("przetwarzania", "zajęciu", "-aniem").
VERBAL_NOUN = tuple(
    f"{stem}{case}" for stem in ("ni", "ci") for case in ("a", "u", "em", "om", "ach", "ami")
)
#: "-nie" and "-cie" end verbal nouns ("przetwarzanie", "zajęcie") and verb forms alike
#: ("zacznie", "możecie"): a noun has a declined sibling ("przetwarzania", "zajęcia"), which
#: the dictionary may file under the noun or the verb.
_AMBIGUOUS = ("nie", "cie")


def verb_lemmas(dictionary: Mapping[str, str]) -> frozenset[str]:
    """The lemmas that are verbs: an infinitive ("-ć", "-c") with a past form in "-ł".

    Every Polish verb has one ("robił", "mógł", "zaczął"); nouns ending like infinitives
    ("część", "sieć", "miesiąc", "kupiec") do not.
    """
    return frozenset(
        lemma
        for form, lemma in dictionary.items()
        if form.endswith("ł") and lemma.endswith(("ć", "c"))
    )


def is_verb(form: str, lemma: str, verbs: frozenset[str], dictionary: Mapping[str, str]) -> bool:
    """Whether a dictionary form is a verb's, not a verbal noun's."""
    if lemma not in verbs:
        return False
    folded = fold(form)
    if folded.endswith(VERBAL_NOUN):
        return False
    if folded.endswith(_AMBIGUOUS):
        return f"{form[:-1]}a" not in dictionary
    return True


def build_endings(dictionary: Mapping[str, str]) -> dict[str, float]:
    """The share of verb forms among the dictionary forms ending in each ending."""
    verbs = verb_lemmas(dictionary)
    forms: Counter[str] = Counter()
    verb_forms: Counter[str] = Counter()
    for form, lemma in dictionary.items():
        folded = fold(form)
        verb = is_verb(form, lemma, verbs, dictionary)
        for length in LENGTHS:
            if len(folded) > length + 1:
                forms[folded[-length:]] += 1
                verb_forms[folded[-length:]] += verb
    shares = {e: verb_forms[e] / n for e, n in forms.items() if n >= MIN_FORMS}
    kept: dict[str, float] = {}
    for ending in sorted(shares, key=len):
        shorter = (kept.get(ending[-n:]) for n in LENGTHS if n < len(ending))
        parent = next((share for share in shorter if share is not None), None)
        if parent is None or abs(shares[ending] - parent) >= MIN_DIFFERENCE:
            kept[ending] = round(shares[ending], 2)
    return kept


def _share(table: Mapping[str, float], word: str) -> float | None:
    """The share of the longest ending of ``word`` that the table holds.

    An ending was counted only from words at least two letters longer, so it is looked up
    only in such words.
    """
    for length in LENGTHS:
        if len(word) > length + 1 and (share := table.get(word[-length:])) is not None:
            return share
    return None


class VerbEndings:
    """Looks up how likely a word is a Polish verb form."""

    def __init__(self, table: Mapping[str, float]) -> None:
        self._table = dict(table)

    def share(self, word: str) -> float:
        """The likelihood (0–1) that ``word`` is a verb form, by its longest known ending."""
        return _share(self._table, fold(word)) or 0.0


def read_endings(root: Path) -> VerbEndings:
    """The stored table, or one built now from simplemma (slow, with a warning)."""
    stored = _stored(root / ENDINGS_FILE)
    if stored is not None:
        built_for, table = stored
        if built_for != _made_by():
            log.warning(
                "content/%s was built by %s, not %s; run `clusterbot build-lexicon`",
                ENDINGS_FILE,
                built_for,
                _made_by(),
            )
        return VerbEndings(table)
    log.warning(
        "content/%s is missing or unreadable; building it from simplemma "
        "(takes about half a minute; run `clusterbot build-lexicon` to store it)",
        ENDINGS_FILE,
    )
    return VerbEndings(polish_endings())


def polish_endings() -> dict[str, float]:
    """Build the table from simplemma's Polish dictionary."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    return build_endings(DefaultDictionaryFactory().get_dictionary("pl"))


def store_endings(root: Path) -> Path | None:
    """Build the table into ``content/verb_endings.json`` unless it is up to date.

    Returns the path written, or ``None`` when the stored table was built by this code
    (``FORMAT``) from this simplemma already: it does not depend on the cards.
    """
    path = root / ENDINGS_FILE
    stored = _stored(path)
    if stored is not None and stored[0] == _made_by():
        return None
    data = {"made_by": _made_by(), "endings": polish_endings()}
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    return path


def _made_by() -> str:
    return f"format {FORMAT}, simplemma {version('simplemma')}"


def _stored(path: Path) -> tuple[str, dict[str, float]] | None:
    try:
        data = json.loads(path.read_text("utf-8"))
        table = {str(k): float(v) for k, v in data["endings"].items()}
        return str(data.get("made_by", "")), table
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
