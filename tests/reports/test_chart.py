"""The results chart as a newcomer saw it in issue 16: title, reference ticks, axis, phone size."""

from __future__ import annotations

import io

import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from PIL import Image

from bot.loader import Content
from bot.reports.chart import REFERENCE_GID, chart_figure, chart_png
from tests.reports.sample import report_data

LONG_NAME = (
    "Klaster Technologii Wodorowych Pomorza Zachodniego, Kujaw i Wielkopolski Południowej "
    "– Stowarzyszenie Przedsiębiorców i Uczelni"
)


def _drawn(data_fig: Figure) -> Figure:
    data_fig.canvas.draw()  # positions (the axis label, the legend) are final once drawn
    return data_fig


def _texts(fig: Figure) -> list[Text]:
    found = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert found
    return found


def _extent(artist: Text | Line2D, fig: Figure) -> Bbox:
    return artist.get_window_extent(fig.canvas.get_renderer())  # type: ignore[attr-defined]


@pytest.mark.parametrize("unmet", [0, 1, 2, 5, 22])
@pytest.mark.parametrize("locale", ["pl", "en"])
@pytest.mark.parametrize("name", [None, LONG_NAME])
def test_every_text_fits_and_no_reference_tick_crosses_a_text(
    content: Content, unmet: int, locale: str, name: str | None
) -> None:
    fig = _drawn(chart_figure(report_data(content, unmet, name=name), content.texts, locale))
    page = fig.bbox
    texts = _texts(fig)
    for text in texts:
        box = _extent(text, fig)
        assert box.x0 >= page.x0 and box.x1 <= page.x1, text.get_text()
        assert box.y0 >= page.y0 and box.y1 <= page.y1, text.get_text()
    ticks = [line for line in fig.findobj(Line2D) if line.get_gid() == REFERENCE_GID]
    assert len(ticks) == 5  # one PARP 2015 average per area
    for tick in ticks:
        for text in texts:
            assert not _extent(tick, fig).overlaps(_extent(text, fig)), text.get_text()
    # Texts never sit on one another (the ⚠ count, the percentage, the area's name).
    boxes = [(t.get_text(), _extent(t, fig)) for t in texts]
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            assert not box_a.overlaps(box_b), (a, b)


def test_title_names_the_cluster_phase_and_whole_verdict(content: Content) -> None:
    fig = chart_figure(report_data(content, 2, name=LONG_NAME), content.texts, "pl")
    shown = [t.get_text() for t in fig.texts]
    assert "Faza rozwoju · wynik: NEGATYWNY" in shown
    assert shown[0].startswith("Klaster Technologii Wodorowych") and shown[1].endswith("…")
    fig = chart_figure(report_data(content, 0), content.texts, "en")
    assert "Growth phase · result: POSITIVE" in [t.get_text() for t in _texts(fig)]


def test_axis_is_zero_to_a_hundred_percent_and_bars_are_labelled(content: Content) -> None:
    data = report_data(content, 3)
    fig = chart_figure(data, content.texts, "pl")
    ax = fig.axes[0]
    assert ax.get_xlim() == (0, 100)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0%", "25%", "50%", "75%", "100%"]
    shown = {t.get_text() for t in _texts(fig)}
    for area in data.score.areas:
        assert f"{area.area.id}. {area.area.title.pl}" in shown
        assert f"{area.percent}%  ({area.met}/{area.total})" in shown
    assert "⚠ 3" in shown  # the three unmet obligatory standards of area 1
    assert any("PARP 2015" in s for s in shown)


def test_png_reads_on_a_phone(content: Content) -> None:
    data = report_data(content, 5)
    picture = Image.open(io.BytesIO(chart_png(data, content.texts, "pl")))
    assert picture.size[0] == 1280 and picture.size[1] < picture.size[0]
    fig = chart_figure(data, content.texts, "pl")
    # At 1280 px shown about 400 px wide on a phone, 10 pt at 200 dpi is still ~9 px tall.
    assert min(t.get_fontsize() for t in _texts(fig)) >= 10
