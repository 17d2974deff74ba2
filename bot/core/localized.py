"""Content types every feature shares: a text in both languages, and a dated source."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, HttpUrl


class Localized(BaseModel):
    """A text in Polish and English."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    pl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, locale: str) -> str:
        """Return the text in ``locale`` (Polish for anything else)."""
        return self.en if locale == "en" else self.pl


class Source(BaseModel):
    """Where a fact comes from and when it was checked."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: HttpUrl
    checked_on: date
