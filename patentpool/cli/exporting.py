"""``patentpool export``: the register in its import formats."""

from __future__ import annotations

from pathlib import Path

import click

from patentpool.cli.common import App, pass_app


@click.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@pass_app
def export(app: App, folder: Path) -> None:
    """Write the register to FOLDER as alliance.yaml and patents.csv.

    Importing them into an empty database reproduces the same register. Cells that
    a spreadsheet would read as formulas are guarded with a leading apostrophe.

    \b
    Example:
      patentpool export backup/
      patentpool --db sqlite:///copy.db db upgrade
      patentpool --db sqlite:///copy.db import backup/
    """
    from patentpool.io.exporter import export_register

    register = app.load_register()
    folder.mkdir(parents=True, exist_ok=True)
    for path in export_register(register, folder):
        click.echo(f"wrote {path}")


COMMANDS = [export]
