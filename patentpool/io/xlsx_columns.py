"""A chunk of a sheet's XML read as columns, by numpy and Arrow (no call per cell).

:mod:`patentpool.io.xlsx_sheet` cuts a sheet's ``<sheetData>`` into chunks of whole rows and
parses each with ``xml.etree``, a cell at a time in Python. Below a sales sheet's header this
module reads the same chunk without building elements: numpy finds every ``<`` and ``>`` and
tells the tags apart by their first bytes (rows, cells, ``<v>``, inline ``<is><t>``, formulas,
end tags); each cell's start tag, its ``r`` digits taken out, is read once per distinct tag by
the XML parser itself (so ``r``, ``s`` and ``t`` in any order and any quoting); shared strings
are looked up by ``take``, and the cells are scattered into one array per column, aligned with
the chunk's rows (a cell without ``r`` follows the one before it, a row without ``r`` the row
before it). Every value is the text :meth:`~patentpool.io.xlsx_sheet.SheetXml.parse` gives for
it: the values that need more than a copy (a number not in its shortest form, a date, an
entity such as ``&amp;``, stray spaces or a leading ``'``) go through the very functions of
that module, once per distinct value.

Where a chunk holds anything this pass does not read (rich-text runs, comments, CDATA,
processing instructions, carriage returns, a start tag it cannot parse, a ``>``
inside a row's attribute, cells of a prefix it does not know, text that is not UTF-8),
:meth:`Columns.read` returns None and the caller reads that chunk with the element path, so
every workbook is read as the element path reads it. The chunks read by columns are then
checked by the column checks of plain CSV files (:mod:`patentpool.io.sales_columns`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from patentpool.io.xlsx_sheet import SheetXml, _column, cell_text, iso_text

#: A row's start tag, every attribute well formed (no ``>`` inside a value), and its ``r``.
_ROW_TAG = r"""^row(?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?$"""
_ROW_R = r"""^row(?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*?\s+r\s*=\s*["'](?P<r>[^"']*)["']"""
#: Numbers whose text is already the element path's (a whole number's digits, or a decimal
#: of at most 15 significant digits with no trailing zero, which is its shortest exact form).
_AS_IS = (
    r"^-?(?:[1-9][0-9]{0,14}|[1-9][0-9]*\.[0-9]*[1-9]|0\.0{0,3}[1-9](?:[0-9]*[1-9])?)$"
)
#: A decimal whose shortest form is itself without its trailing zeros (then without its
#: point), when that is :data:`_SHORTEST`.
_ZEROS = r"^(?:[1-9][0-9]*|0)\.[0-9]*0$"
_SHORTEST = (
    r"^(?:0|[1-9][0-9]{0,14}|[1-9][0-9]*\.[0-9]*[1-9]|0\.0{0,3}[1-9](?:[0-9]*[1-9])?)$"
)
#: What each tag of a chunk is.
_CELL, _ROW, _VALUE, _TEXT, _OTHER = range(5)


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


@dataclass(frozen=True, slots=True)
class _Tags:
    """A chunk cut at each ``<``: per tag, where it starts (after its ``<``), where its start
    tag ends (its first ``>``) and where it ends (the next ``<``), and what it is."""

    data: pa.Buffer
    start: np.ndarray
    close: np.ndarray
    end: np.ndarray
    kind: np.ndarray
    empty: np.ndarray  # self-closed (``<v/>``)

    def spans(self, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
        """The texts data[starts[i]:ends[i]] (in order, not overlapping), copied."""
        n = len(starts)
        if not n:
            return pa.array([], pa.string())
        offsets = np.empty(2 * n + 1, np.int32)
        offsets[0 : 2 * n : 2] = starts
        offsets[1 : 2 * n : 2] = ends
        offsets[2 * n] = ends[-1]
        both = pa.StringArray.from_buffers(2 * n, pa.py_buffer(offsets), self.data)
        return both.take(pa.array(np.arange(0, 2 * n, 2)))

    def heads(self, of: np.ndarray) -> pa.Array:
        """The start tags (without ``<`` and ``>``) of the tags ``of``."""
        return self.spans(self.start[of], self.close[of])

    def texts(self, of: np.ndarray) -> pa.Array:
        """The text after the start tags ``of`` ("" after a self-closed one)."""
        ends = self.end[of]
        return self.spans(np.where(self.empty[of], ends, self.close[of] + 1), ends)


def _ends_name(b: np.ndarray) -> np.ndarray:
    out: np.ndarray = (b == 32) | (b == 62) | (b == 47) | (b == 9) | (b == 10)
    return out


def _tags(data: bytes) -> _Tags:
    """The chunk's tags; Odd if any is a tag the column reader does not read."""
    buf = np.frombuffer(data, np.uint8)
    marks = np.flatnonzero((buf == 60) | (buf == 62))  # every < and >
    opening = np.flatnonzero(buf[marks] == 60)
    lt = marks[opening]
    if data[: lt[0] if len(lt) else len(data)].strip():
        raise Odd("text between rows")
    start = lt + 1
    end = np.r_[lt[1:], len(buf)]
    after = opening + 1  # the mark after each <: its tag's >
    if len(after) and (after[-1] >= len(marks) or np.any(buf[marks[after]] != 62)):
        raise Odd("a tag without its end")
    close = marks[after]
    padded = np.concatenate([buf, np.zeros(4, np.uint8)])
    b0, b1, b2, b3 = (padded[start + i] for i in range(4))
    kind = np.full(len(start), -1, np.int8)
    kind[(b0 == 99) & _ends_name(b1)] = _CELL
    kind[(b0 == 114) & (b1 == 111) & (b2 == 119) & _ends_name(b3)] = _ROW
    kind[(b0 == 118) & _ends_name(b1)] = _VALUE
    kind[(b0 == 116) & _ends_name(b1)] = _TEXT
    kind[(b0 == 47) | ((b0 == 102) & _ends_name(b1))] = _OTHER  # end tags, formulas
    kind[(b0 == 105) & (b1 == 115) & _ends_name(b2)] = _OTHER  # <is>
    if np.any(kind < 0):
        raise Odd("markup")  # rich text runs, comments, CDATA, other elements
    empty = padded[np.maximum(close - 1, 0)] == 47
    return _Tags(pa.py_buffer(data), start, close, end, kind, empty)


def _space(b: np.ndarray) -> np.ndarray:
    out: np.ndarray = (b == 32) | ((b >= 9) & (b <= 13)) | ((b >= 28) & (b <= 31)) | (b >= 128)
    return out


def _edges(values: pa.Array) -> np.ndarray:
    """Texts that may need :func:`cell_text`: a first byte that is ``'``, a space or not
    ASCII, or such a last byte (a superset; :func:`_guard` decides)."""
    _, offsets, data = values.buffers()
    n = len(values)
    bounds = np.frombuffer(offsets, np.int32)[values.offset : values.offset + n + 1]
    out = np.zeros(n, bool)
    if data is None or not n:
        return out
    text = np.frombuffer(data, np.uint8)
    filled = np.flatnonzero(bounds[1:] > bounds[:-1])
    first, last = text[bounds[:-1][filled]], text[bounds[1:][filled] - 1]
    out[filled] = (first == 39) | _space(first) | _space(last)
    return out


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
    if pc.all(pc.match_substring_regex(tags, _ROW_TAG)).as_py() is False:
        raise Odd("row attributes")
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
    head = tag.rstrip().removesuffix("/")
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
        if b"\r" in data:  # XML reads a carriage return as a line feed
            return None
        if self.prefix:
            data = data.replace(b"<" + self.prefix.encode(), b"<")
            data = data.replace(b"</" + self.prefix.encode(), b"</")
        try:
            pa.StringArray.from_buffers(
                1, pa.py_buffer(np.array([0, len(data)], np.int32)), pa.py_buffer(data)
            ).validate(full=True)  # UTF-8
            return self._read(_tags(data), before, skip, width)
        except (Odd, pa.ArrowInvalid, pa.ArrowIndexError):
            return None

    def _read(self, tags: _Tags, before: int, skip: int, width: int) -> Piece:
        kind = tags.kind
        is_cell, is_row = kind == _CELL, kind == _ROW
        if len(kind) and not is_row[0]:
            raise Odd("a cell outside a row")
        numbers = _row_numbers(tags.heads(np.flatnonzero(is_row)), before)
        owner = np.cumsum(is_cell) - 1  # per tag, the cell it is in
        row = (np.cumsum(is_row) - 1)[is_cell]
        cells = tags.heads(np.flatnonzero(is_cell))
        if pc.any(pc.match_substring(cells, "r=")).as_py():
            cells = pc.replace_substring_regex(cells, r'(\sr="[A-Z]{1,3})[0-9]+"', r'\1"')
        heads = pc.dictionary_encode(cells)
        read = [_attributes(h) for h in heads.dictionary.to_pylist()]
        head = heads.indices.to_numpy()
        given = np.array([a[0] for a in read], np.int64)[head]
        value = _values(tags, owner, len(cells), _VALUE)
        text = _values(tags, owner, len(cells), _TEXT)
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
        guarded = pc.and_(other, pa.array(_edges(out)))
        return _where(out, guarded, _guard)

    def _numbers(self, style: pa.Array, value: pa.Array, number: pa.Array) -> pa.Array:
        """The cells' values with their numbers as the element path writes them."""
        filled = pc.and_(number, pc.not_equal(value, ""))
        if not pc.any(filled).as_py():
            return value
        texts = pc.filter(value, filled)
        dated = self._dated(pc.filter(style, filled)) if self.book.dates else None
        odd = pc.invert(pc.match_substring_regex(texts, _AS_IS))
        if dated is not None:
            odd = pc.and_(odd, pc.invert(dated))
        if pc.any(odd).as_py():  # trailing zeros (12.50) dropped without a call per value
            zeros = pc.and_(odd, pc.match_substring_regex(texts, _ZEROS))
            trimmed = pc.utf8_rtrim(pc.utf8_rtrim(texts, "0"), ".")
            short = pc.and_(zeros, pc.match_substring_regex(trimmed, _SHORTEST))
            short = pc.and_(short, pc.less_equal(pc.utf8_length(trimmed), 16))
            texts = pc.if_else(short, trimmed, texts)
            odd = pc.and_(odd, pc.invert(short))
        if dated is not None:
            texts = _where(texts, dated, self._date)
        texts = _where(texts, odd, self.book.number_text)
        return pc.replace_with_mask(value, filled, texts)

    def _dated(self, style: pa.Array) -> pa.Array:
        """Cells in a date style."""
        if pc.all(pc.match_substring_regex(style, "^[0-9]{1,9}$")).as_py() is False:
            raise Odd("style")
        dates = pa.array(sorted(self.book.dates), pa.int64())
        return pc.fill_null(pc.is_in(pc.cast(style, pa.int64()), dates), False)

    def _date(self, text: str) -> str:
        return self.book.date_text(text)


def _values(tags: _Tags, owner: np.ndarray, cells: int, of: int) -> pa.Array:
    """Per cell, the text of its ``<v>`` (or its inline ``<t>``), null if it has none."""
    chosen = np.flatnonzero(tags.kind == of)
    owners = owner[chosen]
    if len(owners) and (owners[0] < 0 or np.any(owners[1:] <= owners[:-1])):
        raise Odd("two values in a cell")
    found = tags.texts(chosen)
    found = _where(found, pc.match_substring(found, "&"), _decoded)
    place = np.full(cells, -1, dtype=np.int64)
    place[owners] = np.arange(len(owners))
    return pc.take(found, pa.array(place, mask=place < 0))
