"""Problems found in input files: values that carry their source, collected, never raised one
by one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import ValidationError

from patentpool.errors import PatentpoolError


@dataclass(frozen=True, slots=True, order=True)
class Source:
    """Where a record is: a file's line, or a row of a workbook's ``sheet`` (whose header
    holds ``columns``, from column A on, so that a field's cell can be named)."""

    file: str
    line: int
    sheet: str = ""
    columns: tuple[str, ...] = ()

    def __str__(self) -> str:
        if not self.sheet:  # a file's line (an import's change log writes one per record)
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.place()}"

    def place(self, field: str | None = None) -> str:
        """The line; in a workbook the cell of ``field`` (``Sales!D12``), or the row
        (``Sales!12:12``) when the field has no column."""
        if not self.sheet:
            return str(self.line)
        name = (field or "").split(".")[0]
        if name in self.columns:
            letters = column_letter(self.columns.index(name))
            return f"{_sheet_name(self.sheet)}!{letters}{self.line}"
        return f"{_sheet_name(self.sheet)}!{self.line}:{self.line}"


def column_letter(index: int) -> str:
    """A column's letters, as spreadsheets name it: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _sheet_name(sheet: str) -> str:
    """A sheet's name as a cell reference writes it (quoted when it holds a space...)."""
    if sheet.replace("_", "").isalnum():
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    field: str
    message: str
    place: str = ""  # in a workbook: the sheet and cell (or row), shown instead of the line

    def __str__(self) -> str:
        return f"{self.file}:{self.place or self.line}: {_shown(self.field)}: {self.message}"

    @classmethod
    def at(cls, source: Source, field: str, message: str) -> Problem:
        place = source.place(field) if source.sheet else ""
        return cls(source.file, source.line, field, message, place)


def _shown(field: str) -> str:
    """A field as written, or quoted when it is blank or holds a space at an end, a line break
    or another invisible character (a YAML key or CSV column written so)."""
    if field and field == field.strip() and field.isprintable():
        return field
    return repr(field)


class ImportFailed(PatentpoolError):
    """One or more problems were found; nothing was written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line, p.field, p.message))
        files = len({p.file for p in self.problems})
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in {files} "
            f"file{'s' if files != 1 else ''}; nothing was imported"
        )


def clean_message(message: str) -> str:
    """Pydantic prefixes custom messages with 'Value error, '; users need not see that."""
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


def pydantic_problems(
    exc: ValidationError, source: Source, field_prefix: str = "", line_of: object = None
) -> list[Problem]:
    """Turn a pydantic ValidationError on one record into problems at ``source``.

    ``line_of``, when given, is a callable ``(loc) -> int | None`` that finds the line of a
    nested location (for YAML, where each nested mapping knows its line).
    """
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc if p != "__root__") or "record"
        if field_prefix:
            field = f"{field_prefix}.{field}" if field != "record" else field_prefix
        line = source.line
        if callable(line_of):
            found = line_of(loc)
            if isinstance(found, int):
                line = found
        message = clean_message(err["msg"])
        if err["type"] == "missing":
            message = "is required"
        elif err["type"] == "extra_forbidden":
            message = "unknown key (check its spelling; see docs/formats.md)"
        where = Source(source.file, line, source.sheet, source.columns)
        out.append(Problem.at(where, field, message))
    return out
