"""The questionnaire engine: which question comes next, and checks on profile answers.

Pure functions over a questionnaire and the answers so far; no I/O, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.assessment.model import ProfileField, ProfileSpec, Questionnaire
from bot.core.folding import match_label

MET, NOT_MET, UNKNOWN, SKIPPED = "y", "n", "u", "s"
FINAL_ANSWERS = frozenset({MET, NOT_MET, UNKNOWN})
ANSWER_CODES = (MET, NOT_MET, UNKNOWN, SKIPPED)


def next_standard(
    questionnaire: Questionnaire, answers: Mapping[str, str | None], after: str | None = None
) -> str | None:
    """Return the id of the next standard to ask, or ``None`` when the pass is over.

    Standards with no answer come first, in questionnaire order. Skipped ones come back once
    every other standard has an answer. ``after`` is a skipped standard the user just skipped
    again: the search for skipped ones then continues after it, so skipping the last one ends
    the pass instead of asking it forever.
    """
    for standard in questionnaire.standards:
        if answers.get(standard.id) is None:
            return standard.id
    start = questionnaire.index[after] + 1 if after in questionnaire.index else 0
    for standard in questionnaire.standards[start:]:
        if answers.get(standard.id) == SKIPPED:
            return standard.id
    return None


def previous_standard(questionnaire: Questionnaire, standard_id: str) -> str | None:
    """Return the standard before ``standard_id`` in questionnaire order, or ``None``."""
    i = questionnaire.index.get(standard_id, 0)
    return questionnaire.standards[i - 1].id if i > 0 else None


def answered_count(answers: Mapping[str, str | None]) -> int:
    """Count the standards with a final answer (met, not met or don't know)."""
    return sum(1 for code in answers.values() if code in FINAL_ANSWERS)


def next_profile_field(spec: ProfileSpec, profile: Mapping[str, Any]) -> ProfileField | None:
    """Return the first profile question not answered yet, or ``None`` when complete."""
    return next((f for f in spec.fields if f.id not in profile), None)


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a profile answer was refused: a text key and its parameters."""

    key: str
    params: tuple[tuple[str, object], ...] = ()


_INTEGER = re.compile(r"\d{1,9}")
#: One number as people type it: "40", "1 200", "1.200", with thousands grouped.
_GROUPED = re.compile(r"\d{1,3}(?:[ \u00a0.,]\d{3})+(?!\d)|\d+")
#: Words around a number that do not change it: "około 40", "ok. 40", "ca 40", "od 2018",
#: "2018 r.", "since 2018", "about 40", "40 members". A number with anything else ("40-50",
#: "40 lub 50") is refused.
_APPROXIMATE = re.compile(
    r"^(?:około|okolo|ok\.?|ca\.?|circa|~|about|approx(?:imately|\.)?|around|roughly|od|w|"
    r"since|in)\s*",
    re.IGNORECASE,
)
#: One word after the number, a unit or "r." for "rok": "2018 r.", "2018r", "40 firm".
_UNIT_AFTER = re.compile(r"\s*(?:[^\W\d_]+)?\.?$")


def _number_in(text: str) -> str:
    """The digits of the one number in ``text`` ("około 40" → "40", "2018 r." → "2018").

    Returns the text unchanged (and so refused) when it holds no number or more than one.
    """
    rest = _APPROXIMATE.sub("", text.strip())
    found = _GROUPED.match(rest)
    if found is None or not _UNIT_AFTER.fullmatch(rest[found.end() :]):
        return text
    return re.sub(r"\D", "", found.group())


def parse_profile_value(field: ProfileField, raw: str, this_year: int) -> str | int | Problem:
    """Validate a typed profile answer; return the value to store or a :class:`Problem`."""
    text = " ".join(raw.split())
    if not text:
        return Problem("assess.profile.empty")
    if field.kind == "text":
        if len(text) > field.max_length:
            return Problem("assess.profile.too_long", (("limit", field.max_length),))
        return text
    if field.kind == "choice":
        for labels in ([o.label.pl for o in field.options], [o.label.en for o in field.options]):
            chosen = match_label(text, labels)
            if chosen is not None:
                return field.options[chosen].id
        return Problem("assess.profile.use_buttons")
    digits = _number_in(text)
    low = field.min if field.min is not None else 0
    high = this_year if field.kind == "year" else field.max
    if not _INTEGER.fullmatch(digits):
        key = "assess.profile.bad_year" if field.kind == "year" else "assess.profile.bad_integer"
        return Problem(key, (("min", low), ("max", high if high is not None else "∞")))
    value = int(digits)
    if value < low or (high is not None and value > high):
        key = "assess.profile.bad_year" if field.kind == "year" else "assess.profile.bad_integer"
        return Problem(key, (("min", low), ("max", high if high is not None else "∞")))
    return value
