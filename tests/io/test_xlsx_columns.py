"""The column reader of a sheet's XML gives, chunk by chunk, the very rows the element reader
gives, or leaves the chunk to it; on a sales sheet it is the path taken."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from test_xlsx_sheet import STYLES, book

from patentpool.io import sales_columns, xlsx_columns, xlsx_sheet

WIDTH = 10


def _both(path: Path, skip: int = 0) -> tuple[list[tuple[int, list[str]]], bool]:
    """The sheet's rows read by columns where the column reader reads a chunk (each chunk
    compared with the element reader's rows), and whether it read every chunk."""
    with zipfile.ZipFile(path) as archive:
        sheet = xlsx_sheet.SheetXml(archive)
        with archive.open("xl/worksheets/sheet1.xml") as fh:
            chunks = xlsx_sheet.Chunks(fh)
            out: list[tuple[int, list[str]]] = []
            every = True
            before = 0
            for data in chunks:
                reader = xlsx_columns.Columns(sheet).of(chunks.prefix)
                piece = reader.read(data, before, skip, WIDTH)
                rows, last = sheet.parse(chunks.element(data), before)
                rows = rows[skip:]
                if piece is None:
                    every = False
                else:
                    columns = [c.to_pylist() for c in piece.columns]
                    got = [
                        (n, [c[i] for c in columns]) for i, n in enumerate(piece.lines.to_pylist())
                    ]
                    padded = [(n, cells + [""] * (WIDTH - len(cells))) for n, cells in rows]
                    assert got == padded
                    assert piece.last == last
                    assert not piece.wide
                out.extend(rows)
                before = last
    return out, every


CASES: dict[str, tuple[str, list[tuple[int, list[str]]]]] = {
    "attributes in any order and quoting": (
        '<row r="1"><c t="s" s="0" r="A1"><v>0</v></c><c s=\'0\' r = "B1"><v>7</v></c>'
        "<c\tr=\"C1\"\nt='inlineStr'><is><t>x</t></is></c></row>",
        [(1, ["IGRS", "7", "x"])],
    ),
    "cells and rows without r, self-closed, empty rows": (
        "<row><c><v>1</v></c><c><v>2</v></c></row>"
        '<row r="4"><c r="B4"><v>3</v></c><c><v>4</v></c><c r="E4"><v>5</v></c></row>'
        "<row><c/><c><v>6</v></c></row><row><c/><c/></row><row/><row></row>"
        '<row r="9"><c r="A9"><v>7</v></c><c r="A9"><v>8</v></c></row>',
        [(1, ["1", "2"]), (4, ["", "3", "4", "", "5"]), (5, ["", "6"]), (9, ["7", "8"])],
    ),
    "formulas with and without their value": (
        '<row r="1"><c r="A1"><f>500*2</f><v>1000</v></c><c r="B1"><f>1</f></c>'
        '<c r="C1" t="str"><f>"A"&amp;"B"</f><v>AB</v></c><c r="D1"><f t="shared" si="0"/>'
        '<v>2</v></c></row>',
        [(1, ["1000", "", "AB", "2"])],
    ),
    "entities and preserved spaces": (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>A &amp; B&#10;C &lt;D&gt;</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t xml:space="preserve">  padded  </t></is></c>'
        '<c r="C1" t="str"><v>&#x41;&apos;</v></c><c r="D1" t="inlineStr"><is><t/></is></c>'
        '<c r="E1" t="inlineStr"><is></is></c><c r="F1" t="inlineStr"><is><t>z</t></is></c></row>',
        [(1, ["A & B\nC <D>", "padded", "A'", "", "", "z"])],
    ),
    "booleans, errors and odd kinds": (
        '<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c>'
        '<c r="C1" t="b"><v>true</v></c><c r="D1" t="e"><v>#DIV/0!</v></c>'
        '<c r="E1" t="x"><v> odd </v></c><c r="F1" t="s"><v>2</v></c></row>',
        [(1, ["TRUE", "FALSE", "TRUE", "#DIV/0!", "odd", "padded"])],
    ),
    "numbers as Excel stores them": (
        '<row r="1"><c r="A1"><v>1000000</v></c><c r="B1"><v>1000000.0</v></c>'
        '<c r="C1"><v>0.5</v></c><c r="D1" t="n"><v>7123456</v></c><c r="E1"><v>1.5E+3</v></c>'
        '<c r="F1"><v>0</v></c><c r="G1"><v>-12</v></c><c r="H1"><v>12.50</v></c>'
        '<c r="I1"><v>0.00001</v></c><c r="J1"><v>1234567890123456789</v></c></row>'
        '<row r="2"><c r="A2"><v>0123</v></c><c r="B2"><v>-0</v></c><c r="C2"><v>1e-7</v></c>'
        '<c r="D2"><v>1234.56</v></c><c r="E2"><v>0.1234</v></c><c r="F2"><v>x</v></c></row>',
        [
            (
                1,
                ["1000000", "1000000", "0.5", "7123456", "1500", "0", "-12", "12.5", "1e-05",
                 "1.2345678901234568e+18"],
            ),
            (2, ["123", "0", "1e-07", "1234.56", "0.1234", "x"]),
        ],
    ),
    "guards and stray spaces": (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>\'=1+1</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>\u00a0nbsp\u00a0</t></is></c>'
        '<c r="C1" t="s"><v>3</v></c><c r="D1" t="inlineStr"><is><t>  </t></is></c></row>',
        [(1, ["=1+1", "nbsp", "=SUM(A1)"])],
    ),
    "trailing empty cells and columns": (
        '<row r="1"><c r="A1"><v>1</v></c><c r="B1" t="inlineStr"><is><t></t></is></c>'
        '<c r="C1"/></row><row r="2"><c r="A2" t="s"><v></v></c></row>',
        [(1, ["1"])],
    ),
}
STRINGS = (
    "<si><t>IGRS</t></si><si><t>Acme</t></si>"
    '<si><t xml:space="preserve">  padded  </t></si><si><t>\'=SUM(A1)</t></si>'
)


