"""What one transaction reads, read by another process as well (a quarter priced in several
processes: :mod:`patentpool.services.priced_apart`).

A transaction that has written nothing can name what it sees, so that a process forked from
this one opens a session of its own that reads the same rows:

- on SQLite, when the transaction holds the database's write lock (a session opened with a
  ``lock``, :func:`patentpool.storage.engine.session_for`): no other writer can commit before
  it ends, so any other connection reads what it reads;
- on PostgreSQL, by exporting its snapshot (``pg_export_snapshot``), which the other process's
  transaction takes up (``SET TRANSACTION SNAPSHOT``, at REPEATABLE READ) while this one lasts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from patentpool.storage import engine as engines


@dataclass(frozen=True, slots=True)
class View:
    """What a transaction sees, as another process opens it: the database's URL (with its
    password) and, on PostgreSQL, the exported snapshot."""

    url: str
    snapshot: str | None


def shared_view(session: Session) -> View | None:
    """The view of ``session``'s transaction that another process can open, or None when no
    other connection can be sure to read the same (it has written something, or on SQLite
    does not hold the write lock)."""
    if session.new or session.dirty or session.deleted:  # not written yet, but to be
        return None
    connection = session.connection()
    url = connection.engine.url.render_as_string(hide_password=False)
    dialect = connection.dialect.name
    if dialect == "sqlite":
        raw = connection.connection.dbapi_connection
        begun = connection.info.get(engines.CHANGES_AT_BEGIN)
        locked = connection.get_execution_options().get("patentpool_lock")
        if not locked or begun is None or raw is None or raw.total_changes != begun:
            return None
        return View(url, None)
    if dialect == "postgresql":
        wrote = connection.exec_driver_sql("SELECT pg_current_xact_id_if_assigned()").scalar()
        if wrote is not None:
            return None
        snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
        return View(url, str(snapshot))
    return None


@contextmanager
def opened(view: View) -> Iterator[Session]:
    """In a process forked from the one that named ``view`` (while its transaction lasts): a
    session of this process's own that reads what that transaction reads, and writes nothing
    (its transaction is rolled back). The engines inherited from the other process are left
    to it, their connections untouched."""
    engines.forget_engines_after_fork()
    engine = engines.make_engine(view.url)
    with Session(engine) as session:
        try:
            if view.snapshot is not None:
                connection = session.connection(
                    execution_options={"isolation_level": "REPEATABLE READ"}
                )
                # a SET takes no parameter: the id, checked to be hex digits and dashes only
                if not _SNAPSHOT_ID.fullmatch(view.snapshot):
                    raise ValueError(f"not a snapshot id: {view.snapshot!r}")
                connection.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{view.snapshot}'")
            yield session
        finally:
            session.rollback()


#: What pg_export_snapshot returns: hexadecimal numbers joined by dashes.
_SNAPSHOT_ID = re.compile(r"[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+")
