"""The command menu is structured content, checked at start-up like every content file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ContentError
from bot.loader import Content, check_content, load_content


def test_the_menus_list_the_same_commands_in_both_languages(content: Content) -> None:
    pl, en = content.menus["pl"].pairs(), content.menus["en"].pairs()
    assert len(pl) == len(en) == 20
    assert pl[0] == ("start", "Menu główne") and en[1] == (
        "assess",
        "Self-evaluation by PARP standards",
    )
    # A dash inside a description stays there (the old one-line format split on it).
    report = "Wynik samooceny i co dalej (/raport pdf – PDF, /raport www – strona dla zarządu)"
    assert ("raport", report) in pl


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        ("{name: Ocena, description: x}", "commands.assess.name", "pattern"),
        ("{name: ocena, description: ''}", "commands.assess.description", "at least 1"),
        ("{name: start, description: x}", "commands", "'start' is listed twice"),
        ("{name: ocena}", "commands.assess.description", "missing (exists in en)"),
    ],
)
def test_a_broken_menu_entry_stops_start_up_naming_the_field(
    tmp_content: Path, entry: str, field: str, message: str
) -> None:
    pl = tmp_content / "locales" / "pl.yaml"
    text = pl.read_text("utf-8")
    old = '  assess: {name: ocena, description: "Samoocena według standardów PARP"}'
    assert old in text
    pl.write_text(text.replace(old, f"  assess: {entry}"), "utf-8")
    with pytest.raises(ContentError) as info:
        load_content(tmp_content)
    assert info.value.file == "locales/pl.yaml"
    assert info.value.field == field and message in str(info.value)
    assert any(p.field == field for p in check_content(tmp_content))
