"""A valid cluster profile, the answers typed to the nine profile questions in order."""

from __future__ import annotations

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
