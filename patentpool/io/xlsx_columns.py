"""A chunk of a sheet's XML read as columns, by Arrow's compute functions (C and RE2 speed).

:mod:`patentpool.io.xlsx_sheet` cuts a sheet's ``<sheetData>`` into chunks of whole rows and
parses each with ``xml.etree``, a cell at a time in Python. For a sales sheet below its header
this module reads the same chunk without building elements: the chunk is split into its rows
and cells (``<row`` and ``<c`` start tags, any namespace prefix), each cell's ``r``, ``s`` and
``t`` attributes (in any order) and its ``<v>`` or plain inline ``<is><t>`` text are extracted
by regular expressions, shared strings are looked up by ``take``, and the cells are scattered
into one array per column, aligned with the chunk's rows. Every value is the text
:meth:`~patentpool.io.xlsx_sheet.SheetXml.parse` gives for it: the rare values that need more
than a copy (a number not written in its shortest form, a date, an entity such as ``&amp;``,
stray spaces or a leading ``'``) go through the very functions of that module, once per
distinct value.

Where a chunk holds anything this pass does not read (rich-text inline strings,
comments, CDATA, processing instructions, carriage returns, single-quoted attributes, cell
references it cannot read, text it cannot decode), :meth:`Columns.read`
returns None and the caller reads that chunk with the element path, so every workbook is read
as the element path reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from patentpool.io.xlsx_sheet import SheetXml, _column, cell_text, iso_text

#: What only the element path reads (see the module's docstring).
_ODD = (b"<!", b"<?", b"\r")
#: A row's number (its ``r`` attribute).
_ROW_R = r"""^row\b[^>]*?\sr\s*=\s*["'](?P<r>[^"']*)["']"""
#: Numbers whose text is already the element path's (a whole number's digits, or a decimal
#: of at most 15 significant digits with no trailing zero, which is its shortest exact form).
_AS_IS = (
    r"^-?(?:[1-9][0-9]{0,14}|[1-9][0-9]*\.[0-9]*[1-9]|0\.0{0,3}[1-9](?:[0-9]*[1-9])?)$"
)
#: A text that may need :func:`cell_text` (stray spaces, a leading ``'``): a superset, the
#: element path's own test decides.
_GUARDED = r"^['\s\pZ\x0b\x1c-\x1f\x85]|[\s\pZ\x0b\x1c-\x1f\x85]$"
#: What each tag of a chunk is, by its first characters (tags cut at ``<``).
_CELL, _ROW, _VALUE, _TEXT, _OTHER = range(5)
_TAG = re.compile(r"(/?)([\w.:-]*)(.?)")


def _kind(start: str) -> int:
    """The kind of a tag by its first characters; Odd for a tag only elements read."""
    found = _TAG.match(start)
    assert found is not None
    close, name, after = found.groups()
    if close or name == "f":
        return _OTHER  # an end tag, a formula's text
    if after not in (" ", ">", "/", "\t", "\n", ""):
        raise Odd(start)
    if name == "c":
        return _CELL
    if name == "row":
        return _ROW
    if name in ("v", "t"):
        return _VALUE if name == "v" else _TEXT
    if name == "is" and after == ">":
        return _OTHER
    raise Odd(start)  # rich text runs, attributes on <v> or <t>, other markup


class Odd(Exception):
    """The chunk holds something only the element path reads."""


@dataclass(frozen=True, slots=True)
class Piece:
    """A chunk's rows as columns: its filled rows (after those skipped) and their cells."""

    lines: pa.Array  # int64: each row's number
    columns: list[pa.Array]  # the first ``width`` columns' text, "" where no cell is
    wide: bool  # a filled cell right of those columns
    last: int  # the number of the chunk's last row, empty or not

    @property
    def batch(self) -> pa.RecordBatch:
        return pa.RecordBatch.from_arrays(
            self.columns, names=[f"c{i}" for i in range(len(self.columns))]
        )


def _field(array: pa.Array, pattern: str) -> pa.Array:
    """The one named group of ``pattern`` in each text (null where it does not match)."""
    return pc.struct_field(pc.extract_regex(array, pattern), [0])


def _guard(text: str) -> str:
    """A text cell as :meth:`SheetXml.parse` ends it."""
    if text and (text[0] == "'" or text[0].isspace() or text[-1].isspace()):
        return cell_text(text)
    return text


def _each(values: pa.Array, convert: Any) -> pa.Array:
    """``convert`` applied once per distinct value."""
    encoded = pc.dictionary_encode(values)
    done = pa.array([convert(v) for v in encoded.dictionary.to_pylist()], pa.string())
    return pc.take(done, encoded.indices)


def _where(values: pa.Array, mask: Any, convert: Any) -> pa.Array:
    """``values`` with those under ``mask`` put through ``convert`` (once per distinct)."""
    mask = pc.fill_null(mask, False)
    if not pc.any(mask).as_py():
        return values
    return pc.replace_with_mask(values, mask, _each(pc.filter(values, mask), convert))


