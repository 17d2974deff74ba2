"""Instrument cards: required cards, broken fields named, the stored lexicon up to date."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from wordfreq import zipf_frequency

from bot.config import REPO_CONTENT_DIR
from bot.errors import ContentError
from bot.knowledge.asking import PREFIX_MIN
from bot.knowledge.deadlines import deadline_events
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


def test_call_deadline_events_are_deadlines_only(content: Content) -> None:
    """A round's results or approval date is not a day to apply by (issue 15)."""
    events = deadline_events(content.knowledge_base.cards.values(), ZoneInfo("Europe/Warsaw"))
    days = {(e.id.rsplit("-", 1)[0], e.starts_at.date()) for e in events}
    assert all(day != date(2015, 9, 25) and day != date(2019, 8, 28) for _, day in days)
    kkk = sorted(day for card, day in days if card == "deadline-kkk-status")
    assert kkk == [date(2021, 9, 13), date(2022, 9, 15)]


def test_status_agrees_with_the_calls(content: Content) -> None:
    """An ended or permanent card has no call one may still apply to; dates are in order."""
    today = date.today()
    for card in content.knowledge_base.cards.values():
        if card.status in ("ended", "permanent"):
            assert card.open_call(today) is None, card.id
            assert all(c.end is None or c.end < today for c in card.calls), card.id
        for call in card.calls:
            if call.start and call.end:
                assert call.start <= call.end, (card.id, call.label.pl)


def test_no_source_is_a_staging_copy(content: Content) -> None:
    """Staging hosts (``*.hosted-temp.com``) are not public pages (issue 15)."""
    kb = content.knowledge_base
    sources = [s for card in kb.cards.values() for s in card.sources]
    sources += [fact.source for fact in kb.facts.values()]
    sources += [s for q in content.questionnaires for s in q.sources]
    sources += [content.readiness.kkk.source, content.readiness.esca_bronze.source]
    hosts = {s.url.host for s in sources if s.url is not None and s.url.host}
    assert hosts and not [h for h in hosts if h.endswith("hosted-temp.com")]


def test_a_word_in_two_synonym_groups_stops_start_up(tmp_content: Path) -> None:
    path = tmp_content / "knowledge.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["synonyms"] = [["kryterium", "warunek"], ["nabór", "konkurs"], ["nabor", "termin"]]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(ContentError) as info:
        load_content(tmp_content)
    assert "knowledge.yaml" in str(info.value)
    assert "'nabor' is in more than one group" in str(info.value)


def test_a_name_of_two_facts_stops_start_up(tmp_content: Path) -> None:
    path = tmp_content / "instruments" / "cluster-policy-tiers.yaml"
    seed = '"klaster zalążkowy", "seed cluster"'
    path.write_text(path.read_text("utf-8").replace(seed, '"growth cluster"'), "utf-8")
    with pytest.raises(ContentError) as info:
        load_content(tmp_content)
    assert "cluster-policy-tiers" in str(info.value)
    assert "name 'growth cluster' is cluster-policy-tiers-seed's already" in str(info.value)


def test_every_short_cue_word_is_a_word(content: Content) -> None:
    """A cue word under five letters matches only the same word: "ważn" matched nothing."""
    asks = content.knowledge_base.asks
    stems = {
        word
        for ask_type in asks.types
        for cue in ask_type.cues
        for word in cue
        if len(word) < PREFIX_MIN
        and max(zipf_frequency(word, "pl"), zipf_frequency(word, "en")) < 2.0
    }
    assert not stems, f"these cue words are stems that match no word: {sorted(stems)}"
