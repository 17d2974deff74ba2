"""The PDF report's pages rendered to bitmaps (pypdfium2): what a board member holds.

Page 1 is the whole summary; every page but the last is at least half full; every letter
lies inside the page's margins and inside its table cell (a heading sticking out of its
table, as in issue 16, fails).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest

from bot.core.dispatcher import Dispatcher
from bot.loader import Content
from bot.reports.renderer import ReportRenderer
from tests.assessment.test_conversation import answer_all, start_to_first_standard
from tests.helpers import Chat
from tests.reports.sample import report_data

MM = 72 / 25.4
MARGIN = 15 * MM
#: A blank band shorter than this is the space between lines, not an empty part of a page.
SPACING = 9 * MM

Box = tuple[float, float, float, float]  # left, bottom, right, top in points


@dataclass
class Page:
    text: str
    chars: list[tuple[str, Box]]
    rects: list[Box]
    images: list[Box]
    ink_rows: np.ndarray  # one flag per point of height, top to bottom
    width: float
    height: float


def pages_of(pdf: bytes) -> list[Page]:
    document = pdfium.PdfDocument(pdf)
    pages = []
    for page in document:
        width, height = page.get_size()
        textpage = page.get_textpage()
        count = textpage.count_chars()
        text = " ".join(textpage.get_text_range().split())  # wrapped lines read as one
        chars = [
            (textpage.get_text_range(i, 1), textpage.get_charbox(i))
            for i in range(count)
            if textpage.get_text_range(i, 1).strip()
        ]
        rects, images = [], []
        for obj in page.get_objects():
            if obj.type == pdfium_raw.FPDF_PAGEOBJ_PATH:
                rects.append(obj.get_bounds())
            elif obj.type == pdfium_raw.FPDF_PAGEOBJ_IMAGE:
                images.append(obj.get_bounds())
        grey = np.asarray(page.render(scale=1, grayscale=True).to_pil().convert("L"))
        pages.append(Page(text, chars, rects, images, (grey < 200).any(axis=1), width, height))
    document.close()
    return pages


def empty_share(page: Page) -> float:
    """Share of the text area's height in blank bands taller than line spacing."""
    top, bottom = round(MARGIN), round(page.height - MARGIN)
    rows = page.ink_rows[top:bottom]
    empty = run = 0
    for inked in rows:
        if inked:
            empty += run if run >= SPACING else 0
            run = 0
        else:
            run += 1
    empty += run if run >= SPACING else 0
    return empty / len(rows)


def inside(inner: Box, outer: Box, slack: float = 0.6) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def overlaps(a: Box, b: Box, slack: float = 0.8) -> bool:
    return (
        a[0] + slack < b[2] and b[0] + slack < a[2] and a[1] + slack < b[3] and b[1] + slack < a[3]
    )


def assert_text_within_cells_and_margins(page: Page) -> None:
    for char, box in page.chars:
        left, bottom, right, top = box
        assert left >= MARGIN - 1 and right <= page.width - MARGIN + 1, (char, box)
        assert bottom >= 6 * MM and top <= page.height - MARGIN + 1, (char, box)
        centre = ((left + right) / 2, (bottom + top) / 2)
        holding = [r for r in page.rects if r[0] <= centre[0] <= r[2] and r[1] <= centre[1] <= r[3]]
        if holding:
            cell = min(holding, key=lambda r: (r[2] - r[0]) * (r[3] - r[1]))
            assert inside(box, cell), (char, box, cell)
        else:
            straddled = [r for r in page.rects if overlaps(box, r)]
            assert not straddled, (char, box, straddled)


def render(content: Content, unmet: int, locale: str = "pl", **options: object) -> list[Page]:
    data = report_data(content, unmet, **options)  # type: ignore[arg-type]
    return pages_of(ReportRenderer(content.texts).pdf(data, locale))


