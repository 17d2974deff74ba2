"""Two selections of the overview must not tell one cluster apart by their difference.

If the whole overview counts 11 clusters and "growth phase" counts 10, the one cluster
left out could be read off by subtracting the second page from the first. So a selection
is hidden as a whole when a selection one filter wider (a filter dropped, or a quarter
widened to its year) has between 1 and ``min_clusters - 1`` more clusters.

This covers every pair of selections that differ by one step; it does not claim to stop
every combination of several downloads (say, inclusion and exclusion over three filters).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.web.filters import FILTER_NAMES, Filters


def wider(filters: Filters) -> list[Filters]:
    """The selections one step wider than ``filters``."""
    out = [replace(filters, **{name: None}) for name in FILTER_NAMES if getattr(filters, name)]
    if filters.period and "-Q" in filters.period:
        out.append(replace(filters, period=filters.period.split("-Q", 1)[0]))
    return out


def differs_by_few(
    clusters: Callable[[Filters], int], filters: Filters, n: int, least: int
) -> bool:
    """Whether a selection one step wider has 1 to ``least - 1`` clusters more than ``n``."""
    return any(0 < clusters(other) - n < least for other in wider(filters))
