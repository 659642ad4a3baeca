"""A sales report uploaded through the portal, checked before the import reads it: its size
and lines within the limits, and every line of the licensee it is uploaded for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from patentpool.errors import PatentpoolError
from patentpool.io.problems import Problem
from patentpool.io.readers import FileUnreadable, normalize_header, stream_rows
from patentpool.io.workbooks import WORKBOOK_SUFFIXES

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """The largest upload the portal takes (HTTP 413 beyond)."""

    max_bytes: int = 20 * 1024 * 1024
    max_lines: int = 200_000


class UploadTooLarge(PatentpoolError):
    """An upload over the size or line limit."""


def safe_name(uploaded: str | None) -> str:
    """The uploaded file's own name, reduced to safe characters (never a path)."""
    base = (uploaded or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _SAFE_NAME.sub("-", base).strip(".-") or "upload.csv"
    return cleaned[:100]


def check_size(data: bytes, limits: UploadLimits, count_lines: bool = True) -> None:
    """The upload's bytes, and its lines unless ``count_lines`` is false (a workbook, whose
    compressed bytes have no lines)."""
    if len(data) > limits.max_bytes:
        raise UploadTooLarge(
            f"the upload has {len(data):,} bytes; the most the portal takes is {limits.max_bytes:,}"
        )
    if not count_lines:
        return
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines > limits.max_lines:
        raise UploadTooLarge(
            f"the upload has {lines:,} lines; the most the portal takes is {limits.max_lines:,}"
        )


def foreign_lines(
    path: Path, display: str, licensee: str, max_lines: int | None = None
) -> list[Problem]:
    """A problem for each line of a sales report that names a licensee other than
    ``licensee`` (and for a file that is not a sales report of one at all). A workbook's
    sales lines are counted as they are read: more than ``max_lines`` of them raise
    :class:`UploadTooLarge` (a CSV file's lines are counted by :func:`check_size`)."""
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return _foreign_cells(path, display, licensee, max_lines)
    try:
        rows = stream_rows(path, display)
        first = next(rows, None)
        if first is None:
            return [Problem(display, 1, "file", "is empty (a header line is required)")]
        header = [normalize_header(h) for h in first[1]]
        if "licensee" not in header:
            return [
                Problem(display, first[0], "licensee", "the sales report has no licensee column")
            ]
        at = header.index("licensee")
        problems = []
        for line, cells in rows:
            named = cells[at] if at < len(cells) else ""
            if named != licensee:
                problems.append(
                    Problem(
                        display,
                        line,
                        "licensee",
                        f"{named!r} is not {licensee}: a report uploaded for {licensee} holds "
                        "its own lines only",
                    )
                )
        return problems
    except FileUnreadable as exc:
        return [exc.problem]


def _not_theirs(named: str, licensee: str) -> str:
    return f"{named!r} is not {licensee}: a report uploaded for {licensee} holds its own lines only"


def _too_many(max_lines: int) -> UploadTooLarge:
    return UploadTooLarge(
        f"the upload's sales sheets hold more than {max_lines:,} lines; "
        f"the most the portal takes is {max_lines:,}"
    )


def _foreign_cells(
    path: Path, display: str, licensee: str, max_lines: int | None
) -> list[Problem]:
    """:func:`foreign_lines` of a workbook: each sales sheet's licensee cells, by their cell
    (``Sales!A3``); a workbook without a sales sheet is not a sales report. A sheet whose
    dimension already tells more rows than ``max_lines`` is refused before it is read."""
    from patentpool.io import workbooks
    from patentpool.io.licensing_schema import SALES_REQUIRED

    problems: list[Problem] = []
    found = False
    lines = 0
    try:
        for name in workbooks.sheet_names(path, display):
            sheet = workbooks.Sheet(path, display, name)
            header = sheet.header({"sales": SALES_REQUIRED})
            if header is None:
                continue
            found = True
            if max_lines is not None and sheet.height - header[1] > max_lines - lines:
                raise _too_many(max_lines)
            names = tuple(normalize_header(c) for c in header[2])
            at = names.index("licensee")
            for row, cells in sheet.rows():
                lines += 1
                if max_lines is not None and lines > max_lines:
                    raise _too_many(max_lines)
                named = cells[at] if at < len(cells) else ""
                if named != licensee:
                    source = sheet.source(row, names)
                    problems.append(Problem.at(source, "licensee", _not_theirs(named, licensee)))
    except FileUnreadable as exc:
        return [exc.problem]
    if not found:
        return [Problem(display, 1, "file", "the workbook has no sheet of sales lines")]
    return problems
