"""Horizontal bar charts as inline SVG: one bar per row, 0–100%, a reference tick across it.

No script, no external font, no style attribute (the page's CSP allows styles only from our
own stylesheet): colours are SVG presentation attributes. The chart scales to its container
(``viewBox``); each label sits on its own line above its bar, so nothing runs past the edge.
Every chart is printed next to the table it was drawn from.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
LABEL = 20  # the label's line above a bar
BAR = 22
GAP = 14
TRACK = 520  # the bar's full length (100%)
INK = "#1d3557"
TRACK_FILL = "#e3e8ee"
BAR_FILL = "#2a6f97"
TICK = "#111111"
#: Light text on the bar needs 4.5:1 against it (WCAG AA): white on #2a6f97 is 5.6:1.
ON_BAR = "#ffffff"


@dataclass(frozen=True, slots=True)
class Bar:
    """One row: its label, its value in percent (``None``: suppressed), a reference, a flag."""

    label: str
    value: int | None
    reference: int | None = None
    #: A count shown after the value (the area's unmet obligatory standards); 0: nothing.
    flag: int = 0


def bar_chart(bars: tuple[Bar, ...], title: str, suppressed: str = "—") -> Markup:
    """The chart as an ``<svg>`` element; ``title`` names it for screen readers."""
    step = LABEL + BAR + GAP
    height = step * len(bars) + 4
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        top = i * step
        y = top + LABEL
        parts.append(
            f'<text x="0" y="{top + 15}" font-size="15" fill="{INK}">{escape(bar.label)}</text>'
        )
        parts.append(f'<rect x="0" y="{y}" width="{TRACK}" height="{BAR}" fill="{TRACK_FILL}"/>')
        if bar.value is not None:
            length = round(TRACK * max(0, min(bar.value, 100)) / 100)
            parts.append(f'<rect x="0" y="{y}" width="{length}" height="{BAR}" fill="{BAR_FILL}"/>')
            shown = f"{bar.value}%" + (f" ⚠{bar.flag}" if bar.flag else "")
        else:
            shown = suppressed
        if bar.reference is not None:
            x = round(TRACK * max(0, min(bar.reference, 100)) / 100)
            parts.append(
                f'<rect x="{x - 2}" y="{y - 3}" width="4" height="{BAR + 6}" fill="{TICK}"/>'
            )
        parts.append(
            f'<text x="{TRACK + 10}" y="{y + 16}" font-size="15" font-weight="bold" '
            f'fill="{INK}">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped
