"""Licensing data in the database: licensees, programmes, sales reports, payments."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.orm import Session

from patentpool.core.licensing import Licensee, Program
from patentpool.core.licensing_records import LicensingState, Payment
from patentpool.core.periods import Period
from patentpool.core.royalties import SalesLine, SalesRow
from patentpool.errors import InvalidInput, NotFound
from patentpool.io.licensing_import import LicensingChanges
from patentpool.io.sales_stream import ReportKey, column_blocks, write_sales
from patentpool.storage.models import (
    LicenseeRow,
    PaymentRow,
    ProgramRow,
    SalesReportRow,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from patentpool.io import sales_columns

def load_licensees(session: Session) -> dict[str, Licensee]:
    """Every licensee by id, read as column tuples: a pool can license thousands."""
    rows = session.execute(
        select(
            LicenseeRow.id,
            LicenseeRow.name,
            LicenseeRow.group_id,
            LicenseeRow.country,
            LicenseeRow.member,
            LicenseeRow.signed,
            LicenseeRow.good_standing,
        ).order_by(LicenseeRow.id)
    )
    return {
        lid: Licensee(
            id=lid,
            name=name,
            group=group,
            country=country,
            member=member,
            signed=signed,
            good_standing=good_standing,
        )
        for lid, name, group, country, member, signed, good_standing in rows
    }


def load_program_specs(session: Session) -> dict[str, str]:
    """Every programme's stored definition (JSON) by id; decoded in
    :func:`patentpool.services.licensing.load_programs`."""
    rows = session.execute(select(ProgramRow.id, ProgramRow.spec).order_by(ProgramRow.id))
    return dict(rows.tuples().all())


def load_state(session: Session, programs: Mapping[str, tuple[Program, str]]) -> LicensingState:
    """What the database holds, for checking an import; ``programs`` decoded by the caller."""
    reports = {
        (r.program_id, r.licensee_id, Period.parse(r.period)): r.checksum
        for r in session.scalars(select(SalesReportRow).where(SalesReportRow.current.is_(True)))
    }
    payments = frozenset(
        (p.program_id, p.licensee_id, Period.parse(p.period), p.amount, p.received)
        for p in session.scalars(select(PaymentRow))
    )
    return LicensingState(load_licensees(session), programs, reports, payments)


def save_licensing(
    session: Session,
    changes: LicensingChanges,
    import_id: int | None = None,
    by: str | None = None,
) -> None:
    """Write what an import changes; the new report revisions name ``import_id`` and who
    imported them (``by``)."""
    # one query for the licensees that exist, one insert for the new ones
    existing: dict[str, LicenseeRow] = {}
    if changes.licensees:
        existing = {r.id: r for r in session.scalars(select(LicenseeRow))}
    new_rows: list[dict[str, object]] = []
    for licensee in changes.licensees:
        row = existing.get(licensee.id)
        values = {
            "name": licensee.name,
            "group_id": licensee.group,
            "country": licensee.country,
            "member": licensee.member,
            "signed": licensee.signed,
            "good_standing": licensee.good_standing,
        }
        if row is None:
            new_rows.append({"id": licensee.id, **values})
        else:
            for k, v in values.items():
                setattr(row, k, v)
    if new_rows:
        session.execute(insert(LicenseeRow), new_rows)
    for program, spec in changes.programs:
        prow = session.get(ProgramRow, program.id)
        if prow is None:
            session.add(
                ProgramRow(
                    id=program.id,
                    standard_id=program.standard,
                    currency=program.currency,
                    spec=spec,
                )
            )
        else:
            prow.standard_id, prow.currency, prow.spec = program.standard, program.currency, spec
    session.flush()
    report_ids = _save_reports(session, changes, import_id, by)
    if report_ids and changes.rules is not None:
        _write_lines(session, changes, report_ids)
    if isinstance(changes.stage, SqliteLineStage):
        changes.stage.close()
    if changes.payments:
        session.execute(
            insert(PaymentRow),
            [
                {
                    "program_id": p.program,
                    "licensee_id": p.licensee,
                    "period": str(p.period),
                    "amount": p.amount,
                    "received": p.received,
                    "source": p.source,
                }
                for p in changes.payments
            ],
        )


def _save_reports(
    session: Session,
    changes: LicensingChanges,
    import_id: int | None = None,
    by: str | None = None,
) -> dict[ReportKey, int]:
    """Add a revision of every changed report, the earlier ones no longer current, in a few
    statements whatever the number of reports; the new rows' ids by report."""
    if not changes.reports:
        return {}
    wanted = {(p, lic, str(per)): (p, lic, per) for p, lic, per in changes.reports}
    programs = sorted({p for p, _, _ in changes.reports})
    last: dict[tuple[str, str, str], int] = {}
    current: list[int] = []
    for rid, program_id, licensee_id, period, revision, is_current in session.execute(
        select(
            SalesReportRow.id,
            SalesReportRow.program_id,
            SalesReportRow.licensee_id,
            SalesReportRow.period,
            SalesReportRow.revision,
            SalesReportRow.current,
        ).where(SalesReportRow.program_id.in_(programs))
    ):
        key = (program_id, licensee_id, period)
        if key in wanted:
            last[key] = max(last.get(key, 0), revision)
            if is_current:
                current.append(rid)
    for chunk in _id_chunks(current, 500):
        session.execute(
            update(SalesReportRow).where(SalesReportRow.id.in_(chunk)).values(current=False)
        )
    now = dt.datetime.now(dt.UTC)
    session.execute(
        insert(SalesReportRow),
        [
            {
                "program_id": program_id,
                "licensee_id": licensee_id,
                "period": str(period),
                "revision": last.get((program_id, licensee_id, str(period)), 0) + 1,
                "current": True,
                "source": changes.references.get(report.file, report.file),
                "imported_at": now,
                "checksum": report.digest(),
                "lines": report.lines,
                "units": report.units,
                "import_id": import_id,
                "imported_by": by,
            }
            for (program_id, licensee_id, period), report in sorted(changes.reports.items())
        ],
    )
    ids: dict[ReportKey, int] = {}
    for rid, program_id, licensee_id, period in session.execute(
        select(
            SalesReportRow.id,
            SalesReportRow.program_id,
            SalesReportRow.licensee_id,
            SalesReportRow.period,
        ).where(SalesReportRow.program_id.in_(programs), SalesReportRow.current.is_(True))
    ):
        found = wanted.get((program_id, licensee_id, period))
        if found is not None:
            ids[found] = rid
    return ids