def _decoded(text: str) -> str:
    """A cell's text with its character references (``&amp;``, ``&#10;``) read."""
    try:
        return ET.fromstring(f"<v>{text}</v>").text or ""
    except ET.ParseError:
        raise Odd(text) from None


def _row_numbers(tags: pa.Array, before: int) -> np.ndarray:
    """Each row's number: its ``r``, or the one before it plus one."""
    r = _field(tags, _ROW_R)
    r = pc.if_else(pc.equal(r, ""), pa.scalar(None, pa.string()), r)
    if pc.all(pc.match_substring_regex(r, "^[0-9]{1,9}$")).as_py() is False:
        raise Odd("row number")
    present = pc.is_valid(r).to_numpy(zero_copy_only=False)
    values = pc.cast(pc.fill_null(r, "0"), pa.int64()).to_numpy()
    at = np.arange(len(values))
    source = np.maximum.accumulate(np.where(present, at, -1)) if len(at) else at
    offset = np.where(source >= 0, (values - at)[np.maximum(source, 0)], before + 1)
    numbers: np.ndarray = offset + at
    return numbers


def _attributes(tag: str) -> tuple[int, str | None, str | None]:
    """(column index or -1, ``t``, ``s``) of a cell's start tag (the digits of its ``r``
    taken out), read by the XML parser itself."""
    head = tag[: tag.rindex(">")].rstrip().removesuffix("/")
    try:
        cell = ET.fromstring(f"<{head}/>")
    except ET.ParseError:
        raise Odd(tag) from None
    ref = cell.get("r")
    return (-1 if ref is None else _column(ref)), cell.get("t"), cell.get("s")


def _positions(given: np.ndarray, row: np.ndarray) -> np.ndarray:
    """Each cell's column index: its ``r``'s column, or the one after the cell before it
    (a cell whose ``r`` names a column left of that one also takes the next column, as the
    element path reads it)."""
    n = len(row)
    if not n:
        return given
    at = np.arange(n)
    starts = np.r_[True, row[1:] != row[:-1]]
    within = at - np.maximum.accumulate(np.where(starts, at, 0))
    span = n + 20_000
    lifted = row * (2 * span) + (given - within + span)
    best = np.maximum.accumulate(lifted) - row * (2 * span) - span
    positions: np.ndarray = within + np.maximum(best, 0)
    return positions


