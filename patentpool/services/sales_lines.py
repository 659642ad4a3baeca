"""The lines of the sales reports an import changed: from io's readers to storage's writers.

io checks a sales file and gives its good lines, by columns (blocks) when the file is plain,
one by one otherwise; storage writes blocks or rows and never reads a file
(:mod:`patentpool.storage.sales_lines`). The blocks of the checking pass are kept in the
database's stage and copied once the changed reports are known; a file read line by line is
read again for its lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from patentpool.core.licensing_records import ReportKey
from patentpool.io.licensing_import import LicensingChanges
from patentpool.io.sales_stream import SalesRules, write_sales
from patentpool.storage import sales_lines
from patentpool.storage.sales_lines import (
    LineBlock,
    PostgresLineStage,
    SqliteLineStage,
    StageFull,
)

#: Lines read one by one, written per round trip to the database.
BATCH = 20_000


class SqliteStage(SqliteLineStage):
    """The SQLite stage as io's column reader uses it: a file it cannot stage is one the
    column reader gives up (the line reader then reads it)."""

    def add(self, block: LineBlock) -> None:
        from patentpool.io import sales_columns  # loaded already: the block came from it

        try:
            super().add(block)
        except StageFull as exc:
            raise sales_columns.NotPlain(str(exc)) from exc


#: The stages of the databases patentpool runs on.
LineStages = SqliteStage | PostgresLineStage


def line_stage(session: Session) -> LineStages:
    """The stage of the import's own connection for the checked blocks of its sales files."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        return SqliteStage(connection)
    return PostgresLineStage(connection)


@dataclass(frozen=True, slots=True)
class SalesPass:
    """How an import's sales files are read: the rules their lines were checked by, the
    database's stage of the checked blocks (None when no file was staged), and the callback
    told of the lines read, for progress."""

    rules: SalesRules
    stage: LineStages | None
    advance: Callable[[int], None] | None


def write_lines(
    session: Session,
    changes: LicensingChanges,
    report_ids: dict[ReportKey, int],
    sales: SalesPass,
) -> None:
    """The changed reports' lines, file by file in the import's order: copied from the stage,
    or read again and written a block (or a batch of rows) at a time."""
    connection = session.connection()
    buffer: list[tuple[object, ...]] = []

    def sink(key: ReportKey, line: int, record: tuple[str, str, str, int, Decimal | None]) -> None:
        report_id = report_ids.get(key)
        if report_id is None:
            return
        sale, made, category, units, net = record
        buffer.append(
            (
                report_id,
                line,
                sale,
                made,
                category,
                units,
                None if net is None else format(net, "f"),
            )
        )
        if len(buffer) >= BATCH:
            sales_lines.insert_rows(connection, buffer)
            buffer.clear()

    stage = sales.stage
    for path, display in changes.sales_files:
        if stage is not None and display in stage.files:
            if buffer:  # lines are written in the files' order
                sales_lines.insert_rows(connection, buffer)
                buffer.clear()
            lines = stage.copy(display, report_ids)
            if sales.advance is not None:
                sales.advance(lines)
            continue
        write_sales(path, display, sales.rules, sink, sales.advance)
    if buffer:
        sales_lines.insert_rows(connection, buffer)
