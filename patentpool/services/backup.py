"""Back up the whole database to a folder, and restore such a folder into an empty database.

A backup holds every row of every table of the schema (docs/formats.md, "Backups"), so that a
restore reproduces the register, the licensing books, every distribution run and the history
of changes exactly; docs/operations.md has the procedure. The portal's sessions and API
tokens are left out (their tables are in the backup, with no rows): a backup is not a way in,
and after a restore everyone signs in again and staff issue new tokens.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import text

from patentpool import __version__
from patentpool.io.backup import (
    MANIFEST,
    BackupRefused,
    Manifest,
    TableFile,
    check_files,
    file_name,
    read_manifest,
    read_table,
    write_manifest,
    write_table,
)
from patentpool.storage import table_rows
from patentpool.storage.engine import (
    make_engine,
    safe_url,
    schema_revision,
    session_for,
)
from patentpool.storage.migrate import head_revision, upgrade


def export_backup(url: str, folder: Path) -> Manifest:
    """Write every table of the database at ``url`` into ``folder`` (new or empty), then the
    manifest; all tables are read in one transaction, so the backup is one consistent state."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupRefused(
            f"{folder} exists and is not an empty folder; give a new folder for the backup"
        )
    if not folder.parent.is_dir():
        raise BackupRefused(f"the folder {folder.parent} does not exist")
    created = not folder.exists()
    try:
        manifest = _write_backup(url, folder)
    except BaseException:
        # leave no half backup: the folder was new or empty, so what is in it is ours
        for path in (folder / MANIFEST, *(folder / file_name(t.name) for t in table_rows.tables())):
            path.unlink(missing_ok=True)
        if created and folder.is_dir():
            folder.rmdir()
        raise
    return manifest


#: The tables whose rows a backup leaves out: the portal's sessions and API tokens.
LEFT_OUT = frozenset({"portal_sessions", "portal_tokens"})


def _write_backup(url: str, folder: Path) -> Manifest:
    with session_for(url) as session:
        if session.get_bind().dialect.name == "postgresql":
            # one snapshot for every table, even while others write
            session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        folder.mkdir(exist_ok=True)
        files = [
            write_table(
                folder,
                table.name,
                table_rows.columns(table),
                iter(()) if table.name in LEFT_OUT else table_rows.read_rows(session, table),
            )
            for table in table_rows.tables()
        ]
    manifest = Manifest(
        schema_revision=head_revision(),
        created_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        patentpool_version=__version__,
        tables=tuple(files),
    )
    write_manifest(folder, manifest)  # last: a folder without it is no backup
    return manifest


def restore_backup(url: str, folder: Path) -> Manifest:
    """Restore the backup in ``folder`` into the database at ``url``, which must have no
    schema (it is created) or an empty one at this patentpool's revision. Every file is
    checked against the manifest first; then all rows go in in one transaction."""
    manifest = read_manifest(folder)
    head = head_revision()
    if manifest.schema_revision != head:
        raise BackupRefused(
            f"{folder / MANIFEST}: the backup is at schema revision {manifest.schema_revision}, "
            f"this patentpool restores revision {head} only; restore it with the patentpool "
            f"that made it ({manifest.patentpool_version}), upgrade that database with "
            "`patentpool db upgrade` and back it up again"
        )
    problems = _table_problems(manifest) + check_files(folder, manifest)
    if problems:
        raise BackupRefused(
            f"the backup in {folder} does not match its {MANIFEST}, nothing was restored: "
            + "; ".join(problems)
        )
    engine = make_engine(url, create=True)
    if schema_revision(engine) is None:
        upgrade(url)
    entries = {t.table: t for t in manifest.tables}
    with session_for(url, lock="import") as session:
        full = table_rows.tables_with_rows(session)
        if full:
            others = f" (and {len(full) - 1} other tables)" if len(full) > 1 else ""
            raise BackupRefused(
                f"the database {safe_url(url)} is not empty: table {full[0]} holds rows{others}; "
                "restore into a new database, or one whose schema holds no rows"
            )
        for table in table_rows.tables():
            columns = table_rows.columns(table)
            rows = read_table(folder, entries[table.name], columns)
            table_rows.insert_rows(session, table, rows)
        table_rows.reset_sequences(session)
    return manifest


def _table_problems(manifest: Manifest) -> list[str]:
    """The manifest's tables against this schema's: each one present, with its columns."""
    problems = []
    wanted = {t.name: t for t in table_rows.tables()}
    given: dict[str, TableFile] = {}
    for entry in manifest.tables:
        if entry.table in given:
            problems.append(f"{MANIFEST}: names table {entry.table} twice")
        given[entry.table] = entry
        table = wanted.get(entry.table)
        if table is None:
            problems.append(f"{MANIFEST}: names table {entry.table}, which the schema lacks")
            continue
        if entry.file != file_name(entry.table):
            problems.append(
                f"{MANIFEST}: table {entry.table} is in {entry.file}, not {file_name(entry.table)}"
            )
        names = tuple(c.name for c in table_rows.columns(table))
        if entry.columns != names:
            problems.append(
                f"{MANIFEST}: table {entry.table} has the columns {', '.join(entry.columns)}, "
                f"the schema {', '.join(names)}"
            )
    for name in wanted:
        if name not in given:
            problems.append(f"{MANIFEST}: table {name} is missing")
    return problems
