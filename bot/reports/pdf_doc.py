"""The PDF report's page: A4, DejaVu Sans (shipped with matplotlib), and a few text blocks.

Every block can be measured before it is drawn (``height``), so the summary can promise
to fit on its page by giving the chart whatever room the text leaves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import cast

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from bot.core.i18n import Texts
from bot.core.markup import to_plain

FONT = "DejaVu"
MARGIN = 15.0
INK = (29, 53, 87)
MUTED = (95, 105, 115)
#: Verdict box fill per verdict: a pale green, red and amber.
VERDICT_FILL = {
    "positive": (222, 242, 238),
    "negative": (250, 226, 229),
    "incomplete": (252, 240, 214),
}


class Words:
    """The report's texts in one language, as plain text (the chat markup removed).

    ``today`` is the report's date where its reader lives.
    """

    def __init__(self, texts: Texts, locale: str, today: date) -> None:
        self._texts = texts
        self.locale = locale
        self.today = today

    def t(self, key: str, **params: object) -> str:
        """The text ``key`` with ``params`` filled in."""
        return to_plain(self._texts.get(self.locale, key, **params))

    def count(self, key: str, n: int, **params: object) -> str:
        """The form of ``key`` that agrees with ``n`` ("1 standard", "5 standardów")."""
        return to_plain(self._texts.count(self.locale, key, n, **params))

    def has(self, key: str) -> bool:
        """Whether the text ``key`` exists."""
        return self._texts.has(key)


def _font_dir() -> Path:
    from matplotlib import get_data_path

    return Path(get_data_path()) / "fonts" / "ttf"


@dataclass(frozen=True, slots=True)
class Line:
    """A paragraph: text, size in points, style ("", "B", "I"), colour and space after (mm)."""

    text: str
    size: float = 10
    style: str = ""
    colour: tuple[int, int, int] = INK
    after: float = 0.0
    indent: float = 0.0
    #: ``**bold**`` spans (for texts from content, never for what a user typed).
    markdown: bool = False

    @property
    def leading(self) -> float:
        """Line height in millimetres for this size."""
        return round(self.size * 0.47, 2)


class ReportDoc(FPDF):
    """An A4 page with the report's fonts, margins and footer."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self._footer_text = footer_text
        fonts = _font_dir()
        self.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
        self.add_font(FONT, "I", str(fonts / "DejaVuSans-Oblique.ttf"))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN)
        self.set_text_color(*INK)

    def footer(self) -> None:
        """Name the report and number the page, below the bottom margin."""
        self.set_y(-11)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self._footer_text} · {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(*INK)

    @property
    def bottom(self) -> float:
        """The lowest y that content may reach on a page."""
        return float(self.page_break_trigger)

    def height(self, lines: list[Line]) -> float:
        """How tall ``lines`` will be when drawn at the full text width."""
        total = 0.0
        for line in lines:
            self.set_font(FONT, line.style, line.size)
            # With output=HEIGHT, fpdf2 returns the height alone (its annotation is a union).
            measured = cast(
                float,
                self.multi_cell(
                    self.epw - line.indent,
                    line.leading,
                    line.text,
                    markdown=line.markdown,
                    dry_run=True,
                    output=MethodReturnValue.HEIGHT,
                ),
            )
            total += measured
            total += line.after
        return total

    def draw(self, lines: list[Line]) -> None:
        """Draw ``lines`` one below the other at the full text width."""
        for line in lines:
            self.set_font(FONT, line.style, line.size)
            self.set_text_color(*line.colour)
            self.set_x(self.l_margin + line.indent)
            self.multi_cell(
                self.epw - line.indent,
                line.leading,
                line.text,
                align="L",
                markdown=line.markdown,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            if line.after:
                self.ln(line.after)
        self.set_text_color(*INK)

    def heading(self, text: str, size: float = 12.5) -> None:
        """A section title, kept with at least a few lines of what follows."""
        if self.will_page_break(30):
            self.add_page()
        self.ln(2.5)
        self.draw([Line(text, size, "B", after=1.5)])