def _id_chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


#: Sales lines written per round trip to the database.
BATCH = 20_000


def _write_lines(
    session: Session, changes: LicensingChanges, report_ids: dict[ReportKey, int]
) -> None:
    """Second pass over the sales files: insert the changed reports' lines in batches."""
    connection = session.connection()
    mark = _mark(connection)
    sql = (
        f"INSERT INTO sales_lines ({', '.join(_LINE_COLUMNS)}) VALUES ({', '.join([mark] * 7)})"
    )
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
            connection.exec_driver_sql(sql, buffer)
            buffer.clear()

    assert changes.rules is not None
    stage = changes.stage if isinstance(changes.stage, SqliteLineStage) else None
    for path, display in changes.sales_files:
        if stage is not None and display in stage.files:
            if buffer:  # lines are written in the files' order
                connection.exec_driver_sql(sql, buffer)
                buffer.clear()
            lines = stage.copy(display, report_ids)
            if changes.advance is not None:
                changes.advance(lines)
            continue
        plan = changes.column_plans.get(display)
        if plan is not None:
            _write_blocks(connection, plan, changes, report_ids)
            continue
        write_sales(path, display, changes.rules, sink, changes.advance)
    if buffer:
        connection.exec_driver_sql(sql, buffer)


_LINE_COLUMNS = (
    "report_id",
    "line",
    "country_of_sale",
    "country_of_manufacture",
    "category",
    "units",
    "net_sales",
)
#: Rows per INSERT statement when a block of lines goes into SQLite.
_ROWS_PER_INSERT = 200


