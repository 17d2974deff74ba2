"""Texts exist in both languages, with the same placeholders, and every key the code uses exists."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest
import yaml

from bot.config import REPO_CONTENT_DIR
from bot.core.i18n import Texts, normalize_locale
from bot.errors import ContentError
from bot.loader import Content

ROOT = Path(__file__).resolve().parents[2]


def _tables() -> dict[str, dict[str, object]]:
    return {
        loc: yaml.safe_load((REPO_CONTENT_DIR / "locales" / f"{loc}.yaml").read_text("utf-8"))
        for loc in ("pl", "en")
    }


def test_shipped_locales_have_the_same_keys(content: Content) -> None:
    for key in content.texts.keys():  # noqa: SIM118 - Texts is not a mapping
        template = content.texts._tables["pl"][key]
        params = {name: "x" for _, name, _, _ in string.Formatter().parse(template) if name}
        assert content.texts.get("pl", key, **params).strip()
        assert content.texts.get("en", key, **params).strip()


def test_a_key_in_one_language_only_is_named() -> None:
    tables = _tables()
    tables["en"]["home"]["only_here"] = "x"  # type: ignore[index]
    with pytest.raises(ContentError) as info:
        Texts(tables)
    assert info.value.file == "locales/pl.yaml"
    assert info.value.field == "home.only_here"


def test_a_missing_translation_is_named() -> None:
    tables = _tables()
    del tables["en"]["errors"]["empty"]  # type: ignore[attr-defined]
    with pytest.raises(ContentError) as info:
        Texts(tables)
    assert (info.value.file, info.value.field) == ("locales/en.yaml", "errors.empty")


def test_placeholders_must_match() -> None:
    tables = _tables()
    tables["en"]["errors"]["too_long"] = "Too long ({max})."  # type: ignore[index]
    with pytest.raises(ContentError) as info:
        Texts(tables)
    assert info.value.field == "errors.too_long"
    assert "placeholders" in info.value.reason


def test_non_text_values_are_refused() -> None:
    tables = _tables()
    tables["pl"]["errors"]["empty"] = 5  # type: ignore[index]
    with pytest.raises(ContentError) as info:
        Texts(tables)
    assert (info.value.file, info.value.field) == ("locales/pl.yaml", "errors.empty")


@pytest.mark.parametrize(
    ("hint", "locale"), [("pl", "pl"), ("en-US", "en"), ("EN", "en"), ("de", None), (None, None)]
)
def test_platform_language_tags(hint: str | None, locale: str | None) -> None:
    assert normalize_locale(hint) == locale


_TEXT_CALLS = {"t", "menu_reply", "Rejection"}


def _keys_used_in_code() -> set[str]:
    """String literals passed as the key to t(), menu_reply(), Rejection() or texts.get()."""
    keys: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            args = node.args
            if name == "get" and len(args) >= 2:
                args = args[1:]
            elif name not in _TEXT_CALLS:
                continue
            if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                value = args[0].value
                if "." in value and " " not in value:
                    keys.add(value)
    return keys


def test_every_key_used_in_code_exists(content: Content) -> None:
    used = _keys_used_in_code()
    assert "home.greeting" in used  # the scan finds keys at all
    missing = sorted(k for k in used if not content.texts.has(k))
    assert missing == []


@pytest.mark.parametrize(
    ("n", "polish", "english"),
    [
        (1, "1 rok", "1 year"),
        (2, "2 lata", "2 years"),
        (5, "5 lat", "5 years"),
        (12, "12 lat", "12 years"),
        (22, "22 lata", "22 years"),
        (25, "25 lat", "25 years"),
        (104, "104 lata", "104 years"),
        (0, "0 lat", "0 years"),
    ],
)
def test_numbers_agree_with_their_units(
    content: Content, n: int, polish: str, english: str
) -> None:
    assert content.texts.count("pl", "unit.years", n) == polish
    assert content.texts.count("en", "unit.years", n) == english
