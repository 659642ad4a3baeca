"""The lines of the sales reports an import changed: from io's readers to storage's writers.

Every io reader of sales files (CSV by columns or line by line, a workbook's sheet) yields
blocks of checked columns; the checking pass hands each block to the stage of the database
(:mod:`patentpool.storage.sales_lines`), and once the changed reports are known their lines
are copied from there, file by file, inside the database. Storage takes blocks, never files,
and no file is read twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from patentpool.core.licensing_records import ReportKey
from patentpool.io.licensing_import import LicensingChanges
from patentpool.storage.sales_lines import PostgresLineStage, SqliteLineStage

#: The stages of the databases patentpool runs on.
LineStages = SqliteLineStage | PostgresLineStage


def line_stage(session: Session) -> LineStages:
    """The stage of the import's own connection for the checked blocks of its sales files."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        return SqliteLineStage(connection)
    return PostgresLineStage(connection)


@dataclass(frozen=True, slots=True)
class SalesPass:
    """How an import's sales lines reach the database: the stage of the checked blocks
    (None when the import has no sales file), and the callback told of the lines copied, for
    progress."""

    stage: LineStages | None
    advance: Callable[[int], None] | None


def write_lines(
    session: Session,
    changes: LicensingChanges,
    report_ids: dict[ReportKey, int],
    sales: SalesPass,
) -> None:
    """The changed reports' lines, file by file in the import's order, copied from the
    stage the checking pass filled."""
    stage = sales.stage
    if stage is None:
        raise TypeError("an import with sales files has the stage of its database")
    for file in changes.sales_files:
        lines = stage.copy(file.label, report_ids)
        if sales.advance is not None:
            sales.advance(lines)
    if changes.sales_files:
        stage.settle()
