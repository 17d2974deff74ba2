"""Words that describe the asker's own cluster (``bot.knowledge.asker``)."""

from __future__ import annotations

import pytest

from bot.knowledge.asker import describing


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("Jestem koordynatorką klastra meblarskiego i pytam o KKK", {"meblarskiego"}),
        ("Jesteśmy klastrem morskim z Gdańska, mamy 38 członków", {"morskim", "gdanska"}),
        ("Mamy klaster IT z Małopolski i 30 firm", {"it", "malopolski"}),
        ("We're a 35-member food cluster in Warmia", {"food", "warmia"}),
        ("We're a cluster of 27 firms in Białystok", {"bialystok"}),
        ("Koordynuję klaster spożywczy na Lubelszczyźnie", {"spozywczy", "lubelszczyznie"}),
    ],
)
def test_what_the_asker_says_about_the_cluster(question: str, words: set[str]) -> None:
    assert describing(question) == words


@pytest.mark.parametrize(
    "question",
    [
        "Czy klaster płaci VAT od składek?",
        "Jakie klastry mogą startować w konkursie?",
        "Ile kosztuje znak towarowy dla klastra?",
    ],
)
def test_what_is_asked_is_not_a_description(question: str) -> None:
    assert not describing(question) & {"placi", "vat", "startowac", "znak", "towarowy"}
