"""Engines and sessions from a database URL, and the schema check every command makes."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.exc import DatabaseError as DriverDatabaseError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from patentpool.errors import PatentpoolError

#: How long a command waits for a locked SQLite database before giving up (seconds);
#: PATENTPOOL_SQLITE_BUSY_TIMEOUT overrides it.
SQLITE_BUSY_TIMEOUT = 30


#: The most connections one process's pool holds: as many as the portal's worker runs
#: requests at once (the threads of its pool, ``patentpool.portal.app.THREADS``).
POOL_CONNECTIONS = 40
#: How long a request waits for a free connection of the pool before it is refused (its
#: answer a 503): a few seconds, not the minutes a queue behind slow requests would last;
#: PATENTPOOL_POOL_TIMEOUT overrides it.
POOL_TIMEOUT = 5.0


def pool_timeout() -> float:
    raw = os.environ.get("PATENTPOOL_POOL_TIMEOUT")
    try:
        return float(raw) if raw else POOL_TIMEOUT
    except ValueError:
        return POOL_TIMEOUT


def busy_timeout() -> float:
    raw = os.environ.get("PATENTPOOL_SQLITE_BUSY_TIMEOUT")
    try:
        return float(raw) if raw else SQLITE_BUSY_TIMEOUT
    except ValueError:
        return SQLITE_BUSY_TIMEOUT


class DatabaseError(PatentpoolError):
    """The database cannot be reached or is not in a usable state."""


def safe_url(url: str) -> str:
    """The URL with any password masked, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def param_mark(connection: Connection) -> str:
    """The driver's placeholder in SQL written by hand: ``?`` (SQLite) or ``%s`` (psycopg)."""
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    return Path(str(parsed.database)) if _is_sqlite_file(parsed) else None


def _is_sqlite_file(parsed: URL) -> bool:
    """Is ``parsed`` a SQLite database in a file (not in memory)?"""
    if not parsed.drivername.startswith("sqlite"):
        return False
    return bool(parsed.database) and parsed.database != ":memory:"


def _on_sqlite_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # patentpool begins transactions itself (see _on_sqlite_begin), so the driver must not
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={int(busy_timeout() * 1000)}")
    cur.close()


def _on_sqlite_begin(conn: Connection) -> None:
    """Writers take SQLite's write lock at once (BEGIN IMMEDIATE), so two writers queue up
    instead of failing when both try to upgrade a read lock."""
    mode = conn.get_execution_options().get("patentpool_lock")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if mode else "BEGIN")
    # what the connection had changed when its transaction began: whether the transaction
    # has written anything since (:mod:`patentpool.storage.shared_view`)
    conn.info[CHANGES_AT_BEGIN] = conn.connection.dbapi_connection.total_changes  # type: ignore[union-attr]


#: The key of a SQLite connection's ``info`` holding its count of changed rows when its
#: transaction began.
CHANGES_AT_BEGIN = "patentpool_changes_at_begin"


_ENGINES: dict[str, Engine] = {}


class NoSchema(DatabaseError):
    """The database has no patentpool schema (for SQLite: perhaps no file at all)."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"the database {safe_url(url)} has no patentpool schema; "
            "create it with `patentpool db upgrade`"
        )


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError as exc:
        hint = ""
        if "://" not in url and url.strip():
            hint = f"; for a SQLite file write sqlite:///{url.strip()}"
        raise DatabaseError(f"not a database URL: {url!r}{hint}") from exc


def make_engine(url: str, *, create: bool = False) -> Engine:
    """An engine for ``url``. A SQLite file that does not exist is created, owner-readable
    only (0600), when ``create`` is true (``db upgrade``); otherwise it is refused as having
    no schema, and no empty file is left behind."""
    known = _ENGINES.get(url)
    if known is not None and not create:
        # the engine's file checked again (it may have been removed), without parsing the URL
        # again: a portal request asks for its engine several times
        database = known.url.database
        if not _is_sqlite_file(known.url) or os.path.isfile(database or ""):
            return known
    parsed = _parse(url)
    path = _sqlite_file(url)
    if path is not None:
        if not path.parent.exists():
            raise DatabaseError(
                f"folder {str(path.parent)!r} for the SQLite database does not exist"
            )
        if path.is_dir():
            raise DatabaseError(f"{parsed.database} is a folder, not a SQLite database file")
        if not path.exists():
            if url in _ENGINES:  # the file was removed: its connections and schema are gone
                _ENGINES[url].dispose()
                forget_schema(_ENGINES[url])
            if not create:
                raise NoSchema(url)
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, stat.S_IRUSR | stat.S_IWUSR)
            os.close(fd)
    if url in _ENGINES:
        return _ENGINES[url]
    kwargs: dict[str, Any] = {}
    if path is not None or parsed.drivername.startswith("postgresql"):
        # the pool grows on demand to as many connections as requests run at once, then
        # shrinks back to 5; a request that finds none free waits a few seconds at most
        kwargs["pool_size"] = 5
        kwargs["max_overflow"] = POOL_CONNECTIONS - 5
        kwargs["pool_timeout"] = pool_timeout()
    if parsed.drivername.startswith("postgresql"):
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except Exception as exc:  # driver missing, bad options
        raise DatabaseError(f"cannot open {safe_url(url)}: {exc}") from exc
    if parsed.drivername.startswith("sqlite"):
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    _ENGINES[url] = engine
    return engine


def use_wal(url: str) -> None:
    """Put a SQLite file in WAL mode (kept by the file): readers no longer wait for a writer,
    nor a writer for readers. For the portal, whose requests read while an upload writes."""
    if _sqlite_file(url) is None:
        return
    raw = make_engine(url).raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
    finally:
        raw.close()


class PoolExhausted(DatabaseError):
    """Every connection of the pool stayed busy for the pool's time-out."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"the database {safe_url(url)} is busy: no connection came free within "
            f"{pool_timeout():g} seconds; try again"
        )


