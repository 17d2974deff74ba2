"""The overview's downloads: CSV for Polish Excel and the XLSX workbook."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.assessment.model import Questionnaire
from bot.loader import Content
from bot.web.downloads import overview_csv, overview_xlsx
from bot.web.overview import Filters, Overview, aggregate
from tests.web.overview_data import SPRING, Rows, verdict_codes


@pytest.fixture(scope="module")
def q(content: Content) -> Questionnaire:
    return next(x for x in content.questionnaires if x.id == "parp-standards")


def _overview(content: Content, q: Questionnaire, rows: list[Any], **kw: Any) -> Overview:
    return aggregate(rows, q, content.readiness.parp_2015, profile_spec=content.profile, **kw)


@pytest.fixture(scope="module")
def sample(q: Questionnaire) -> list[Any]:
    """19 clusters, 22 self-evaluations: growth 14, maturity 3 and embryonic 2 (hidden).

    In growth 9 are positive and 5 negative (1.1.1 not met); the rest meet every standard.
    """
    rows = Rows(q)
    data = rows.many(6, sector="ICT", region="pm")
    data += rows.many(5, sector="Energetyka", codes=verdict_codes(q, "growth", "negative"))
    data += rows.many(3, sector="ict.", region="op", phase="maturity")
    data += rows.many(2, sector="ICT", phase="embryonic")
    data += [rows.one(f"repeat-{i}", when=SPRING.replace(month=1)) for i in range(3)]
    data += [rows.one(f"repeat-{i}", sector="Energetyka") for i in range(3)]
    return data


def _parse(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel reads the Polish letters
    text = body.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_csv_one_row_per_standard_then_the_totals(
    content: Content, q: Questionnaire, sample: list[Any]
) -> None:
    overview = _overview(content, q, sample)
    table = _parse(overview_csv(overview, q, content.texts, "pl"))
    header, body = table[0], table[1:]
    assert header[:5] == [
        "Nr standardu",
        "Standard",
        "Obligatoryjny w fazach",
        "Spełnia (% klastrów)",
        "Klastry",
    ]
    assert header[5:7] == ["faza embrionalna: spełnia (% klastrów)", "faza embrionalna: klastry"]
    assert len(header) == 5 + 2 * len(q.phases)
    standards, blank, totals = body[: len(q.standards)], body[len(q.standards)], body[-2:]
    assert [r[0] for r in standards] == [s.id for s in q.standards]
    assert blank == []
    owners = {r.owner for r in sample}
    assert totals == [["Klastry", str(len(owners))], ["Samooceny", str(len(sample))]]
    assert len(body) == len(q.standards) + 3

    first, second = standards[:2]
    assert first[1].endswith(q.standards[0].title.pl)
    assert first[2] == "faza embrionalna, faza rozwoju, faza dojrzałości"
    assert first[3:5] == ["74", "19"]  # 14 of 19 as a plain whole percent, then the clusters
    assert first[5:7] == ["", ""]  # two embryonic clusters: hidden, their count too
    assert first[7:9] == ["64", "14"]  # 9 of 14
    assert first[9:11] == ["", ""]  # three maturity clusters: hidden
    assert second[3:5] == ["100", "19"] and second[7:9] == ["100", "14"]


def test_csv_of_a_hidden_selection_shows_no_number(
    content: Content, q: Questionnaire, sample: list[Any]
) -> None:
    overview = _overview(content, q, sample, filters=Filters(phase="maturity"))
    table = _parse(overview_csv(overview, q, content.texts, "pl"))
    numbers = [cell for row in table[1:] for cell in row[3:]]
    assert set(numbers) == {""}
    assert table[-2:] == [["Klastry", ""], ["Samooceny", ""]]


def test_csv_in_english(content: Content, q: Questionnaire, sample: list[Any]) -> None:
    table = _parse(overview_csv(_overview(content, q, sample), q, content.texts, "en"))
    assert table[0][:4] == ["Standard no.", "Standard", "Obligatory in", "Met (% of clusters)"]
    assert table[0][7] == "growth phase: met (% of clusters)"
    assert table[-2][0] == "Clusters"


def test_xlsx_sheets_and_hidden_cells(
    content: Content, q: Questionnaire, sample: list[Any]
) -> None:
    overview = _overview(content, q, sample)
    book = load_workbook(io.BytesIO(overview_xlsx(overview, q, content.texts, "pl")))
    assert book.sheetnames == [
        "Standardy",
        "Obszary",
        "Wyniki w fazach",
        "Województwa i branże",
        "Kwartały",
    ]

    ws = book["Standardy"]
    assert "mniej niż 5 klastrów" in ws["A1"].value
    assert [c.value for c in ws[3]][:2] == ["Nr standardu", "Standard"]
    first = [c.value for c in ws[4]]
    assert first[0] == "1.1.1" and ws["A4"].data_type == "s"  # text, never a date
    assert first[3:11] == [0.74, 19, "—", "—", 0.64, 14, "—", "—"]
    assert ws["D4"].number_format == "0%"
    last = 4 + len(q.standards) + 1
    assert [ws.cell(last, 1).value, ws.cell(last, 2).value] == ["Klastry", 19]
    assert [ws.cell(last + 1, 1).value, ws.cell(last + 1, 2).value] == ["Samooceny", 22]

    areas = list(book["Obszary"].iter_rows(values_only=True))
    assert areas[1][0] == "1. Organizacja" and areas[1][2] == 19 and areas[1][3] == 0.93
    assert areas[-1][0] == "Wszystkie obszary" and areas[-1][3] == 0.92

    verdicts = list(book["Wyniki w fazach"].iter_rows(values_only=True))
    assert verdicts[0] == (
        "Faza",
        "Wynik pozytywny",
        "Wynik negatywny",
        "Wynik niepełny",
        "Klastry w fazie",
    )
    assert verdicts[1] == ("faza embrionalna", "—", "—", "—", "—")
    assert verdicts[2] == ("faza rozwoju", 9, 5, "—", 14)
    assert verdicts[3] == ("faza dojrzałości", "—", "—", "—", "—")

    groups = list(book["Województwa i branże"].iter_rows(values_only=True))[1:]
    # op (3) is hidden, and so is pm (6): 19 minus mz (10) and pm would give op away. A hidden
    # group is not listed at all: its name alone would say that some cluster there took part.
    assert [g[:3] for g in groups if g[0] == "Województwo"] == [
        ("Województwo", "mazowieckie", 10),
    ]
    # A group is its filtered page: ICT counts the 3 clusters whose earlier self-evaluation was
    # in ICT (14), as ?sector=ict does. Those 3 now write "Energetyka" too, so the two groups
    # overlap and their sum (22) exceeds the page's 19: Energetyka, the smaller, is not shown.
    assert [g[1:3] for g in groups if g[0] == "Branża"] == [("ICT", 14)]

    quarters = list(book["Kwartały"].iter_rows(values_only=True))[1:]
    assert quarters == [
        ("I kw. 2026", "—", "—", "—", None),
        ("II kw. 2026", 19, 19, 0.99, None),  # (14 × 100% + 5 × 97%) / 19
    ]


def test_xlsx_in_english(content: Content, q: Questionnaire, sample: list[Any]) -> None:
    body = overview_xlsx(_overview(content, q, sample), q, content.texts, "en")
    book = load_workbook(io.BytesIO(body))
    assert book.sheetnames[0] == "Standards"
    assert "fewer than 5 clusters" in book["Standards"]["A1"].value
    assert list(book["Quarters"].iter_rows(values_only=True))[2][0] == "Q2 2026"
