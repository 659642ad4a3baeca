"""Every table of the schema as plain rows, for backups: read in primary-key order, written back
in foreign-key order. No files here (patentpool.io.backup writes them)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import islice
from typing import Any

from sqlalchemy import Connection, DateTime, Table, func, select, text
from sqlalchemy.orm import Session

from patentpool.core.tables import Column
from patentpool.storage.columns import needs_code_point_order
from patentpool.storage.models import Base, DecimalText

BATCH = 5000


def tables() -> list[Table]:
    """Every table of the schema, each after the tables its foreign keys point to."""
    return list(Base.metadata.sorted_tables)


def columns(table: Table) -> tuple[Column, ...]:
    """A table's columns, in order, with the Python kind of their values."""
    out = []
    for column in table.columns:
        type_ = column.type
        kind = Decimal if isinstance(type_, DecimalText) else type_.python_type
        aware = isinstance(type_, DateTime) and bool(type_.timezone)
        out.append(Column(column.name, kind, aware))
    return tuple(out)


def read_rows(session: Session, table: Table) -> Iterator[dict[str, Any]]:
    """A table's rows in primary-key order (text compared by code point on every database, so
    that a backup's files are the same whichever database it was made from)."""
    dialect = session.get_bind().dialect.name
    order = [c.collate("C") if needs_code_point_order(dialect, c) else c for c in table.primary_key]
    statement = select(table).order_by(*order)
    result = session.connection().execution_options(yield_per=BATCH).execute(statement)
    for row in result.mappings():
        yield dict(row)


def tables_with_rows(session: Session) -> list[str]:
    """The names of the tables that hold at least one row."""
    return [
        t.name
        for t in tables()
        if session.execute(select(text("1")).select_from(t).limit(1)).first() is not None
    ]


def insert_rows(session: Session, table: Table, rows: Iterable[dict[str, Any]]) -> None:
    """Insert rows as they are (primary keys included). Values are bound by the
    columns' own types, then go to the driver in one stream: PostgreSQL's COPY, or batches of
    one prepared INSERT on SQLite."""
    connection = session.connection()
    dialect = connection.dialect
    binds = [(c.name, c.type.dialect_impl(dialect).bind_processor(dialect)) for c in table.columns]
    bound = (
        tuple(row[name] if bind is None else bind(row[name]) for name, bind in binds)
        for row in rows
    )
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name, _ in binds)
    if dialect.name == "postgresql":
        _copy(connection, f"COPY {quote(table.name)} ({names}) FROM STDIN", bound)
        return
    statement = (
        f"INSERT INTO {quote(table.name)} ({names}) VALUES ({', '.join('?' for _ in binds)})"
    )
    while batch := list(islice(bound, BATCH)):
        connection.exec_driver_sql(statement, batch)


def _copy(connection: Connection, statement: str, rows: Iterable[tuple[Any, ...]]) -> None:
    cursor = connection.connection.cursor()
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    finally:
        cursor.close()


def reset_sequences(session: Session) -> None:
    """On PostgreSQL, set each table's id sequence past the highest id, so that rows added
    after a restore get new ids (SQLite takes the next id from the table itself)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables():
        column = table.autoincrement_column
        if column is None:
            continue
        highest = session.execute(select(func.max(column))).scalar()
        session.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, :column), :next, false)"),
            {"table": table.name, "column": column.name, "next": (highest or 0) + 1},
        )
