"""`--format xlsx -o FILE` on the demo's database: every listing and report with tables."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from patentpool.cli import cli
from patentpool.storage.engine import dispose_all

ILLUSTRATIVE = "Illustrative: made from a sample register; the figures are invented."


@pytest.fixture(scope="module")
def db(demo_database: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = shutil.copy(demo_database, tmp_path_factory.mktemp("xlsx") / "demo.db")
    yield f"sqlite:///{path}"
    dispose_all()


def _write(db: str, tmp_path: Path, *args: str) -> openpyxl.Workbook:
    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(cli, ["--db", db, *args, "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.stderr
    return openpyxl.load_workbook(out)


def _rows(sheet: object) -> list[tuple[object, ...]]:
    return list(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]


def test_patents_list(db: str, tmp_path: Path) -> None:
    book = _write(db, tmp_path, "patents", "list", "--member", "lenovo")
    sheet = book["Patents"]
    rows = _rows(sheet)
    assert rows[0][0] == "Patents"
    assert rows[3][0] == ILLUSTRATIVE
    assert rows[5][:4] == ("patent", "owner", "family", "filing_date")
    assert all(r[1] == "lenovo" for r in rows[6:])
    assert len(rows) > 20
    assert sheet.cell(row=7, column=4).is_date
    assert sheet.freeze_panes == "A7"


def test_counts(db: str, tmp_path: Path) -> None:
    book = _write(db, tmp_path, "counts", "--standard", "IGRS", "--version", "1.0")
    rows = _rows(book["Counts"])
    total = rows[-1]
    assert total[0] == "total"
    assert total[1] == sum(r[1] for r in rows[6:-1])  # type: ignore[misc]


def test_royalties_with_lines(db: str, tmp_path: Path) -> None:
    args = ("royalties", "--program", "igrs-v1", "--period", "2026Q1", "--lines")
    book = _write(db, tmp_path, *args)
    assert book.sheetnames == ["Royalties", "Sales lines"]
    due = _rows(book["Royalties"])
    lines = _rows(book["Sales lines"])
    assert due[5] == ("licensee", "units", "gross", "cap_reduction", "discount", "due")
    total = Decimal(str(due[-1][5]))
    assert sum(Decimal(str(r[-2])) for r in lines[6:]) == total
    assert book["Royalties"].cell(row=7, column=3).number_format == "#,##0.00"


def test_distribute_and_runs_show_give_the_same_run(db: str, tmp_path: Path) -> None:
    ran = _write(db, tmp_path, "distribute", "--program", "igrs-v1", "--period", "2026Q1")
    members = _rows(ran["Members"])
    assert members[2][0].startswith("Source: distribution run ")  # type: ignore[union-attr]
    amounts = [Decimal(str(r[4])) for r in members[6:-1]]
    assert sum(amounts) == Decimal(str(members[-1][4]))
    assert ran["Members"].cell(row=7, column=3).number_format == "0.00%"
    run_id = members[2][0].split()[3]  # type: ignore[union-attr]
    shown = _write(db, tmp_path, "runs", "show", run_id)
    assert _rows(shown["Members"])[5:] == members[5:]


def test_statement(db: str, tmp_path: Path) -> None:
    book = _write(db, tmp_path, "statement", "--licensee", "example-home")
    rows = _rows(book["Statement"])
    assert rows[5] == ("program", "period", "currency", "due", "paid", "outstanding")
    for row in rows[6:]:
        due, paid, left = (Decimal(str(v)) for v in row[3:])
        assert due - paid == left


@pytest.mark.parametrize(
    ("kind", "args", "sheet"),
    [
        ("pool", [], "versions by_member"),
        ("member", ["--member", "lenovo"], "patents"),
        ("license", ["--licensee", "example-home", "--program", "igrs-v1"], "schedules"),
        ("distribution", ["--program", "igrs-v1", "--period", "2026Q1"], "lines"),
        (
            "invoice",
            ["--licensee", "example-home", "--program", "igrs-v1", "--period", "2026Q1"],
            "lines",
        ),
    ],
)
def test_reports(db: str, tmp_path: Path, kind: str, args: list[str], sheet: str) -> None:
    book = _write(db, tmp_path, "report", kind, *args)
    assert book.sheetnames[0] == "Summary"
    assert sheet in book.sheetnames
    for page in book:
        assert _rows(page)[3][0] == ILLUSTRATIVE
        assert page.freeze_panes == "A7"


def test_the_distribution_report_names_its_run(db: str, tmp_path: Path) -> None:
    args = ("report", "distribution", "--program", "igrs-v1", "--period", "2026Q1")
    book = _write(db, tmp_path, *args)
    source = _rows(book["lines"])[2][0]
    assert source.startswith("Source: distribution run ")  # type: ignore[union-attr]
    rows = _rows(book["lines"])
    header = rows[5]
    amounts = [Decimal(str(r[header.index("amount")])) for r in rows[6:]]
    summary = dict(r[:2] for r in _rows(book["Summary"])[6:])
    assert sum(amounts) == Decimal(str(summary["distributable"]))


def test_a_workbook_is_not_written_to_a_terminal(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("patentpool.cli.workbooks.is_terminal", lambda: True)
    result = CliRunner().invoke(cli, ["--db", db, "patents", "list", "--format", "xlsx"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: --format xlsx writes a binary workbook: give -o FILE")


def test_o_goes_with_xlsx_only(db: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", db, "patents", "list", "-o", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert "Error: -o FILE is for --format xlsx" in result.output
