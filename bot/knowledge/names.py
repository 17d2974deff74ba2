"""Names of instruments: aliases of two or more words and abbreviations with their expansions.

An abbreviation and its expansion stand for each other ("KKK" and "Krajowy Klaster
Kluczowy"), in our texts and in a question; an alias of two or more words found whole in a
question ("potencjał koordynatorów KKK") names its card. Pure: lemmas in, matches out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.knowledge.text import Token

#: A phrase as the card it names and its canonical lemmas.
Phrase = tuple[str, tuple[str, ...]]


class Names:
    """The abbreviations and the cards' phrases, indexed by their first lemma."""

    def __init__(
        self,
        expansions: Iterable[tuple[str, tuple[str, ...]]],
        phrases: Iterable[tuple[str, Sequence[str]]] = (),
    ) -> None:
        #: (abbreviation lemma, expansion lemmas), e.g. ("kkk", ("krajowy", "klaster", …)).
        self.expansions = tuple(expansions)
        self._starts: dict[str, list[Phrase]] = {}
        #: What each lemma of a phrase is a part of a name of.
        self._holders: dict[str, set[str]] = {}
        for named, lemmas in phrases:
            self.add(named, lemmas)

    def add(self, card_id: str, lemmas: Sequence[str]) -> tuple[str, ...]:
        """Index one alias of a card (as lemmas); return its canonical form."""
        phrase = self.canonical(lemmas)
        self._starts.setdefault(phrase[0], []).append((card_id, phrase))
        for lemma in phrase:
            self._holders.setdefault(lemma, set()).add(card_id)
        return phrase

    def expanded(self, lemmas: Sequence[str]) -> list[str]:
        """The extra terms a text gets: both forms of every abbreviation it uses in either form.

        A fact that says "KKK" also says "Krajowy Klaster Kluczowy", and back.
        """
        extra: list[str] = []
        present = set(lemmas)
        for short, long in self.expansions:
            if short in present or (bool(long) and long[0] in present and _positions(lemmas, long)):
                extra += [short, *long]
        return extra

    def sole(self, tokens: Sequence[Token]) -> frozenset[str]:
        """What the question names, when it names one thing only.

        Named by a whole phrase, with no word telling of another's name: "the tier above seed
        and growth clusters" names the growth tier by its phrase and the seed tier by "seed".
        """
        named = frozenset(name for (name, _), _ in self.found(tokens))
        told = {next(iter(h)) for t in tokens if len(h := self._holders.get(t.main, set())) == 1}
        return named if len(named) == 1 and told <= named else frozenset()

    def found(self, tokens: Sequence[Token]) -> list[tuple[Phrase, set[int]]]:
        """Every (card, alias phrase) found in the question, with the positions it covers.

        An abbreviation and its expansion are one phrase word: "potencjał koordynatorów
        krajowych klastrów kluczowych" has the alias "potencjał koordynatorów KKK".
        """
        mains, spans = self.canonical_spans([t.main for t in tokens])
        found = []
        for start, main in enumerate(mains):
            for card_id, phrase in self._starts.get(main, ()):
                end = start + len(phrase)
                if tuple(mains[start:end]) == phrase:
                    covered = {i for span in spans[start:end] for i in span}
                    found.append(((card_id, phrase), covered))
        return found

    def canonical(self, mains: Sequence[str]) -> tuple[str, ...]:
        """Lemmas with every expansion written as its abbreviation."""
        return tuple(self.canonical_spans(mains)[0])

    def canonical_spans(self, mains: Sequence[str]) -> tuple[list[str], list[range]]:
        """Canonical lemmas, and the positions of ``mains`` each one stands for."""
        out: list[str] = []
        spans: list[range] = []
        i = 0
        while i < len(mains):
            for short, long in self.expansions:
                if tuple(mains[i : i + len(long)]) == long:
                    out.append(short)
                    spans.append(range(i, i + len(long)))
                    i += len(long)
                    break
            else:
                out.append(mains[i])
                spans.append(range(i, i + 1))
                i += 1
        return out, spans


def _positions(words: Sequence[str], phrase: Sequence[str]) -> set[int]:
    """The positions of ``words`` covered by occurrences of ``phrase``."""
    n = len(phrase)
    found: set[int] = set()
    for i in range(len(words) - n + 1):
        if tuple(words[i : i + n]) == tuple(phrase):
            found.update(range(i, i + n))
    return found
