"""The results chart: share of standards met per area, obligatory gaps marked (PNG).

matplotlib with the Agg backend, about 1080 px wide so it reads on a phone; DejaVu Sans
renders Polish diacritics.
"""

from __future__ import annotations

import io

from bot.assessment.report_data import ReportData
from bot.core.i18n import Texts

WIDTH_PX, HEIGHT_PX, DPI = 1080, 720, 100
GREEN, AMBER, RED, GREY = "#2a9d8f", "#e9c46a", "#e76f51", "#6c757d"


def chart_png(data: ReportData, texts: Texts, locale: str) -> bytes:
    """Draw the per-area chart and return PNG bytes."""
    # The object API with the Agg canvas: no pyplot global state, safe in a worker thread.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    q = data.questionnaire
    phase = q.phase(data.score.phase)
    phase_title = phase.title.get(locale) if phase else data.score.phase
    verdict = texts.get(locale, f"assess.report.verdict.{data.score.verdict}")
    name = str(data.record.profile.get("name", ""))
    areas = list(data.score.areas)
    labels = [f"{a.area.id}. {a.area.title.get(locale)}" for a in areas][::-1]
    values = [a.percent for a in areas][::-1]
    colours = [RED if a.obligatory_unmet else GREEN if a.fully_met else AMBER for a in areas][::-1]
    reference = data.readiness.parp_2015

    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    bars = ax.barh(labels, values, color=colours)
    for bar, area in zip(bars, areas[::-1], strict=True):
        note = f"{area.percent}%"
        if area.obligatory_unmet:
            note += "  ⚠ " + texts.get(
                locale, "report.chart.unmet", count=len(area.obligatory_unmet)
            )
        ax.text(
            bar.get_width() + 1,
            bar.get_y() + bar.get_height() / 2,
            note,
            va="center",
            fontsize=12,
        )
    refs = [reference.areas.get(a.area.id) for a in areas][::-1]
    for y, ref in enumerate(refs):
        if ref is not None:
            ax.plot([ref, ref], [y - 0.4, y + 0.4], color=GREY, linestyle="--", linewidth=2)
    ax.plot([], [], color=GREY, linestyle="--", label=reference.label.get(locale))
    ax.set_xlim(0, 135)
    ax.set_xlabel(texts.get(locale, "report.chart.axis"), fontsize=12)
    ax.tick_params(axis="y", labelsize=13)
    title = texts.get(locale, "report.chart.title", name=name, phase=phase_title, verdict=verdict)
    ax.set_title(title, fontsize=15, loc="left")
    ax.legend(loc="lower right", fontsize=10, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
