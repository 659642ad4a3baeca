"""Whole tables read as columns (for the register's tens of thousands of patents and
declarations, made into records by :func:`patentpool.core.records.records`).

A register is read in a handful of statements, each written once by hand (no statement for
SQLAlchemy to compile in every new process) and fetched whole through the driver's cursor;
each column goes through its type's result processing (SQLite's dates and booleans) once per
distinct value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table


def read_columns(
    connection: Connection, table: Table, names: Sequence[str], order_by: Sequence[str] = ()
) -> list[Sequence[Any]]:
    """The values of the columns ``names`` of every row of ``table``, one sequence per column
    (rows in ``order_by`` order, else as the database gives them), as SQLAlchemy would give
    them (each column type's result processing applied)."""
    quote = connection.dialect.identifier_preparer.quote
    sql = f"SELECT {', '.join(quote(n) for n in names)} FROM {quote(table.name)}"
    if order_by:
        sql += " ORDER BY " + ", ".join(ordered(connection, table.c[n], quote(n)) for n in order_by)
    return query_columns(connection, sql, [table.c[n] for n in names])


def needs_code_point_order(dialect: str, column: ColumnElement[Any]) -> bool:
    """Whether ``column`` must be collated as "C" to sort by code point, as Python sorts:
    text on PostgreSQL, whose own collation may sort by language (SQLite compares bytes)."""
    return dialect == "postgresql" and column.type.python_type is str


def ordered(connection: Connection, column: ColumnElement[Any], written: str) -> str:
    """``written`` (how a statement names ``column``) as an ORDER BY term that sorts text by
    code point, whatever the server's collation (:func:`needs_code_point_order`)."""
    if needs_code_point_order(connection.dialect.name, column):
        return f'{written} COLLATE "C"'
    return written


def query_columns(
    connection: Connection, sql: str, columns: Sequence[ColumnElement[Any]]
) -> list[Sequence[Any]]:
    """The rows of the hand-written ``SELECT`` statement ``sql``, one sequence per column it
    selects, each of ``columns`` (in order, one per selected value) processed by its type."""
    dialect = connection.dialect
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if not rows:
        return [() for _ in columns]
    values: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for i, column in enumerate(columns):
        process = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if process is not None:  # values repeat (dates): each distinct one processed once
            distinct = {value: process(value) for value in set(values[i])}
            values[i] = list(map(distinct.__getitem__, values[i]))
    return values


def read_rows(
    connection: Connection, table: Table, names: Sequence[str], order_by: Sequence[str] = ()
) -> list[tuple[Any, ...]]:
    """:func:`read_columns` as rows: a tuple of the values of ``names`` per row."""
    return list(zip(*read_columns(connection, table, names, order_by), strict=True))
