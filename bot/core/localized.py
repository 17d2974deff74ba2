"""Content types every feature shares: a text in both languages, a dated source, dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator


class Localized(BaseModel):
    """A text in Polish and English."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    pl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, locale: str) -> str:
        """Return the text in ``locale`` (Polish for anything else)."""
        return self.en if locale == "en" else self.pl


class Source(BaseModel):
    """Where something comes from: a page (or a named document) and the date it shows.

    ``as_of`` is the date the source itself shows (``None``: the source is undated), never
    the day someone read it; ``verified_on`` is set only when a person checked the live page.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: HttpUrl | None = None
    name: str | None = None
    as_of: date | None = None
    verified_on: date | None = None

    @model_validator(mode="after")
    def _named_and_not_ahead(self) -> Source:
        if self.url is None and not self.name:
            raise ValueError("a source needs a url or a name")
        today = date.today()
        for label, value in (("as_of", self.as_of), ("verified_on", self.verified_on)):
            if value is not None and value > today:
                raise ValueError(f"{label} {value.isoformat()} is in the future")
        return self

    @property
    def label(self) -> str:
        """The name, or the host and the start of the path: enough to recognise the page."""
        if self.name:
            return self.name
        url = self.url
        if url is None:
            return ""
        host = (url.host or "").removeprefix("www.")
        path = unquote(url.path or "").strip("/")
        shown = f"{host}/{path}" if path else host
        return shown if len(shown) <= 48 else shown[:47] + "…"


Translate = Callable[..., str]


def local_date(t: Translate, value: date) -> str:
    """``05.12.2023`` in Polish, ``5 Dec 2023`` in English (templates ``date.*``)."""
    return t(
        "date.format",
        day=t(f"date.day.{value.day}"),
        month=t(f"date.month.{value.month}"),
        year=value.year,
    )


#: How each language groups thousands: "1 200" (a non-breaking space) and "1,200".
_THOUSANDS = {"pl": "\u00a0", "en": ","}


def group_digits(n: int, locale: str) -> str:
    """``1 200`` in Polish, ``1,200`` in English."""
    return f"{n:,}".replace(",", _THOUSANDS.get(locale, "\u00a0"))


def local_moment(t: Translate, at: datetime, tz: ZoneInfo, *, date_only: bool = False) -> str:
    """``27.05.2026, 10:00`` in Polish, ``27 May 2026, 10:00`` in English, in ``tz``."""
    local = at.astimezone(tz)
    day = local_date(t, local.date())
    return day if date_only else t("date.moment", date=day, time=local.strftime("%H:%M"))


def source_dating(t: Translate, source: Source) -> str:
    """Say when the source is from ("według źródła z 05.12.2023", "źródło niedatowane")."""
    dated = (
        t("source.dated", date=local_date(t, source.as_of)) if source.as_of else t("source.undated")
    )
    if source.verified_on:
        dated += t("source.verified", date=local_date(t, source.verified_on))
    return dated


def source_link(t: Translate, source: Source) -> str:
    """The source as a link labelled by its name or address (its name alone without a URL)."""
    if source.url is None:
        return source.label
    return t("source.link", url=str(source.url), label=source.label)