def forget_engines_after_fork() -> None:
    """In a process just forked: leave the engines (and their pooled connections) to the
    process they came from, so that this one opens its own. Their pools are kept, not
    closed nor freed: a connection freed here would be closed, and it is the other
    process's."""
    for engine in _ENGINES.values():
        _LEFT_TO_PARENT.append(engine.pool)
        engine.dispose(close=False)
    _ENGINES.clear()


#: The pools of a forked process's parent, kept for as long as the forked process lives.
_LEFT_TO_PARENT: list[object] = []


def dispose_all() -> None:
    """Close every pooled connection (tests, and before a process ends)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at, or None when it has no schema."""
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    except PoolTimeout as exc:
        raise PoolExhausted(engine.url.render_as_string(hide_password=False)) from exc
    except OperationalError as exc:
        url = engine.url.render_as_string(hide_password=False)
        if _is_locked(exc):
            raise _locked(url) from exc
        raise DatabaseError(f"cannot connect to {safe_url(url)}: {_reason(exc)}") from exc
    except DriverDatabaseError as exc:  # SQLite: "file is not a database"
        if engine.dialect.name != "sqlite":
            raise
        raise DatabaseError(
            f"{engine.url.database} is not a patentpool database (not SQLite)"
        ) from exc
    return None if row is None else str(row[0])


def _is_locked(exc: OperationalError) -> bool:
    return "database is locked" in str(exc).lower()


def _locked(url: str) -> DatabaseError:
    return DatabaseError(
        f"the database {safe_url(url)} stayed locked by another process for "
        f"{busy_timeout():g} seconds; try again when it has finished"
    )


def _reason(exc: OperationalError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


#: How long a database found at the code's schema revision is taken to stay there (seconds).
#: A portal request opens several sessions, each of which would check the schema again (its
#: own connection and two queries, each a round trip on PostgreSQL); a newer patentpool
#: upgrading a shared database is still noticed within this time.
SCHEMA_RECHECK = 5.0
#: The engines whose database was found at head, with when (``time.monotonic``). Migrating a
#: database in this process (:func:`forget_schema`, called by
#: :func:`patentpool.storage.migrate.upgrade`) checks it again at once; a missing or older
#: schema is never remembered.
_AT_HEAD: weakref.WeakKeyDictionary[Engine, float] = weakref.WeakKeyDictionary()


def forget_schema(engine: Engine) -> None:
    """Check ``engine``'s schema again at its next session (it is being migrated)."""
    _AT_HEAD.pop(engine, None)


def require_schema(engine: Engine) -> None:
    """Raise a clear error when the schema is missing or behind the code."""
    from patentpool.storage.revisions import head_revision

    now = time.monotonic()
    checked = _AT_HEAD.get(engine)
    if checked is not None and now - checked < SCHEMA_RECHECK:
        return
    current = schema_revision(engine)
    where = safe_url(str(engine.url))
    if current is None:
        raise NoSchema(engine.url.render_as_string(hide_password=False))
    if current != head_revision():
        raise DatabaseError(
            f"the database {where} is at schema revision {current}, this patentpool needs "
            f"{head_revision()}; upgrade it with `patentpool db upgrade`"
        )
    _AT_HEAD[engine] = now


@contextmanager
def session_for(
    url: str, *, check_schema: bool = True, lock: str | None = None
) -> Iterator[Session]:
    """A session in one transaction: committed when the block ends, rolled back on error.

    ``lock`` names what the transaction changes (``"import"``, ``"distribute:P:2026Q1"``):
    transactions with the same name run one after the other - on PostgreSQL through a
    transaction-level advisory lock, on SQLite through its single write lock.
    """
    engine = make_engine(url)
    if check_schema:
        require_schema(engine)
    with Session(engine) as session:
        try:
            with session.begin():
                if lock is not None:
                    connection = session.connection(execution_options={"patentpool_lock": lock})
                    if connection.dialect.name == "postgresql":
                        connection.exec_driver_sql(
                            "SELECT pg_advisory_xact_lock(hashtext(%(name)s))",
                            {"name": f"patentpool:{lock}"},
                        )
                yield session
        except PoolTimeout as exc:
            raise PoolExhausted(url) from exc
        except OperationalError as exc:
            if _is_locked(exc):
                raise _locked(url) from exc
            raise DatabaseError(f"database error on {safe_url(url)}: {_reason(exc)}") from exc
