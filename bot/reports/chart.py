"""The results chart: share of standards met per area beside PARP's 2015 averages (PNG).

Built for a phone preview first (1280 px wide, big type, one row per area with its name
above the bar, so nothing crowds the bars) and sharp enough for A4 print. The x axis is
0–100%; the PARP 2015 average is a short dark tick across the bar only, never through a
label. matplotlib's object API with the Agg canvas (no pyplot state: safe in a thread);
DejaVu Sans renders the Polish letters.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from bot.assessment.report_data import ReportData
from bot.core.i18n import Texts

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

WIDTH_PX, DPI = 1280, 200
GREEN, AMBER, RED, GREY, INK, TRACK = (
    "#2a9d8f",
    "#e9a23b",
    "#d1495b",
    "#6c757d",
    "#1d3557",
    "#e9ecef",
)
#: Heights in inches: the two title lines, one area row (name and bar), the axis and legend.
HEAD_IN, ROW_IN, FOOT_IN, LINE_IN = 0.78, 0.62, 0.92, 0.32
SIDE_IN, UNTITLED_HEAD_IN = 0.28, 0.12
REFERENCE_GID = "parp-2015-reference"


def chart_png(data: ReportData, texts: Texts, locale: str, *, titled: bool = True) -> bytes:
    """Draw the per-area chart and return PNG bytes (``titled=False``: no title lines)."""
    fig = chart_figure(data, texts, locale, titled=titled)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def chart_figure(data: ReportData, texts: Texts, locale: str, *, titled: bool = True) -> Figure:
    """Draw the per-area chart on a new figure (tests inspect where its texts landed).

    Untitled, for a page that already names the cluster, phase and verdict above it.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    areas = list(data.score.areas)
    width_in = WIDTH_PX / DPI
    fig = Figure(figsize=(width_in, 1), dpi=DPI)
    renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
    name = " ".join(str(data.record.profile.get("name", "")).split())
    size, name_lines = _name_lines(fig, renderer, name)
    head_in = HEAD_IN + (len(name_lines) - 1) * LINE_IN if titled else UNTITLED_HEAD_IN
    height_in = head_in + ROW_IN * len(areas) + FOOT_IN
    fig.set_size_inches(width_in, height_in)
    ax = fig.add_axes(
        (
            SIDE_IN / width_in,
            FOOT_IN / height_in,
            1 - 2 * SIDE_IN / width_in,
            ROW_IN * len(areas) / height_in,
        )
    )
    if titled:
        _title(fig, data, texts, locale, size, name_lines)
    _bars(ax, renderer, data, locale)
    _axis_and_legend(fig, ax, data, texts, locale)
    return fig


def _name_lines(fig: Figure, renderer: RendererBase, name: str) -> tuple[float, list[str]]:
    """The cluster name at the largest size that fits: one line, else two (then "…")."""
    limit = fig.bbox.width - 2 * SIDE_IN * fig.dpi

    def width(text: str, size: float) -> float:
        probe = fig.text(0, 0, text, fontsize=size, fontweight="bold")
        measured = float(probe.get_window_extent(renderer).width)
        probe.remove()
        return measured

    if not name:
        return 16, []
    for size in (16, 14):
        if width(name, size) <= limit:
            return size, [name]
    lines: list[str] = []
    words = name.split()
    while words and len(lines) < 2:
        line = words.pop(0)
        while words and width(f"{line} {words[0]}", 14) <= limit:
            line += " " + words.pop(0)
        lines.append(line)
    if words:
        lines[-1] += " …"
    for i, line in enumerate(lines):
        while width(line, 14) > limit and len(line) > 2:
            line = line[:-3] + "…"
        lines[i] = line
    return 14, lines


