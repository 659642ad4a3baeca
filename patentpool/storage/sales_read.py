"""The current sales lines of a programme's periods, read as plain tuples a batch at a time
(for pricing: :mod:`patentpool.storage.licensing_repo`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from patentpool.core.fx import Conversion
from patentpool.core.line_blocks import LineBlock
from patentpool.core.line_pricing import SalesRow
from patentpool.core.periods import Period
from patentpool.errors import InvalidInput
from patentpool.storage import fx_repo
from patentpool.storage.engine import param_mark
from patentpool.storage.models import ProgramRow

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
    licensees: Sequence[str] | None = None,
) -> Iterator[LineBlock]:
    """The lines of :func:`sales_rows`, report by report, in blocks of up to ``BATCH`` lines.

    Read through the driver's own cursor: a quarter can hold a million lines, and nothing of
    the ORM is needed to read them. The current reports come first, in ``order``, then each
    one's lines by its index on ``report_id``: no join, and no sort of the whole quarter.
    Each batch is made into columns (``zip`` and ``map``, no Python step per line), which
    the pricing takes as they are; the licensee, period and source are the report's.
    """
    names = [str(p) for p in periods]
    if not names:
        return
    connection = session.connection()
    mark = param_mark(connection)
    reports_sql = (
        "SELECT id, licensee_id, period, source FROM sales_reports "
        f"WHERE program_id = {mark} AND current = {mark} "
        f"AND period IN ({', '.join([mark] * len(names))}) "
        + (f"AND licensee_id IN ({', '.join([mark] * len(licensees))}) " if licensees else "")
        + f"ORDER BY {order}, id"
    )
    lines_sql = (
        "SELECT line, country_of_sale, country_of_manufacture, category, units, net_sales, "
        f"currency FROM sales_lines WHERE report_id = {mark} ORDER BY line, id"
    )
    parsed: dict[str, Period] = {}
    rates = _Rates(session, program, names)
    # the few distinct licensees, countries and categories are kept once each, not per line
    same: dict[str, str] = {}
    share = same.setdefault
    cursor = connection.connection.cursor()
    try:
        cursor.execute(reports_sql, (program, True, *names, *(licensees or ())))
        reports = cursor.fetchall()
        for report, licensee, text, source in reports:
            period = parsed.get(text)
            if period is None:
                period = parsed[text] = Period.parse(text)
            of = _Report(report, share(licensee, licensee), period, source)
            cursor.execute(lines_sql, (report,))
            while rows := cursor.fetchmany(BATCH):
                yield _block(rows, of, share, rates)
    finally:
        cursor.close()


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
    """Lines of one report (a batch of :func:`sales_batches`) as a block of columns."""
    lines, sales, mades, categories, units, nets, codes = zip(*rows, strict=True)
    sources = list(map(f"{report.source}:".__add__, map(str, lines)))
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
