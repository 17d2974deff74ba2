"""Names of cards and facts found in a question."""

from __future__ import annotations

from bot.knowledge.names import Names
from bot.knowledge.text import Analyzer


def test_a_question_names_one_thing_only_by_a_whole_phrase_and_no_other_word() -> None:
    analyzer = Analyzer({}, stopwords=("a", "the", "and", "of"))
    phrases = {"seed": "seed cluster", "growth": "growth cluster"}
    names = Names(
        (),
        ((key, [t.main for t in analyzer.tokens(text)]) for key, text in phrases.items()),
    )

    def sole(question: str) -> set[str]:
        return set(names.sole(analyzer.tokens(question)))

    assert sole("What does a growth cluster need?") == {"growth"}
    assert sole("A growth cluster and a seed cluster") == set()  # two named
    assert sole("The tier above seed and growth cluster") == set()  # "seed" tells of another
    assert sole("What does a cluster need?") == set()  # "cluster" is in both: it tells nothing
