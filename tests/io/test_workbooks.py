"""Workbooks in: .xlsx, .xlsm and .ods read wherever CSV is, each sheet by its header, cells as
Excel users type them, problems named by sheet and cell with the CSV reader's messages."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from licensing_files import LICENSING, PAYMENTS, SALES, SALES_HEADER
from openpyxl import Workbook
from register_files import ALLIANCE, HEADER, ROWS, write
from sqlalchemy import text

from patentpool.cli import cli
from patentpool.storage.engine import dispose_all, session_for
from patentpool.storage.migrate import upgrade


def _typed(cell: str) -> Any:
    """A cell as an Excel user types it: whole numbers as numbers, dates as dates, empty
    empty (a version ``1.0`` or an amount ``1000.00`` stays text, as written)."""
    if cell == "":
        return None
    if cell.isdigit():
        return int(cell)
    try:
        return dt.date.fromisoformat(cell)
    except ValueError:
        return cell


def _table(csv_text: str) -> list[list[Any]]:
    return [[_typed(c) for c in line.split(",")] for line in csv_text.splitlines()]


def _book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _cli(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", url, *args])
    return result.exit_code, result.stdout, result.stderr


def _register(tmp_path: Path, licensing: bool = True) -> str:
    """A database holding the small register (and the licensing file)."""
    url = f"sqlite:///{tmp_path / 'register.db'}"
    upgrade(url)
    write(tmp_path, "alliance.yaml", ALLIANCE)
    files = [str(tmp_path / "alliance.yaml")]
    if licensing:
        files.append(str(write(tmp_path, "licensing.yaml", LICENSING)))
    code, _, err = _cli(url, "import", *files)
    assert code == 0, err
    return url


def _lines(url: str) -> list[tuple[Any, ...]]:
    with session_for(url) as session:
        rows = session.execute(
            text(
                "SELECT r.licensee_id, r.period, r.checksum, l.line, l.country_of_sale, "
                "l.country_of_manufacture, l.category, l.units, l.net_sales "
                "FROM sales_lines l JOIN sales_reports r ON r.id = l.report_id ORDER BY l.id"
            )
        ).all()
    dispose_all()
    return [tuple(r) for r in rows]


def test_a_sales_sheet_is_stored_as_the_same_csv_file_is(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    url = _register(tmp_path / "a")
    write(tmp_path / "a", "sales.csv", SALES_HEADER + SALES)
    assert _cli(url, "import", str(tmp_path / "a" / "sales.csv"))[0] == 0
    other = _register(tmp_path / "b")
    book = _book(tmp_path / "b" / "q4.xlsx", {"Sales": _table(SALES_HEADER + SALES)})
    code, _, err = _cli(other, "import", str(book))
    assert code == 0, err
    assert _lines(other) == _lines(url)  # the same lines, rows and checksums


def test_each_sheet_by_its_header_below_a_title_block_others_named(tmp_path: Path) -> None:
    url = _register(tmp_path)
    title = [["Quarterly royalty report", None, None], [None], ["Licensee: ACME", None]]
    sheets = {
        "Cover": [["Please fill in the Sales sheet"], ["Thank you"]],
        "Patents": title + _table(HEADER + ROWS.replace("DE FR;GB", "DE FR GB")),
        "Sales": title + _table(SALES_HEADER + SALES),
        "Payments": _table(PAYMENTS),
    }
    book = _book(tmp_path / "q4.xlsx", sheets)
    code, out, err = _cli(url, "import", str(book))
    assert code == 0, err
    assert out.splitlines() == [
        "1 file(s) imported:",
        "  declarations    added          4",
        "  patents         added          3",
        "  payments        added          1",
        "  sales reports   added          2",
        f"{book}: sheet 'Cover' skipped: no row of it holds the columns of a patents, sales or "
        "payments file",
    ]
    assert [line[3] for line in _lines(url)] == [5, 6, 7, 8]  # rows below the title block
    code, out, _ = _cli(url, "import", str(book))
    assert out.splitlines()[0].endswith("nothing changed")


def test_cells_as_excel_users_type_them(tmp_path: Path) -> None:
    url = _register(tmp_path)
    rows = _table(HEADER + ROWS.replace("DE FR;GB", "DE FR GB"))
    rows[1][3] = dt.datetime(2006, 1, 10)  # an Excel date (a datetime at midnight)
    rows[1][4] = "2009-02-01"  # ISO text
    sales = _table(SALES_HEADER + SALES)
    sales[1][5] = 1000.0  # a whole float
    sales[2][5] = "1000"  # a number stored as text
    sales[3].append(None)  # an empty trailing cell
    sales.append([None] * 7)  # empty trailing rows
    sales.append([])
    book = _book(tmp_path / "q4.xlsx", {"Patents": rows, "Sales": sales})
    code, _, err = _cli(url, "import", str(book))
    assert code == 0, err
    assert [line[7] for line in _lines(url)] == [1000, 1000, 10, 500]
    code, out, _ = _cli(url, "patents", "list", "--format", "csv")
    assert "2006-01-10" in out
    assert "2009-02-01" in out


def test_a_patent_number_typed_as_a_number_is_read_as_its_digits(tmp_path: Path) -> None:
    book = _book(tmp_path / "numbers.xlsx", {"Numbers": [["number"], [7123456], [7123456.0]]})
    code, out, err = _cli("sqlite://", "normalize", str(book), "--column", "number",
                          "--jurisdiction", "US", "--format", "csv")  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[1:] == [
        "2,7123456,US7123456,US7123456,ok,",
        "3,7123456,US7123456,US7123456,duplicate,duplicate of line 2",
    ]


def test_a_mistake_has_the_csv_readers_message_at_its_cell(tmp_path: Path) -> None:
    url = _register(tmp_path)
    bad = SALES.replace("VN,VN,tv,500,", "VN,VN,tv,12.5,").replace("BR,CN", "XX,CN")
    write(tmp_path, "q1.csv", SALES_HEADER + bad)
    _, _, from_csv = _cli(url, "import", str(tmp_path / "q1.csv"))
    rows = [["Royalty report"], *_table(SALES_HEADER + bad)]
    book = _book(tmp_path / "q1.xlsx", {"Sales": rows})
    code, out, from_book = _cli(url, "import", str(book))
    assert (code, out) == (1, "")
    csv_path = str(tmp_path / "q1.csv")
    assert from_book.splitlines() == [
        f"{book}:Sales!C4: country_of_sale: " + from_csv.splitlines()[0].split(": ", 2)[2],
        f"{book}:Sales!F6: units: " + from_csv.splitlines()[1].split(": ", 2)[2],
        "Error: 2 problems in 1 file; nothing was imported",
    ]
    assert from_csv.splitlines()[1] == f"{csv_path}:5: units: units must be a whole number, not 12.5"


def test_a_formula_without_its_value_is_named_by_its_cell(tmp_path: Path) -> None:
    url = _register(tmp_path)
    rows = _table(SALES_HEADER + SALES)
    rows[2][5] = "=500*2"  # openpyxl saves formulas without their value
    book = _book(tmp_path / "q4.xlsx", {"Sales": rows})
    code, _, err = _cli(url, "import", str(book))
    assert code == 1
    assert err.splitlines()[0] == (
        f"{book}:Sales!F3: cell: a formula saved without its value: open the workbook in a "
        "spreadsheet program, let it compute, and save it again"
    )


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("target", ["ods", "xlsm"])
def test_libreoffice_workbooks_give_a_formulas_value(target: str, tmp_path: Path) -> None:
    """LibreOffice computes the formula and saves its value: ODS, and xlsx saved as .xlsm."""
    url = _register(tmp_path)
    rows = _table(SALES_HEADER + SALES)
    rows[1][5] = "=500*2"
    source = _book(tmp_path / "src" / "q4.xlsx" if (tmp_path / "src").mkdir() is None else
                   tmp_path, {"Sales": rows})  # fmt: skip
    out = tmp_path / "out"
    kind = "ods" if target == "ods" else "xlsx"
    subprocess.run(
        ["libreoffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", kind, "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    converted = out / f"q4.{kind}"
    if target == "xlsm":
        converted = converted.rename(out / "q4.xlsm")
    code, _, err = _cli(url, "import", str(converted))
    assert code == 0, err
    assert [line[7] for line in _lines(url)] == [1000, 1000, 10, 500]


def test_audit_against_a_workbook(tmp_path: Path) -> None:
    url = _register(tmp_path, licensing=False)
    write(tmp_path, "patents.csv", HEADER + ROWS)
    assert _cli(url, "import", str(tmp_path / "patents.csv"))[0] == 0
    lenovo = "".join(r + "\n" for r in ROWS.splitlines() if ",tcl," not in r)
    book = _book(tmp_path / "mine.xlsx", {"Mine": _table(HEADER + lenovo)})
    code, out, err = _cli(url, "audit", "--member", "lenovo", "--against", str(book))
    assert (code, err) == (0, ""), out
    book = _book(tmp_path / "plain.xlsx", {"List": [["CN101000001B"], ["EP1000002B1"]]})
    code, out, err = _cli(url, "audit", "--member", "lenovo", "--against", str(book))
    assert (code, err) == (0, ""), out