@pytest.mark.parametrize("case", list(CASES))
def test_the_column_reader_gives_the_element_readers_rows(case: str, tmp_path: Path) -> None:
    rows, expected = CASES[case]
    path = book(tmp_path, rows, strings=STRINGS)
    assert _both(path) == (expected, True)


def test_a_namespace_prefix_rows_cut_across_chunks_and_rows_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_sheet, "CHUNK", 64)
    rows = "".join(
        f'<x:row><x:c t="inlineStr"><x:is><x:t>é{n}</x:t></x:is></x:c>'
        f"<x:c><x:v>{n * 10}</x:v></x:c></x:row>"
        for n in range(1, 40)
    )
    path = book(tmp_path, rows, prefix="x")
    rows_read, every = _both(path)
    assert (rows_read, every) == ([(n, [f"é{n}", str(n * 10)]) for n in range(1, 40)], True)
    assert _both(path, skip=1)[1]


def test_dates_in_both_date_systems(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c r="A1" s="1"><v>46022</v></c><c r="B1" s="2"><v>45658</v></c>'
        '<c r="C1" s="3"><v>45658</v></c><c r="D1" s="0"><v>45658</v></c>'
        '<c r="E1" s="1"><v>46022.5</v></c><c r="F1" t="d"><v>2026-03-31T00:00:00</v></c>'
        '<c r="G1" s="1"><v>x</v></c><c r="H1" s="1"/></row>'
    )
    cells = ["2025-12-31", "2025-01-01", "45658", "45658", "2025-12-31 12:00:00", "2026-03-31"]
    assert _both(book(tmp_path, rows, styles=STYLES)) == ([(1, [*cells, "x"])], True)
    rows = '<row r="1"><c r="A1" s="1"><v>44560</v></c><c r="B1"><v>44560</v></c></row>'
    path = book(tmp_path, rows, styles=STYLES, workbook_pr='<workbookPr date1904="1"/>')
    assert _both(path) == ([(1, ["2025-12-31", "44560"])], True)


