"""Shared fixtures: a database per test, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium
from pgserver import PostgresServer, PostgresUnavailable, missing_postgres
from playwright.sync_api import Browser

from patentpool.core.model import Register
from patentpool.reports import member_holdings
from patentpool.reports.pool import VersionCounts
from patentpool.storage.engine import dispose_all, make_engine
from patentpool.storage.migrate import upgrade


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--snapshot-update",
        action="store_true",
        default=False,
        help="Rewrite the report snapshots in tests/__snapshots__ instead of comparing.",
    )


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session; skipped without one, a failure under CI=true."""
    server = PostgresServer.from_environment()
    reason: str | None = None
    try:
        server.start()
    except PostgresUnavailable as error:
        reason = str(error)
    if reason is not None:
        missing_postgres(reason)
    try:
        yield server
    finally:
        dispose_all()
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend of a test run on each: ``sqlite`` or ``postgresql``."""
    name: str = request.param
    return name


@pytest.fixture
def empty_db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL with no schema, on each backend."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'register.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("pg_server")
        url = server.create_database("t")
    yield url
    dispose_all()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per session: tests get copies of it (migrating
    takes longer than copying)."""
    path = tmp_path_factory.mktemp("template") / "register.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    dispose(url)
    return path


@pytest.fixture(scope="session")
def pg_template(pg_server: PostgresServer) -> str:
    """A PostgreSQL database migrated to head once per session, nobody connected to it: the
    template of the databases of ``db_url``."""
    url = pg_server.create_database("template")
    upgrade(url)
    dispose(url)
    return url


def migrated_sqlite(template: Path, path: Path) -> str:
    """The URL of ``path``, a copy of the migrated ``template`` file."""
    shutil.copy(template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL with the schema at head, on each backend (a copy of the template)."""
    if backend == "sqlite":
        url = migrated_sqlite(request.getfixturevalue("sqlite_template"), tmp_path / "register.db")
    else:
        server: PostgresServer = request.getfixturevalue("pg_server")
        url = server.create_database("t", template=request.getfixturevalue("pg_template"))
    yield url
    dispose_all()


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> Iterator[str]:
    """A SQLite database with the schema, for tests that need no second backend."""
    yield migrated_sqlite(sqlite_template, tmp_path / "register.db")
    dispose_all()


def dispose(url: str) -> None:
    """Close the pooled connections to ``url`` (and to nothing else)."""
    make_engine(url).dispose()


@pytest.fixture
def small_register(db_url: str, tmp_path: Path) -> str:
    """A database holding the small register of ``register_files``, on each backend."""
    from register_files import write_register

    from patentpool.services.imports import import_paths
    from patentpool.storage.engine import session_for

    folder = write_register(_mkdir(tmp_path / "small"))
    with session_for(db_url) as session:
        import_paths(session, [folder])
    return db_url


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SQLite file `patentpool demo` builds (its register and licensing steps, without the
    reports), made once; copy it before writing to it."""
    from patentpool.demo import DemoState, step_licensing, step_register
    from patentpool.resources import samples_dir

    path = tmp_path_factory.mktemp("demo") / "patentpool.db"
    state = DemoState(path.parent, f"sqlite:///{path}", samples_dir())
    step_register(state)
    step_licensing(state)
    dispose_all()
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session (for each pytest-xdist worker)."""
    with chromium() as opened:
        yield opened


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder a whole `patentpool demo` run writes (its database and reports), made once
    per session: read it, never write into it (copy the database first)."""
    from patentpool.demo import run_demo

    folder = tmp_path_factory.mktemp("demo-run") / "demo"
    run_demo(folder)
    dispose_all()
    return folder


@pytest.fixture
def counted_registers(monkeypatch: pytest.MonkeyPatch) -> list[Register]:
    """Each register whose standard versions a member statement counted, as it counted it
    (what every statement of one register shares: see reports/member_holdings.py)."""
    counted: list[Register] = []
    real = member_holdings._version_counts

    def spy(register: Register, as_of: dt.date) -> tuple[VersionCounts, ...]:
        counted.append(register)
        return real(register, as_of)

    monkeypatch.setattr(member_holdings, "_version_counts", spy)
    return counted
