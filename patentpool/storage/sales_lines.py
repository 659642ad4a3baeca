"""The sales lines of the changed reports, written into ``sales_lines`` from blocks.

Storage reads no file and takes blocks only: the import (:mod:`patentpool.services.sales_lines`)
hands over the blocks of checked columns io's readers yield, whatever the file. They wait in a
temporary table of the import's own connection while the files are checked - SQLite:
:class:`SqliteLineStage`, three values per line; PostgreSQL: :class:`PostgresLineStage`, by
``COPY``, the text built column by column - and are copied into ``sales_lines`` inside the
database once the import knows which reports changed. Every file is read once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Connection

from patentpool.core.licensing_records import ReportKey
from patentpool.errors import InvalidInput

if TYPE_CHECKING:
    import pyarrow as pa


class LineBlock(Protocol):
    """A block of checked sales lines, by columns (what io's column reader gives); the
    columns are Arrow arrays, one value per line."""

    @property
    def keys(self) -> list[ReportKey]: ...  # the block's distinct reports

    @property
    def key(self) -> Any: ...  # per line: its report's index in ``keys``

    @property
    def line(self) -> Any: ...  # per line: its line in the file

    @property
    def units(self) -> Any: ...

    @property
    def net(self) -> Any: ...  # text as stored, or null

    @property
    def places(self) -> list[tuple[str, str, str, str]]: ...  # (sale, made, category, currency)

    @property
    def place(self) -> Any: ...  # per line: its place's index in ``places``

    @property
    def sale(self) -> Any: ...

    @property
    def made(self) -> Any: ...

    @property
    def category(self) -> Any: ...

    @property
    def currency(self) -> Any: ...  # null for the programme's

    def __len__(self) -> int: ...


_LINE_COLUMNS = (
    "report_id",
    "line",
    "country_of_sale",
    "country_of_manufacture",
    "category",
    "units",
    "net_sales",
    "currency",
)
#: Rows per INSERT statement when a block of lines goes into SQLite.
_ROWS_PER_INSERT = 200


def _insert_lines(
    connection: Connection,
    columns: list[pa.Array],
    table: str = "sales_lines",
    names: Sequence[str] = _LINE_COLUMNS,
) -> None:
    """Many rows per INSERT statement: far fewer round trips through the driver."""
    width = len(columns)
    rows = len(columns[0])
    flat: list[object] = [None] * (rows * width)
    for i, column in enumerate(columns):
        flat[i::width] = column.to_pylist()
    cursor = connection.connection.cursor()
    try:
        step = _ROWS_PER_INSERT * width
        full = rows // _ROWS_PER_INSERT * _ROWS_PER_INSERT * width
        values = ", ".join(["(" + ", ".join("?" * width) + ")"] * _ROWS_PER_INSERT)
        head = f"INSERT INTO {table} ({', '.join(names)}) VALUES "
        if full:
            cursor.executemany(head + values, [flat[i : i + step] for i in range(0, full, step)])
        if full < len(flat):
            rest = (len(flat) - full) // width
            values = ", ".join(["(" + ", ".join("?" * width) + ")"] * rest)
            cursor.execute(head + values, flat[full:])
    finally:
        cursor.close()


#: A staged line's report and (sale, made, category) share one integer: report << _PLACE_BITS
#: | place. The reports are at most the file's lines, the places at most the countries squared
#: times the programme's categories: far below these bounds.
_PLACE_BITS = 30
_MAX_KEYS = 1 << (62 - _PLACE_BITS)

#: A run of staged lines whose line in the file is its rowid plus one offset:
#: (first rowid, last rowid, offset).
Segment = tuple[int, int, int]


class SqliteLineStage:
    """Checked sales lines held in a temporary table of the import's own SQLite connection.

    The checking pass hands each checked block here. A line is held as three values: one
    integer for its report (by number: the report has no id yet) and its countries and
    category (by number, in a small table of their own), its units and its net sales; its
    line in the file follows from its place in the table (a run of lines without a gap - a
    blank line, a bad line, a cell spanning lines - shares one offset from its rowid). Once
    the import knows which reports changed, :meth:`copy` moves their lines into
    ``sales_lines`` with ``INSERT ... SELECT`` run inside SQLite, one per run of lines. Three
    values per line are bound from Python instead of seven. The tables are temporary and
    created inside the import's transaction: a failed or killed import leaves nothing of them.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.keys: dict[ReportKey, int] = {}
        self.places: dict[tuple[str, str, str, str], int] = {}
        self.files: dict[str, tuple[int, int, list[Segment]]] = {}  # label -> rowids, runs
        self._rows = 0  # the rowid of the last line staged: lines take rowids 1, 2, 3, ...
        self._file: tuple[str, int] | None = None  # the file being staged, its first rowid
        self._segments: list[Segment] = []
        self._copying = False
        self._drop()
        connection.exec_driver_sql(
            "CREATE TEMP TABLE stage_lines (code INTEGER, units INTEGER, net_sales TEXT)"
        )

    def _drop(self) -> None:
        for table in ("stage_lines", "stage_reports", "stage_places"):
            self.connection.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{table}")

    def begin(self, label: str) -> None:
        self._file = (label, self._rows + 1)
        self._segments = []

    def add(self, block: LineBlock) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        assert self._file is not None
        if not len(block):
            return
        keys = [self.keys.setdefault(key, len(self.keys)) for key in block.keys]
        places = [self.places.setdefault(place, len(self.places)) for place in block.places]
        if len(self.keys) > _MAX_KEYS or len(self.places) > 1 << _PLACE_BITS:
            raise InvalidInput(
                f"a sales file with more than {_MAX_KEYS} reports or {1 << _PLACE_BITS} "
                "distinct countries and categories cannot be imported"
            )
        code = pc.add(
            pc.shift_left(pc.take(pa.array(keys, pa.int64()), block.key), _PLACE_BITS),
            pc.take(pa.array(places, pa.int64()), block.place),
        )
        self._runs(block.line.to_numpy(), self._rows + 1)
        _insert_lines(
            self.connection,
            [code, block.units, block.net],
            "temp.stage_lines",
            ("code", "units", "net_sales"),
        )
        self._rows += len(block)

    def _runs(self, lines: Any, first_rowid: int) -> None:
        """The block's runs of lines that follow each other, joined to the file's last run."""
        import numpy as np

        offsets = lines - np.arange(first_rowid, first_rowid + len(lines))
        starts = np.flatnonzero(np.r_[True, offsets[1:] != offsets[:-1]]).tolist()
        ends = [*starts[1:], len(lines)]
        for start, end in zip(starts, ends, strict=True):
            offset = int(offsets[start])
            a, b = first_rowid + start, first_rowid + end - 1
            last = self._segments[-1] if self._segments else None
            if last is not None and last[2] == offset and last[1] + 1 == a:
                self._segments[-1] = (last[0], b, offset)
            else:
                self._segments.append((a, b, offset))

    def end(self) -> None:
        assert self._file is not None
        label, first = self._file
        self.files[label] = (first, self._rows, self._segments)
        self._file = None

    def discard(self) -> None:
        if self._file is not None:
            first = self._file[1]
            self.connection.exec_driver_sql(
                "DELETE FROM temp.stage_lines WHERE rowid >= ?", (first,)
            )
            self._rows = first - 1  # the next line takes the first freed rowid
            self._file = None

    def _tables(self, report_ids: Mapping[ReportKey, int]) -> None:
        """The reports that changed (with their new ids) and the places, by number."""
        run = self.connection.exec_driver_sql
        run("CREATE TEMP TABLE stage_reports (key INTEGER PRIMARY KEY, report_id INTEGER)")
        run(
            "CREATE TEMP TABLE stage_places (code INTEGER PRIMARY KEY, country_of_sale TEXT, "
            "country_of_manufacture TEXT, category TEXT, currency TEXT)"
        )
        reports = [(n, report_ids[k]) for k, n in self.keys.items() if k in report_ids]
        if reports:
            run("INSERT INTO temp.stage_reports VALUES (?, ?)", reports)
        if self.places:
            run(
                "INSERT INTO temp.stage_places VALUES (?, ?, ?, ?, ?)",
                [(n, *place[:3], place[3] or None) for place, n in self.places.items()],
            )

    def copy(self, label: str, report_ids: Mapping[ReportKey, int]) -> int:
        """Write the lines ``label`` left here whose report is in ``report_ids``; the number
        of lines the file had."""
        if not self._copying:
            self._tables(report_ids)
            self._copying = True
        first, last, segments = self.files[label]
        if segments:
            self.connection.exec_driver_sql(
                f"INSERT INTO sales_lines ({', '.join(_LINE_COLUMNS)}) "
                "SELECT r.report_id, s.rowid + ?, p.country_of_sale, p.country_of_manufacture, "
                "p.category, s.units, s.net_sales, p.currency FROM temp.stage_lines AS s "
                "CROSS JOIN temp.stage_reports AS r CROSS JOIN temp.stage_places AS p "
                f"ON r.key = s.code >> {_PLACE_BITS} "
                f"AND p.code = s.code & {(1 << _PLACE_BITS) - 1} "
                "WHERE s.rowid BETWEEN ? AND ? ORDER BY s.rowid",
                [(offset, a, b) for a, b, offset in segments],
            )
        return last - first + 1

    def close(self) -> None:
        """Drop the temporary tables (their pages go back at once)."""
        self._drop()

    def settle(self) -> None:
        """Nothing: SQLite plans the quarter's reads by its indexes, without statistics."""


class PostgresLineStage:
    """Checked sales lines held in a temporary table of the import's own PostgreSQL
    connection, as :class:`SqliteLineStage` holds them on SQLite.

    The first pass hands each checked block here, and it goes in by ``COPY`` with its report
    by number (the report has no id yet); once the import knows which reports changed,
    :meth:`copy` moves their lines into ``sales_lines`` with one ``INSERT ... SELECT`` that
    runs in the server. The file is read once. The tables are temporary, created in the
    import's transaction and dropped when it ends (``ON COMMIT DROP``; a failed import rolls
    their creation back).
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.keys: dict[ReportKey, int] = {}
        self.files: dict[str, tuple[int, int]] = {}  # label -> (file number, lines)
        self._file: tuple[str, int] | None = None  # the file being staged, its number
        self._lines = 0
        self._copying = False
        self.close()
        connection.exec_driver_sql(
            "CREATE TEMP TABLE stage_lines (file INTEGER, key INTEGER, line BIGINT, "
            "country_of_sale TEXT, country_of_manufacture TEXT, category TEXT, units BIGINT, "
            "net_sales TEXT, currency TEXT) ON COMMIT DROP"
        )

    def begin(self, label: str) -> None:
        self._file = (label, len(self.files) + 1)
        self._lines = 0

    def add(self, block: LineBlock) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        assert self._file is not None
        if not len(block):
            return
        keys = [self.keys.setdefault(key, len(self.keys)) for key in block.keys]
        file = pa.repeat(pa.scalar(self._file[1], pa.int32()), len(block))
        key = pc.take(pa.array(keys, pa.int32()), block.key)
        columns = [file, key, block.line, block.sale, block.made, block.category]
        _copy_lines(
            self.connection,
            [*columns, block.units, block.net, block.currency],
            "stage_lines",
            ("file", "key", "line", *_LINE_COLUMNS[2:]),
        )
        self._lines += len(block)

    def end(self) -> None:
        assert self._file is not None
        label, number = self._file
        self.files[label] = (number, self._lines)
        self._file = None

    def discard(self) -> None:
        if self._file is not None:
            self.connection.exec_driver_sql(
                "DELETE FROM stage_lines WHERE file = %s", (self._file[1],)
            )
            self._file = None

    def copy(self, label: str, report_ids: Mapping[ReportKey, int]) -> int:
        """Write the lines ``label`` left here whose report is in ``report_ids``; the number
        of lines the file had."""
        run = self.connection.exec_driver_sql
        if not self._copying:
            run("CREATE TEMP TABLE stage_reports (key INTEGER PRIMARY KEY, report_id BIGINT) "
                "ON COMMIT DROP")  # fmt: skip
            reports = [(n, report_ids[k]) for k, n in self.keys.items() if k in report_ids]
            if reports:
                run("INSERT INTO stage_reports VALUES (%s, %s)", reports)
            self._copying = True
        number, lines = self.files[label]
        run(
            f"INSERT INTO sales_lines ({', '.join(_LINE_COLUMNS)}) "
            "SELECT r.report_id, s.line, s.country_of_sale, s.country_of_manufacture, "
            "s.category, s.units, s.net_sales, s.currency FROM stage_lines AS s "
            "JOIN stage_reports AS r ON r.key = s.key WHERE s.file = %s ORDER BY s.line",
            (number,),
        )
        return lines

    def close(self) -> None:
        """Drop the temporary tables (as the transaction's end would)."""
        for table in ("stage_lines", "stage_reports"):
            self.connection.exec_driver_sql(f"DROP TABLE IF EXISTS pg_temp.{table}")

    def settle(self) -> None:
        """Once the lines are in: the planner's statistics of the reports and their lines
        taken again (``ANALYZE``), so that the quarter priced right after the import reads
        each report's lines by the index; the server's own autovacuum would take them only
        some time later. A role that does not own the tables is warned and goes on."""
        self.connection.exec_driver_sql("ANALYZE sales_reports, sales_lines")


def _copy_lines(
    connection: Connection,
    columns: list[pa.Array],
    table: str = "sales_lines",
    names: Sequence[str] = _LINE_COLUMNS,
) -> None:
    """PostgreSQL's COPY, fed the block as text built column by column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = [
        column if pa.types.is_string(column.type) else pc.cast(column, pa.string())
        for column in columns
    ]
    needs_escape = any(
        pc.any(pc.match_substring_regex(text, r"[\t\n\r\\]")).as_py() for text in texts
    )
    cursor = connection.connection.cursor()
    try:
        with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
            if needs_escape:
                for row in zip(*(column.to_pylist() for column in columns), strict=True):
                    copy.write_row(row)
            else:
                rows = pc.binary_join_element_wise(
                    *(pc.fill_null(text, "\\N") for text in texts), "\t"
                )
                copy.write("\n".join(rows.to_pylist()) + "\n")
    finally:
        cursor.close()
