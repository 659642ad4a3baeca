"""The rows of an ``.xlsx``/``.xlsm`` sheet, streamed from its XML: memory flat in its size.

A sheet is a zip member (``xl/worksheets/sheetN.xml``) of rows of cells. It is read in chunks
cut after a row's end tag; each chunk is parsed whole by the C parser of ``xml.etree``, and
its rows become rows of text as :func:`cell_text` gives them, so a
row reads the same whichever reader read it:

- ``t="s"``: the shared strings table's text (rich text runs joined, phonetic runs left out);
  ``t="inlineStr"``: the cell's own ``<is>`` text, likewise; ``t="str"``: a formula's text;
- ``t="b"``: ``TRUE``/``FALSE``; ``t="e"``: the error as Excel shows it (``#DIV/0!``);
- a number: a whole number as its digits, another as its shortest exact form; a number in a
  date style (styles.xml) is that date in the workbook's date system (1900 or 1904);
- ``t="d"``: an ISO date;
- a cell without its ``r`` attribute follows the one before it, a row without one the row
  before it (as Excel reads them).

A formula saved without its value is an empty cell here; the workbook reader names it.

Below a sales sheet's header the same chunks (:class:`Chunks`) are read by columns instead
(:mod:`patentpool.io.xlsx_columns`), which gives the very text :meth:`SheetXml.parse` gives
and leaves to it any chunk it does not read.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree as ET

from patentpool.io.readers import _unguard

Rows = Iterator[tuple[int, list[str]]]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: Bytes of the sheet's XML read at a time.
CHUNK = 1 << 20
#: The number formats Excel builds in that show dates (and times).
_BUILTIN_DATES = frozenset(range(14, 23)) | frozenset(range(27, 37)) | frozenset(range(45, 48))
_BUILTIN_DATES |= frozenset(range(50, 59))
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_DATE_CODE = re.compile(r"[dmyhs]", re.IGNORECASE)
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet\b[^>]*>")
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\b[^>]*\bref="[A-Z]*[0-9]*:?[A-Z]*([0-9]+)"')
_EPOCHS = {False: dt.datetime(1899, 12, 30), True: dt.datetime(1904, 1, 1)}


def cell_text(value: Any) -> str:
    """A cell's value as the text a CSV file would hold for it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _unguard(value.strip())
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _text(element: ET.Element | None, ns: str) -> str:
    """The text of a string item (``<si>`` or ``<is>``): its ``<t>``, or its runs' joined."""
    if element is None:
        return ""
    plain = element.find(f"{ns}t")
    if plain is not None and element.find(f"{ns}r") is None:
        return plain.text or ""
    return "".join(t.text or "" for r in element.iter(f"{ns}r") for t in r.iter(f"{ns}t"))


def _ns(tag: str) -> str:
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""


def shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The workbook's shared strings table (empty if it has none), read as it streams."""
    part = next((n for n in archive.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
    if part is None:
        return []
    strings: list[str] = []
    with archive.open(part) as fh:
        root: ET.Element | None = None
        for event, element in ET.iterparse(fh, events=("start", "end")):
            if event == "start":
                if root is None:
                    root = element
                continue
            if element.tag.endswith("}si") or element.tag == "si":
                strings.append(_text(element, _ns(element.tag)))
                if root is not None:
                    root.clear()
    return strings


def is_date_format(code: str) -> bool:
    """Whether a number format code shows a date or a time (quoted text, ``[colours]`` and
    escaped characters left out)."""
    return bool(_DATE_CODE.search(_QUOTED.sub("", code)))


def date_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """The cell styles (``s`` attributes) whose number format is a date."""
    try:
        root = ET.fromstring(archive.read("xl/styles.xml"))
    except (KeyError, ET.ParseError):
        return frozenset()
    ns = _ns(root.tag)
    codes = {
        int(f.get("numFmtId", "-1")): f.get("formatCode", "")
        for f in root.iter(f"{ns}numFmt")
    }
    xfs = root.find(f"{ns}cellXfs")
    if xfs is None:
        return frozenset()
    dates = set()
    for index, xf in enumerate(xfs.findall(f"{ns}xf")):
        fmt = int(xf.get("numFmtId", "0"))
        if fmt in codes:
            if is_date_format(codes[fmt]):
                dates.add(index)
        elif fmt in _BUILTIN_DATES:
            dates.add(index)
    return frozenset(dates)


def uses_1904(archive: zipfile.ZipFile) -> bool:
    """Whether the workbook counts its dates from 1904 (``<workbookPr date1904="1"/>``)."""
    found = re.search(rb'<(?:[\w.-]+:)?workbookPr\b[^>]*\bdate1904="(1|true)"',
                      archive.read("xl/workbook.xml"))  # fmt: skip
    return found is not None


def _column(ref: str) -> int:
    """The column index (0 for A) of a cell reference such as ``AB12``."""
    index = 0
    for char in ref:
        if char.isdigit():
            break
        index = index * 26 + ord(char.upper()) - 64
    return index - 1


def serial_date(value: float, date1904: bool) -> dt.datetime:
    """An Excel date serial as a date and time (to the millisecond, as Excel keeps them)."""
    if not date1904 and value < 60:
        value += 1  # serials before Excel's 1900-02-29, which never was
    millis = round(value * 86_400_000)
    return _EPOCHS[date1904] + dt.timedelta(milliseconds=millis)


def height(archive: zipfile.ZipFile, part: str) -> int:
    """The sheet's last row as its ``<dimension>`` tells it (0 if it does not)."""
    with archive.open(part) as fh:
        found = _DIMENSION.search(fh.read(4096))
    return int(found.group(1)) if found else 0


class SheetXml:
    """How the cells of one workbook's sheets are read: its strings, date styles, epoch."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.strings = shared_strings(archive)
        self.dates = date_styles(archive)
        self.date1904 = uses_1904(archive)

    def rows(self, part: str) -> Rows:
        """The sheet's rows, each (its number, its cells' text up to its last filled cell);
        empty rows left out."""
        with self.archive.open(part) as fh:
            chunks = Chunks(fh)
            last = 0
            for data in chunks:
                rows, last = self.parse(chunks.element(data), last)
                yield from rows

    def parse(self, sheet_data: ET.Element, number: int) -> tuple[list[tuple[int, list[str]]], int]:
        """The rows of one parsed chunk, and the number of its last row (empty or not);
        ``number`` is the number of the row before it (a row without ``r`` follows it)."""
        ns = _ns(sheet_data.tag)
        t_v, t_is, t_t = f"{ns}v", f"{ns}is", f"{ns}t"
        strings, dates = self.strings, self.dates
        out: list[tuple[int, list[str]]] = []
        for row in sheet_data:
            r = row.get("r")
            number = int(r) if r else number + 1
            cells: list[str] = []
            for c in row:
                ref = c.get("r")
                if ref is not None:
                    at = _column(ref)
                    if at > len(cells):
                        cells.extend([""] * (at - len(cells)))
                kind = c.get("t")
                if kind == "inlineStr":
                    inline = c.find(t_is)
                    if inline is not None and len(inline) == 1 and inline[0].tag == t_t:
                        text = inline[0].text or ""  # plain text, the commonest
                    else:
                        text = _text(inline, ns)
                else:
                    v = c.find(t_v)
                    text = "" if v is None or v.text is None else v.text
                    if kind is None or kind == "n":
                        style = c.get("s")
                        if text and (
                            (dates and style is not None and int(style) in dates)
                            or not (text.isdigit() and len(text) < 16 and text[0] != "0")
                        ):
                            text = self._number(text, style)
                        cells.append(text)
                        continue
                    if kind == "s":
                        text = strings[int(text)] if text else ""
                    elif kind == "b":
                        text = "TRUE" if text in ("1", "true") else "FALSE"
                    elif kind == "d":
                        text = iso_text(text)
                        cells.append(text)
                        continue
                if text and (text[0] == "'" or text[0].isspace() or text[-1].isspace()):
                    text = cell_text(text)
                cells.append(text)
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                out.append((number, cells))
        return out, number

    def number_text(self, text: str) -> str:
        """A number cell's text (in no date style) as :meth:`parse` writes it."""
        return self._number(text, None)

    def date_text(self, text: str) -> str:
        """A number cell's text in a date style as :meth:`parse` writes it."""
        try:
            value = float(text)
        except ValueError:
            return text
        return cell_text(serial_date(value, self.date1904))

    def _number(self, text: str, style: str | None) -> str:
        try:
            value = float(text)
        except ValueError:
            return text
        if style is not None and int(style) in self.dates:
            return cell_text(serial_date(value, self.date1904))
        return cell_text(value)


def iso_text(text: str) -> str:
    try:
        return cell_text(dt.datetime.fromisoformat(text))
    except ValueError:
        return text


class Chunks:
    """The sheet's ``<sheetData>`` as a run of pieces of its XML, each of whole rows: the XML
    is cut after a row's end tag. :meth:`element` parses a piece alone, wrapped in the
    worksheet's own start tag (its namespaces)."""

    def __init__(self, fh: Any) -> None:
        self.fh = fh
        self.opening = self.closing = b""
        self.prefix = ""  # the worksheet's namespace prefix (``x:``), if it has one
        self._pieces = self._read()

    def __iter__(self) -> Iterator[bytes]:
        return self._pieces

    def element(self, data: bytes) -> ET.Element:
        """A piece parsed: its ``<sheetData>`` element."""
        return ET.fromstring(self.opening + data + self.closing)[0]

    def _read(self) -> Iterator[bytes]:
        fh = self.fh
        head = b""
        while True:
            chunk = fh.read(CHUNK)
            head += chunk
            root = _ROOT.search(head)
            start = re.search(rb"<([\w.-]+:)?sheetData\b[^>]*?(/?)>", head)
            if (root is not None and start is not None) or not chunk:
                break
        if root is None or start is None or start.group(2):
            return
        prefix = self.prefix = (root.group(1) or b"").decode()
        self.opening = root.group(0) + f"<{prefix}sheetData>".encode()
        self.closing = f"</{prefix}sheetData></{prefix}worksheet>".encode()
        row_end = f"</{prefix}row>".encode()
        data_end = f"</{prefix}sheetData>".encode()
        tail = head[start.end() :]
        while True:
            stop = tail.find(data_end)
            if stop >= 0:
                yield tail[:stop]
                return
            chunk = fh.read(CHUNK)
            if not chunk:
                raise ET.ParseError("the sheet's XML ends inside its rows")
            tail += chunk
            end = tail.rfind(row_end)
            if end >= 0:
                cut = end + len(row_end)
                yield tail[:cut]
                tail = tail[cut:]
