"""``patentpool import``: files and folders into the register, all or nothing."""

from __future__ import annotations

from pathlib import Path

import click

from patentpool.cli.common import App, dialect_options, pass_app


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--rename-alliance",
    is_flag=True,
    help="Let an alliance file give this register another alliance id (refused otherwise).",
)
@dialect_options
@pass_app
def import_(
    app: App, paths: tuple[str, ...], rename_alliance: bool, encoding: str, decimal_comma: bool
) -> None:
    """Import register files (YAML/JSON and CSV) and folders of them, in one transaction.

    On any problem nothing is written: every problem found is printed as
    FILE:LINE: FIELD: message, and the exit status is 1. Importing the same files
    again changes nothing; a changed file updates what changed.

    A register belongs to one alliance: files naming another alliance id are refused,
    unless --rename-alliance. One import holds one sales report per licensee, programme
    and quarter; a later import of a report with other lines is a correction: a new
    revision (the old ones kept), the lines, units and royalty due it changed printed,
    and the distribution runs made from the figures before marked superseded.

    CSV files may be separated by commas, ';' or tabs (told by the header line); they
    are UTF-8 unless --encoding says otherwise, or UTF-16 with a byte order mark.

    \b
    Example:
      patentpool import samples/igrs-v1/
      patentpool import alliance.yaml patents.csv
    """
    from patentpool.services.imports import ImportFailed, import_files

    try:
        summary = import_files(
            app.url,
            paths,
            app.progress,
            rename_alliance=rename_alliance,
            encoding=encoding.lower(),
            decimal_comma=decimal_comma,
        )
    except ImportFailed as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(str(exc)) from exc
    for line in summary.lines():
        click.echo(line)


@click.command("import-etsi")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--standard", required=True, help="The register's standard id, e.g. LTE.")
@click.option("--version", "version", required=True, help="Its version the rows declare.")
@click.option(
    "--spec",
    "specs",
    multiple=True,
    required=True,
    help="Keep rows of this specification: exact (36.331) or a glob (36.*); repeatable.",
)
@pass_app
def import_etsi(
    app: App, file: Path, standard: str, version: str, specs: tuple[str, ...]
) -> None:
    """Import the members' patents declared in an ETSI IPR database (ISLD) export.

    Keeps the rows whose TGPP_NUMBER (or WOIT_ETSI_DELIVERABLE_NUMBER) matches a --spec
    and whose COMP_LEGAL_NAME is a member by id, name or alias: one patent per publication
    (the granted one, kind B or C, when the cell lists several; an application alone is a
    pending patent), declared against --standard --version with its section, declaration
    date and FRAND flags. Says how many rows were read, kept and skipped by reason, with
    the most frequent company names that are no member. All or nothing; importing the same
    file again changes nothing. Semicolon- and comma-separated files are both read.

    \b
    Example:
      patentpool import samples/etsi/lte.yaml
      patentpool import-etsi samples/etsi/isld-export.csv --standard LTE --version 15 --spec 36.*
    """
    from patentpool.services.etsi import ImportFailed, import_etsi

    try:
        summary = import_etsi(app.url, file, standard, version, specs, app.progress)
    except ImportFailed as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(str(exc)) from exc
    for line in summary.lines():
        click.echo(line)


COMMANDS = [import_, import_etsi]
