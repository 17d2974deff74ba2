"""Typos are mended against the words of our texts as written, not only their lemmas."""

from __future__ import annotations

from bot.knowledge.text import Token
from bot.knowledge.typos import Typos
from bot.loader import Content


def test_a_typo_of_an_inflected_word_finds_its_lemma() -> None:
    written = [Token("obszary", ("obszar",)), Token("standardów", ("standard",))]
    typos = Typos(written, {"obszar", "standard"}, lambda _word: 0.0)
    [mended] = typos.correct([Token("obszry", ("obszry",))])
    assert mended.main == "obszar"  # "obszry" is far from the lemma, close to "obszary"
    [kept] = typos.correct([Token("rower", ("rower",))])
    assert kept.main == "rower"  # nothing close: left as it is


def test_a_common_word_is_never_taken_for_a_typo() -> None:
    typos = Typos([Token("obszary", ("obszar",))], {"obszar"}, lambda _word: 5.0)
    [word] = typos.correct([Token("obszry", ("obszry",))])
    assert word.main == "obszry"


def test_a_dictionary_word_is_not_mended_into_one_of_our_names() -> None:
    written = [Token("brązowy", ("brazowy",)), Token("secretariat", ("secretariat",))]
    typos = Typos(
        written,
        {"brazowy", "secretariat"},
        lambda _word: 0.0,
        names=frozenset({"brazowy", "secretariat"}),
        in_dictionary=lambda word: word in {"branżowy", "sekretariat"},
        english=lambda term: term == "secretariat",
    )
    branch, typo, cognate = typos.correct(
        [
            Token("branżowy", ("branzowy",)),
            Token("brazowu", ("brazowu",)),
            Token("sekretariat", ("sekretariat",)),
        ]
    )
    assert branch.main == "branzowy"  # "klaster branżowy" is not the Bronze Label
    assert typo.main == "brazowy"  # a word no dictionary has is still a typo
    assert cognate.main == "secretariat"  # an English name may be the word's cognate


def test_a_question_full_of_typos_is_answered(content: Content) -> None:
    hits = content.knowledge_base.search("ile jest standardow parp i na jakie obszry sa podzielone")
    assert hits[0].lead is not None and hits[0].lead.id == "parp-standards-structure"
    assert hits[0].confidence >= 0.5
