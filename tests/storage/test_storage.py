"""Storage guarantees: upgrades keep data, runs are immutable, locks and secrets are handled."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from register_files import write_register
from sqlalchemy import text

from patentpool.cli import cli
from patentpool.services.imports import import_paths
from patentpool.storage import engine as engine_module
from patentpool.storage.engine import (
    DatabaseError,
    NoSchema,
    make_engine,
    safe_url,
    schema_revision,
    session_for,
)
from patentpool.storage.migrate import head_revision, upgrade
from patentpool.storage.repository import load_register
from patentpool.storage.revisions import HEAD_REVISION, scripts_head


def test_register_made_by_the_first_schema_upgrades_without_loss(
    empty_db_url: str, tmp_path: Path
) -> None:
    upgrade(empty_db_url, "0001")
    assert schema_revision(make_engine(empty_db_url)) == "0001"
    folder = write_register(tmp_path)
    # the register is made at the newest schema, then copied into the tables and columns the
    # first schema has (this patentpool no longer writes the first schema's tables itself)
    scratch = f"sqlite:///{tmp_path / 'scratch.db'}"
    upgrade(scratch)
    with session_for(scratch, lock="import") as session:
        import_paths(session, [folder / "alliance.yaml", folder / "patents.csv"])
        before = load_register(session)
    _copy_rows(scratch, empty_db_url)
    assert len(before.patents) == 3
    code = CliRunner().invoke(cli, ["--db", empty_db_url, "members", "list"])
    assert code.exit_code == 1
    assert "upgrade it with `patentpool db upgrade`" in code.stderr
    result = CliRunner().invoke(cli, ["--db", empty_db_url, "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"from revision 0001 to {head_revision()}\n")
    with session_for(empty_db_url) as session:
        assert load_register(session) == before


def _copy_rows(source: str, target: str) -> None:
    """Every row of ``source``'s tables into the same tables of ``target``, in the columns
    ``target`` has."""
    from sqlalchemy import MetaData, select

    from patentpool.storage.models import Base

    old = MetaData()
    old.reflect(make_engine(target))
    with make_engine(source).connect() as read, make_engine(target).begin() as write:
        for table in Base.metadata.sorted_tables:
            if table.name not in old.tables:
                continue
            columns = [table.c[c.name] for c in old.tables[table.name].columns]
            rows = [dict(r) for r in read.execute(select(*columns)).mappings()]
            if rows:
                write.execute(table.insert(), rows)


def test_distribution_runs_cannot_be_changed_in_the_database(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO alliance (id, name) VALUES ('a', 'A')"))
        conn.execute(text("INSERT INTO standards (id, name) VALUES ('S', 'S')"))
        conn.execute(
            text(
                "INSERT INTO programs (id, standard_id, currency, spec) VALUES ('p', 'S', 'USD', '{}')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO distribution_runs (program_id, period, revision, policy, params, "
                "basis, inputs_sha256, created_at, result, inputs) VALUES ('p', '2026Q1', 1, "
                "'proportional', '{}', 'due', 'x', CURRENT_TIMESTAMP, '{}', '{}')"
            )
        )
    for statement in (
        "UPDATE distribution_runs SET result = '{\"forged\": 1}'",
        "DELETE FROM distribution_runs",
    ):
        with (
            pytest.raises(Exception, match="distribution runs are immutable once made"),
            engine.begin() as conn,
        ):
            conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT result FROM distribution_runs")).scalar_one() == "{}"


def test_sqlite_file_is_private_and_lock_wait_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'pool.db'}"
    upgrade(url)
    assert (tmp_path / "pool.db").stat().st_mode & 0o777 == 0o600
    folder = write_register(
        tmp_path / "files" if (tmp_path / "files").mkdir() is None else tmp_path
    )
    monkeypatch.setenv("PATENTPOOL_SQLITE_BUSY_TIMEOUT", "0.5")
    from patentpool.storage.engine import dispose_all

    dispose_all()
    holder = sqlite3.connect(tmp_path / "pool.db")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = CliRunner().invoke(cli, ["--db", url, "import", str(folder)])
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: the database {url} stayed locked by another process for 0.5 seconds; "
        "try again when it has finished\n"
    )
    assert CliRunner().invoke(cli, ["--db", url, "import", str(folder)]).exit_code == 0


def test_url_password_is_masked() -> None:
    assert (
        safe_url("postgresql+psycopg://pool:hunter2@db/pool")
        == "postgresql+psycopg://pool:***@db/pool"
    )
    result = CliRunner().invoke(
        cli, ["--db", "postgresql+psycopg://pool:hunter2@127.0.0.1:1/pool", "db", "upgrade"]
    )
    assert result.exit_code == 1
    assert "hunter2" not in result.output


def test_sales_reports_get_their_line_and_unit_sums_on_upgrade(empty_db_url: str) -> None:
    """Migration 0005 fills each existing report's lines and units from its sales lines."""
    from patentpool.core.periods import Period
    from patentpool.storage import licensing_repo

    upgrade(empty_db_url, "0004")
    engine = make_engine(empty_db_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO standards (id, name) VALUES ('S', 'A standard')"))
        conn.execute(
            text(
                "INSERT INTO programs (id, standard_id, currency, spec) "
                "VALUES ('p', 'S', 'USD', '{}')"
            )
        )
        for lid in ("acme", "beta"):
            conn.execute(
                text(
                    "INSERT INTO licensees (id, name, member, good_standing) "
                    "VALUES (:id, :id, false, false)"
                ),
                {"id": lid},
            )
        for rid, lid in ((1, "acme"), (2, "beta")):
            conn.execute(
                text(
                    "INSERT INTO sales_reports (id, program_id, licensee_id, period, revision, "
                    "current, source, imported_at, checksum) VALUES (:rid, 'p', :lid, '2026Q1', "
                    "1, true, 'sales.csv', '2026-04-01 00:00:00+00:00', 'c')"
                ),
                {"rid": rid, "lid": lid},
            )
        for n, (rid, units) in enumerate(((1, 10), (1, 32), (2, 0))):
            conn.execute(
                text(
                    "INSERT INTO sales_lines (report_id, line, country_of_sale, "
                    "country_of_manufacture, category, units) "
                    "VALUES (:rid, :line, 'US', 'CN', 'tv', :units)"
                ),
                {"rid": rid, "line": n + 2, "units": units},
            )
    engine.dispose()
    upgrade(empty_db_url)
    with session_for(empty_db_url) as session:
        reports = licensing_repo.report_checksums(session, "p", [Period(2026, 1)])
    assert [(r["licensee"], r["lines"], r["units"]) for r in reports] == [
        ("acme", 2, 42),
        ("beta", 1, 0),
    ]


def test_the_head_revision_is_the_migration_scripts_head() -> None:
    """A new migration must set ``HEAD_REVISION``: the code and its scripts agree."""
    assert head_revision() == scripts_head() == HEAD_REVISION


def test_a_command_checks_the_schema_without_importing_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'register.db'}"
    upgrade(url)
    probe = (
        "import sys\n"
        "from sqlalchemy import text\n"
        "from patentpool.storage.engine import session_for\n"
        f"with session_for({url!r}) as session:\n"
        "    session.execute(text('SELECT 1'))\n"
        "print('alembic' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_sessions_check_the_schema_without_reading_the_migrations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The newest revision is known to the code: a portal opens several sessions per request,
    and loading the migration scripts (and Alembic) cost more than the rest."""
    url = f"sqlite:///{tmp_path / 'register.db'}"
    upgrade(url)
    from alembic.script import ScriptDirectory

    loaded = []
    real = ScriptDirectory.from_config
    monkeypatch.setattr(ScriptDirectory, "from_config", lambda cfg: loaded.append(cfg) or real(cfg))
    for _ in range(3):
        with session_for(url) as session:
            session.execute(text("SELECT 1"))
    assert loaded == []
    with make_engine(url).begin() as conn:  # a database behind the code is still refused
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    with session_for(url):  # once the last check is SCHEMA_RECHECK seconds old
        pass
    monkeypatch.setattr(engine_module, "SCHEMA_RECHECK", 0.0)
    with pytest.raises(DatabaseError, match="upgrade it"), session_for(url):
        pass


def test_a_database_made_again_is_checked_at_once(tmp_path: Path) -> None:
    """A schema found at head is remembered for a few seconds, but not across a migration
    or a file made again where one was removed."""
    path = tmp_path / "register.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    with session_for(url):
        pass
    path.unlink()
    with pytest.raises(NoSchema), session_for(url):
        pass
    upgrade(url, "0001")
    with pytest.raises(DatabaseError, match="at schema revision 0001"), session_for(url):
        pass
    upgrade(url)
    with session_for(url) as session:
        assert session.execute(text("SELECT count(*) FROM patents")).scalar_one() == 0


def test_bulk_rows_bind_dates_as_sqlalchemy_does() -> None:
    """The bulk writes bind SQLite's dates by ``isoformat``: the text SQLAlchemy's own
    processing of the column type writes, for every date (and None); other types keep their
    processing."""
    import datetime as dt

    from sqlalchemy import Boolean, Date
    from sqlalchemy.dialects import postgresql, sqlite

    from patentpool.storage.repository import _bind_processor

    dialect = sqlite.dialect()
    fast = _bind_processor(Date(), dialect)
    slow = Date().dialect_impl(dialect).bind_processor(dialect)
    assert fast is not None
    assert slow is not None
    days = [dt.date(1, 1, 1), dt.date(999, 12, 31), dt.date(2026, 2, 28), dt.date(9999, 12, 31)]
    for value in [*days, dt.datetime(2026, 1, 2, 3, 4, 5), None]:
        assert fast(value) == slow(value)
    with pytest.raises(TypeError):
        fast("2026-01-02")
    assert _bind_processor(Date(), postgresql.dialect()) is None  # psycopg binds dates itself
    boolean = _bind_processor(Boolean(), dialect)
    assert boolean is None or boolean(True) in (1, True)
