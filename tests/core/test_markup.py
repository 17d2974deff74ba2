"""The reply markup: parsing for the adapters, escaping user text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.core.markup import Span, escape, parse, split, to_plain, visible_length


def test_bold_italic_and_links() -> None:
    spans = parse("a **b** __c__ [PARP](https://www.parp.gov.pl) d")
    assert spans == [
        Span("a "),
        Span("b", bold=True),
        Span(" "),
        Span("c", italic=True),
        Span(" "),
        Span("PARP", url="https://www.parp.gov.pl"),
        Span(" d"),
    ]


def test_plain_text_shows_link_addresses() -> None:
    assert to_plain("Źródło: [PARP](https://parp.gov.pl)") == "Źródło: PARP (https://parp.gov.pl)"
    assert to_plain("[https://x.pl](https://x.pl)") == "https://x.pl"


def test_unbalanced_marker_styles_the_rest() -> None:
    assert parse("**open") == [Span("open", bold=True)]


def test_command_names_with_underscores_stay_plain() -> None:
    assert to_plain("wpisz /moje_dane albo /usun_dane") == "wpisz /moje_dane albo /usun_dane"


@given(st.text())
def test_escaped_user_text_reads_back_unchanged(user_text: str) -> None:
    spans = parse(escape(user_text))
    assert "".join(s.text for s in spans) == user_text
    assert not any(s.bold or s.italic or s.url for s in spans)


@given(st.text(), st.text())
def test_escaped_text_inside_bold_stays_inside(before: str, inside: str) -> None:
    spans = parse(f"{escape(before)}**{escape(inside)}**")
    assert "".join(s.text for s in spans if s.bold) == inside


def test_split_keeps_short_text_whole() -> None:
    assert split("krótko", 10) == ["krótko"]


def test_split_prefers_paragraphs_then_lines() -> None:
    text = "a" * 30 + "\n\n" + "b" * 30 + "\n" + "c" * 30
    assert split(text, 40) == ["a" * 30, "b" * 30, "c" * 30]


def test_split_does_not_count_link_addresses() -> None:
    text = "[PARP](https://www.parp.gov.pl/very/long/address/that/is/not/visible)"
    assert split(text, 10) == [text]


@given(st.text(alphabet=st.sampled_from("ab \n"), max_size=600), st.integers(5, 50))
def test_split_respects_the_limit_and_loses_no_words(text: str, limit: int) -> None:
    pieces = split(text, limit)
    assert all(visible_length(p) <= limit for p in pieces)
    assert "".join(text.split()) == "".join("".join(pieces).split())
