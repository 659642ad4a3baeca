"""Workbooks in: ``.xlsx``, ``.xlsm`` and ``.ods`` read as rows of text, cells as people type them.

An ``.xlsx`` or ``.xlsm`` sheet is streamed from its XML (:mod:`patentpool.io.xlsx_sheet`),
an ``.ods`` one read by python-calamine (why: docs/dependencies.md), and every cell becomes
the text a CSV file would hold for it, so that each row then takes the very checks of the CSV
readers (one rule, written once):

- text as written (stray spaces dropped, the formula guard ``'=`` undone, as in CSV);
- a whole number typed as a number is its digits (``1000000.0`` is ``1000000``, a patent
  number typed ``7123456`` is ``7123456``); another number is its shortest exact form
  (``0.5``), so ``12.5`` units are ``not a whole number of units`` as in CSV;
- a date (an Excel date, or text in ISO form) is ``YYYY-MM-DD``; a date with a time of day
  keeps its time, and is refused as such;
- a formula gives its cached value; a formula saved without one (written by a program that
  does not compute formulas) is a problem naming its cell;
- empty rows and trailing empty cells are ignored; a merged title cell is only its first
  cell's text, in a row that is no header.

Where a problem is, the sheet and cell name it: ``q1.xlsx:Sales!D12: units: ...``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from patentpool.io import xlsx_sheet
from patentpool.io.problems import Problem, Source
from patentpool.io.readers import FileUnreadable, normalize_header
from patentpool.io.xlsx_sheet import cell_text

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")
#: Rows of a sheet looked through for its header (below a title block).
HEADER_ROWS = 50

Rows = Iterator[tuple[int, list[str]]]


def _unreadable(display: str, message: str) -> FileUnreadable:
    return FileUnreadable(Problem(display, 0, "file", message))


def _workbook(path: Path, display: str) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine's errors: not a workbook, encrypted, broken zip
        raise _unreadable(display, f"is not a workbook patentpool can read ({exc})") from exc


def _is_xml(path: Path) -> bool:
    """Whether the workbook's sheets are read from their XML (``.xlsx``, ``.xlsm``)."""
    return path.suffix.lower() != ".ods"


