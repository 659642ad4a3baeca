"""What every command shares: the application object, output formats and error mapping."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import click

from patentpool.core.model import Register

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "json", "csv")
DEFAULT_URL = "sqlite:///patentpool.db"


@dataclass
class App:
    """Handed to every command as ``click``'s context object."""

    url: str = field(default_factory=lambda: os.environ.get("PATENTPOOL_DATABASE_URL") or DEFAULT_URL)

    def load_register(self) -> Register:
        """The whole register as plain core values (raises a ClickException if unusable)."""
        from patentpool.storage.repository import load_register
        from patentpool.storage.engine import session_for

        with session_for(self.url) as session:
            return load_register(session)


pass_app = click.make_pass_decorator(App, ensure=True)


def format_option(func: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output format.",
    )(func)


def neutralise(value: str) -> str:
    """Spreadsheet formula injection guard for CSV cells."""
    if value and value[0] in "=+-@\t\r" and not _is_number(value):
        return "'" + value
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def render_rows(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, json_payload: Any = None
) -> str:
    """Render rows as a plain-text table, JSON (``json_payload`` when given) or CSV."""
    if fmt == "json":
        payload = json_payload if json_payload is not None else list(rows)
        return json.dumps(payload, indent=2, default=str, ensure_ascii=False)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralise(_cell(row.get(c))) for c in columns])
        return buf.getvalue().rstrip("\n")
    return table(rows, columns)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, frozenset)):
        return " ".join(str(v) for v in value)
    return str(value)


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """A readable fixed-width table; numbers right-aligned."""
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    numeric = [
        bool(cells) and all(_is_number(r[i]) or r[i] == "" for r in cells)
        for i in range(len(columns))
    ]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [line(list(columns)), line(["-" * w for w in widths])]
    out.extend(line(r) for r in cells)
    return "\n".join(out)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the library's user-facing errors into ``Error: ...`` and exit status 1."""
    from patentpool.errors import PatentpoolError

    try:
        yield
    except PatentpoolError as exc:
        raise click.ClickException(str(exc)) from exc
