"""Reading the files staff receive: UTF-8 with or without BOM, stray spaces, YAML/JSON with
line numbers, CSV with the line of every record."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from patentpool.io.dialects import (
    MONEY_COLUMNS,
    decimal_point,
    encoding_of,
    separator_of,
    text_options,
)
from patentpool.io.problems import Problem, Source, pydantic_problems
from patentpool.io.yaml_loaders import FAST_LOADER, PureLoader
from patentpool.io.yaml_loaders import LineDict as LineDict


class FileUnreadable(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_text(path: Path, display: str, table: bool = True) -> str:
    """The file's text; a BOM is dropped, text not in its encoding is refused with its line.

    ``table``: a CSV file or a list, read in the command's ``--encoding``; YAML and JSON
    files are UTF-8 (or UTF-16 with a BOM) whatever it says.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FileUnreadable(
            Problem(display, 0, "file", f"cannot be read: {exc.strerror}")
        ) from exc
    encoding = encoding_of(raw[:2], table)
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FileUnreadable(_undecodable(raw, exc, display, encoding, table)) from exc


def _undecodable(
    raw: bytes, exc: UnicodeDecodeError, display: str, encoding: str, table: bool
) -> Problem:
    if encoding == "utf-16":
        line = raw[: exc.start].decode("utf-16", "replace").count("\n") + 1
        return Problem(display, line, "file", f"is not valid UTF-16 text (at line {line})")
    line = raw[: exc.start].count(b"\n") + 1
    byte = f"byte 0x{raw[exc.start]:02x} at line {line}"
    if encoding != "utf-8-sig":
        return Problem(display, line, "file", f"is not {encoding} text ({byte})")
    hint = " or name its encoding with --encoding cp1252 (or latin-1)" if table else ""
    return Problem(
        display,
        line,
        "file",
        f"is not UTF-8 text ({byte}); save it as UTF-8{hint} and import it again",
    )


# --- YAML (and JSON, which the YAML loader reads too, with line numbers) -------------------

_LineLoader = PureLoader  # the pure-Python loader: it reads every file, and words every problem
_FastLoader = FAST_LOADER  # libyaml's parser with the same constructors, None without libyaml

#: What libyaml reads otherwise than the pure loader (a tab as a separator, a bare ``!``
#: tag, other line breaks, a directive): such texts go to the pure loader alone.
_PURE_ONLY = re.compile(r"[\t!?\x85\u2028\u2029\ufeff]|^%|[|>][-+0-9]*#", re.MULTILINE)


def load_yaml(text: str, display: str) -> Any:
    """The file's data; mappings are ``LineDict``. libyaml reads it when it can; a text it
    refuses (or that fails in any way) is read again by the pure loader, which words the
    problem, so the outcome is the pure loader's either way."""
    if _FastLoader is not None and not _PURE_ONLY.search(text):
        try:
            return _load_with(_FastLoader, text)
        except Exception:  # the pure loader below says what is wrong
            pass
    return _load_pure(text, display)


