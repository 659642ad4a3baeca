"""``patentpool template``: the workbooks licensees and members fill in."""

from __future__ import annotations

from pathlib import Path

import click

from patentpool.cli.common import App, pass_app, period_callback
from patentpool.core.periods import Period


@click.group("template")
def template() -> None:
    """Forms to fill in, as Excel workbooks: a royalty report, a patents list.

    \b
    Example:
      patentpool template sales-report --program igrs-v1 --period 2026Q2 -o form.xlsx
    """


@template.command("sales-report")
@click.option("--program", required=True, help="Programme id, e.g. igrs-v1.")
@click.option("--licensee", help="The licensee the form is for (its id or name).")
@click.option("--period", callback=period_callback, help="The quarter it reports, e.g. 2026Q2.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="The workbook to write (.xlsx).",
)
@pass_app
def sales_report(
    app: App, program: str, licensee: str | None, period: Period | None, output: Path
) -> None:
    """The royalty report form a licensee fills in with a quarter's sales.

    A Sales sheet with the sales report's columns and drop-down lists for the
    programme's categories and country codes (the period and licensee filled in when
    given), an Instructions sheet stating the rates in words, and a Countries sheet.

    \b
    Example:
      patentpool template sales-report --program igrs-v1 --period 2026Q2 -o form.xlsx
      patentpool template sales-report --program igrs-v1 --licensee example-home -o home.xlsx
    """
    from patentpool.services.templates import sales_report_form

    _write(output, sales_report_form(app.url, program, licensee, period))


@template.command("patents")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="The workbook to write (.xlsx).",
)
@pass_app
def patents(app: App, output: Path) -> None:
    """The patents form a member fills in to declare its patents.

    The patents file's columns, drop-down lists of the register's members, standards,
    versions, statuses and essentialities, and instructions.

    \b
    Example:
      patentpool template patents -o patents-form.xlsx
    """
    from patentpool.services.templates import patents_register_form

    _write(output, patents_register_form(app.url))


def _write(output: Path, data: bytes) -> None:
    if not output.parent.is_dir():
        raise click.ClickException(f"-o: the folder {output.parent} does not exist")
    output.write_bytes(data)
    click.echo(f"Wrote {output}", err=True)


COMMANDS = [template]
