"""A throwaway PostgreSQL server for the test suite.

``PostgresServer`` either starts a private cluster (``initdb`` + ``pg_ctl``) in a fresh
temporary folder, listening only on 127.0.0.1 on a free port with trust authentication and
``fsync=off``, or - when ``PATENTPOOL_TEST_PG_URL`` is set - uses that existing server. Either
way each caller gets its own database from ``create_database``.

When run as root, the server programs run as the ``postgres`` OS user through ``runuser``,
because ``initdb`` refuses to run as root.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import itertools
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import TupleRow
from sqlalchemy.engine import URL, make_url

URL_VARIABLE = "PATENTPOOL_TEST_PG_URL"
"""Environment variable naming an existing server to use instead of starting one."""

SERVER_USER = "postgres"
"""OS user that runs the server when the tests run as root; also the database superuser."""

HOST = "127.0.0.1"
_SETTINGS_FILE = "patentpool-test.conf"
_START_ATTEMPTS = 3
_TIMEOUT_SECONDS = 60
_counter = itertools.count(1)


class PostgresUnavailable(Exception):
    """No PostgreSQL server can be had; the message says why."""


def running_in_ci() -> bool:
    """True when the ``CI`` environment variable says this is a CI run."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing_postgres(reason: str) -> None:
    """Skip the current test for ``reason``; under ``CI=true`` fail it instead.

    CI must prove the PostgreSQL code paths, so a missing server is an error there.
    """
    if running_in_ci():
        pytest.fail(f"PostgreSQL is required under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def _has_server_programs(bindir: Path) -> bool:
    return all((bindir / name).is_file() for name in ("initdb", "pg_ctl", "postgres"))


def _version_key(bindir: Path) -> tuple[int, ...]:
    # /usr/lib/postgresql/<version>/bin
    return tuple(int(part) for part in re.findall(r"\d+", bindir.parent.name))


def find_bindir() -> Path | None:
    """Return the folder holding ``initdb``, ``pg_ctl`` and ``postgres``, or None.

    Looks at ``pg_config --bindir``, then ``PATH``, then the newest
    ``/usr/lib/postgresql/*/bin``.
    """
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config is not None:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            done = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            )
            candidates.append(Path(done.stdout.strip()))
    initdb = shutil.which("initdb")
    if initdb is not None:
        candidates.append(Path(initdb).resolve().parent)
    installed = [Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")]
    candidates.extend(sorted(installed, key=_version_key, reverse=True))
    for candidate in candidates:
        if _has_server_programs(candidate):
            return candidate
    return None


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def database_name(label: str) -> str:
    """Turn ``label`` into a unique, valid database name (lower case, at most 63 bytes)."""
    slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") or "db"
    worker = re.sub(r"[^a-z0-9]+", "", worker_id().lower())
    suffix = f"{worker}{'_' if worker else ''}{next(_counter)}_{uuid.uuid4().hex[:8]}"
    return f"pp_{slug[: 63 - len(suffix) - 4]}_{suffix}"


def worker_id() -> str:
    """The pytest-xdist worker this process is (``gw0``, ``gw1``...), or "" without -n.

    Each worker is a process of its own with its own session fixtures, hence its own server;
    the id goes into the names of its folder and databases, so that they tell whose they are.
    """
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def _clean_environment() -> dict[str, str]:
    # PGDATA, PGPORT and friends must not steer the private cluster.
    return {key: value for key, value in os.environ.items() if not key.startswith("PG")}


class PostgresServer:
    """A PostgreSQL server for one test session: a private cluster or an existing server."""

    def __init__(self, external_url: str | None = None) -> None:
        """Use the server at ``external_url`` if given, else start a private cluster."""
        self._external: URL | None = make_url(external_url) if external_url else None
        self._tempdir: Path | None = None
        self._port: int | None = None
        self._started = False
        self._created: list[str] = []

    @classmethod
    def from_environment(cls) -> PostgresServer:
        """Use ``PATENTPOOL_TEST_PG_URL`` when it is set, else a private cluster."""
        return cls(os.environ.get(URL_VARIABLE) or None)

    @property
    def is_external(self) -> bool:
        """True when this object uses an existing server rather than its own cluster."""
        return self._external is not None

    @property
    def port(self) -> int:
        """The TCP port of the server (only valid after ``start``)."""
        if self._external is not None:
            return self._external.port or 5432
        if self._port is None:
            raise RuntimeError("the PostgreSQL server is not started")
        return self._port

    @property
    def tempdir(self) -> Path | None:
        """The folder holding the private cluster, or None when there is none."""
        return self._tempdir

    def unavailable_reason(self) -> str | None:
        """Why ``start`` cannot work here, or None when it should."""
        if self._external is not None:
            return None
        if find_bindir() is None:
            return (
                "no PostgreSQL server programs (initdb, pg_ctl, postgres) found via "
                "pg_config, PATH or /usr/lib/postgresql/*/bin; install the 'postgresql' "
                f"package or set {URL_VARIABLE}"
            )
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(SERVER_USER)
            except KeyError:
                return f"running as root but there is no {SERVER_USER!r} OS user to run initdb"
            if shutil.which("runuser") is None:
                return "running as root but 'runuser' is missing"
        return None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        """Start the private cluster (or check the external server answers).

        Raises ``PostgresUnavailable`` with the reason when no server can be had.
        """
        if self._started:
            return
        reason = self.unavailable_reason()
        if reason is not None:
            raise PostgresUnavailable(reason)
        atexit.register(self.stop)
        self._started = True
        try:
            if self._external is None:
                self._start_cluster()
            with self._admin_connection() as connection:
                connection.execute("select 1")
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the cluster and remove its folder; on an external server drop our databases.

        Safe to call more than once, and after a failed ``start``.
        """
        if not self._started:
            return
        self._started = False
        atexit.unregister(self.stop)
        if self._external is not None:
            self._drop_created_databases()
            return
        tempdir, self._tempdir, self._port = self._tempdir, None, None
        if tempdir is None:
            return
        try:
            self._stop_cluster(tempdir / "data")
        finally:
            shutil.rmtree(tempdir, ignore_errors=True)

    # -- databases ---------------------------------------------------------------------

    def url(self, dbname: str) -> str:
        """SQLAlchemy URL of database ``dbname`` on this server (psycopg 3 driver)."""
        if self._external is not None:
            url = self._external.set(drivername="postgresql+psycopg", database=dbname)
            return url.render_as_string(hide_password=False)
        return f"postgresql+psycopg://{SERVER_USER}@{HOST}:{self.port}/{dbname}"

    def conninfo(self, dbname: str) -> str:
        """libpq connection string for ``psycopg.connect`` to database ``dbname``."""
        if self._external is not None:
            url = self._external
            params: dict[str, str | int | None] = {
                "host": url.host,
                "port": url.port,
                "user": url.username,
                "password": url.password,
            }
            for key, value in url.query.items():
                params[key] = value if isinstance(value, str) else value[-1]
            given = {key: value for key, value in params.items() if value is not None}
            return psycopg.conninfo.make_conninfo("", dbname=dbname, **given)
        return psycopg.conninfo.make_conninfo(
            host=HOST, port=self.port, user=SERVER_USER, dbname=dbname
        )

    def create_database(self, name: str = "test", template: str | None = None) -> str:
        """Create a new database and return its SQLAlchemy URL.

        ``name`` is a readable label; a unique suffix is added, so two calls never share
        a database, also on a shared external server. The database is empty, or - given
        ``template``, the URL of another database of this server that nobody is connected
        to - a copy of that one (``CREATE DATABASE ... TEMPLATE``).
        """
        if not self._started:
            raise RuntimeError("the PostgreSQL server is not started")
        dbname = database_name(name)
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname))
        if template is not None:
            source = make_url(template).database
            if not source:
                raise ValueError(f"no database named in the template URL {template!r}")
            statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(dbname), sql.Identifier(source)
            )
        with self._admin_connection() as connection:
            connection.execute(statement)
        self._created.append(dbname)
        return self.url(dbname)

    def _admin_database(self) -> str:
        if self._external is not None and self._external.database:
            return self._external.database
        return "postgres"

    def _admin_connection(self) -> psycopg.Connection[TupleRow]:
        return psycopg.connect(
            self.conninfo(self._admin_database()), autocommit=True, connect_timeout=10
        )

    def _drop_created_databases(self) -> None:
        created, self._created = self._created, []
        if not created:
            return
        with contextlib.suppress(psycopg.Error), self._admin_connection() as connection:
            for dbname in created:
                connection.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(dbname)
                    )
                )

    # -- private cluster ---------------------------------------------------------------

    def _command(self, *args: str | Path) -> list[str]:
        command = [str(arg) for arg in args]
        if os.geteuid() == 0:
            return ["runuser", "-u", SERVER_USER, "--", *command]
        return command

    def _run(self, cwd: Path, *args: str | Path) -> None:
        done = subprocess.run(
            self._command(*args),
            cwd=cwd,
            env=_clean_environment(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_SECONDS + 30,
            check=False,
        )
        if done.returncode != 0:
            raise PostgresUnavailable(
                f"{Path(str(args[0])).name} failed with exit code {done.returncode}:\n"
                f"{done.stdout}{done.stderr}"
            )

    def _start_cluster(self) -> None:
        bindir = find_bindir()
        assert bindir is not None  # checked by unavailable_reason
        root = os.geteuid() == 0
        # /tmp rather than TMPDIR: the postgres user must be able to reach the folder,
        # and the socket path must stay short.
        parent = "/tmp" if root else None
        prefix = f"patentpool-pg-{worker_id()}-" if worker_id() else "patentpool-pg-"
        self._tempdir = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        if root:
            account = pwd.getpwnam(SERVER_USER)
            os.chown(self._tempdir, account.pw_uid, account.pw_gid)
        data = self._tempdir / "data"
        self._run(
            self._tempdir,
            bindir / "initdb",
            "--pgdata", data,
            "--username", SERVER_USER,
            "--auth", "trust",
            "--encoding", "UTF8",
            "--locale", "C",
            "--no-sync",
        )  # fmt: skip
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(f"\ninclude '{_SETTINGS_FILE}'\n")
        log = self._tempdir / "server.log"
        for attempt in range(1, _START_ATTEMPTS + 1):
            self._port = free_port()
            self._write_settings(data, self._port)
            try:
                self._run(
                    self._tempdir,
                    bindir / "pg_ctl",
                    "--pgdata", data,
                    "--log", log,
                    "--wait",
                    "--timeout", str(_TIMEOUT_SECONDS),
                    "start",
                )  # fmt: skip
                return
            except PostgresUnavailable as error:
                server_log = log.read_text(errors="replace") if log.exists() else ""
                port_taken = "could not bind" in server_log or "in use" in server_log
                if attempt == _START_ATTEMPTS or not port_taken:
                    raise PostgresUnavailable(f"{error}\nserver log:\n{server_log}") from None
                log.unlink()

    def _write_settings(self, data: Path, port: int) -> None:
        settings = {
            "listen_addresses": f"'{HOST}'",
            "port": str(port),
            "unix_socket_directories": f"'{self._tempdir}'",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "100",
        }
        text = "".join(f"{key} = {value}\n" for key, value in settings.items())
        (data / _SETTINGS_FILE).write_text(text)

    def _stop_cluster(self, data: Path) -> None:
        bindir = find_bindir()
        if bindir is not None and (data / "postmaster.pid").exists():
            with contextlib.suppress(PostgresUnavailable, subprocess.SubprocessError):
                self._run(
                    data.parent,
                    bindir / "pg_ctl", "--pgdata", data, "--mode", "immediate", "--wait", "stop",
                )  # fmt: skip
        pidfile = data / "postmaster.pid"
        if pidfile.exists():
            # pg_ctl could not stop it: send the immediate-shutdown signal to the postmaster.
            with contextlib.suppress(OSError, ValueError, IndexError):
                os.kill(int(pidfile.read_text().split()[0]), signal.SIGQUIT)
