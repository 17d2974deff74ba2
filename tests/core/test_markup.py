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


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_split_measures_the_platforms_way() -> None:
    grin = "\U0001f600"  # one character, two UTF-16 units
    assert split(grin * 10, 8, utf16) == [grin * 4, grin * 4, grin * 2]
    assert split(grin * 10, 8) == [grin * 8, grin * 2]  # code points by default


def test_a_cut_inside_a_word_keeps_escapes_and_styles() -> None:
    pieces = split(escape("*" * 30), 9)
    assert "".join(to_plain(p) for p in pieces) == "*" * 30  # no backslash shows, no bold
    assert not any(s.bold for p in pieces for s in parse(p))
    bold = split("**" + "a" * 25 + "**", 10)
    assert [parse(p) for p in bold] == [
        [Span("a" * 10, bold=True)],
        [Span("a" * 10, bold=True)],
        [Span("a" * 5, bold=True)],
    ]


def test_a_cut_never_parts_a_character_a_reader_sees_as_one() -> None:
    flag, heart, accent = "\U0001f1f5\U0001f1f1", "\u2764\ufe0f", "e\u0301"
    assert split(flag * 3, 5) == [flag * 2, flag]
    assert split(heart * 3, 3) == [heart, heart, heart]
    assert split(accent * 5, 3, utf16) == [accent, accent, accent, accent, accent]


@given(
    st.text(
        alphabet=st.sampled_from(
            ["a", "ż", " ", "\n", "*", "_", "\\", "[", "]", "(", "\U0001f600", "\U0001f1f5"]
        ),
        max_size=300,
    ),
    st.integers(2, 40),
)
def test_split_of_user_text_fits_utf16_limits_and_loses_nothing(text: str, limit: int) -> None:
    pieces = split(escape(text), limit, utf16)
    assert all(visible_length(p, utf16) <= limit for p in pieces)
    shown = "".join(to_plain(p) for p in pieces)
    assert "".join(text.split()) == "".join(shown.split())


def test_one_cluster_longer_than_the_limit_is_cut_at_the_limit_not_per_character() -> None:
    heavy = "a" + "\u0301" * 5000  # one letter under 5,000 combining accents
    pieces = split(heavy, 4096)
    assert len(pieces) == 2 and "".join(pieces) == heavy
    music = "a" + "\U0001d165" * 3000  # combining marks outside the BMP: two UTF-16 units each
    pieces = split(music, 4096, lambda s: len(s.encode("utf-16-le")) // 2)
    assert len(pieces) == 2 and "".join(pieces) == music
