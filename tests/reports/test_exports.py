"""The answers export: CSV and XLSX that Polish Excel opens as they are, JSON for programs."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import UTC, date, datetime

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from bot.core.clock import ManualClock
from bot.core.dispatcher import Dispatcher
from bot.core.events import Document
from bot.loader import Content
from bot.reports.chart import AMBER, GREEN, GREY, RED
from bot.reports.xlsx import sheet_name
from storage.memory import MemoryStorage
from tests.assessment.test_conversation import answer_all, start_to_first_standard
from tests.helpers import ALICE, Chat, make_dispatcher

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTE = 'Uchwała zarządu; budżet "B" do sprawdzenia\ndruga linia'
SPECIAL = {"2.1.1": "Nie spełnia", "1.1.3": "Nie wiem", "4.3.2": "Nie spełnia"}
PL_HEADER = [
    "Klaster",
    "Nr samooceny",
    "Wersja kwestionariusza",
    "Faza",
    "Obszar",
    "Podobszar",
    "Standard",
    "Obligatoryjny w tej fazie",
    "Brzmienie",
    "Odpowiedź",
    "Notatka",
    "Data odpowiedzi",
]
EN_HEADER = [
    "Cluster",
    "Self-evaluation no.",
    "Questionnaire version",
    "Phase",
    "Area",
    "Sub-area",
    "Standard",
    "Obligatory in this phase",
    "Wording",
    "Answer",
    "Note",
    "Answered on",
]


async def finished_with_note(dispatcher: Dispatcher, note: str = NOTE) -> Chat:
    """Alice's finished self-evaluation with ``note`` on 1.1.1 and three answers not "Spełnia"."""
    chat = Chat(dispatcher)
    await start_to_first_standard(chat)
    await chat.press("Dodaj notatkę")
    await chat.send(note)
    assert "Notatka do 1.1.1 zapisana" in chat.text
    await answer_all(chat, SPECIAL)
    return chat


async def export(chat: Chat, command: str = "/eksport") -> dict[str, Document]:
    """The documents of the export reply, by file extension."""
    await chat.send(command)
    documents = [r.document for r in chat.last if r.document is not None]
    return {d.name.rsplit(".", 1)[1]: d for d in documents}


def csv_rows(document: Document) -> list[list[str]]:
    assert document.data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    text = document.data[3:].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def by_standard(rows: list[list[str]], header: list[str]) -> dict[str, dict[str, str]]:
    """Rows by the standard number that begins the "Standard" column."""
    column = header.index(header[6])
    return {row[column].split(" ", 1)[0]: dict(zip(header, row, strict=True)) for row in rows}


async def test_export_reply_carries_csv_xlsx_and_json(dispatcher: Dispatcher) -> None:
    await finished_with_note(dispatcher)
    chat = Chat(dispatcher)
    await chat.send("/eksport")
    assert "CSV i XLSX do Excela" in chat.last[0].text
    assert [(r.document.name, r.document.mime) for r in chat.last if r.document] == [
        ("samoocena-1.csv", "text/csv"),
        ("samoocena-1.xlsx", XLSX_MIME),
        ("samoocena-1.json", "application/json"),
    ]
    await chat.send("/language en")
    await chat.send("/export")
    assert [r.document.name for r in chat.last if r.document] == [
        "self-evaluation-1.csv",
        "self-evaluation-1.xlsx",
        "self-evaluation-1.json",
    ]


async def test_csv_has_polish_headers_values_and_dates(
    dispatcher: Dispatcher, store: MemoryStorage
) -> None:
    chat = await finished_with_note(dispatcher)
    document = (await export(chat))["csv"]
    assert b"\r\n" in document.data and document.data.count(b"\n") == document.data.count(
        b"\r\n"
    ) + NOTE.count("\n")  # records end in CRLF; the note keeps its own line break
    header, *rows = csv_rows(document)
    assert header == PL_HEADER
    assert len(rows) == 36
    standards = by_standard(rows, header)
    first = standards["1.1.1"]
    assert first["Klaster"] == "Klaster Testowy"
    assert first["Faza"] == "faza rozwoju"
    assert first["Obszar"].startswith("1. ") and first["Podobszar"].startswith("1.1 ")
    assert first["Odpowiedź"] == "Spełnia"
    assert first["Notatka"] == NOTE  # `;`, quotes and the line break survive
    assert first["Data odpowiedzi"] == "02.03.2026"
    assert standards["2.1.1"]["Odpowiedź"] == "Nie spełnia"
    assert standards["2.1.1"]["Obligatoryjny w tej fazie"] == "tak"
    assert standards["2.1.1"]["Brzmienie"] == "oficjalne (PARP)"
    assert standards["1.1.3"]["Odpowiedź"] == "Nie wiem"
    assert {r["Obligatoryjny w tej fazie"] for r in standards.values()} == {"tak", "nie"}
    record = (await store.list_assessments(ALICE.user_key))[0]
    stored = await store.list_answers(record.id)
    labels = {"y": "Spełnia", "n": "Nie spełnia", "u": "Nie wiem"}
    assert {sid: r["Odpowiedź"] for sid, r in standards.items()} == {
        sid: labels[a.answer or ""] for sid, a in stored.items()
    }
    assert {r["Wersja kwestionariusza"] for r in standards.values()} == {
        record.questionnaire_version
    }


