"""Tables as an Excel workbook (.xlsx): the one writer behind every ``--format xlsx``.

Each table is a sheet. Above its header stand the title, the day it was made, its source (the
register, or the stored run) and, for a sample register, that the figures are invented. The
header row is frozen and carries an autofilter; columns are sized to their contents.

Cells keep their type: amounts are numbers written exactly from their ``Decimal`` (never a
float) with the currency's minor unit as number format, shares are percentages, units and
counts whole numbers with separators, dates dates. Text is always text: a cell beginning with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is stored as a string with Excel's quote
prefix, so that no spreadsheet takes it for a formula (formula injection).

openpyxl's write-only mode streams each sheet's rows to the file (docs/dependencies.md).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

#: The kinds of column a table has, and how each is shown.
KINDS = ("text", "int", "money", "share", "decimal", "date", "datetime")

#: What a text cell may not begin with unless stored as plain text (formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XML cannot hold
_WIDEST = 60  # characters: a column is never drawn wider
_MAX_TEXT = 32_767  # what one Excel cell holds


@dataclass(frozen=True, slots=True)
class Column:
    """A table's column: its header and kind (one of :data:`KINDS`)."""

    name: str
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name}: kind {self.kind!r} is not one of {KINDS}")


@dataclass(frozen=True, slots=True)
class Typed:
    """A cell whose kind is its own, not its column's (a column of figures of many kinds)."""

    value: Any
    kind: str


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet: ``rows`` hold a value per column (typed, or the text the other formats show:
    ``"1234.50"`` for an amount, ``"2026-03-31"`` for a date)."""

    name: str
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[Any]]


@dataclass(frozen=True, slots=True)
class Heading:
    """What every sheet says above its table."""

    title: str
    made: dt.date
    source: str
    illustrative: str | None = None
    currency: str | None = None  # the minor unit of amounts; 2 digits when not given

    def lines(self) -> list[str]:
        from patentpool import __version__

        out = [self.title, f"Made {self.made.isoformat()} by patentpool {__version__}"]
        out.append(f"Source: {self.source}")
        if self.illustrative:
            out.append(self.illustrative)
        return out


def table(name: str, columns: Iterable[tuple[str, str] | str], rows: Iterable[Any]) -> Table:
    """A :class:`Table` from ``(header, kind)`` pairs (or bare headers, text) and rows that
    are sequences or dicts keyed by header."""
    cols = tuple(Column(c) if isinstance(c, str) else Column(*c) for c in columns)
    out: list[Sequence[Any]] = []
    for row in rows:
        if isinstance(row, dict):
            out.append([row.get(c.name) for c in cols])
        else:
            out.append(list(row))
    return Table(name, cols, out)


def workbook(tables: Sequence[Table], heading: Heading) -> bytes:
    """The workbook holding ``tables``, one sheet each, as the bytes of an .xlsx file."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    names: set[str] = set()
    for tab in tables or [Table("Empty", (Column("nothing"),), [])]:
        _sheet(book, _sheet_name(tab.name, names), tab, heading)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(name: str, taken: set[str]) -> str:
    """A unique sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _sheet(book: Any, name: str, tab: Table, heading: Heading) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(name)
    values = [
        [_typed(v, c.kind, heading.currency) for v, c in zip(row, tab.columns, strict=True)]
        for row in tab.rows
    ]
    for i, col in enumerate(tab.columns):
        width = max([len(col.name), *(_shown_width(r[i][0], r[i][2]) for r in values)])
        letter = get_column_letter(i + 1)
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), _WIDEST)
    bold = Font(bold=True)
    lines = heading.lines()
    header_row = len(lines) + 2
    last = get_column_letter(len(tab.columns))
    sheet.freeze_panes = f"A{header_row + 1}"  # before the first row: written at the top
    sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + len(values)}"
    for n, line in enumerate(lines):
        cell = _text_cell(WriteOnlyCell(sheet), line)
        if n == 0:
            cell.font = Font(bold=True, size=14)
        sheet.append([cell])
    sheet.append([])
    header = []
    for col in tab.columns:
        cell = _text_cell(WriteOnlyCell(sheet), col.name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in values:
        sheet.append([_cell(WriteOnlyCell(sheet), v, f) for v, f, _ in row])


def _typed(value: Any, kind: str, currency: str | None) -> tuple[Any, str | None, str]:
    """The cell's value, number format and kind."""
    if isinstance(value, Typed):
        value, kind = value.value, value.kind
    return _value(value, kind), _number_format(kind, currency), kind


def _number_format(kind: str, currency: str | None) -> str | None:
    if kind == "money":
        from patentpool.core.money import minor_unit

        digits = minor_unit(currency) if currency else 2
        return "#,##0" + ("." + "0" * digits if digits else "")
    return {
        "int": "#,##0",
        "share": "0.00%",
        "decimal": "General",
        "date": "yyyy-mm-dd",
        "datetime": "yyyy-mm-dd hh:mm:ss",
    }.get(kind)


def _cell(cell: Any, value: Any, number_format: str | None) -> Any:
    if isinstance(value, str):
        return _text_cell(cell, value)
    cell.value = value
    if number_format is not None and value is not None:
        cell.number_format = number_format
    return cell


def _text_cell(cell: Any, text: str) -> Any:
    """``text`` as a string cell; one a spreadsheet could take for a formula gets the quote
    prefix and stays a string."""
    text = _ILLEGAL.sub("", text)[:_MAX_TEXT]
    cell.value = text
    if text.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl took a leading "=" for a formula
        cell.quotePrefix = True
    return cell


def _value(value: Any, kind: str) -> Any:
    """``value`` as the cell holds it: typed by the column's kind, text when it is not one."""
    if value is None or value == "":
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        return " ".join(str(v) for v in value)
    try:
        if kind == "int":
            return int(value) if not isinstance(value, bool) else str(value)
        if kind in ("money", "decimal", "share"):
            if isinstance(value, Fraction):
                return Decimal(value.numerator) / Decimal(value.denominator)
            if isinstance(value, str) and value.endswith("%"):
                return Decimal(value[:-1]) / 100
            return Decimal(str(value)) if isinstance(value, (str, int)) else _exact(value)
        if kind == "date":
            return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
        if kind == "datetime":
            when = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
            return _naive(when)
    except (ValueError, ArithmeticError, TypeError):
        return str(value)
    return _text(value)


def _exact(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value
    raise TypeError(f"not an exact number: {type(value).__name__}")


def _naive(value: dt.datetime) -> dt.datetime:
    """Excel has no time zones: a zoned time is written in UTC."""
    if value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def _text(value: Any) -> str:
    from enum import Enum

    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _shown_width(value: Any, kind: str) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if isinstance(value, dt.datetime):
        return 19
    if isinstance(value, dt.date):
        return 10
    if kind == "share":
        return 8
    if isinstance(value, Decimal | int):
        digits = len(f"{abs(value):,f}") if isinstance(value, Decimal) else len(f"{value:,}")
        return digits + 1
    return len(str(value))
