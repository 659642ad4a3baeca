"""``--format xlsx``: a listing's tables written as an Excel workbook to ``-o FILE``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from patentpool.cli.common import FORMATS, App

if TYPE_CHECKING:  # the writer (openpyxl) is imported by the command that writes
    from patentpool.reports.workbook import Table

F = TypeVar("F", bound=Callable[..., Any])

TABLE_FORMATS = (*FORMATS, "xlsx")


def table_format_options(func: F) -> F:
    """``--format table|json|csv|xlsx`` and ``-o FILE`` (where the workbook goes)."""
    func = click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        metavar="FILE",
        help="Write the --format xlsx workbook to FILE.",
    )(func)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(TABLE_FORMATS),
        default="table",
        show_default=True,
        help="Output format (xlsx: an Excel workbook, with -o FILE).",
    )(func)


def is_terminal() -> bool:
    """Is standard output a terminal (where a workbook's bytes would be garbage)?"""
    return sys.stdout.isatty()


def check_xlsx(fmt: str, output: Path | None) -> None:
    """Refuse, before any work, a workbook for the terminal or ``-o`` without a workbook."""
    if output is not None and fmt != "xlsx":
        raise click.ClickException(
            f"-o FILE is for --format xlsx; --format {fmt} prints to standard output"
        )
    if fmt != "xlsx":
        return
    if output is None:
        if is_terminal():
            raise click.ClickException(
                "--format xlsx writes a binary workbook: give -o FILE (e.g. -o list.xlsx)"
            )
        return
    if not output.parent.is_dir():
        raise click.ClickException(f"-o: the folder {output.parent} does not exist")


def write_xlsx(
    app: App,
    output: Path | None,
    title: str,
    tables: Sequence[Table],
    *,
    source: str | None = None,
    currency: str | None = None,
    illustrative: bool | None = None,
) -> None:
    """Write ``tables`` as a workbook to ``output`` (standard output when not a terminal).
    ``source``: what the figures come from (default: the register's database)."""
    import datetime as dt

    from patentpool.reports.formats import ILLUSTRATIVE
    from patentpool.reports.workbook import Heading, workbook
    from patentpool.services import commands

    if illustrative is None:
        illustrative = commands.illustrative(app.url)
    heading = Heading(
        title=title,
        made=dt.date.today(),
        source=source or f"the register at {commands.shown_url(app.url)}",
        illustrative=ILLUSTRATIVE if illustrative else None,
        currency=currency,
    )
    data = workbook(tables, heading)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    output.write_bytes(data)
    click.echo(f"Wrote {output}", err=True)