async def test_csv_in_english(dispatcher: Dispatcher) -> None:
    chat = await finished_with_note(dispatcher)
    await chat.send("/language en")
    header, *rows = csv_rows((await export(chat, "/export"))["csv"])
    assert header == EN_HEADER
    standards = by_standard(rows, header)
    assert standards["2.1.1"]["Answer"] == "Does not meet"
    assert standards["1.1.1"]["Answer"] == "Meets"
    assert standards["1.1.1"]["Phase"] == "growth phase"
    assert standards["2.1.1"]["Obligatory in this phase"] == "yes"
    assert standards["1.1.1"]["Answered on"] == "2026-03-02"


async def test_answer_date_is_the_day_in_warsaw(content: Content, store: MemoryStorage) -> None:
    # 23:30 UTC on 30 November is already 1 December in Warsaw.
    clock = ManualClock(datetime(2026, 11, 30, 23, 30, tzinfo=UTC))
    chat = await finished_with_note(make_dispatcher(content, store, clock))
    documents = await export(chat)
    header, *rows = csv_rows(documents["csv"])
    assert {r["Data odpowiedzi"] for r in by_standard(rows, header).values()} == {"01.12.2026"}
    book = openpyxl.load_workbook(io.BytesIO(documents["xlsx"].data))
    cell = book.worksheets[1]["H2"]
    assert cell.value == datetime(2026, 12, 1) and cell.number_format == "DD.MM.YYYY"


async def test_unanswered_standards_are_named_so(dispatcher: Dispatcher) -> None:
    chat = Chat(dispatcher)
    await start_to_first_standard(chat)
    await chat.press("Spełnia")
    header, *rows = csv_rows((await export(chat))["csv"])
    standards = by_standard(rows, header)
    assert standards["1.1.1"]["Odpowiedź"] == "Spełnia"
    assert standards["1.1.2"]["Odpowiedź"] == "Brak odpowiedzi"
    assert standards["1.1.2"]["Data odpowiedzi"] == ""


async def test_text_that_looks_like_a_formula_stays_text(dispatcher: Dispatcher) -> None:
    chat = await finished_with_note(dispatcher, "=SUMA(A1:A9)")
    documents = await export(chat)
    header, *rows = csv_rows(documents["csv"])
    assert by_standard(rows, header)["1.1.1"]["Notatka"] == "'=SUMA(A1:A9)"
    sheet = openpyxl.load_workbook(io.BytesIO(documents["xlsx"].data)).worksheets[1]
    note = sheet["G2"]
    assert (note.value, note.data_type) == ("=SUMA(A1:A9)", "s")


def area_rows(sheet: Worksheet) -> list[dict[str, object]]:
    header = [c.value for c in sheet[1]]
    return [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]