def _write_blocks(
    connection: Connection,
    plan: sales_columns.Plan,
    changes: LicensingChanges,
    report_ids: dict[ReportKey, int],
) -> None:
    """Insert the lines of a file read by columns, a block at a time."""
    import pyarrow.compute as pc

    from patentpool.io import sales_columns

    assert changes.rules is not None
    try:
        for block in column_blocks(plan, changes.rules):
            ids = sales_columns.report_ids(block, report_ids)
            keep = pc.is_valid(ids)
            columns = [
                pc.filter(column, keep)
                for column in (
                    ids, block.line, block.sale, block.made, block.category, block.units, block.net
                )
            ]  # fmt: skip
            if len(columns[0]):
                if connection.dialect.name == "postgresql":
                    _copy_lines(connection, columns)
                else:
                    _insert_lines(connection, columns)
            if changes.advance is not None:
                changes.advance(len(block))
    except sales_columns.NotPlain:  # pragma: no cover - the file changed between the passes
        raise InvalidInput(
            f"{plan.display} changed while it was being imported; import it again"
        ) from None


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
#: | place. A file with more distinct places or reports than fit is written the other way.
_PLACE_BITS = 24
_MAX_KEYS = 1 << (62 - _PLACE_BITS)


class SqliteLineStage:
    """Checked sales lines held in a temporary table of the import's own SQLite connection.

    The first pass over a file read by columns hands each checked block here. A line is held
    as three values: one integer for its report (by number: the report has no id yet) and
    its countries and category (by number, in a small table of their own), its units and its
    net sales; its line in the file follows from its place in the table. Once the import
    knows which reports changed, :meth:`copy` moves their lines into ``sales_lines`` with one
    ``INSERT ... SELECT`` that runs inside SQLite. The file is read once instead of twice,
    and three values per line are bound from Python instead of seven. The tables are
    temporary and created inside the import's transaction: a failed or killed import leaves
    nothing of them.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.keys: dict[ReportKey, int] = {}
        self.places: dict[tuple[str, str, str], int] = {}
        # display -> (first rowid, last rowid, line of the first rowid)
        self.files: dict[str, tuple[int, int, int]] = {}
        self._rows = 0  # the rowid of the last line staged: lines take rowids 1, 2, 3, ...
        self._file: tuple[str, int] | None = None  # the file being staged, its first rowid
        self._first_line = 0  # and the line in it of that first rowid
        self._copying = False
        self._drop()
        connection.exec_driver_sql(
            "CREATE TEMP TABLE stage_lines (code INTEGER, units INTEGER, net_sales TEXT)"
        )

    def _drop(self) -> None:
        for table in ("stage_lines", "stage_reports", "stage_places"):
            self.connection.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{table}")

    def begin(self, display: str) -> None:
        self._file = (display, self._rows + 1)
        self._first_line = 0

    def add(self, block: sales_columns.Block) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        from patentpool.io.sales_columns import NotPlain

        assert self._file is not None
        if not len(block):
            return
        first_line = block.line[0].as_py()
        if not self._first_line:
            self._first_line = first_line
        elif first_line != self._first_line + self._rows + 1 - self._file[1]:  # pragma: no cover
            raise AssertionError("a staged file's lines must follow each other")
        keys = [self.keys.setdefault(key, len(self.keys)) for key in block.keys]
        places = [self.places.setdefault(place, len(self.places)) for place in block.places]
        if len(self.keys) > _MAX_KEYS or len(self.places) > 1 << _PLACE_BITS:
            raise NotPlain("too many reports or places to stage")  # pragma: no cover
        code = pc.add(
            pc.shift_left(pc.take(pa.array(keys, pa.int64()), block.key), _PLACE_BITS),
            pc.take(pa.array(places, pa.int64()), block.place),
        )
        _insert_lines(
            self.connection,
            [code, block.units, block.net],
            "temp.stage_lines",
            ("code", "units", "net_sales"),
        )
        self._rows += len(block)

    def end(self) -> None:
        assert self._file is not None
        display, first = self._file
        self.files[display] = (first, self._rows, self._first_line)
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
            "country_of_manufacture TEXT, category TEXT)"
        )
        reports = [(n, report_ids[k]) for k, n in self.keys.items() if k in report_ids]
        if reports:
            run("INSERT INTO temp.stage_reports VALUES (?, ?)", reports)
        if self.places:
            run(
                "INSERT INTO temp.stage_places VALUES (?, ?, ?, ?)",
                [(n, *place) for place, n in self.places.items()],
            )

    def copy(self, display: str, report_ids: Mapping[ReportKey, int]) -> int:
        """Write the lines ``display`` left here whose report is in ``report_ids``; the number
        of lines the file had."""
        if not self._copying:
            self._tables(report_ids)
            self._copying = True
        first, last, first_line = self.files[display]
        self.connection.exec_driver_sql(
            f"INSERT INTO sales_lines ({', '.join(_LINE_COLUMNS)}) "
            "SELECT r.report_id, s.rowid + ?, p.country_of_sale, p.country_of_manufacture, "
            "p.category, s.units, s.net_sales FROM temp.stage_lines AS s "
            "CROSS JOIN temp.stage_reports AS r CROSS JOIN temp.stage_places AS p "
            f"ON r.key = s.code >> {_PLACE_BITS} AND p.code = s.code & {(1 << _PLACE_BITS) - 1} "
            "WHERE s.rowid BETWEEN ? AND ? ORDER BY s.rowid",
            (first_line - first, first, last),
        )
        return last - first + 1

    def close(self) -> None:
        """Drop the temporary tables (their pages go back at once)."""
        self._drop()


def line_stage(session: Session) -> SqliteLineStage | None:
    """A stage for the import's sales lines on SQLite; None elsewhere (PostgreSQL's COPY
    writes the second pass's blocks fast enough, and its server holds no temporary table
    for a second connection)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return None
    return SqliteLineStage(connection)


