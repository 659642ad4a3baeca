"""The dialects of the CSV files people send: encodings, separators and decimal commas.

A spreadsheet saves "CSV" as its locale has it: separated by commas, by ``;`` (where the
comma is the decimal mark) or by tabs; in UTF-8, UTF-16 with a byte order mark, or the
Windows code page. patentpool reads every one of them:

- the separator is told by the header line: of ``,``, ``;`` and a tab, the one that splits it
  into the most cells (a tie goes to the comma);
- UTF-16 is read whenever a file opens with its byte order mark; otherwise the text is UTF-8
  (with or without a BOM) unless the command is told ``--encoding cp1252`` or ``latin-1``;
- with ``--decimal-comma`` the money columns (``net_sales``, ``amount``) of a file separated by
  ``;`` or tabs are read with a decimal comma and points between groups of three digits
  (``1.234,50`` is ``1234.50``); a comma-separated file with a money column is refused with
  it, since there a decimal comma would split the cell.

A command's options are set once, by its service, with :func:`reading`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

#: The encodings ``--encoding`` names (UTF-16 is read whenever a file opens with its BOM).
ENCODINGS = ("utf-8", "cp1252", "latin-1")
#: Columns whose numbers ``--decimal-comma`` reads with a decimal comma.
MONEY_COLUMNS = frozenset({"net_sales", "amount"})


@dataclass(frozen=True, slots=True)
class TextOptions:
    """How the CSV files of one command are read (``--encoding``, ``--decimal-comma``)."""

    encoding: str = "utf-8"
    decimal_comma: bool = False


_OPTIONS: ContextVar[TextOptions | None] = ContextVar("patentpool_text_options", default=None)
_DEFAULT = TextOptions()


@contextmanager
def reading(options: TextOptions) -> Iterator[None]:
    """Read the CSV files of the block with ``options`` (a command's service sets them)."""
    if options.encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {options.encoding!r}")
    token = _OPTIONS.set(options)
    try:
        yield
    finally:
        _OPTIONS.reset(token)


def text_options() -> TextOptions:
    """The options of the command running (UTF-8, decimal points when none were set)."""
    return _OPTIONS.get() or _DEFAULT


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def encoding_of(head: bytes, table: bool = True) -> str:
    """The codec a file starting with ``head`` is read with: UTF-16 after its BOM, else the
    command's ``--encoding`` for a table (CSV), else UTF-8 (with or without BOM)."""
    if head.startswith(_UTF16_BOMS):
        return "utf-16"
    chosen = text_options().encoding
    return "utf-8-sig" if not table or chosen == "utf-8" else chosen


SEPARATORS = (",", ";", "\t")
#: How messages name each separator.
SEPARATOR_NAMES = {",": "commas", ";": "';'", "\t": "tabs"}


def separator_of(line: str) -> str:
    """The separator of a file whose header line is ``line``."""
    best, cells = ",", 0
    for separator in SEPARATORS:
        try:
            found = len(next(csv.reader([line], delimiter=separator), []))
        except csv.Error:
            continue
        if found > cells:
            best, cells = separator, found
    return best


_DECIMAL_COMMA = re.compile(r"^([+-]?)([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,([0-9]+))?$")


def decimal_point(text: str) -> str:
    """A number written with a decimal comma, as patentpool reads numbers: ``1.234,5`` is
    ``1234.5``; anything else is left as it is (and judged as written)."""
    found = _DECIMAL_COMMA.match(text)
    if found is None or ("," not in text and "." not in text):
        return text
    sign, whole, fraction = found.groups()
    whole = whole.replace(".", "")
    return f"{sign}{whole}.{fraction}" if fraction is not None else f"{sign}{whole}"