def _archive(path: Path, display: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
        archive.getinfo("xl/workbook.xml")
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise _unreadable(display, f"is not a workbook patentpool can read ({exc})") from exc
    return archive


def sheet_names(path: Path, display: str) -> list[str]:
    """The workbook's sheets, in order."""
    if _is_xml(path):
        with _archive(path, display) as archive:
            return [name for name, _ in _sheet_parts(archive)]
    names: list[str] = _workbook(path, display).sheet_names
    return names


class Sheet:
    """One sheet's rows, read once, numbered as the spreadsheet numbers them."""

    def __init__(self, path: Path, display: str, name: str) -> None:
        self.path = path
        self.display = display
        self.name = name
        self._header: tuple[str, int, list[str]] | None = None
        self.book: xlsx_sheet.SheetXml | None = None
        self.chunks: xlsx_sheet.Chunks | None = None
        self._before = 0  # the number of the last row read (an .xlsx sheet's)
        self._piece: tuple[bytes, int, list[int]] | None = None
        if _is_xml(path):
            self._rows = self._stream()
            with _archive(path, display) as archive:
                part = _sheet_part(archive, name)
                self.height = 0 if part is None else xlsx_sheet.height(archive, part)
            return
        try:
            self._sheet = _workbook(path, display).get_sheet_by_name(name)
        except FileUnreadable:
            raise
        except Exception as exc:
            raise _unreadable(display, f"sheet {name!r} cannot be read ({exc})") from exc
        start = self._sheet.start or (0, 0)
        self._first_row, self._first_col = start[0] + 1, start[1]
        self.height = self._sheet.height
        self._rows = self._read()

    def _stream(self) -> Rows:
        """An ``.xlsx``/``.xlsm`` sheet's rows as its XML streams (:mod:`xlsx_sheet`)."""
        with self._reading(), _archive(self.path, self.display) as archive:
            part = _sheet_part(archive, self.name)
            if part is None:
                raise KeyError(self.name)
            self.book = book = xlsx_sheet.SheetXml(archive)
            with archive.open(part) as fh:
                self.chunks = chunks = xlsx_sheet.Chunks(fh)
                for data in chunks:
                    before = self._before
                    rows, self._before = book.parse(chunks.element(data), before)
                    self._piece = (data, before, [0])
                    for row in rows:
                        self._piece[2][0] += 1
                        yield row
                    self._piece = None

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Errors of the sheet's XML as the file's problem."""
        try:
            yield
        except FileUnreadable:
            raise
        except (KeyError, ValueError, IndexError, zipfile.BadZipFile, ET.ParseError) as exc:
            raise _unreadable(
                self.display, f"sheet {self.name!r} cannot be read ({exc})"
            ) from exc

    def pieces(self) -> Iterator[tuple[bytes, int, int]] | None:
        """The XML of the rows not read yet, a chunk of whole rows at a time, for the column
        reader (:mod:`patentpool.io.xlsx_columns`): (its XML, the number of the row before it,
        how many of its filled rows were read already); None for an ``.ods`` sheet. The
        number of the row before each chunk but the first is the caller's to keep."""
        if not _is_xml(self.path):
            return None
        return self._pieces()

    def _pieces(self) -> Iterator[tuple[bytes, int, int]]:
        with self._reading():
            if self._piece is not None:
                data, before, read = self._piece
                self._piece = None
                yield data, before, read[0]
            if self.chunks is not None:
                for data in self.chunks:
                    yield data, 0, 0

    def parse(self, data: bytes, before: int) -> tuple[list[tuple[int, list[str]]], int]:
        """A chunk of :meth:`pieces` read by the element path: its rows, its last row."""
        assert self.book is not None
        assert self.chunks is not None
        with self._reading():
            return self.book.parse(self.chunks.element(data), before)

    def _read(self) -> Rows:
        pad = [""] * self._first_col
        text = cell_text
        for number, values in enumerate(self._sheet.iter_rows(), start=self._first_row):
            # plain text, the commonest cell, without a call (a guarded one takes cell_text)
            cells = [
                v.strip() if type(v) is str and v[:1] != "'" else text(v) for v in values
            ]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                yield number, pad + cells if pad else cells

    def header(self, kinds: dict[str, tuple[str, ...]]) -> tuple[str, int, list[str]] | None:
        """(kind, row, cells) of the first row holding every required column of a kind
        (``kinds``: kind -> its required columns), looked for in the first rows; the rows
        after it are :meth:`rows`. Found once: asked again, the same row."""
        if self._header is not None:
            return self._header
        for seen, (number, cells) in enumerate(self._rows):
            names = {normalize_header(c) for c in cells}
            for kind, required in kinds.items():
                if set(required) <= names:
                    self._header = kind, number, cells
                    return self._header
            if seen >= HEADER_ROWS:
                break
        return None

    def rows(self) -> Rows:
        """The rows not read yet (after the header)."""
        return self._rows

    def source(self, row: int, header: tuple[str, ...]) -> Source:
        return Source(self.display, row, self.name, header)

    def formula_problems(self) -> list[Problem]:
        """Every formula saved without its value, by its cell (``.xlsx``/``.xlsm`` only: ODS
        files always hold the value of their formulas)."""
        if self.path.suffix.lower() == ".ods":
            return []
        return [
            Problem(self.display, row, "cell", message, f"{self.name}!{ref}")
            for ref, row, message in _uncached_formulas(self.path, self.name)
        ]


def sheet_complaint(sheet: Sheet, header: tuple[str, ...]) -> Any:
    """A sales reader's complaint (row, column, field, message) as a problem at its cell."""

    def complaint(row: int, _column: int | None, field: str, message: str) -> Problem:
        return Problem.at(sheet.source(row, header), field, message)

    return complaint


_CELL_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
#: A cell's cached value: a non-empty ``<v>`` (or an inline string).
_VALUE = re.compile(rb"<v>[^<]|<is>")


_OFFICE_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(name, zip member) of each sheet of an xlsx workbook, in order."""
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels if r.tag.endswith("Relationship")}
    parts = []
    for sheet in workbook.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        target = targets.get(sheet.get(_OFFICE_REL))
        if target is None:
            continue
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts.append((sheet.get("name", ""), member))
    return parts


def _sheet_part(archive: zipfile.ZipFile, name: str) -> str | None:
    """The zip member holding the sheet ``name`` of an xlsx workbook."""
    return next((part for n, part in _sheet_parts(archive) if n == name), None)


def _uncached_formulas(path: Path, name: str) -> Iterator[tuple[str, int, str]]:
    """(cell, row, message) of each formula cell of sheet ``name`` with no cached value,
    found in the sheet's XML as it streams (a formula is ``<c ...><f>...</f></c>`` with no
    ``<v>``, or an empty one)."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        return
    with archive:
        part = _sheet_part(archive, name)
        if part is None or part not in archive.namelist():
            return
        with archive.open(part) as fh:
            tail = b""
            while chunk := fh.read(1 << 20):
                data = tail + chunk
                end = data.rfind(b"</c>")
                if end < 0:
                    tail = data
                    continue
                done, tail = data[: end + 4], data[end + 4 :]
                yield from _scan_cells(done)


def _scan_cells(data: bytes) -> Iterator[tuple[str, int, str]]:
    at = data.find(b"<f")
    while at >= 0:
        start = data.rfind(b"<c ", 0, at)
        stop = data.find(b"</c>", at)
        cell = data[start:stop]
        if not _VALUE.search(cell):
            ref = _CELL_REF.search(cell)
            if ref is not None:
                letters, row = ref.group(1).decode(), int(ref.group(2))
                yield (
                    f"{letters}{row}",
                    row,
                    "a formula saved without its value: open the workbook in a spreadsheet "
                    "program, let it compute, and save it again",
                )
        at = data.find(b"<f", stop)


def first_sheet(path: Path, display: str) -> tuple[list[tuple[int, list[str]]], str]:
    """The rows of a workbook's first sheet that holds any, and the text of a plain list
    made of them (each row's first cell on the line of its row), for the commands that
    read one list (``audit --against``, ``normalize``)."""
    for name in sheet_names(path, display):
        sheet = Sheet(path, display, name)
        rows = list(sheet.rows())
        if rows:
            lines = [""] * rows[-1][0]
            for number, cells in rows:
                lines[number - 1] = next((c for c in cells if c), "")
            return rows, "\n".join(lines)
    return [], ""