@pytest.mark.parametrize(
    "rows",
    [
        '<row r="1"><c r="A1" t="inlineStr"><is><r><t>run </t></r><r><t>two</t></r></is></c>'
        "</row>",  # rich text
        '<row r="1"><!-- a comment --><c r="A1"><v>1</v></c></row>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[a<b]]></t></is></c></row>',
        '<row r="1"><c r="a1"><v>1</v></c><c r="B1" x:y="1"><v>2</v></c></row>',
        '<row r="one"><c><v>1</v></c></row>',
        '<row r="1"><c r="A1"><v xml:space="preserve">1</v></c></row>\r\n',
    ],
)
def test_what_the_column_reader_does_not_read_is_left_to_the_elements(
    rows: str, tmp_path: Path
) -> None:
    path = book(tmp_path, rows)
    with zipfile.ZipFile(path) as archive:
        sheet = xlsx_sheet.SheetXml(archive)
        with archive.open("xl/worksheets/sheet1.xml") as fh:
            data = next(iter(xlsx_sheet.Chunks(fh)))
    assert xlsx_columns.Columns(sheet).read(data, 0, 0, WIDTH) is None


def test_a_cell_right_of_the_columns_is_told(tmp_path: Path) -> None:
    path = book(tmp_path, '<row r="1"><c r="A1"><v>1</v></c><c r="L1"><v>2</v></c></row>')
    with zipfile.ZipFile(path) as archive:
        sheet = xlsx_sheet.SheetXml(archive)
        with archive.open("xl/worksheets/sheet1.xml") as fh:
            data = next(iter(xlsx_sheet.Chunks(fh)))
    piece = xlsx_columns.Columns(sheet).read(data, 0, 0, WIDTH)
    assert piece is not None
    assert piece.wide


def test_a_sales_sheet_is_checked_by_columns_and_a_bad_chunk_row_by_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from licensing_files import LICENSING, SALES, SALES_HEADER
    from register_files import ALLIANCE, write

    from patentpool.cli import cli
    from patentpool.storage.migrate import upgrade

    monkeypatch.setattr(xlsx_sheet, "CHUNK", 256)
    read: list[int] = []
    real = sales_columns.columns_block

    def spy(batch: Any, *args: Any) -> Any:
        block = real(batch, *args)
        read.append(len(block))
        return block

    monkeypatch.setattr(sales_columns, "columns_block", spy)
    lines = SALES.splitlines()
    bad = [line.replace(",tv,500,", ",tv,12.5,") for line in lines]
    rows = [SALES_HEADER.strip().split(","), *(line.split(",") for line in bad)]
    path = _sheet(tmp_path / "q1.xlsx", rows)
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    upgrade(url)
    files = [write(tmp_path, "alliance.yaml", ALLIANCE), write(tmp_path, "licensing.yaml", LICENSING)]
    from click.testing import CliRunner

    runner = CliRunner()
    assert runner.invoke(cli, ["--db", url, "import", *map(str, files)]).exit_code == 0
    result = runner.invoke(cli, ["--db", url, "import", str(path)])
    assert result.exit_code == 1
    wrong = next(i for i, line in enumerate(bad) if line != lines[i]) + 2
    assert result.stderr.splitlines()[0] == (
        f"{path}:Sales!F{wrong}: units: units must be a whole number, not 12.5"
    )
    assert read  # the chunks without the mistake went by columns
    assert sum(read) < len(lines)


def _sheet(path: Path, rows: list[list[str]]) -> Path:
    """A workbook of one sheet ``Sales``: text as inline strings, whole numbers as numbers."""

    def cell(text: str) -> str:
        if text.isdigit():
            return f"<c><v>{text}</v></c>"
        return f'<c t="inlineStr"><is><t>{text}</t></is></c>' if text else "<c/>"

    data = "".join("<row>" + "".join(cell(c) for c in row) + "</row>" for row in rows)
    return book(path.parent, data, name=path.name)