def _copy_lines(connection: Connection, columns: list[pa.Array]) -> None:
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
        with cursor.copy(
            f"COPY sales_lines ({', '.join(_LINE_COLUMNS)}) FROM STDIN"
        ) as copy:
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


def load_sales(session: Session, program: str, periods: Sequence[Period]) -> list[SalesLine]:
    """The current report lines of ``program`` for the given periods, in a stable order."""
    return [SalesLine(*row) for row in load_sales_rows(session, program, periods)]


def load_sales_rows(
    session: Session,
    program: str,
    periods: Sequence[Period],
    licensees: Sequence[str] | None = None,
) -> list[SalesRow]:
    """:func:`load_sales` as plain tuples (for pricing without a record per line); only those
    of ``licensees`` when given."""
    return list(_sales_rows(session, program, periods, "r.period, r.licensee_id", licensees))


def iter_sales_groups(
    session: Session, program: str, periods: Sequence[Period], licensees: Mapping[str, Licensee]
) -> Iterator[list[SalesRow]]:
    """The current lines of the periods as plain tuples, one licensee group at a time (for
    :func:`patentpool.core.royalties.summarize_groups`).

    The lines come licensee by licensee; a group is handed on once the last of its licensees
    with lines has been read, so only the groups still open are held, not the whole year.
    """
    names = [str(p) for p in periods]
    if not names:
        return
    connection = session.connection()
    mark = _mark(connection)
    reporting = connection.exec_driver_sql(
        "SELECT DISTINCT licensee_id FROM sales_reports "
        f"WHERE program_id = {mark} AND current = {mark} "
        f"AND period IN ({', '.join([mark] * len(names))})",
        (program, True, *names),
    ).all()
    waiting: dict[str, set[str]] = defaultdict(set)  # group -> its licensees yet to be read
    for (lid,) in reporting:
        if lid not in licensees:
            raise NotFound("licensee", lid)
        waiting[licensees[lid].group_key].add(lid)
    held: dict[str, list[SalesRow]] = defaultdict(list)
    current: str | None = None
    for row in _sales_rows(session, program, periods, "r.licensee_id, r.period"):
        if row[0] != current:
            if current is not None:
                done = _read_all_of(current, licensees, waiting, held)
                if done is not None:
                    yield done
            current = row[0]
        held[licensees[current].group_key].append(row)
    if current is not None:
        done = _read_all_of(current, licensees, waiting, held)
        if done is not None:
            yield done
    yield from held.values()  # groups with a licensee whose reports hold no line


def _read_all_of(
    licensee: str,
    licensees: Mapping[str, Licensee],
    waiting: dict[str, set[str]],
    held: dict[str, list[SalesRow]],
) -> list[SalesRow] | None:
    """The lines of ``licensee``'s group once the last of its licensees has been read."""
    group = licensees[licensee].group_key
    waiting[group].discard(licensee)
    if waiting[group]:
        return None
    return held.pop(group)


