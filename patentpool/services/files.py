"""The files the commands read and write outside an import, through io.

A scenario file for ``compare``, a member's own list for ``audit``, a list of numbers for
``normalize``, the register in its import formats for ``export --register-only``. Each is
read or written by its io module; what cannot be read is an error naming the file (and its
line), as io words it. The io modules are loaded only when a command needs them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from patentpool.errors import InvalidInput
from patentpool.io.exporter import neutralise
from patentpool.io.problems import ImportFailed

if TYPE_CHECKING:
    from patentpool.core.audit import ClaimedPatent
    from patentpool.core.model import Register
    from patentpool.io.scenario import ScenarioFile as ScenarioFile

__all__ = [
    "ImportFailed",
    "export_register",
    "member_list",
    "neutralise",
    "number_lines",
    "read_input",
    "read_scenario",
]


def read_scenario(path: Path, today: dt.date) -> ScenarioFile:
    """A regime scenario file (docs/regimes.md), checked."""
    from patentpool.io.scenario import load_scenario

    return load_scenario(path, today=today)


def member_list(
    path: Path,
    register: Register,
    default_jurisdiction: str | None = None,
    encoding: str = "utf-8",
    decimal_comma: bool = False,
) -> list[ClaimedPatent]:
    """The patents a member's own list claims; :class:`ImportFailed` with every problem.
    ``encoding`` and ``decimal_comma``: how a CSV list is read (:mod:`patentpool.io.dialects`)."""
    from patentpool.io.dialects import TextOptions, reading
    from patentpool.io.member_list import read_member_list

    with reading(TextOptions(encoding, decimal_comma)):
        return read_member_list(path, register, default_jurisdiction)


def export_register(url: str, folder: Path) -> list[Path]:
    """Write the register at ``url`` into ``folder`` in its import formats; the files."""
    from patentpool.io.exporter import export_register as write
    from patentpool.services.commands import register

    found = register(url)
    folder.mkdir(parents=True, exist_ok=True)
    return write(found, folder)


def read_input(path: str, encoding: str = "utf-8") -> str:
    """The text of the file ``path`` (InvalidInput naming it when it cannot be read); of a
    workbook, its first sheet's first cells, one per line (its row)."""
    from patentpool.io.dialects import TextOptions, reading
    from patentpool.io.readers import FileUnreadable, read_text
    from patentpool.io.workbooks import WORKBOOK_SUFFIXES, first_sheet

    try:
        if Path(path).suffix.lower() in WORKBOOK_SUFFIXES:
            return first_sheet(Path(path), path)[1]
        with reading(TextOptions(encoding)):
            return read_text(Path(path), path)
    except FileUnreadable as exc:
        raise InvalidInput(str(exc.problem)) from exc


def number_lines(text: str, path: str, column: str | None) -> tuple[list[int], list[str]]:
    """(line numbers, raw values) from a plain list or one CSV column of the text of
    ``path`` (separated by commas, ``;`` or tabs); InvalidInput when the CSV cannot be read
    or has no such column."""
    from patentpool.io.readers import FileUnreadable, iter_csv, normalize_header
    from patentpool.io.workbooks import WORKBOOK_SUFFIXES, first_sheet

    if column is None:
        raw = text.splitlines()
        return list(range(1, len(raw) + 1)), raw
    try:
        if Path(path).suffix.lower() in WORKBOOK_SUFFIXES:
            rows = first_sheet(Path(path), path)[0]
        else:
            rows = list(iter_csv(text, path))
    except FileUnreadable as exc:
        raise InvalidInput(str(exc.problem)) from exc
    if not rows:
        raise InvalidInput(f"{path} is empty")
    header = [normalize_header(h) for h in rows[0][1]]
    wanted = normalize_header(column)
    if wanted not in header:
        raise InvalidInput(
            f"{path} has no column {column!r} (columns: {', '.join(h for h in header if h)})"
        )
    index = header.index(wanted)
    lines = [line for line, _ in rows[1:]]
    values = [cells[index] if index < len(cells) else "" for _, cells in rows[1:]]
    return lines, values
