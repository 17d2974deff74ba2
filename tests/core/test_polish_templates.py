"""Every template, rendered with realistic values, is free of the known-bad patterns.

From ../shared/reference/polish-style.md and issue 16: a phase title put where its locative
belongs, a voivodeship in the nominative inside a sentence, offsets as codes in a sentence, a
quoted title with no noun before it, a number without its unit.
"""

from __future__ import annotations

import re
import string

import pytest

from bot.loader import Content

#: Realistic values for the placeholders the templates use (anything else: a short word).
VALUES: dict[str, object] = {
    "phase": "faza rozwoju",
    "in_phase": "w fazie rozwoju",
    "region": "lubelskim",
    "offsets": "7 dni, 1 dzień i 2 godziny",
    "title": "Spotkanie klastrów",
    "count": 5,
    "n": 22,
    "min": "3 lata",
    "years": "8 lat",
    "members": "45 członków",
}
BAD = {
    "pl": [
        r"fazie „faza",
        r"[Ff]aza: faza",
        r"\b1 standardów",
        r"\(\d+[dhm]\b",
        r", województwo \w+",
        r"przypomnę o „",
        r"średnia: średnio",
        r"\(u Was: \d+\)",
        r"fakultatywn",
        r"etykiet",
        r"[Żż]aden obszar nie jest",
        r"obszar\w* spełnion\w* w całości",
        r"Podaj datę nadania \(",
        r"\d{4}-\d{2}-\d{2}",
    ],
    "en": [
        r"in the \w+ phase phase",
        r"Phase: \w+ phase",
        r"\(\d+[dhm]\b",
        r"\(yours: \d+\)",
        r"area is fully met",
        r"\b\d{2}\.\d{2}\.\d{4}\b",
    ],
}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("locale", ["pl", "en"])
def test_every_template_reads_well_with_realistic_values(content: Content, locale: str) -> None:
    texts = content.texts
    found = []
    for key in sorted(texts.keys()):
        params = {
            name: VALUES.get(name, "Wielkopolska") for name in _fields(texts.template(locale, key))
        }
        rendered = texts.get(locale, key, **params)
        found += [(key, p) for p in BAD[locale] if re.search(p, rendered)]
    assert found == []


@pytest.mark.parametrize("n", [1, 2, 5, 22])
def test_counted_units_agree_with_every_number(content: Content, n: int) -> None:
    for key in ("unit.years", "unit.members", "unit.days", "unit.hours", "unit.minutes"):
        polish = content.texts.count("pl", key, n)
        assert polish.startswith(f"{n} ")
    assert content.texts.count("pl", "unit.days", n) == {1: "1 dzień"}.get(n, f"{n} dni")
    assert (
        content.texts.count("pl", "unit.hours", n)
        == {
            1: "1 godzinę",
            2: "2 godziny",
            5: "5 godzin",
            22: "22 godziny",
        }[n]
    )


def test_button_labels_are_cut_between_words() -> None:
    from bot.core.events import button_label

    name = "Euroclusters (Joint Cluster Initiatives, Program Jednolitego Rynku, SMP-COSME)"
    short = button_label(name)
    assert len(short) <= 64 and short.endswith("…")
    assert name.startswith(short[:-1]) and name[len(short) - 1] == " "  # a whole last word
    assert button_label("FENG 2.17") == "FENG 2.17"