def _mark(connection: Connection) -> str:
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def _sales_rows(
    session: Session,
    program: str,
    periods: Sequence[Period],
    order: str,
    licensees: Sequence[str] | None = None,
) -> Iterator[SalesRow]:
    """The current lines of the periods as plain tuples, in ``order`` (then by line).

    Read through the driver's own cursor, a batch at a time: a quarter can hold a million
    lines, and nothing of the ORM is needed to read them.
    """
    names = [str(p) for p in periods]
    if not names:
        return
    connection = session.connection()
    mark = _mark(connection)
    sql = (
        "SELECT r.licensee_id, r.period, r.source, l.line, l.country_of_sale, "
        "l.country_of_manufacture, l.category, l.units, l.net_sales "
        "FROM sales_reports r JOIN sales_lines l ON l.report_id = r.id "
        f"WHERE r.program_id = {mark} AND r.current = {mark} "
        f"AND r.period IN ({', '.join([mark] * len(names))}) "
        + (f"AND r.licensee_id IN ({', '.join([mark] * len(licensees))}) " if licensees else "")
        + f"ORDER BY {order}, l.line, l.id"
    )
    parsed: dict[str, Period] = {}
    # the few distinct licensees, countries and categories are kept once each, not per line
    same: dict[str, str] = {}
    share = same.setdefault
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql, (program, True, *names, *(licensees or ())))
        while rows := cursor.fetchmany(BATCH):
            for licensee, period_text, source, line, sale, made, category, units, net in rows:
                period = parsed.get(period_text)
                if period is None:
                    period = parsed[period_text] = Period.parse(period_text)
                yield (
                    share(licensee, licensee), period, share(sale, sale), share(made, made),
                    share(category, category), int(units),
                    None if net is None else Decimal(net), f"{source}:{line}",
                )  # fmt: skip
    finally:
        cursor.close()


def load_payments(
    session: Session, program: str | None = None, licensee: str | None = None
) -> list[Payment]:
    query = select(PaymentRow).order_by(
        PaymentRow.period, PaymentRow.licensee_id, PaymentRow.received, PaymentRow.id
    )
    if program is not None:
        query = query.where(PaymentRow.program_id == program)
    if licensee is not None:
        query = query.where(PaymentRow.licensee_id == licensee)
    return [
        Payment(p.program_id, p.licensee_id, Period.parse(p.period), p.amount, p.received, p.source)
        for p in session.scalars(query)
    ]


def collected(payments: Iterable[Payment], period: Period) -> Decimal:
    return sum((p.amount for p in payments if p.period == period), Decimal(0))


def report_revisions(
    session: Session, program: str, licensee: str, period: Period
) -> list[SalesReportRow]:
    return list(
        session.scalars(
            select(SalesReportRow)
            .where(
                SalesReportRow.program_id == program,
                SalesReportRow.licensee_id == licensee,
                SalesReportRow.period == str(period),
            )
            .order_by(SalesReportRow.revision)
        )
    )


def reported_periods(session: Session, program: str, licensee: str | None = None) -> list[Period]:
    query = select(SalesReportRow.period).where(
        SalesReportRow.program_id == program, SalesReportRow.current.is_(True)
    )
    if licensee is not None:
        query = query.where(SalesReportRow.licensee_id == licensee)
    return sorted({Period.parse(p) for p in session.scalars(query)})


def report_checksums(
    session: Session, program: str, periods: Sequence[Period]
) -> list[dict[str, object]]:
    """The current sales reports of the periods: who, when, which revision, what checksum."""
    names = [str(p) for p in periods]
    rows = session.execute(
        select(
            SalesReportRow.licensee_id,
            SalesReportRow.period,
            SalesReportRow.revision,
            SalesReportRow.checksum,
            SalesReportRow.lines,
            SalesReportRow.units,
        )
        .where(
            SalesReportRow.program_id == program,
            SalesReportRow.current.is_(True),
            SalesReportRow.period.in_(names),
        )
        .order_by(SalesReportRow.period, SalesReportRow.licensee_id)
    )
    return [
        {
            "licensee": licensee,
            "period": period,
            "revision": revision,
            "checksum": checksum,
            "lines": int(lines),
            "units": int(units or 0),
        }
        for licensee, period, revision, checksum, lines, units in rows
    ]
