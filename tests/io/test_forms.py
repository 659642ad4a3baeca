"""`patentpool template`: the royalty report and patents forms, read back with openpyxl."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from patentpool.cli import cli
from patentpool.core.model import Member
from patentpool.io.forms import FORM_ROWS, INLINE_LIMIT, patents_form
from patentpool.io.licensing_schema import SALES_COLUMNS
from patentpool.io.register_schema import PATENT_COLUMNS


@pytest.fixture
def db(demo_database: Path, tmp_path: Path) -> str:
    return f"sqlite:///{shutil.copy(demo_database, tmp_path / 'demo.db')}"


def _validations(sheet: object) -> dict[str, tuple[str, str]]:
    """Each validated column's header: (type, formula)."""
    headers = [c.value for c in sheet[1]]  # type: ignore[index]
    out = {}
    for dv in sheet.data_validations.dataValidation:  # type: ignore[attr-defined]
        first = str(dv.sqref).split(":")[0]
        column = openpyxl.utils.column_index_from_string(first.rstrip("0123456789"))
        assert str(dv.sqref).endswith(str(FORM_ROWS + 1))
        out[headers[column - 1]] = (dv.type, dv.formula1)
    return out


def test_the_sales_report_form(db: str, tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    args = ["--db", db, "template", "sales-report", "--program", "igrs-v1"]
    result = CliRunner().invoke(
        cli, [*args, "--licensee", "Example Home Appliances GmbH", "--period", "2026Q2", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Sales", "Instructions", "Countries"]
    sales = book["Sales"]
    assert tuple(c.value for c in sales[1]) == SALES_COLUMNS
    first = {c: v.value for c, v in zip(SALES_COLUMNS, sales[2], strict=True)}
    assert (first["licensee"], first["period"], first["program"]) == (
        "example-home",
        "2026Q2",
        "igrs-v1",
    )
    assert sales.freeze_panes == "A2"
    checks = _validations(sales)
    assert checks["category"] == ("list", '"codec,phone,tv"')
    assert checks["country_of_sale"] == ("list", "Countries!$A$2:$A$250")
    assert checks["country_of_manufacture"] == checks["country_of_sale"]
    assert checks["period"] == ("list", '"2026Q2"')
    assert checks["units"][0] == "whole"
    countries = list(book["Countries"].iter_rows(values_only=True))
    assert countries[0] == ("code", "country")
    assert ("DE", "Germany") in countries
    assert len(countries) == 250
    words = "\n".join(str(r[0]) for r in book["Instructions"].iter_rows(values_only=True))
    assert "Illustrative: made from a sample register; the rates are invented." in words
    assert "for the quarter 2026Q2, as licensee example-home" in words
    assert "  tv: 0.50 USD for every unit sold" in words
    assert (
        "  phone: 0.5% of each unit's net selling price (counted as at least 50.00 USD, "
        "at most 200.00 USD)" in words
    )
    assert "  codec: 0.00 USD a unit from unit 1 to 100,000; 0.20 USD a unit" in words
    assert "  sold in BR, ID, IN: the royalty times 0.5" in words
    assert "  alliance members: 100% off" in words


def test_a_form_without_licensee_and_period(db: str, tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    args = ["--db", db, "template", "sales-report", "--program", "igrs-v1", "-o", str(out)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    sales = openpyxl.load_workbook(out)["Sales"]
    assert [c.value for c in sales[2]][:2] == [None, None]
    assert "period" not in _validations(sales)


def test_an_unknown_programme(db: str, tmp_path: Path) -> None:
    args = ["--db", db, "template", "sales-report", "--program", "nope", "-o", str(tmp_path / "f")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.startswith("Error:")


def test_the_patents_form(db: str, tmp_path: Path) -> None:
    out = tmp_path / "patents.xlsx"
    result = CliRunner().invoke(cli, ["--db", db, "template", "patents", "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    sheet = book["Patents"]
    assert tuple(c.value for c in sheet[1]) == PATENT_COLUMNS
    checks = _validations(sheet)
    assert checks["status"] == ("list", '"pending,granted,lapsed,expired,revoked"')
    assert checks["essentiality"] == ("list", '"declared,essential,not_essential"')
    assert "lenovo" in checks["owner"][1]
    assert checks["version"] == ("list", '"1.0,1.1"')


def test_a_long_list_is_a_column_of_its_own() -> None:
    import io

    members = [Member(f"member-with-a-long-id-{i:03d}", f"M {i}") for i in range(40)]
    book = openpyxl.load_workbook(io.BytesIO(patents_form(members, [])))
    assert len(",".join(m.id for m in members)) > INLINE_LIMIT
    assert _validations(book["Patents"])["owner"] == ("list", "Lists!$A$2:$A$41")
    assert book["Lists"]["A41"].value == "member-with-a-long-id-039"


def _fill(path: Path, sheet_name: str, values: dict[str, object], row: int = 2) -> None:
    """Type ``values`` into ``row`` of the form's sheet, by column header, and save it."""
    book = openpyxl.load_workbook(path)
    sheet = book[sheet_name]
    headers = [c.value for c in sheet[1]]
    for name, value in values.items():
        sheet.cell(row=row, column=headers.index(name) + 1, value=value)
    book.save(path)


def test_a_filled_sales_report_form_imports_as_it_is(db: str, tmp_path: Path) -> None:
    form = tmp_path / "example-home-2027Q1.xlsx"
    args = ["--db", db, "template", "sales-report", "--program", "igrs-v1"]
    made = CliRunner().invoke(
        cli, [*args, "--licensee", "example-home", "--period", "2027Q1", "-o", str(form)]
    )
    assert made.exit_code == 0, made.output
    _fill(form, "Sales", {"country_of_sale": "DE", "country_of_manufacture": "CN",
                          "category": "tv", "units": 1200})  # fmt: skip
    result = CliRunner().invoke(cli, ["--db", db, "import", str(form)])
    assert result.exit_code == 0, result.output
    assert "sales reports   added          1" in result.output
    shown = CliRunner().invoke(
        cli, ["--db", db, "royalties", "--program", "igrs-v1", "--period", "2027Q1",
              "--format", "json"],
    )  # fmt: skip
    assert shown.exit_code == 0, shown.output
    assert '"example-home"' in shown.output


def test_a_filled_patents_form_imports_as_it_is(db: str, tmp_path: Path) -> None:
    form = tmp_path / "patents.xlsx"
    made = CliRunner().invoke(cli, ["--db", db, "template", "patents", "-o", str(form)])
    assert made.exit_code == 0, made.output
    _fill(form, "Patents", {
        "publication_number": "CN109999999B", "owner": "lenovo", "family": "IGRS-F9999",
        "filing_date": "2018-03-01", "grant_date": "2021-05-04", "standard": "IGRS",
        "version": "1.0", "essentiality": "declared", "title": "A form-declared method",
    })  # fmt: skip
    result = CliRunner().invoke(cli, ["--db", db, "import", str(form)])
    assert result.exit_code == 0, result.output
    assert "patents         added          1" in result.output
    listed = CliRunner().invoke(cli, ["--db", db, "patents", "list", "--format", "csv"])
    assert "CN109999999B" in listed.output