def _load_with(loader_class: Any, text: str) -> Any:
    loader = loader_class(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _load_pure(text: str, display: str) -> Any:
    try:
        loader = _LineLoader(text)
    except yaml.reader.ReaderError as exc:
        raise FileUnreadable(_reader_problem(exc, text, display)) from exc
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise FileUnreadable(
            Problem(display, line, "file", f"is not valid YAML/JSON: {exc.problem or exc}")
        ) from exc
    except yaml.reader.ReaderError as exc:
        raise FileUnreadable(_reader_problem(exc, text, display)) from exc
    except yaml.YAMLError as exc:
        message = " ".join(str(exc).split())
        raise FileUnreadable(
            Problem(display, 1, "file", f"is not valid YAML/JSON: {message}")
        ) from exc
    except RecursionError as exc:
        raise FileUnreadable(
            Problem(display, loader.get_mark().line + 1, "file", "nests too deeply")
        ) from exc
    finally:
        loader.dispose()


def _reader_problem(exc: yaml.reader.ReaderError, text: str, display: str) -> Problem:
    """A character YAML does not allow (a control character such as NUL)."""
    line = text[: exc.position].count("\n") + 1
    return Problem(
        display,
        line,
        "file",
        f"is not valid YAML/JSON: character #x{exc.character:04x} is not allowed",
    )


def line_in(data: Any, loc: tuple[Any, ...], default: int) -> int:
    """The line of the deepest mapping or key reached by following ``loc`` into ``data``."""
    line = default
    node = data
    for part in loc:
        if isinstance(node, LineDict):
            line = node.key_lines.get(str(part), node.line)
            node = node.get(part) if isinstance(part, str) else None
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            if isinstance(node, LineDict):
                line = node.line
        else:
            break
    return line


# --- CSV ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CsvRecord:
    source: Source
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class CsvTable:
    file: str
    header: tuple[str, ...]
    header_line: int
    records: tuple[CsvRecord, ...]
    sheet: str = ""  # a workbook's sheet: the header's columns start at A


def table_of(
    display: str, header_line: int, header: tuple[str, ...], rows: Iterable[tuple[int, list[str]]],
    sheet: str = "",
) -> CsvTable:
    """The rows under ``header`` (normalized names) as records; cells past the header's end
    are kept as ``__extra__``."""
    records = []
    for line, cells in rows:
        values = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}
        if len(cells) > len(header) and any(cells[len(header) :]):
            values["__extra__"] = ",".join(cells[len(header) :])
        source = Source(display, line, sheet, header) if sheet else Source(display, line)
        records.append(CsvRecord(source, values))
    return CsvTable(display, header, header_line, tuple(records), sheet)


def normalize_header(name: str) -> str:
    return "_".join(name.lower().replace("-", "_").split())


def _unguard(cell: str) -> str:
    """Undo the formula guard exports add: ``'=x`` is read back as ``=x``."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@":
        return cell[1:]
    return cell


#: A last row added after the file: it comes back as a row of its own unless a quoted cell
#: was never closed and swallowed it (the csv module reads such a file without complaint).
_END = "\uf8ffend-of-file\uf8ff"


def iter_csv(text: str, display: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) for each non-blank row, cells stripped of stray spaces."""
    return iter_csv_lines(io.StringIO(text, newline=""), display)


def iter_csv_lines(lines: Iterable[str], display: str) -> Iterator[tuple[int, list[str]]]:
    """The same for the lines of a file opened with ``newline=""``, read as a stream.

    The separator is the one of the header line (:func:`~patentpool.io.dialects.separator_of`);
    with ``--decimal-comma`` the money columns are read with a decimal comma. A quoted cell
    that is never closed, or text the csv module refuses, raises :class:`FileUnreadable`
    naming the line.
    """
    stream = iter(lines)
    head: list[str] = []
    for text in stream:
        head.append(text)
        if text.strip():
            break
    separator = separator_of(head[-1]) if head else ","
    reader = csv.reader(itertools.chain(head, stream, [_END]), delimiter=separator)
    rows = _csv_rows(reader, display)
    first = next(rows, None)
    if first is None:
        return
    yield first
    money = _money_columns(first, separator, display)
    if not money:
        yield from rows
        return
    for line, cells in rows:
        for i in money:
            if i < len(cells):
                cells[i] = decimal_point(cells[i])
        yield line, cells


def _money_columns(header: tuple[int, list[str]], separator: str, display: str) -> list[int]:
    """The money columns read with a decimal comma (none without ``--decimal-comma``)."""
    if not text_options().decimal_comma:
        return []
    line, cells = header
    money = [i for i, cell in enumerate(cells) if normalize_header(cell) in MONEY_COLUMNS]
    if money and separator == ",":
        raise FileUnreadable(
            Problem(
                display,
                line,
                "file",
                "is separated by commas, so its numbers cannot have decimal commas: "
                "import it without --decimal-comma, or save it separated by ';'",
            )
        )
    return money


