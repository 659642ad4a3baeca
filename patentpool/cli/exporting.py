"""``patentpool export`` and ``patentpool restore``: the whole database to a backup folder and
back; ``export --register-only``: the register in its import formats."""

from __future__ import annotations

from pathlib import Path

import click

from patentpool.cli.common import App, pass_app


@click.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--register-only",
    is_flag=True,
    help="Write only alliance.yaml and patents.csv, the register in its import formats.",
)
@pass_app
def export(app: App, folder: Path, register_only: bool) -> None:
    """Back up the whole database to FOLDER (new or empty): every table, and a manifest.

    The backup holds the register, licensees, programmes, every revision of the sales
    reports, payments, distribution runs and the history of changes: one JSON Lines file
    per table, and manifest.json with each file's row count and SHA-256 and the schema
    revision. `patentpool restore FOLDER` puts it back into an empty database.

    With --register-only, FOLDER gets alliance.yaml and patents.csv instead (and
    events.csv when the register has dated events), which `patentpool import`
    reads; cells that a spreadsheet would read as formulas are guarded with a
    leading apostrophe.

    \b
    Example:
      patentpool export backup-2026-04-01/
      patentpool export --register-only register/
    """
    if register_only:
        from patentpool.services.files import export_register

        for path in export_register(app.url, folder):
            click.echo(f"wrote {path}")
        return
    from patentpool.services.backup import export_backup

    manifest = export_backup(app.url, folder)
    for entry in manifest.tables:
        click.echo(f"wrote {folder / entry.file} ({_rows(entry.rows)})")
    click.echo(
        f"wrote {folder / 'manifest.json'}: {len(manifest.tables)} tables, "
        f"{_rows(manifest.total_rows)}, schema revision {manifest.schema_revision}"
    )


@click.command("restore")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@pass_app
def restore(app: App, folder: Path) -> None:
    """Restore a backup made by `patentpool export` into an empty database.

    The database must have no schema (it is created) or an empty one. Every file is
    checked against manifest.json (its SHA-256 and row count) before anything is
    written; then all rows go in in one transaction, all or nothing.

    \b
    Example:
      patentpool --db sqlite:///restored.db restore backup-2026-04-01/
    """
    from patentpool.services.backup import restore_backup
    from patentpool.services.commands import shown_url

    manifest = restore_backup(app.url, folder)
    click.echo(
        f"restored {len(manifest.tables)} tables, {_rows(manifest.total_rows)}, "
        f"from {folder} into {shown_url(app.url)} (schema revision {manifest.schema_revision}, "
        f"backed up {manifest.created_at})"
    )


def _rows(count: int) -> str:
    return f"{count:,} row{'' if count == 1 else 's'}"


COMMANDS = [export, restore]
