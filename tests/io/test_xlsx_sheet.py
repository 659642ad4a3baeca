"""The streaming reader of a sheet's XML, on workbooks written by hand in each way a
spreadsheet program may write them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from patentpool.io import xlsx_sheet
from patentpool.io.readers import FileUnreadable
from patentpool.io.workbooks import Sheet, sheet_names

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def book(
    tmp_path: Path,
    rows: str,
    *,
    strings: str | None = None,
    styles: str | None = None,
    workbook_pr: str = "",
    prefix: str = "",
    name: str = "book.xlsx",
) -> Path:
    """A workbook of one sheet ``Sales`` whose ``<sheetData>`` holds ``rows``."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">{workbook_pr}'
            '<sheets><sheet name="Sales" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="x" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?><{p}worksheet {xmlns}><{p}dimension ref="A1:C9"/>'
            f"<{p}sheetData>{rows}</{p}sheetData><{p}mergeCells count=\"0\"/></{p}worksheet>",
        )
        if strings is not None:
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{strings}</sst>')
        if styles is not None:
            archive.writestr("xl/styles.xml", f'<styleSheet xmlns="{MAIN}">{styles}</styleSheet>')
    return path


def read(path: Path) -> list[tuple[int, list[str]]]:
    return list(Sheet(path, path.name, "Sales").rows())


def test_inline_and_shared_strings_and_rich_text_runs(tmp_path: Path) -> None:
    strings = (
        "<si><t>IGRS</t></si>"
        "<si><r><rPr><b/></rPr><t>Acme </t></r><r><t>Devices</t></r>"
        "<rPh><t>ignored</t></rPh></si>"
        "<si><t xml:space=\"preserve\">  padded  </t></si>"
    )
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="inlineStr"><is><t>inline &amp; text</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><r><t>run </t></r><r><t>two</t></r></is></c>'
        '<c r="B2" t="s"><v>2</v></c><c r="C2" t="inlineStr"><is><t>\'=1+1</t></is></c></row>'
    )
    path = book(tmp_path, rows, strings=strings)
    assert read(path) == [
        (1, ["IGRS", "Acme Devices", "inline & text"]),
        (2, ["run two", "padded", "=1+1"]),
    ]


def test_cells_and_rows_without_r_attributes_follow_the_one_before(tmp_path: Path) -> None:
    rows = (
        "<row><c><v>1</v></c><c><v>2</v></c></row>"
        '<row r="4"><c r="B4"><v>3</v></c><c><v>4</v></c><c r="E4"><v>5</v></c></row>'
        "<row><c/><c><v>6</v></c></row>"
        "<row><c/><c/></row>"
        "<row/>"
        '<row r="9"><c r="A9"><v>7</v></c></row>'
    )
    assert read(book(tmp_path, rows)) == [
        (1, ["1", "2"]),
        (4, ["", "3", "4", "", "5"]),
        (5, ["", "6"]),
        (9, ["7"]),
    ]


def test_numbers_as_excel_stores_them(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c r="A1"><v>1000000</v></c><c r="B1"><v>1000000.0</v></c>'
        '<c r="C1"><v>0.5</v></c><c r="D1" t="n"><v>7123456</v></c>'
        '<c r="E1"><v>1.5E+3</v></c><c r="F1"><v>0</v></c><c r="G1"><v>-12</v></c>'
        '<c r="H1"><v>12.5</v></c></row>'
    )
    assert read(book(tmp_path, rows)) == [
        (1, ["1000000", "1000000", "0.5", "7123456", "1500", "0", "-12", "12.5"])
    ]


STYLES = (
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>'
    '<numFmt numFmtId="165" formatCode="&quot;Day &quot;0"/></numFmts>'
    '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
    '<xf numFmtId="165"/></cellXfs>'
)


def test_dates_by_their_style_in_the_1900_date_system(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c r="A1" s="1"><v>46022</v></c><c r="B1" s="2"><v>45658</v></c>'
        '<c r="C1" s="3"><v>45658</v></c><c r="D1" s="0"><v>45658</v></c>'
        '<c r="E1" s="1"><v>46022.5</v></c><c r="F1" t="d"><v>2026-03-31T00:00:00</v></c></row>'
    )
    cells = ["2025-12-31", "2025-01-01", "45658", "45658", "2025-12-31 12:00:00", "2026-03-31"]
    assert read(book(tmp_path, rows, styles=STYLES)) == [(1, cells)]


def test_dates_in_the_1904_date_system(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1" s="1"><v>44560</v></c><c r="B1"><v>44560</v></c></row>'
    path = book(tmp_path, rows, styles=STYLES, workbook_pr='<workbookPr date1904="1"/>')
    assert read(path) == [(1, ["2025-12-31", "44560"])]


def test_boolean_error_and_formula_cells(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c>'
        '<c r="C1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        '<c r="D1" t="str"><f>"A"&amp;"B"</f><v>AB</v></c>'
        '<c r="E1"><f>500*2</f><v>1000</v></c><c r="F1"><f>500*2</f></c>'
        '<c r="G1"><v>1</v></c></row>'
    )
    assert read(book(tmp_path, rows)) == [(1, ["TRUE", "FALSE", "#DIV/0!", "AB", "1000", "", "1"])]


def test_a_namespace_prefix_and_rows_cut_across_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_sheet, "CHUNK", 7)
    rows = "".join(
        f'<x:row r="{n}"><x:c r="A{n}" t="inlineStr"><x:is><x:t>é{n}</x:t></x:is></x:c>'
        f'<x:c r="B{n}"><x:v>{n * 10}</x:v></x:c></x:row>'
        for n in range(1, 40)
    )
    path = book(tmp_path, rows, prefix="x")
    assert read(path) == [(n, [f"é{n}", str(n * 10)]) for n in range(1, 40)]


def test_the_sheet_height_is_its_dimension_and_names_come_from_the_workbook(
    tmp_path: Path,
) -> None:
    path = book(tmp_path, '<row r="1"><c r="A1"><v>1</v></c></row>')
    assert sheet_names(path, "book.xlsx") == ["Sales"]
    assert Sheet(path, "book.xlsx", "Sales").height == 9


def test_an_empty_sheet_has_no_rows(tmp_path: Path) -> None:
    path = book(tmp_path, "")
    assert read(path) == []


def test_a_broken_sheet_is_a_problem_of_the_file(tmp_path: Path) -> None:
    path = book(tmp_path, '<row r="1"><c r="A1"><v>1</v></c>')  # the row never ends
    with pytest.raises(FileUnreadable, match="sheet 'Sales' cannot be read"):
        read(path)
    (tmp_path / "not.xlsx").write_text("plain text")
    with pytest.raises(FileUnreadable, match="is not a workbook patentpool can read"):
        sheet_names(tmp_path / "not.xlsx", "not.xlsx")
