"""Reading dates and times as Polish (and English) users type them (pure)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.core.folding import fold

# Month names as they appear after a day number: Polish genitive and English.
_MONTHS = {
    "stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6,
    "lipca": 7, "sierpnia": 8, "wrzesnia": 9, "pazdziernika": 10, "listopada": 11, "grudnia": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
#: "r." after a year ("30.06.2027 r.", "30 czerwca 2027 r.") changes nothing.
_NUMERIC = re.compile(
    r"^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{4})(?:\s*r\.?)?)?(?:[ ,]+(\d{1,2})[:.](\d{2}))?$"
)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2}))?$")
_WORDS = re.compile(
    r"^(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4})(?:\s*r\.?)?)?"
    r"(?:[ ,]+(?:godz\.?\s*)?(\d{1,2})[:.](\d{2}))?$"
)


def parse_when(text: str, tz: ZoneInfo, today: date) -> tuple[datetime, bool] | None:
    """Parse ``27.05.2026 10:00``, ``27 maja 10:00``, ``2026-05-27`` and the like.

    Returns the moment in ``tz`` (aware) and whether a time was given (midnight and
    ``False`` when only a date was). Without a year, the next such date from ``today`` is
    meant. ``None`` when the text is not a valid date.
    """
    cleaned = " ".join(fold(text).split())
    for pattern, order in ((_ISO, "ymd"), (_NUMERIC, "dmy"), (_WORDS, "dMy")):
        match = pattern.match(cleaned)
        if match is None:
            continue
        groups = match.groups()
        if order == "ymd":
            year, month, day = int(groups[0]), int(groups[1]), int(groups[2])
        elif order == "dmy":
            day, month = int(groups[0]), int(groups[1])
            year = int(groups[2]) if groups[2] else 0
        else:
            if groups[1] not in _MONTHS:
                return None
            day, month = int(groups[0]), _MONTHS[groups[1]]
            year = int(groups[2]) if groups[2] else 0
        hour, minute = groups[-2], groups[-1]
        try:
            at = time(int(hour), int(minute)) if hour is not None else time(0, 0)
            if year == 0:
                year = today.year
                if date(year, month, day) < today:
                    year += 1
            moment = datetime.combine(date(year, month, day), at, tzinfo=tz)
        except ValueError:
            return None
        return moment, hour is not None
    return None
