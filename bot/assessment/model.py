"""Content models: questionnaires (areas, sub-areas, standards, phases) and the cluster profile.

Validated with pydantic when content is loaded; an invalid file stops start-up with the file
and the field named. The engine is generic over any questionnaire of this shape.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.core.localized import Localized, Source, group_digits

PHASE_IDS = ("embryonic", "growth", "maturity")
__all__ = ["PHASE_IDS", "Localized", "ProfileSpec", "Questionnaire", "Source"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Phase(_Frozen):
    """A development phase of a cluster."""

    id: Literal["embryonic", "growth", "maturity"]
    title: Localized
    #: The phase after "in" ("w fazie rozwoju", "in the growth phase"): sentences say "Ten
    #: standard jest obligatoryjny w fazie rozwoju", never "W fazie „faza rozwoju”".
    in_phase: Localized
    description: Localized


class Standard(_Frozen):
    """One management standard with its minimal indicator and phase rule."""

    id: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    title: Localized
    indicator: Localized
    obligatory_in: tuple[Literal["embryonic", "growth", "maturity"], ...]
    guidance: Localized
    provenance: Literal["official", "adapted"]


class Subarea(_Frozen):
    """A sub-area of an area, holding standards."""

    id: str = Field(pattern=r"^\d+\.\d+$")
    title: Localized
    standards: tuple[Standard, ...] = Field(min_length=1)


class Area(_Frozen):
    """One of the questionnaire's areas.

    ``structure`` is ``inferred`` when the split into sub-areas (and how many standards each
    has) is our reading of incomplete sources, not PARP's published layout; it is said so
    wherever the sub-areas are shown.
    """

    id: str = Field(pattern=r"^\d+$")
    title: Localized
    subareas: tuple[Subarea, ...] = Field(min_length=1)
    structure: Literal["published", "inferred"] = "published"


class Questionnaire(_Frozen):
    """A questionnaire file such as ``content/questionnaires/parp-standards.yaml``."""

    id: str = Field(pattern=r"^[a-z0-9-]{1,32}$")
    version: str = Field(min_length=1, max_length=20)
    title: Localized
    sources: tuple[Source, ...] = Field(min_length=1)
    phases: tuple[Phase, ...]
    areas: tuple[Area, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Questionnaire:
        if tuple(p.id for p in self.phases) != PHASE_IDS:
            raise ValueError(f"phases must be exactly {', '.join(PHASE_IDS)} in this order")
        seen: set[str] = set()
        for area in self.areas:
            for sub in area.subareas:
                if not sub.id.startswith(area.id + "."):
                    raise ValueError(f"sub-area {sub.id} is not inside area {area.id}")
                for std in sub.standards:
                    if not std.id.startswith(sub.id + "."):
                        raise ValueError(f"standard {std.id} is not inside sub-area {sub.id}")
                    if std.id in seen:
                        raise ValueError(f"standard id {std.id} appears twice")
                    seen.add(std.id)
        ids = [a.id for a in self.areas] + [s.id for a in self.areas for s in a.subareas]
        if len(ids) != len(set(ids)):
            raise ValueError("area and sub-area ids must be unique")
        for phase in PHASE_IDS:
            if not any(phase in s.obligatory_in for s in self.standards):
                raise ValueError(f"phase {phase} has no obligatory standard")
        return self

    @cached_property
    def standards(self) -> tuple[Standard, ...]:
        """Every standard in questionnaire order."""
        return tuple(s for a in self.areas for sub in a.subareas for s in sub.standards)

    @cached_property
    def index(self) -> dict[str, int]:
        """Position of each standard id in :attr:`standards`."""
        return {s.id: i for i, s in enumerate(self.standards)}

    @cached_property
    def subarea_of(self) -> dict[str, tuple[Area, Subarea]]:
        """The area and sub-area of each standard id."""
        return {s.id: (a, sub) for a in self.areas for sub in a.subareas for s in sub.standards}

    def standard(self, standard_id: str) -> Standard | None:
        """Return the standard with this id, or ``None``."""
        i = self.index.get(standard_id)
        return None if i is None else self.standards[i]

    def require(self, standard_id: str) -> Standard:
        """Return the standard with this id; ``KeyError`` when there is none."""
        return self.standards[self.index[standard_id]]

    def phase(self, phase_id: str) -> Phase | None:
        """Return the phase with this id, or ``None``."""
        return next((p for p in self.phases if p.id == phase_id), None)


class Option(_Frozen):
    """A button choice of a profile field."""

    id: str = Field(pattern=r"^[a-z0-9_-]{1,16}$")
    label: Localized


class ProfileField(_Frozen):
    """One question of the cluster profile."""

    id: str = Field(pattern=r"^[a-z_]{1,20}$")
    kind: Literal["text", "integer", "year", "choice"]
    prompt: Localized
    max_length: int = Field(default=200, ge=1, le=1000)
    min: int | None = None
    max: int | None = None
    options: tuple[Option, ...] = ()

    @model_validator(mode="after")
    def _options_match_kind(self) -> ProfileField:
        if self.kind == "choice" and not self.options:
            raise ValueError("a choice field needs options")
        if self.kind != "choice" and self.options:
            raise ValueError("only choice fields have options")
        if len({o.id for o in self.options}) != len(self.options):
            raise ValueError("option ids must be unique")
        return self

    def option(self, option_id: str) -> Option | None:
        """Return the option with this id, or ``None``."""
        return next((o for o in self.options if o.id == option_id), None)


class ProfileSpec(_Frozen):
    """The cluster-profile questions (``content/profile.yaml``)."""

    fields: tuple[ProfileField, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> ProfileSpec:
        ids = [f.id for f in self.fields]
        if len(ids) != len(set(ids)):
            raise ValueError("profile field ids must be unique")
        return self

    def field(self, field_id: str) -> ProfileField | None:
        """Return the field with this id, or ``None``."""
        return next((f for f in self.fields if f.id == field_id), None)

    def shown(self, field_id: str, value: object, locale: str) -> str:
        """A stored profile value as people read it: an option by its label."""
        field = self.field(field_id)
        if field is not None and field.kind == "integer" and isinstance(value, int):
            return group_digits(value, locale)
        option = field.option(str(value)) if field is not None else None
        return option.label.get(locale) if option else str(value)


class Status(StrEnum):
    """Where a self-evaluation is (stored as its value in ``AssessmentRecord.status``)."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"