def _title(
    fig: Figure,
    data: ReportData,
    texts: Texts,
    locale: str,
    size: float,
    name_lines: list[str],
) -> None:
    phase = data.questionnaire.phase(data.score.phase)
    phase_title = phase.title.get(locale) if phase else data.score.phase
    verdict = texts.get(locale, f"assess.report.verdict.{data.score.verdict}")
    subtitle = texts.get(
        locale,
        "report.chart.subtitle",
        phase=phase_title[:1].upper() + phase_title[1:],
        verdict=verdict,
    )
    height_in = fig.get_figheight()
    x = SIDE_IN / fig.get_figwidth()
    y_in = 0.12
    for line in name_lines:
        fig.text(
            x, 1 - y_in / height_in, line, fontsize=size, fontweight="bold", va="top", color=INK
        )
        y_in += LINE_IN
    if not name_lines:
        fig.text(
            x, 1 - y_in / height_in, subtitle, fontsize=16, fontweight="bold", va="top", color=INK
        )
    else:
        fig.text(x, 1 - y_in / height_in, subtitle, fontsize=12.5, va="top", color=INK)


def _bars(ax: Axes, renderer: RendererBase, data: ReportData, locale: str) -> None:
    reference = data.readiness.parp_2015
    areas = data.score.areas
    for row, area in enumerate(areas):
        colour = RED if area.obligatory_unmet else GREEN if area.fully_met else AMBER
        ax.barh(row, 100, height=0.42, color=TRACK, zorder=1)
        ax.barh(row, area.percent, height=0.42, color=colour, zorder=2)
        ax.text(
            0,
            row - 0.31,
            f"{area.area.id}. {area.area.title.get(locale)}",
            fontsize=12.5,
            va="bottom",
            ha="left",
            color=INK,
        )
        right = ax.text(
            100,
            row - 0.31,
            f"{area.percent}%  ({area.met}/{area.total})",
            fontsize=12.5,
            fontweight="bold",
            va="bottom",
            ha="right",
            color=INK,
        )
        if area.obligatory_unmet:
            # Placed left of the percentage by its measured width, so the two never touch.
            width = right.get_window_extent(renderer).width
            ax.annotate(
                f"⚠ {len(area.obligatory_unmet)}",
                xy=(100, row - 0.31),
                xytext=(-width - 14, 0),
                textcoords="offset pixels",
                fontsize=12.5,
                fontweight="bold",
                va="bottom",
                ha="right",
                color=RED,
            )
        ref = reference.areas.get(area.area.id)
        if ref is not None:
            ax.plot(
                [ref, ref],
                [row - 0.27, row + 0.27],
                color=INK,
                linewidth=3,
                solid_capstyle="butt",
                zorder=3,
                gid=REFERENCE_GID,
            )
    ax.set_xlim(0, 100)
    ax.set_ylim(len(areas) - 0.5, -0.62)
    ax.set_yticks([])
    ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"], fontsize=10.5)
    ax.tick_params(axis="x", length=0, pad=6, colors=GREY)
    ax.grid(axis="x", color="#ced4da", linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    ax.spines[["top", "right", "left", "bottom"]].set_visible(False)


def _axis_and_legend(fig: Figure, ax: Axes, data: ReportData, texts: Texts, locale: str) -> None:
    from matplotlib.lines import Line2D

    height_in = fig.get_figheight()
    ax.set_xlabel(texts.get(locale, "report.chart.axis"), fontsize=10.5, color=GREY, labelpad=4)
    reference = data.readiness.parp_2015
    x = SIDE_IN / fig.get_figwidth()
    marker = Line2D([], [], color=INK, linewidth=3, solid_capstyle="butt")
    legend = fig.legend(
        [marker],
        [texts.get(locale, "report.chart.reference", label=reference.label.get(locale))],
        loc="lower left",
        bbox_to_anchor=(x - 0.01, 0.2 / height_in),
        fontsize=10,
        frameon=False,
        handlelength=0.8,
        borderaxespad=0,
    )
    legend.set_in_layout(False)
    if any(a.obligatory_unmet for a in data.score.areas):
        fig.text(
            x,
            0.06 / height_in,
            texts.get(locale, "report.chart.unmet"),
            fontsize=10,
            color=RED,
            va="bottom",
        )
