"""The workbook writer: typed cells with number formats, the heading of every sheet, a frozen
header with an autofilter, and text no spreadsheet evaluates (formula injection)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from patentpool.reports.workbook import FORMULA_STARTS, Heading, Table, Typed, table, workbook

HEADING = Heading("Royalties", dt.date(2026, 3, 31), "run 7", "Illustrative: invented.", "USD")

#: Text a spreadsheet would evaluate if it were typed in (one for each dangerous start).
INJECTIONS = [
    "=1+1",
    '=HYPERLINK("http://example.invalid","click")',
    "+41 22 000 00 00",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+2",
    "\r=3+4",
]


def _book(tables: list[Table], heading: Heading = HEADING) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(workbook(tables, heading)))


def test_cells_keep_their_type_and_number_format() -> None:
    rows = [
        ["lenovo", "1234567", "1234.50", Fraction(1, 3), "2026-03-31", "EP1000002B1"],
        ["tcl", 12, Decimal("0.05"), "0.25", dt.date(2026, 1, 2), None],
    ]
    columns = [
        ("member", "text"),
        ("units", "int"),
        ("amount", "money"),
        ("share", "share"),
        ("day", "date"),
        ("patent", "text"),
    ]
    sheet = _book([table("Members", columns, rows)])["Members"]
    header = [c.value for c in sheet[6]]
    assert header == [c for c, _ in columns]
    first = sheet[7]
    assert [c.value for c in first[:3]] == ["lenovo", 1234567, 1234.5]
    assert first[1].number_format == "#,##0"
    assert first[2].number_format == "#,##0.00"
    assert first[3].number_format == "0.00%"
    assert first[3].value == pytest.approx(1 / 3)
    assert first[4].is_date
    assert first[4].value.date() == dt.date(2026, 3, 31)
    assert first[4].number_format == "yyyy-mm-dd"
    assert sheet[8][3].value == 0.25
    assert sheet[8][4].value.date() == dt.date(2026, 1, 2)
    assert sheet[8][5].value is None


def test_amounts_are_written_with_every_digit_of_the_decimal() -> None:
    data = workbook([table("T", [("amount", "money")], [["12345678901234.57"]])], HEADING)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>12345678901234.57</v>" in xml


def test_the_minor_unit_is_the_currency_s() -> None:
    yen = Heading("Royalties", dt.date(2026, 3, 31), "the register", None, "JPY")
    sheet = _book([table("T", [("amount", "money")], [["1500"]])], yen)["T"]
    assert sheet["A5"].value == "amount"  # no line saying the figures are invented
    assert sheet["A6"].value == 1500
    assert sheet["A6"].number_format == "#,##0"


def test_each_sheet_says_title_date_source_and_that_figures_are_invented() -> None:
    heading = Heading("Pool report", dt.date(2026, 3, 31), "distribution run 7", "Illustrative!")
    book = _book([table("A", ["x"], [["1"]]), table("B", ["y"], [["2"]])], heading)
    assert book.sheetnames == ["A", "B"]
    for sheet in book:
        lines = [sheet.cell(row=n, column=1).value for n in range(1, 5)]
        assert lines[0] == "Pool report"
        assert lines[1].startswith("Made 2026-03-31 by patentpool ")
        assert lines[2] == "Source: distribution run 7"
        assert lines[3] == "Illustrative!"


def test_the_header_is_frozen_filtered_and_columns_fit() -> None:
    rows = [["a" * 30, "1"], ["b", "22"]]
    sheet = _book([table("T", [("name", "text"), ("n", "int")], rows)])["T"]
    assert sheet.freeze_panes == "A7"
    assert sheet.auto_filter.ref == "A6:B8"
    assert sheet.column_dimensions["A"].width == 32
    assert sheet.column_dimensions["B"].width == 8  # never narrower


def test_sheet_names_are_ones_excel_accepts_and_unique() -> None:
    long = "versions by_jurisdiction and a great deal more"
    book = _book([table(long, ["x"], []), table(long, ["x"], []), table("a/b:c", ["x"], [])])
    assert book.sheetnames == [long[:31], long[:27] + " (2)", "a b c"]


def test_a_cell_of_its_own_kind_in_a_column_of_figures() -> None:
    rows = [["collected", Typed(Decimal("10.5"), "money")], ["when", Typed("2026-01-01", "date")]]
    sheet = _book([table("S", ["figure", "value"], rows)])["S"]
    assert sheet["B7"].value == 10.5
    assert sheet["B7"].number_format == "#,##0.00"
    assert sheet["B8"].is_date


def test_text_that_is_not_a_number_stays_text_in_a_number_column() -> None:
    sheet = _book([table("T", [("units", "int")], [["many"]])])["T"]
    assert sheet["A7"].value == "many"


def test_text_that_looks_like_a_formula_is_stored_as_text() -> None:
    assert {s[0] for s in INJECTIONS} == set(FORMULA_STARTS)
    book = _book([table("T", ["text"], [[s] for s in INJECTIONS])])
    sheet = book["T"]
    for n, text in enumerate(INJECTIONS, start=7):
        cell = sheet.cell(row=n, column=1)
        assert cell.data_type == "s", text
        assert cell.value == text
        assert cell.quotePrefix, text
    data = workbook([table("T", ["text"], [[s] for s in INJECTIONS])], HEADING)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="needs libreoffice-calc")
def test_libreoffice_reads_the_literal_text_not_a_result(tmp_path: Path) -> None:
    path = tmp_path / "injection.xlsx"
    path.write_bytes(workbook([table("T", ["text"], [[s] for s in INJECTIONS])], HEADING))
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with (tmp_path / "injection.csv").open(encoding="utf-8", newline="") as handle:
        cells = [row[0] for row in csv.reader(handle) if row]
    for text in INJECTIONS:
        assert text in cells, (text, cells)
    assert "2" not in cells  # nothing was evaluated
    assert "click" not in cells
