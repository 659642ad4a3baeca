"""Shared fixtures: a database per test, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pgserver import PostgresServer, PostgresUnavailable, missing_postgres

from patentpool.storage.engine import dispose_all
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
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL with no schema, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'register.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("pg_server")
        url = server.create_database("t")
    yield url
    dispose_all()


@pytest.fixture
def db_url(empty_db_url: str) -> str:
    """A database URL with the schema at head, on each backend."""
    upgrade(empty_db_url)
    return empty_db_url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    """A SQLite database with the schema, for tests that need no second backend."""
    url = f"sqlite:///{tmp_path / 'register.db'}"
    upgrade(url)
    yield url
    dispose_all()


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
