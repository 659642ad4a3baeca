"""The current sales lines of a programme's periods, read as plain tuples a batch at a time
(for pricing: :mod:`patentpool.storage.licensing_repo`)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy.orm import Session

from patentpool.core.fx import Conversion
from patentpool.core.line_blocks import LineBlock, NumberedSources
from patentpool.core.line_pricing import SalesRow
from patentpool.core.periods import Period
from patentpool.errors import InvalidInput
from patentpool.storage import fx_repo
from patentpool.storage.engine import param_mark
from patentpool.storage.models import ProgramRow
from patentpool.storage.read_ahead import read_ahead

#: Sales lines read per round trip from the database.
BATCH = 20_000


class _Rates:
    """The conversions stored with the reports read, looked up by (report, currency)."""

    def __init__(self, session: Session, program: str, periods: Sequence[str]) -> None:
        self.held = fx_repo.report_conversions(session, program, periods)
        row = session.get(ProgramRow, program)
        self.currency = "" if row is None else row.currency

    def of(self, report: int, currency: str, period: Period, source: str) -> Conversion | None:
        if currency == self.currency:
            return None
        found = self.held.get((report, currency))
        if found is None:
            raise InvalidInput(
                f"currency: no {currency} rate for {period} stored with the sales report "
                f"{source}; import the reference rates of {period} and the report again"
            )
        return found


def sales_rows(
    session: Session,
    program: str,
    periods: Sequence[Period],
    order: str,
    licensees: Sequence[str] | None = None,
) -> Iterator[SalesRow]:
    """The current lines of the periods as plain tuples, in ``order`` (then by line)."""
    for block in sales_batches(session, program, periods, order, licensees):
        yield from block.rows()


def sales_batches(
    session: Session,
    program: str,
    periods: Sequence[Period],
    order: str,
    licensees: Collection[str] | None = None,
) -> Iterator[LineBlock]:
    """The lines of :func:`sales_rows`, report by report, in blocks of up to ``BATCH`` lines;
    ``licensees``: only theirs (picked from the periods' reports as they are read, however
    many they are).

    Read through the driver's own cursor: a quarter can hold a million lines, and nothing of
    the ORM is needed to read them. The current reports come first, in ``order``; then their
    lines, by the index on (report, line, id): no join, and no sort of the whole quarter.
    On a server, consecutive reports are read together, up to ``BATCH`` lines (their stored
    counts) and :data:`REPORTS` reports a statement, and a larger report alone, a batch at a
    time: a quarter of a thousand small reports is a few round trips, not a thousand.
    Each report's lines are made into a block of columns (``zip`` and ``map``, no Python step
    per line), which the pricing takes as they are; the licensee, period and source are the
    report's.
    """
    names = [str(p) for p in periods]
    if not names:
        return
    connection = session.connection()
    mark = param_mark(connection)
    reports_sql = (
        "SELECT id, licensee_id, period, source, lines FROM sales_reports "
        f"WHERE program_id = {mark} AND current = {mark} "
        f"AND period IN ({', '.join([mark] * len(names))}) "
        f"ORDER BY {order}, id"
    )
    only = set(licensees) if licensees else None
    parsed: dict[str, Period] = {}
    rates = _Rates(session, program, names)
    # the few distinct licensees, countries and categories are kept once each, not per line
    same: dict[str, str] = {}
    share = same.setdefault
    cursor = connection.connection.cursor()
    try:
        cursor.execute(reports_sql, (program, True, *names))
        reports = []
        for report, licensee, text, source, lines in cursor.fetchall():
            if only is not None and licensee not in only:
                continue
            period = parsed.get(text)
            if period is None:
                period = parsed[text] = Period.parse(text)
            reports.append((_Report(report, share(licensee, licensee), period, source), lines))
        dialect = connection.dialect.name
        fetched = _fetched(cursor, mark, _chunks(reports, REPORTS[dialect]))
        with read_ahead(fetched) if AHEAD[dialect] else nullcontext(fetched) as chunks:
            for chunk, rows in chunks:
                if len(chunk) == 1:  # one report (perhaps a batch of a large one's lines)
                    yield _block(rows, chunk[0], share, rates)
                    continue
                by_report = {rid: list(lines) for rid, lines in groupby(rows, _REPORT_ID)}
                for report in chunk:  # in ``order``; a report without lines has no block
                    if report.id in by_report:
                        yield _block(by_report.pop(report.id), report, share, rates)
    finally:
        cursor.close()


def _fetched(
    cursor: Any, mark: str, chunks: Iterable[list[_Report]]
) -> Iterator[tuple[list[_Report], list[Any]]]:
    """The rows of each chunk of reports, with the chunk: those of several reports at once,
    those of a report alone a batch at a time."""
    for chunk in chunks:
        cursor.execute(_lines_sql(mark, len(chunk)), [report.id for report in chunk])
        if len(chunk) == 1:  # one report, perhaps a large one: a batch at a time
            while rows := cursor.fetchmany(BATCH):
                yield chunk, rows
        else:
            yield chunk, cursor.fetchall()


#: The most reports whose lines are read by one statement, by database: SQLite runs in the
#: process, so a statement costs no round trip, and reads its reports fastest one by one
#: (benchmarks/README.md, "Reports read together on a server").
REPORTS = {"sqlite": 1, "postgresql": 100}

#: Whether the next statement's lines are fetched while those before are priced, by database
#: (:func:`~patentpool.storage.read_ahead.read_ahead`): a server reads them in a process of
#: its own; SQLite reads in this one, and would only wait for the pricing.
AHEAD = {"sqlite": False, "postgresql": True}

_REPORT_ID = itemgetter(0)


def _lines_sql(mark: str, reports: int) -> str:
    """The lines of ``reports`` reports, each report's in the order of its lines."""
    return (
        "SELECT report_id, line, country_of_sale, country_of_manufacture, category, units, "
        f"net_sales, currency FROM sales_lines WHERE report_id IN ({', '.join([mark] * reports)}) "
        "ORDER BY report_id, line, id"
    )


