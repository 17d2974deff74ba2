"""Events and subscriptions: the content model and the runtime records."""

from __future__ import annotations

from datetime import UTC
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, HttpUrl, model_validator

from bot.core.localized import Localized, Source
from bot.core.records import Event

Category = Literal["meeting", "call_deadline", "training", "conference"]
CATEGORIES: tuple[Category, ...] = ("meeting", "call_deadline", "training", "conference")
REGIONS = (
    "dolnośląskie", "kujawsko-pomorskie", "lubelskie", "lubuskie", "łódzkie", "małopolskie",
    "mazowieckie", "opolskie", "podkarpackie", "podlaskie", "pomorskie", "śląskie",
    "świętokrzyskie", "warmińsko-mazurskie", "wielkopolskie", "zachodniopomorskie",
)  # fmt: skip


class EventEntry(BaseModel):
    """One event of ``content/events.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # At most 40 characters: button payloads carry the id within Telegram's 64 bytes.
    id: str = Field(pattern=r"^[a-z0-9-]{2,40}$")
    title: Localized
    starts_at: AwareDatetime
    ends_at: AwareDatetime | None = None
    place: str | None = None
    url: HttpUrl | None = None
    organiser: str | None = None
    category: Category
    region: str | None = None
    sources: tuple[Source, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> EventEntry:
        if self.ends_at is not None and self.ends_at < self.starts_at:
            raise ValueError("ends_at is before starts_at")
        if self.region is not None and self.region not in REGIONS:
            raise ValueError(f"region must be a voivodeship: {', '.join(REGIONS)}")
        return self


class EventsFile(BaseModel):
    """``content/events.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    events: tuple[EventEntry, ...]

    @model_validator(mode="after")
    def _unique(self) -> EventsFile:
        ids = [e.id for e in self.events]
        if len(ids) != len(set(ids)):
            raise ValueError("event ids must be unique")
        return self


def event_from_entry(entry: EventEntry, date_only: bool) -> Event:
    """Convert a content entry (times to UTC)."""
    return Event(
        id=entry.id,
        title_pl=entry.title.pl,
        title_en=entry.title.en,
        starts_at=entry.starts_at.astimezone(UTC),
        ends_at=entry.ends_at.astimezone(UTC) if entry.ends_at else None,
        place=entry.place,
        url=str(entry.url) if entry.url else None,
        organiser=entry.organiser,
        category=entry.category,
        region=entry.region,
        date_only=date_only,
    )
