"""The lines of the sales reports an import changed: from io's readers to storage's writers.

io checks a sales file and gives its good lines, by columns (blocks) when the file is plain,
one by one otherwise; storage writes blocks or rows and never reads a file
(:mod:`patentpool.storage.sales_lines`). On SQLite the blocks of the checking pass are kept
in the stage and copied once the changed reports are known; on PostgreSQL, and for files
read line by line, the file is read again for its lines.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from patentpool.core.licensing_records import ReportKey
from patentpool.errors import InvalidInput
from patentpool.io.licensing_import import LicensingChanges
from patentpool.io.sales_stream import column_blocks, write_sales
from patentpool.storage import sales_lines
from patentpool.storage.sales_lines import LineBlock, SqliteLineStage, StageFull

if TYPE_CHECKING:
    from patentpool.io import sales_columns

#: Lines read one by one, written per round trip to the database.
BATCH = 20_000


class Stage(SqliteLineStage):
    """The SQLite stage as io's column reader uses it: a file it cannot stage is one the
    column reader gives up (the line reader then reads it)."""

    def add(self, block: LineBlock) -> None:
        from patentpool.io import sales_columns  # loaded already: the block came from it

        try:
            super().add(block)
        except StageFull as exc:
            raise sales_columns.NotPlain(str(exc)) from exc


def line_stage(session: Session) -> Stage | None:
    """A stage for the import's sales lines on SQLite; None elsewhere (PostgreSQL's COPY
    writes the second pass's blocks fast enough, and its server holds no temporary table
    for a second connection)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return None
    return Stage(connection)


def write_lines(
    session: Session, changes: LicensingChanges, report_ids: dict[ReportKey, int]
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

    assert changes.rules is not None
    stage = changes.stage if isinstance(changes.stage, SqliteLineStage) else None
    for path, display in changes.sales_files:
        if stage is not None and display in stage.files:
            if buffer:  # lines are written in the files' order
                sales_lines.insert_rows(connection, buffer)
                buffer.clear()
            lines = stage.copy(display, report_ids)
            if changes.advance is not None:
                changes.advance(lines)
            continue
        plan = changes.column_plans.get(display)
        if plan is not None:
            _copy_blocks(session, plan, changes, report_ids)
            continue
        write_sales(path, display, changes.rules, sink, changes.advance)
    if buffer:
        sales_lines.insert_rows(connection, buffer)


def _copy_blocks(
    session: Session,
    plan: sales_columns.Plan,
    changes: LicensingChanges,
    report_ids: dict[ReportKey, int],
) -> None:
    """A file read by columns, read again on PostgreSQL: each block COPYed as it comes (on
    SQLite such a file's lines were staged by the first pass)."""
    from patentpool.io import sales_columns  # Arrow is loaded only for a sales import

    assert changes.rules is not None
    connection = session.connection()
    try:
        for block in column_blocks(plan, changes.rules):
            sales_lines.copy_block(connection, block, sales_columns.report_ids(block, report_ids))
            if changes.advance is not None:
                changes.advance(len(block))
    except sales_columns.NotPlain:  # the file changed between the passes
        raise InvalidInput(
            f"{plan.display} changed while it was being imported; import it again"
        ) from None
