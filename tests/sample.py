"""Sample inputs shared by tests and benchmarks: a cluster profile, a calendar file."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

#: A valid cluster profile: the answers typed to the nine profile questions, in order.
PROFILE = (
    "Klaster",
    "Fundacja",
    "stowarzyszenie",
    "ICT",
    "45",
    "300",
    "2015",
    "mazowieckie",
    "nie",
)


def sample_ics(now: datetime) -> bytes:
    """An .ics calendar with one conference 30 days after ``now``, as an admin would send."""
    from bot.core.records import Event
    from bot.reminders.ics import to_ics

    event = Event(
        "k", "Konferencja klastrów", "Cluster conference", now + timedelta(days=30), "conference"
    )
    return to_ics([event], "pl", ZoneInfo("Europe/Warsaw"))
