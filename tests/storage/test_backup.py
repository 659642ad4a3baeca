"""A backup (`patentpool export`) restored into an empty database (`patentpool restore`) is the
same database: every table row by row, every JSON output byte for byte, on SQLite and
PostgreSQL; and a backup that was changed, or a database that is not empty, is refused."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from clirun import run
from paths import SAMPLES
from pgserver import PostgresServer
from sqlalchemy import insert, select

from patentpool.io.backup import KINDS, MANIFEST, read_manifest
from patentpool.services.backup import export_backup
from patentpool.storage import table_rows
from patentpool.storage.engine import dispose_all, session_for
from patentpool.storage.migrate import head_revision, upgrade
from patentpool.storage.models import Base, SalesReportRow, StandardRow

IGRS = SAMPLES / "igrs-v1"
CURRENCIES = SAMPLES / "igrs-v1-currencies"

#: Read-only commands whose JSON output must not change through a backup and a restore.
OUTPUTS = [
    ["members", "list", "--format", "json"],
    ["standards", "list", "--format", "json"],
    ["patents", "list", "--format", "json"],
    [
        "counts",
        "--standard",
        "IGRS",
        "--version",
        "1.0",
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
    ],
    ["licensees", "list", "--format", "json"],
    ["programs", "list", "--format", "json"],
    ["royalties", "--program", "igrs-v1", "--period", "2026Q1", "--format", "json"],
    ["royalties", "--program", "igrs-v1", "--period", "2026Q2", "--format", "json"],
    ["statement", "--licensee", "example-vision", "--format", "json"],
    ["runs", "list", "--format", "json"],
    ["runs", "show", "1"],
    ["runs", "show", "2"],
    ["history", "CN101512946B", "--format", "json"],
    ["report", "member", "--member", "lenovo", "--as-of", "2026-06-30", "--format", "json"],
    ["report", "distribution", "--program", "igrs-v1", "--period", "2026Q1", "--format", "json"],
    ["report", "pool", "--as-of", "2026-06-30", "--format", "json"],
]


def ok(url: str, *args: str | Path) -> str:
    code, out, err = run(url, *args)
    assert code == 0, err
    return out


def build_igrs(url: str, tmp_path: Path) -> None:
    """The IGRS sample after two quarters: a corrected report (a second revision), the
    quarters' royalties and two distribution runs with different policies."""
    ok(url, "import", IGRS / "alliance.yaml", IGRS / "patents.csv", IGRS / "licensing.yaml")
    first_half = payments(tmp_path, "2026Q1", "2026Q2")
    ok(url, "import", IGRS / "sales-2026Q1.csv", IGRS / "sales-2026Q2.csv", first_half)
    # two licensees reporting in euros and yuan: their rates are kept per report (report_fx)
    ok(url, "import", IGRS / "rates", CURRENCIES / "licensing.yaml", CURRENCIES / "sales-2026Q1.csv")
    lines = (IGRS / "sales-2026Q1.csv").read_text(encoding="utf-8").splitlines()
    corrected = tmp_path / "sales-2026Q1-corrected.csv"
    corrected.write_text(
        "\n".join([lines[0], *(ln for ln in lines if ln.startswith("example-vision,"))]).replace(
            ",1074700,", ",1074800,"
        )
        + "\n",
        encoding="utf-8",
    )
    assert "corrected       1" in ok(url, "import", corrected)
    ok(url, "royalties", "--program", "igrs-v1", "--period", "2026Q1")
    ok(url, "distribute", "--program", "igrs-v1", "--period", "2026Q1")
    ok(url, "distribute", "--program", "igrs-v1", "--period", "2026Q2", "--policy", "per-family")


def payments(folder: Path, *periods: str) -> Path:
    """The sample's payments for some quarters only."""
    header, *rows = (IGRS / "payments.csv").read_text(encoding="utf-8").splitlines()
    path = folder / f"payments-{'-'.join(periods)}.csv"
    kept = [r for r in rows if r.split(",")[1] in periods]
    assert kept
    path.write_text("\n".join([header, *kept]) + "\n", encoding="utf-8")
    return path


def all_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    with session_for(url) as session:
        return {
            t.name: [tuple(r) for r in session.execute(select(t).order_by(*t.primary_key))]
            for t in table_rows.tables()
        }


def outputs(url: str) -> list[str]:
    return [ok(url, *args) for args in OUTPUTS]


