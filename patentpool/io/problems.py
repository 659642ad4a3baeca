"""Problems found in input files: values that carry their source, collected, never raised one
by one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import ValidationError

from patentpool.errors import PatentpoolError


@dataclass(frozen=True, slots=True, order=True)
class Source:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {_shown(self.field)}: {self.message}"

    @classmethod
    def at(cls, source: Source, field: str, message: str) -> Problem:
        return cls(source.file, source.line, field, message)


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
        out.append(Problem(source.file, line, field, message))
    return out
