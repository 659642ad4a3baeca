"""The throwaway PostgreSQL server of the test suite: start, databases, stop."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator

import psycopg
import pytest
from pgserver import PostgresServer, PostgresUnavailable, database_name, missing_postgres
from sqlalchemy.engine import make_url


def _started_server() -> PostgresServer:
    """Start a private cluster; skip (or fail under CI=true) when none can be had."""
    own = PostgresServer()
    reason = None
    try:
        own.start()
    except PostgresUnavailable as error:
        reason = str(error)
    if reason is not None:
        missing_postgres(reason)
    return own


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresServer]:
    """A private cluster of this module's own, so that stopping it can be checked too."""
    own = _started_server()
    try:
        yield own
    finally:
        own.stop()


def _dbname(url: str) -> str:
    name = make_url(url).database
    assert name is not None
    return name


def _accepts_connections(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_database_names_are_unique_valid_identifiers() -> None:
    first, second = (
        database_name("Test Storage/Round-trip"),
        database_name("Test Storage/Round-trip"),
    )
    assert first != second
    for name in (first, second, database_name("x" * 200), database_name("!!!")):
        assert re.fullmatch(r"[a-z0-9_]{1,63}", name), name
    assert first.startswith("pp_test_storage_round_trip_")


def test_database_names_tell_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")
    assert database_name("portal").startswith("pp_portal_gw3_")
    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    assert not database_name("portal").startswith("pp_portal_gw")


def test_external_url_is_rewritten_per_database() -> None:
    external = PostgresServer("postgresql://alice:s3cret@db.example:6543/admin?sslmode=disable")
    assert external.is_external
    assert external.url("pp_x") == (
        "postgresql+psycopg://alice:s3cret@db.example:6543/pp_x?sslmode=disable"
    )
    conninfo = psycopg.conninfo.conninfo_to_dict(external.conninfo("pp_x"))
    assert conninfo == {
        "host": "db.example",
        "port": "6543",
        "user": "alice",
        "password": "s3cret",
        "sslmode": "disable",
        "dbname": "pp_x",
    }


@pytest.mark.postgres
def test_server_is_postgresql_15_or_newer(server: PostgresServer) -> None:
    assert (
        server.url("postgres") == f"postgresql+psycopg://postgres@127.0.0.1:{server.port}/postgres"
    )
    with psycopg.connect(server.conninfo("postgres")) as connection:
        row = connection.execute("select version()").fetchone()
    assert row is not None
    match = re.match(r"PostgreSQL (\d+)", row[0])
    assert match is not None, row[0]
    assert int(match.group(1)) >= 15


@pytest.mark.postgres
def test_listens_only_on_loopback_with_fsync_off(server: PostgresServer) -> None:
    with psycopg.connect(server.conninfo("postgres")) as connection:
        listen = connection.execute("show listen_addresses").fetchone()
        fsync = connection.execute("show fsync").fetchone()
    assert listen == ("127.0.0.1",)
    assert fsync == ("off",)


@pytest.mark.postgres
def test_created_databases_are_separate(server: PostgresServer) -> None:
    first_url = server.create_database("separate")
    second_url = server.create_database("separate")
    first, second = _dbname(first_url), _dbname(second_url)
    assert first != second
    assert first_url.startswith(f"postgresql+psycopg://postgres@127.0.0.1:{server.port}/")

    with psycopg.connect(server.conninfo(first), autocommit=True) as connection:
        connection.execute("create table member (name text)")
        connection.execute("insert into member values ('Acme')")
    with psycopg.connect(server.conninfo(second), autocommit=True) as connection:
        found = connection.execute("select to_regclass('member')").fetchone()
        assert found == (None,)
        connection.execute("create table member (name text)")
        count = connection.execute("select count(*) from member").fetchone()
        assert count == (0,)
    with psycopg.connect(server.conninfo(first)) as connection:
        names = connection.execute("select name from member").fetchall()
    assert names == [("Acme",)]


@pytest.mark.postgres
def test_a_database_made_from_a_template_is_a_copy_of_its_own(server: PostgresServer) -> None:
    template_url = server.create_database("template")
    template = _dbname(template_url)
    with psycopg.connect(server.conninfo(template), autocommit=True) as connection:
        connection.execute("create table member (name text)")
        connection.execute("insert into member values ('Acme')")
    copy = _dbname(server.create_database("copy", template=template_url))
    assert copy != template
    with psycopg.connect(server.conninfo(copy), autocommit=True) as connection:
        connection.execute("insert into member values ('Zeta')")
        names = connection.execute("select name from member order by name").fetchall()
    assert names == [("Acme",), ("Zeta",)]
    with psycopg.connect(server.conninfo(template)) as connection:
        kept = connection.execute("select name from member").fetchall()
    assert kept == [("Acme",)]


@pytest.mark.postgres
def test_external_mode_creates_and_drops_its_databases(server: PostgresServer) -> None:
    external = PostgresServer(server.url("postgres"))
    external.start()
    url = external.create_database("external")
    name = _dbname(url)
    assert url == server.url(name)
    with psycopg.connect(server.conninfo(name)) as connection:
        connection.execute("select 1")
    external.stop()
    with psycopg.connect(server.conninfo("postgres")) as connection:
        left = connection.execute("select 1 from pg_database where datname = %s", (name,))
        assert left.fetchone() is None


@pytest.mark.postgres
def test_stop_shuts_the_server_down_and_removes_its_folder() -> None:
    own = _started_server()
    port, folder = own.port, own.tempdir
    assert folder is not None
    assert folder.is_dir()
    assert _accepts_connections(port)
    own.stop()
    assert not folder.exists()
    assert not _accepts_connections(port)
    own.stop()  # a second stop does nothing
