"""Instrument cards: required cards, broken fields named, the stored lexicon up to date."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.config import REPO_CONTENT_DIR
from bot.errors import ContentError
from bot.knowledge.lexicon import corpus_key, corpus_words
from bot.loader import Content, load_content

REQUIRED = {
    "poir-233",
    "kkk-status",
    "poir-kkk-potential",
    "feng-217",
    "esca-bronze",
    "esca-silver",
    "esca-gold",
    "eccp",
    "parp-standards",
    "parp-benchmarking",
    "cluster-policy-tiers",
    "regional-key-clusters",
    "mazowsze-cluster-grants",
    "public-benefit-tasks",
    "poir-25-accelerators",
    "feng-smart-up",
    "euroclusters",
    "cluster-policy-working-group",
    "contact",
}


COMPILED = date(2026, 11, 27)


def test_every_required_card_exists_with_dated_sources(content: Content) -> None:
    cards = content.knowledge_base.cards
    assert set(cards) >= REQUIRED
    for card in cards.values():
        assert card.sources
        # The day the reference was compiled is not a date any source shows.
        assert all(s.as_of != COMPILED for s in card.sources), card.id
        assert card.summary.pl and card.summary.en


def test_closed_cards_point_forward_or_say_so(content: Content) -> None:
    cards = content.knowledge_base.cards
    assert cards["poir-233"].successor == "feng-217"
    assert cards["poir-25-accelerators"].successor == "feng-smart-up"


def test_stored_lexicon_matches_the_cards(content: Content) -> None:
    stored = json.loads((REPO_CONTENT_DIR / "lexicon.json").read_text("utf-8"))
    words = corpus_words(content.knowledge_base.content)
    assert stored["key"] == corpus_key(words), "run `clusterbot build-lexicon` after editing cards"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("status", "finished", "status"),
        ("successor", "no-such-card", "unknown card"),
        ("sources", [], "sources"),
    ],
)
def test_broken_card_names_file_and_field(
    tmp_content: Path, field: str, value: object, expected: str
) -> None:
    path = tmp_content / "instruments" / "poir-233.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data[field] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(ContentError) as info:
        load_content(tmp_content)
    assert "poir-233" in str(info.value) or "instruments" in info.value.file
    assert expected in str(info.value)