class Columns:
    """The column reader of one workbook's sheets (its shared strings and date styles)."""

    def __init__(self, book: SheetXml) -> None:
        self.book = book
        self.strings = pa.array([_guard(s) for s in book.strings], pa.string())
        self.prefix = ""

    def of(self, prefix: str) -> Columns:
        """This reader for a sheet whose elements take ``prefix`` (``x:``, or none)."""
        self.prefix = prefix
        return self

    def read(self, data: bytes, before: int, skip: int, width: int) -> Piece | None:
        """The chunk's filled rows but its first ``skip`` ones, as ``width`` columns; None
        when only the element path reads it. ``before``: the number of the row before it."""
        if any(odd in data for odd in _ODD):
            return None
        try:
            return self._read(data, before, skip, width)
        except (Odd, pa.ArrowInvalid, pa.ArrowIndexError, UnicodeDecodeError):
            return None

    def _read(self, data: bytes, before: int, skip: int, width: int) -> Piece:
        whole = pa.StringArray.from_buffers(
            1, pa.py_buffer(np.array([0, len(data)], np.int32)), pa.py_buffer(data)
        )
        whole.validate(full=True)  # UTF-8
        if self.prefix:
            whole = pc.replace_substring(whole, f"<{self.prefix}", "<")
            whole = pc.replace_substring(whole, f"</{self.prefix}", "</")
        tags = pc.list_flatten(pc.split_pattern(whole, "<"))
        if tags[0].as_py().strip():
            raise Odd("text between rows")
        tags = tags[1:]
        starts = pc.dictionary_encode(pc.utf8_slice_codeunits(tags, 0, 3))
        kinds = np.array([_kind(t) for t in starts.dictionary.to_pylist()], np.int8)
        kind = kinds[starts.indices.to_numpy()]
        is_cell, is_row = kind == _CELL, kind == _ROW
        if len(kind) and not is_row[0]:
            raise Odd("a cell outside a row")
        numbers = _row_numbers(tags.filter(pa.array(is_row)), before)
        owner = np.cumsum(is_cell) - 1  # per tag, the cell it is in
        row = (np.cumsum(is_row) - 1)[is_cell]
        cells = tags.filter(pa.array(is_cell))
        heads = pc.dictionary_encode(
            pc.replace_substring_regex(cells, r'(\sr="[A-Z]{1,3})[0-9]+"', r'\1"')
        )
        read = [_attributes(h) for h in heads.dictionary.to_pylist()]
        head = heads.indices.to_numpy()
        given = np.array([a[0] for a in read], np.int64)[head]
        value = self._values(tags, kind, owner, len(cells), _VALUE)
        text = self._values(tags, kind, owner, len(cells), _TEXT)
        codes = pa.array([a[1] for a in read], pa.string())
        styles = pa.array([a[2] for a in read], pa.string())
        index = pa.array(head)
        texts = self._texts(pc.take(codes, index), pc.take(styles, index), value, text)
        positions = _positions(given, row)
        filled = pc.not_equal(texts, "").to_numpy(zero_copy_only=False)
        kept = np.flatnonzero(np.bincount(row[filled], minlength=len(numbers)) > 0)[skip:]
        out_row = np.full(len(numbers), -1, dtype=np.int64)
        out_row[kept] = np.arange(len(kept))
        at = out_row[row]
        inside = at >= 0
        columns = []
        for j in range(width):
            chosen = np.flatnonzero(inside & (positions == j))
            place = np.full(len(kept), -1, dtype=np.int64)
            place[at[chosen]] = chosen
            columns.append(pc.fill_null(pc.take(texts, pa.array(place, mask=place < 0)), ""))
        wide = bool(np.any(inside & filled & (positions >= width)))
        last = int(numbers[-1]) if len(numbers) else before
        return Piece(pa.array(numbers[kept], pa.int64()), columns, wide, last)

    @staticmethod
    def _values(
        tags: pa.Array, kind: np.ndarray, owner: np.ndarray, cells: int, of: int
    ) -> pa.Array:
        """Per cell, the text of its ``<v>`` (or its inline ``<t>``), null if it has none."""
        chosen = np.flatnonzero(kind == of)
        owners = owner[chosen]
        if len(owners) and (owners[0] < 0 or np.any(owners[1:] <= owners[:-1])):
            raise Odd("two values in a cell")
        found = tags.take(pa.array(chosen))
        plain = pc.starts_with(found, "v>" if of == _VALUE else "t>")
        if pc.all(plain).as_py():
            found = pc.utf8_slice_codeunits(found, 2)
        else:  # <v/>, <t xml:space="preserve">: the text after the start tag's end
            parts = pc.split_pattern(found, ">", max_splits=1)
            closed = pc.ends_with(pc.list_element(parts, 0), "/")
            found = pc.if_else(closed, "", pc.list_element(parts, 1))
        found = _where(found, pc.match_substring(found, "&"), _decoded)
        place = np.full(cells, -1, dtype=np.int64)
        place[owners] = np.arange(len(owners))
        return pc.take(found, pa.array(place, mask=place < 0))

    def _texts(self, kind: pa.Array, style: pa.Array, value: pa.Array, text: pa.Array) -> pa.Array:
        """Each cell's text, as :meth:`SheetXml.parse` gives it."""
        inline = pc.fill_null(pc.equal(kind, "inlineStr"), False)
        value = pc.if_else(inline, pc.fill_null(text, ""), pc.fill_null(value, ""))
        number = pc.fill_null(pc.equal(kind, "n"), True)
        out = self._numbers(style, value, number)
        shared = pc.fill_null(pc.equal(kind, "s"), False)
        if pc.any(shared).as_py():
            index = pc.filter(value, shared)
            empty = pc.equal(index, "")
            looked = pc.take(self.strings, pc.cast(pc.if_else(empty, "0", index), pa.int64()))
            out = pc.replace_with_mask(out, shared, pc.if_else(empty, "", looked))
        boolean = pc.fill_null(pc.equal(kind, "b"), False)
        true = pc.is_in(value, pa.array(["1", "true"]))
        out = pc.if_else(boolean, pc.if_else(true, "TRUE", "FALSE"), out)
        date = pc.fill_null(pc.equal(kind, "d"), False)
        out = _where(out, date, iso_text)
        other = pc.invert(pc.or_(pc.or_(number, shared), pc.or_(boolean, date)))
        guarded = pc.and_(other, pc.match_substring_regex(out, _GUARDED))
        return _where(out, guarded, _guard)

    def _numbers(self, style: pa.Array, value: pa.Array, number: pa.Array) -> pa.Array:
        """The cells' values with their numbers as the element path writes them."""
        odd = pc.and_(number, pc.invert(pc.match_substring_regex(value, _AS_IS)))
        odd = pc.and_(odd, pc.not_equal(value, ""))
        dates = self.book.dates
        if dates:
            if pc.all(pc.match_substring_regex(style, "^[0-9]{1,9}$")).as_py() is False:
                raise Odd("style")
            dated = pc.is_in(pc.cast(style, pa.int64()), pa.array(sorted(dates), pa.int64()))
            dated = pc.and_(number, pc.fill_null(dated, False))
            value = _where(value, pc.and_(dated, pc.not_equal(value, "")), self._date)
            odd = pc.and_(odd, pc.invert(dated))
        return _where(value, odd, self.book.number_text)

    def _date(self, text: str) -> str:
        return self.book.date_text(text)