def _csv_rows(reader: Any, display: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of the reader's non-blank rows (see :func:`iter_csv_lines`)."""
    start = line = 1
    held: tuple[int, list[str]] | None = None
    try:
        for cells in reader:
            line = start
            start = reader.line_num + 1
            if cells == [_END]:
                break
            if held is not None:
                yield held
                held = None
            joined = "".join(cells)
            if not joined or joined.isspace():
                continue
            if "\x00" in joined:
                raise FileUnreadable(
                    Problem(
                        display,
                        line,
                        "file",
                        "is not valid CSV: it holds a NUL character (byte 0x00); "
                        "save it as UTF-8 text and import it again",
                    )
                )
            stripped = list(map(str.strip, cells))
            if "'" in joined:
                stripped = list(map(_unguard, stripped))
            held = line, stripped
        else:
            raise FileUnreadable(
                Problem(
                    display,
                    line,
                    "file",
                    f"is not valid CSV: a quoted cell opened on line {line} is never closed",
                )
            )
    except csv.Error as exc:
        raise FileUnreadable(
            Problem(display, reader.line_num, "file", f"is not valid CSV: {exc}")
        ) from exc
    if held is not None:
        yield held


def header_names(cells: Sequence[str], display: str, line: int) -> tuple[str, ...]:
    """The header's column names, normalized; a column named twice is refused."""
    header = tuple(normalize_header(h) for h in cells)
    for i, name in enumerate(header):
        if name and name in header[:i]:
            raise FileUnreadable(Problem(display, line, name, "column appears twice in the header"))
    return header


def read_csv(text: str, display: str) -> CsvTable:
    rows = iter_csv(text, display)
    first = next(rows, None)
    if first is None:
        raise FileUnreadable(Problem(display, 1, "file", "is empty (a header line is required)"))
    header_line, raw_header = first
    return table_of(display, header_line, header_names(raw_header, display, header_line), rows)


# --- records of a CSV file with a known set of columns -------------------------------------


def check_header(
    header: Sequence[str],
    columns: Sequence[str],
    required: Sequence[str],
    source: Source,
    problems: list[Problem],
    unknown: str,
) -> bool:
    """Report missing required columns and unknown ones (``unknown`` is that message);
    False when a required column is missing, so no row can be read."""
    missing = [c for c in required if c not in header]
    for column in missing:
        problems.append(Problem.at(source, column, "required column is missing"))
    for column in header:
        if column and column not in columns:
            problems.append(Problem.at(source, column, unknown))
    return not missing


def parse_records(
    table: CsvTable,
    model: Any,
    columns: Sequence[str],
    required: Sequence[str],
    unknown: str,
    problems: list[Problem],
) -> list[tuple[Any, Source]]:
    """Each row of ``table`` validated by the pydantic ``model``, with where it came from;
    every problem, of the header and of every row, goes to ``problems``."""
    header_src = Source(table.file, table.header_line, table.sheet, table.header)
    if not check_header(table.header, columns, required, header_src, problems, unknown):
        return []
    if not table.records:
        problems.append(Problem.at(header_src, "file", "has a header but no rows"))
    out = []
    for record in table.records:
        if "__extra__" in record.values:
            problems.append(Problem.at(record.source, "row", "has more cells than the header"))
            continue
        values = {k: v for k, v in record.values.items() if k in columns}
        try:
            out.append((model.model_validate(values), record.source))
        except ValidationError as exc:
            problems.extend(pydantic_problems(exc, record.source))
    return out


def stream_rows(path: Path, display: str) -> Generator[tuple[int, list[str]], None, None]:
    """(line, stripped cells) of each non-blank CSV row, read as a stream.

    The same rules as every other CSV file: its dialect, an unclosed quote or a NUL byte
    refused with its line (see :func:`patentpool.io.readers.iter_csv_lines`).
    """
    try:
        with path.open("rb") as raw:
            head = raw.read(2)
        with path.open(encoding=encoding_of(head), newline="") as fh:
            yield from iter_csv_lines(fh, display)
    except UnicodeDecodeError:
        read_text(path, display)  # raises FileUnreadable with the exact line
        raise
    except OSError as exc:
        raise FileUnreadable(
            Problem(display, 0, "file", f"cannot be read: {exc.strerror}")
        ) from exc
