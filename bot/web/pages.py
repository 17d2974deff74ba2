"""The web view's templates: Jinja2 with autoescaping, texts from the locale files.

Templates hold markup only; every word comes from ``content/locales`` (the ``page.*`` keys
and the report's ``report.*`` keys), so each page exists in Polish and English.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot.core.i18n import Texts
from bot.core.markup import to_plain
from bot.web.charts import bar_chart

TEMPLATES = Path(__file__).parent / "templates"


class Pages:
    """Renders a template in one language."""

    def __init__(self, texts: Texts) -> None:
        self._texts = texts
        self._env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.globals["bar_chart"] = bar_chart

    def render(self, name: str, locale: str, **context: Any) -> str:
        """The page ``name`` in ``locale``; ``t(key, **params)`` gives plain text to escape."""
        texts = self._texts

        def t(key: str, **params: object) -> str:
            return to_plain(texts.get(locale, key, **params))

        def count(key: str, n: int, **params: object) -> str:
            return to_plain(texts.count(locale, key, n, **params))

        other = "en" if locale == "pl" else "pl"
        return self._env.get_template(name).render(
            t=t, count=count, locale=locale, other_locale=other, **context
        )
