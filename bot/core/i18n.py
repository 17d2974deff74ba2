"""Look-up of user-facing texts in Polish and English, checked for parity at start-up."""

from __future__ import annotations

import functools
import string
from collections.abc import Callable, Mapping
from typing import Any

from bot.errors import ContentError

SUPPORTED_LOCALES = ("pl", "en")


def _flatten(tree: Mapping[str, Any], file: str, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if not isinstance(key, str) or not key:
            raise ContentError(file, path, "keys must be non-empty text")
        if isinstance(value, Mapping):
            flat.update(_flatten(value, file, path + "."))
        elif isinstance(value, str):
            flat[path] = value
        else:
            raise ContentError(file, path, f"expected text, found {type(value).__name__}")
    return flat


def _placeholders(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def normalize_locale(hint: str | None) -> str | None:
    """Map a platform language tag (``pl``, ``en-US``, ``EN``) to a supported locale."""
    if not hint:
        return None
    base = hint.replace("_", "-").split("-", 1)[0].lower()
    return base if base in SUPPORTED_LOCALES else None


class Texts:
    """Every user-facing string, by locale and dotted key (``home.greeting``)."""

    def __init__(self, tables: Mapping[str, Mapping[str, Any]], default_locale: str = "pl") -> None:
        """Build from one parsed YAML tree per locale, named ``locales/<locale>.yaml``.

        Raises:
            ContentError: a locale is missing, a key exists in one language only, a value is
                not text, or the two languages use different ``{placeholders}``.

        """
        self.default_locale = default_locale
        self._tables: dict[str, dict[str, str]] = {}
        for locale in SUPPORTED_LOCALES:
            file = f"locales/{locale}.yaml"
            if locale not in tables:
                raise ContentError(file, "", "file is missing")
            self._tables[locale] = _flatten(tables[locale], file)
        reference_locale, *others = SUPPORTED_LOCALES
        reference = self._tables[reference_locale]
        for locale in others:
            table = self._tables[locale]
            for key in sorted(reference.keys() - table.keys()):
                raise ContentError(
                    f"locales/{locale}.yaml", key, f"missing (exists in {reference_locale})"
                )
            for key in sorted(table.keys() - reference.keys()):
                raise ContentError(
                    f"locales/{reference_locale}.yaml", key, f"missing (exists in {locale})"
                )
            for key in sorted(reference):
                if _placeholders(reference[key]) != _placeholders(table[key]):
                    raise ContentError(
                        f"locales/{locale}.yaml",
                        key,
                        f"placeholders {sorted(_placeholders(table[key]))} differ from "
                        f"{sorted(_placeholders(reference[key]))} in {reference_locale}",
                    )
        if default_locale not in self._tables:
            raise ContentError("locales", "", f"default locale {default_locale!r} is not supported")

    def keys(self) -> frozenset[str]:
        """Every key defined (the same in each locale)."""
        return frozenset(self._tables[self.default_locale])

    def has(self, key: str) -> bool:
        """Return whether ``key`` exists."""
        return key in self._tables[self.default_locale]

    def template(self, locale: str, key: str) -> str:
        """The text ``key`` as written, with its ``{placeholders}``."""
        table = self._tables.get(locale) or self._tables[self.default_locale]
        return str(table[key])

    def translator(self, locale: str) -> Callable[..., str]:
        """``get`` bound to one language: ``t("key", **params)``."""
        return functools.partial(self.get, locale)

    def count(self, locale: str, key: str, n: int, **params: object) -> str:
        """The text ``key.one`` / ``key.few`` / ``key.many`` that agrees with ``n`` (as ``{n}``).

        "1 rok", "3 lata", "5 lat", "22 lata"; in English "few" is written like "many".
        """
        return self.get(locale, f"{key}.{plural_form(locale, n)}", n=n, **params)

    def get(self, locale: str, key: str, **params: object) -> str:
        """Return the text for ``key`` in ``locale`` with ``{params}`` filled in.

        Unknown locales fall back to the default one. An unknown key is a programming error
        and raises ``KeyError`` (a test checks every key the code uses).
        """
        table = self._tables.get(locale) or self._tables[self.default_locale]
        template = table[key]
        return template.format_map(params)


def plural_form(locale: str, n: int) -> str:
    """The plural category of ``n``: ``one``, ``few`` (Polish 2–4, 22–24, …) or ``many``."""
    if n == 1:
        return "one"
    if locale == "pl" and n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return "few"
    return "many"