@pytest.mark.parametrize(
    ("unmet", "unmet_words"),
    [
        (0, None),
        (1, "1 standard obligatoryjny niespełniony"),
        (2, "2 standardy obligatoryjne niespełnione"),
        (5, "5 standardów obligatoryjnych niespełnionych"),
        (22, "22 standardy obligatoryjne niespełnione"),
    ],
)
def test_summary_on_page_one_then_full_pages(
    content: Content, unmet: int, unmet_words: str | None
) -> None:
    pages = render(content, unmet, notes=True, plan_steps=8)
    first = pages[0].text
    assert "Klaster Technologii Wodorowych Pomorza Zachodniego" in first
    assert "Faza rozwoju · raport z 02.03.2026" in first
    assert ("Wynik: NEGATYWNY" if unmet else "Wynik: POZYTYWNY") in first
    if unmet_words:
        assert unmet_words in first
    assert "Najważniejsze braki i co z nimi zrobić" in first
    assert "Następne kroki z planu działań" in first
    if unmet:
        assert "01.04.2026 – 1.1.1 Zakres obowiązków" in first and "Anna Kowalska" in first
    else:
        assert "Żaden standard nie ma odpowiedzi „Nie spełnia”" in first
        assert "Dodaj je w czacie poleceniem /plan" in first
    if unmet > 5:
        assert f"…i jeszcze {unmet - 5} niespełnionych standardów" in first
    # The chart is big: most of the width whenever the text leaves room.
    (chart,) = pages[0].images
    assert chart[2] - chart[0] >= 0.6 * (pages[0].width - 2 * MARGIN)
    # Details start on page 2 and nothing of them leaked onto page 1.
    assert "Profil klastra" not in first and pages[1].text.lstrip().startswith("Profil klastra")
    for number, page in enumerate(pages[:-1], start=1):
        assert empty_share(page) <= 0.5, f"page {number} is more than half empty"
    for page in pages:
        assert_text_within_cells_and_margins(page)


def test_every_standard_with_answer_and_note_and_the_heading_repeated(content: Content) -> None:
    pages = render(content, 22, notes=True, unanswered=3)
    text = "\n".join(p.text for p in pages)
    assert "Notatka do 1.1.1: omówić na zarządzie klastra w marcu." in text
    assert text.count("Brak odpowiedzi") >= 3
    assert "3 standardy bez odpowiedzi (odpowiedzi: 33/36)" in pages[0].text
    # The answers table continues over pages, each with its heading row.
    continued = [p for p in pages[1:] if "Nr Standard W fazie rozwoju Odpowiedź" in p.text]
    assert len(continued) >= 2


def test_english_report_and_a_long_plan(content: Content) -> None:
    pages = render(content, 22, "en", plan_steps=8)
    first = pages[0].text
    assert "Result: NEGATIVE" in first and "Growth phase · report of 2 Mar 2026" in first
    assert "22 obligatory standards not met" in first
    assert (
        "1 Apr 2026 – 1.1.1 Coordinator's duties and powers – responsible: Anna Kowalska" in first
    )
    assert "…and 3 more steps in the plan (/plan)." in first
    for page in pages:
        assert_text_within_cells_and_margins(page)


async def test_pdf_from_chat_lists_the_plan_step_added_with_plan(dispatcher: Dispatcher) -> None:
    chat = Chat(dispatcher)
    await start_to_first_standard(chat)
    await answer_all(chat, {"2.1.1": "Nie spełnia"})
    await chat.send("/plan")
    await chat.press("Dodaj krok")
    await chat.press("2.1.1")
    await chat.send("30.06.2026")
    await chat.send("Anna Kowalska, skarbniczka")
    await chat.send("/raport pdf")
    document = chat.last[0].document
    assert document is not None
    first = pages_of(document.data)[0].text
    assert "30.06.2026 – 2.1.1 Stabilność finansowa – odpowiada: Anna Kowalska, skarbniczka" in (
        first
    )
    assert "Zaplanuj budżet koordynacji" in first  # the gap's guidance on the summary page