async def test_xlsx_has_a_summary_and_a_coloured_sheet_per_area(
    dispatcher: Dispatcher, store: MemoryStorage
) -> None:
    chat = await finished_with_note(dispatcher)
    book = openpyxl.load_workbook(io.BytesIO((await export(chat))["xlsx"].data))
    names = book.sheetnames
    assert names[0] == "Podsumowanie" and len(names) == 6
    assert [n.split(".", 1)[0] for n in names[1:]] == ["1", "2", "3", "4", "5"]
    assert "5. Współpraca z otoczeniem" in names
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)

    summary = book["Podsumowanie"]
    facts = {row[0].value: row[1].value for row in summary.iter_rows(max_row=5)}
    assert facts["Klaster"] == "Klaster Testowy"
    assert facts["Faza"] == "faza rozwoju"
    assert facts["Wynik"] == "NEGATYWNY"
    assert facts["Stan samooceny"] == "zakończona"
    assert facts["Data"] == datetime(2026, 3, 2)
    table = {row[0].value: row for row in summary.iter_rows(min_row=8, max_row=13)}
    total = table["Razem"]
    assert (total[1].value, total[2].value) == (33, 36)
    assert total[3].value == pytest.approx(0.92) and total[3].number_format == "0%"

    record = (await store.list_assessments(ALICE.user_key))[0]
    stored = await store.list_answers(record.id)
    labels = {"y": "Spełnia", "n": "Nie spełnia", "u": "Nie wiem"}
    seen: dict[str, object] = {}
    for sheet in book.worksheets[1:]:
        assert sheet.freeze_panes == "A2"
        assert [c.value for c in sheet[1]] == [
            "Nr",
            "Podobszar",
            "Standard",
            "Obligatoryjny w tej fazie",
            "Brzmienie",
            "Odpowiedź",
            "Notatka",
            "Data odpowiedzi",
        ]
        for row in area_rows(sheet):
            seen[str(row["Nr"])] = row["Odpowiedź"]
        assert sheet.column_dimensions["C"].width >= 40  # titles readable without widening
    assert seen == {sid: labels[a.answer or ""] for sid, a in stored.items()}
    assert len(seen) == 36

    first = book.worksheets[1]
    assert first["A2"].value == "1.1.1" and first["F2"].value == "Spełnia"
    assert first["F2"].fill.fgColor.rgb == "FF" + GREEN.lstrip("#").upper()
    assert first["G2"].value == NOTE and first["G2"].alignment.wrap_text
    assert first["H2"].value == datetime(2026, 3, 2) and first["H2"].number_format == "DD.MM.YYYY"
    fills = {
        row[5].value: row[5].fill.fgColor.rgb
        for sheet in book.worksheets[1:]
        for row in sheet.iter_rows(min_row=2)
    }
    assert fills["Nie spełnia"] == "FF" + RED.lstrip("#").upper()
    assert fills["Nie wiem"] == "FF" + AMBER.lstrip("#").upper()


async def test_xlsx_in_english_marks_missing_answers_grey(dispatcher: Dispatcher) -> None:
    chat = Chat(dispatcher)
    await start_to_first_standard(chat)
    await chat.press("Spełnia")
    await chat.send("/language en")
    book = openpyxl.load_workbook(io.BytesIO((await export(chat, "/export"))["xlsx"].data))
    assert book.sheetnames[0] == "Summary"
    facts = {row[0].value: row[1].value for row in book["Summary"].iter_rows(max_row=5)}
    assert facts["Phase"] == "growth phase" and facts["Self-evaluation"] == "in progress"
    first = book.worksheets[1]
    assert first["F2"].value == "Meets"
    assert first["F3"].value == "No answer"
    assert first["F3"].fill.fgColor.rgb == "FF" + GREY.lstrip("#").upper()
    assert first["H3"].value is None


def test_sheet_names_fit_excel() -> None:
    taken: set[str] = set()
    long = sheet_name("4. Ochrona [ważnych]: danych/plików * w klastrze? tak\\nie", taken)
    assert len(long) == 31 and long.endswith("…") and not set(long) & set("[]:*?/\\")
    assert sheet_name("Podsumowanie", taken) == "Podsumowanie"
    assert sheet_name("podsumowanie", taken) == "podsumowanie (2)"
    assert sheet_name("'", taken) == "-"


async def test_json_keeps_machine_codes(dispatcher: Dispatcher, store: MemoryStorage) -> None:
    chat = await finished_with_note(dispatcher)
    payload = json.loads((await export(chat))["json"].data)
    record = (await store.list_assessments(ALICE.user_key))[0]
    stored = {sid: (a.answer, a.note) for sid, a in (await store.list_answers(record.id)).items()}
    assert payload["questionnaire"] == {
        "id": "parp-standards",
        "version": record.questionnaire_version,
    }
    assert {a["standard_id"]: (a["answer"], a["note"]) for a in payload["answers"]} == stored
    assert payload["assessment"]["phase"] == "growth"
    assert payload["assessment"]["profile"]["name"] == "Klaster Testowy"
    assert date.fromisoformat(payload["answers"][0]["answered_at"][:10]) == date(2026, 3, 2)


async def test_a_stored_note_with_control_characters_still_exports(
    dispatcher: Dispatcher, store: MemoryStorage
) -> None:
    # The chat strips control characters from notes; data stored before that still exports.
    chat = await finished_with_note(dispatcher)
    record = (await store.list_assessments(ALICE.user_key))[0]
    old = (await store.list_answers(record.id))["1.1.1"]
    await store.save_answer(record.id, dataclasses.replace(old, note="dzwonek\x07 \ud800 koniec"))
    documents = await export(chat)
    header, *rows = csv_rows(documents["csv"])
    assert by_standard(rows, header)["1.1.1"]["Notatka"] == "dzwonek\x07 ? koniec"
    sheet = openpyxl.load_workbook(io.BytesIO(documents["xlsx"].data)).worksheets[1]
    assert sheet["G2"].value == "dzwonek \ufffd koniec"  # XML cannot carry either