def _chunks(reports: Sequence[tuple[_Report, int]], most: int) -> Iterator[list[_Report]]:
    """Consecutive reports, each list up to ``BATCH`` lines in all (by the reports' own
    counts) and ``most`` reports; a report of more lines alone."""
    chunk: list[_Report] = []
    held = 0
    for report, lines in reports:
        if chunk and (held + lines > BATCH or len(chunk) == most):
            yield chunk
            chunk, held = [], 0
        chunk.append(report)
        held += lines
    if chunk:
        yield chunk


@dataclass(frozen=True, slots=True)
class _Report:
    """What the lines of one report share."""

    id: int
    licensee: str
    period: Period
    source: str


def _block(
    rows: Sequence[Sequence[object]],
    report: _Report,
    share: Callable[[str, str], str],
    rates: _Rates,
) -> LineBlock:
    """Lines of one report (its id first, then the columns of :func:`_lines_sql`), a batch of
    :func:`sales_batches`, as a block of columns."""
    _, lines, sales, mades, categories, units, nets, codes = zip(*rows, strict=True)
    sources = NumberedSources(f"{report.source}:", lines)
    if None in nets:
        decimals: list[Decimal | None] = [None if n is None else Decimal(n) for n in nets]
    else:
        decimals = list(map(Decimal, nets))
    fx: list[Conversion | None] | None = None
    if codes.count(None) != len(codes):
        fx = [
            None if code is None else rates.of(report.id, code, report.period, report.source)
            for code in codes
        ]
    return LineBlock(
        report.licensee, report.period, list(map(share, sales, sales)),
        list(map(share, mades, mades)), list(map(share, categories, categories)), units,
        decimals, sources, fx,
    )  # fmt: skip