@pytest.fixture
def second_url(empty_db_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Another database with no schema, on the same backend as ``empty_db_url``."""
    if empty_db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("pg_server")
        yield server.create_database("restored")
    dispose_all()


def test_a_restored_backup_is_the_same_database(
    db_url: str, second_url: str, tmp_path: Path
) -> None:
    build_igrs(db_url, tmp_path)
    backup = tmp_path / "backup"
    out = ok(db_url, "export", backup)
    manifest = read_manifest(backup)
    assert out.splitlines()[-1] == (
        f"wrote {backup / MANIFEST}: {len(Base.metadata.tables)} tables, "
        f"{manifest.total_rows:,} rows, schema revision {head_revision()}"
    )
    before_rows, before_outputs = all_rows(db_url), outputs(db_url)
    assert len(before_rows["distribution_runs"]) == 2
    assert [r[1] for r in before_rows["report_fx"]] == ["EUR", "CNY"]
    currencies = [r[-1] for r in before_rows["sales_lines"]]
    assert (currencies.count("EUR"), currencies.count("CNY"), currencies.count(None)) == (
        3, 3, len(currencies) - 6
    )  # fmt: skip
    with session_for(db_url) as session:
        revisions = session.scalars(
            select(SalesReportRow.revision)
            .where(SalesReportRow.licensee_id == "example-vision")
            .order_by(SalesReportRow.period, SalesReportRow.revision)
        ).all()
    assert revisions == [1, 2, 1]  # its Q1 report and the correction, its Q2 report

    assert run(second_url, "restore", backup) == (
        0,
        f"restored {len(manifest.tables)} tables, {manifest.total_rows:,} rows, from {backup} "
        f"into {second_url} (schema revision {head_revision()}, backed up "
        f"{manifest.created_at})\n",
        "",
    )
    assert all_rows(second_url) == before_rows
    restored_outputs = outputs(second_url)
    for args, before, after in zip(OUTPUTS, before_outputs, restored_outputs, strict=True):
        assert after == before, args

    # the restored database carries on, and its new rows get the ids the original's get
    for url in (db_url, second_url):
        ok(url, "import", IGRS / "sales-2026Q3.csv", payments(tmp_path, "2026Q3"))
        ok(url, "distribute", "--program", "igrs-v1", "--period", "2026Q3")
    original, restored = all_rows(db_url), all_rows(second_url)
    for name in ("imports", "changes", "sales_reports", "sales_lines", "payments"):
        assert len(restored[name]) > len(before_rows[name]), name
        assert [r[0] for r in restored[name]] == [r[0] for r in original[name]], name
    third = [json.loads(ok(url, "runs", "show", "3")) for url in (db_url, second_url)]
    for doc in third:
        del doc["created_at"]
    assert third[0] == third[1]
    assert third[0]["period"] == "2026Q3"


def test_the_manifest_names_every_table_of_the_schema(sqlite_url: str, tmp_path: Path) -> None:
    """A table added to the models is backed up with no other change."""
    manifest = read_manifest(_exported(sqlite_url, tmp_path / "backup"))
    assert [t.table for t in manifest.tables] == [t.name for t in Base.metadata.sorted_tables]
    assert set(Base.metadata.tables) == {t.table for t in manifest.tables}
    for entry in manifest.tables:
        table = Base.metadata.tables[entry.table]
        assert entry.columns == tuple(c.name for c in table.columns)
        assert entry.file == f"{entry.table}.jsonl"
        assert (tmp_path / "backup" / entry.file).is_file()
    assert sorted(p.name for p in (tmp_path / "backup").iterdir()) == sorted(
        [MANIFEST, *(t.file for t in manifest.tables)]
    )
    # every column's values have an encoding
    for table in table_rows.tables():
        for column in table_rows.columns(table):
            assert column.kind in KINDS, (table.name, column.name)


def _exported(url: str, folder: Path) -> Path:
    ok(url, "export", folder)
    return folder


@pytest.mark.postgres
def test_a_sqlite_backup_restores_on_postgresql_and_backs_up_the_same(
    sqlite_url: str, pg_server: PostgresServer, tmp_path: Path
) -> None:
    build_igrs(sqlite_url, tmp_path)
    first = _exported(sqlite_url, tmp_path / "from-sqlite")
    postgres = pg_server.create_database("across")
    try:
        ok(postgres, "restore", first)
        second = _exported(postgres, tmp_path / "from-postgresql")
        for entry in read_manifest(first).tables:
            assert (second / entry.file).read_bytes() == (first / entry.file).read_bytes()
        # `runs list` and `history` print times as each database returns them (SQLite's
        # without their offset); the files above show that the times themselves are the same
        same = [a for a in OUTPUTS if a[0] != "history" and a[:2] != ["runs", "list"]]
        assert [ok(postgres, *a) for a in same] == [ok(sqlite_url, *a) for a in same]
        back = f"sqlite:///{tmp_path / 'back.db'}"
        ok(back, "restore", second)
        assert all_rows(back) == all_rows(sqlite_url)
    finally:
        dispose_all()


# --- refusals -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup of the IGRS sample after two quarters, made once for the refusal tests."""
    folder = tmp_path_factory.mktemp("igrs")
    url = f"sqlite:///{folder / 'pool.db'}"
    upgrade(url)
    build_igrs(url, folder)
    made = _exported(url, folder / "backup")
    dispose_all()
    return made


@pytest.fixture
def copy(backup: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(backup, tmp_path / "copy"))


def _manifest_doc(folder: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    return doc


def _write_manifest_doc(folder: Path, doc: dict[str, Any]) -> None:
    (folder / MANIFEST).write_text(json.dumps(doc, indent=2), encoding="utf-8")


def _refused(url: str, folder: Path) -> str:
    code, out, err = run(url, "restore", folder)
    assert (code, out) == (1, "")
    return err


def test_a_changed_file_is_refused_by_name(copy: Path, empty_db_url: str) -> None:
    path = copy / "payments.jsonl"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"664582.50"', '"664583.50"', 1), encoding="utf-8")
    assert text != path.read_text(encoding="utf-8")
    expected = next(t.sha256 for t in read_manifest(copy).tables if t.file == "payments.jsonl")
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    assert _refused(empty_db_url, copy) == (
        f"Error: the backup in {copy} does not match its manifest.json, nothing was restored: "
        f"payments.jsonl: its SHA-256 is {actual}, the manifest says {expected}: "
        "the file was changed or damaged\n"
    )
    assert run(empty_db_url, "db", "current")[1].endswith(
        f": no schema (this patentpool needs {head_revision()})\n"
    )


def test_missing_extra_and_miscounted_files_are_refused_together(
    copy: Path, sqlite_url: str
) -> None:
    (copy / "changes.jsonl").unlink()
    (copy / "notes.txt").write_text("x\n", encoding="utf-8")
    doc = _manifest_doc(copy)
    payments_entry = next(t for t in doc["tables"] if t["table"] == "payments")
    payments_entry["rows"] += 1
    _write_manifest_doc(copy, doc)
    assert _refused(sqlite_url, copy) == (
        f"Error: the backup in {copy} does not match its manifest.json, nothing was restored: "
        "notes.txt: is not named in manifest.json; changes.jsonl: is missing; "
        f"payments.jsonl: holds {payments_entry['rows'] - 1} rows, the manifest says "
        f"{payments_entry['rows']}\n"
    )
    assert all(rows == [] for rows in all_rows(sqlite_url).values())


def test_a_manifest_without_a_table_of_the_schema_is_refused(copy: Path, sqlite_url: str) -> None:
    doc = _manifest_doc(copy)
    doc["tables"] = [t for t in doc["tables"] if t["table"] != "quarter_totals"]
    _write_manifest_doc(copy, doc)
    (copy / "quarter_totals.jsonl").unlink()
    assert _refused(sqlite_url, copy) == (
        f"Error: the backup in {copy} does not match its manifest.json, nothing was restored: "
        "manifest.json: table quarter_totals is missing\n"
    )


def test_another_format_version_or_schema_revision_is_refused(copy: Path, sqlite_url: str) -> None:
    doc = _manifest_doc(copy)
    _write_manifest_doc(copy, {**doc, "format_version": 2})
    assert _refused(sqlite_url, copy) == (
        f"Error: {copy / MANIFEST}: is a backup of format version 2, this patentpool reads "
        "version 1 only\n"
    )
    _write_manifest_doc(copy, {**doc, "schema_revision": "0001"})
    assert _refused(sqlite_url, copy) == (
        f"Error: {copy / MANIFEST}: the backup is at schema revision 0001, this patentpool "
        f"restores revision {head_revision()} only; restore it with the patentpool that made it "
        "(0.1.0), upgrade that database with `patentpool db upgrade` and back it up again\n"
    )


def test_a_folder_that_is_no_backup_is_refused(tmp_path: Path, sqlite_url: str) -> None:
    (tmp_path / "register").mkdir()
    assert _refused(sqlite_url, tmp_path / "register") == (
        f"Error: {tmp_path / 'register'} has no manifest.json: it is not a patentpool backup\n"
    )
    (tmp_path / "register" / MANIFEST).write_text('{"alliance": {}}', encoding="utf-8")
    assert _refused(sqlite_url, tmp_path / "register") == (
        f"Error: {tmp_path / 'register' / MANIFEST}: is not a patentpool backup manifest "
        "(format: Field required)\n"
    )


def test_a_bad_value_is_refused_with_its_line_and_nothing_is_restored(
    copy: Path, sqlite_url: str
) -> None:
    path = copy / "members.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace('"joined":"', '"joined":"x', 1)
    path.write_text("".join(lines), encoding="utf-8")
    doc = _manifest_doc(copy)
    next(t for t in doc["tables"] if t["table"] == "members")["sha256"] = hashlib.sha256(
        path.read_bytes()
    ).hexdigest()
    _write_manifest_doc(copy, doc)
    err = _refused(sqlite_url, copy)
    assert err.startswith('Error: members.jsonl:2: joined: is "x')
    assert err.endswith('", not a string YYYY-MM-DD\n')
    assert all(rows == [] for rows in all_rows(sqlite_url).values())


def test_a_database_that_holds_rows_is_refused(backup: Path, small_register: str) -> None:
    assert _refused(small_register, backup) == (
        f"Error: the database {small_register} is not empty: table alliance holds rows "
        "(and 10 other tables); restore into a new database, or one whose schema holds no rows\n"
    )


def test_the_table_that_holds_rows_is_named(backup: Path, db_url: str) -> None:
    with session_for(db_url) as session:
        session.execute(insert(StandardRow), {"id": "X", "name": "x"})
    assert _refused(db_url, backup) == (
        f"Error: the database {db_url} is not empty: table standards holds rows; "
        "restore into a new database, or one whose schema holds no rows\n"
    )


def test_a_database_at_another_revision_is_refused(backup: Path, empty_db_url: str) -> None:
    upgrade(empty_db_url, "0001")
    assert _refused(empty_db_url, backup) == (
        f"Error: the database {empty_db_url} is at schema revision 0001, this patentpool needs "
        f"{head_revision()}; upgrade it with `patentpool db upgrade`\n"
    )


def test_export_wants_a_new_or_empty_folder(sqlite_url: str, tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "x.jsonl").write_text("", encoding="utf-8")
    code, _, err = run(sqlite_url, "export", tmp_path / "old")
    assert (code, err) == (
        1,
        f"Error: {tmp_path / 'old'} exists and is not an empty folder; "
        "give a new folder for the backup\n",
    )


def test_importing_a_backup_says_to_restore_it(backup: Path, sqlite_url: str) -> None:
    assert run(sqlite_url, "import", backup) == (
        1,
        "",
        f"{backup / MANIFEST}:1: file: is the manifest of a backup; restore its folder into an "
        "empty database with `patentpool restore FOLDER`\n"
        "Error: 1 problem in 1 file; nothing was imported\n",
    )


def test_a_failed_export_leaves_no_half_backup(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(sqlite_url, "import", IGRS / "alliance.yaml", IGRS / "patents.csv")
    reading = table_rows.read_rows

    def failing(session: Any, table: Any) -> Iterator[dict[str, Any]]:
        if table.name == "patents":
            raise OSError("No space left on device")
        return reading(session, table)

    monkeypatch.setattr(table_rows, "read_rows", failing)
    with pytest.raises(OSError, match="No space left"):
        export_backup(sqlite_url, tmp_path / "new")
    assert not (tmp_path / "new").exists()
    (tmp_path / "empty").mkdir()
    with pytest.raises(OSError, match="No space left"):
        export_backup(sqlite_url, tmp_path / "empty")
    assert list((tmp_path / "empty").iterdir()) == []


def test_export_needs_the_schema(empty_db_url: str, tmp_path: Path) -> None:
    code, _, err = run(empty_db_url, "export", tmp_path / "backup")
    assert (code, err) == (
        1,
        f"Error: the database {empty_db_url} has no patentpool schema; create it with "
        "`patentpool db upgrade`\n",
    )
    assert not (tmp_path / "backup").exists()


def test_a_backup_leaves_out_the_portals_sessions_and_tokens(
    db_url: str, second_url: str, tmp_path: Path
) -> None:
    from patentpool.services import accounts

    build_igrs(db_url, tmp_path)
    accounts.add_user(db_url, "staff1", "staff", "correct horse battery", by="test")
    accounts.login(db_url, "staff1", "correct horse battery", "127.0.0.1")
    accounts.issue_token(db_url, "staff1", None, by="test")
    held = all_rows(db_url)
    assert len(held["portal_sessions"]) == 1
    assert len(held["portal_tokens"]) == 1
    backup = tmp_path / "backup"
    ok(db_url, "export", backup)
    counts = {t.table: t.rows for t in read_manifest(backup).tables}
    assert counts["portal_sessions"] == counts["portal_tokens"] == 0
    assert counts["portal_users"] == 1
    assert (backup / "portal_sessions.jsonl").read_text(encoding="utf-8") == ""
    ok(second_url, "restore", backup)
    restored = all_rows(second_url)
    assert restored["portal_sessions"] == restored["portal_tokens"] == []
    assert {k: v for k, v in restored.items() if k not in ("portal_sessions", "portal_tokens")} == {
        k: v for k, v in held.items() if k not in ("portal_sessions", "portal_tokens")
    }
