"""The current sales lines of a programme's periods, read as plain tuples a batch at a time
(for pricing: :mod:`patentpool.storage.licensing_repo`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import repeat

from sqlalchemy.orm import Session

from patentpool.core.fx import Conversion
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
    for batch in sales_batches(session, program, periods, order, licensees):
        yield from batch


def sales_batches(
    session: Session,
    program: str,
    periods: Sequence[Period],
    order: str,
    licensees: Sequence[str] | None = None,
) -> Iterator[list[SalesRow]]:
    """The lines of :func:`sales_rows`, a list of up to ``BATCH`` at a time.

    Read through the driver's own cursor, a batch at a time: a quarter can hold a million
    lines, and nothing of the ORM is needed to read them. Each batch is turned into tuples
    column by column (``map`` and ``zip``, no Python step per line): the source of each line
    is written by the database.
    """
    names = [str(p) for p in periods]
    if not names:
        return
    connection = session.connection()
    mark = param_mark(connection)
    sql = (
        "SELECT r.licensee_id, r.period, r.source || ':' || l.line, l.country_of_sale, "
        "l.country_of_manufacture, l.category, l.units, l.net_sales, l.currency, r.id "
        "FROM sales_reports r JOIN sales_lines l ON l.report_id = r.id "
        f"WHERE r.program_id = {mark} AND r.current = {mark} "
        f"AND r.period IN ({', '.join([mark] * len(names))}) "
        + (f"AND r.licensee_id IN ({', '.join([mark] * len(licensees))}) " if licensees else "")
        + f"ORDER BY {order}, l.line, l.id"
    )
    parsed: dict[str, Period] = {}
    rates = _Rates(session, program, names)
    # the few distinct licensees, countries and categories are kept once each, not per line
    same: dict[str, str] = {}
    share = same.setdefault
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql, (program, True, *names, *(licensees or ())))
        while rows := cursor.fetchmany(BATCH):
            yield _batch_rows(rows, share, parsed, rates)
    finally:
        cursor.close()


def _batch_rows(
    rows: Sequence[Sequence[object]],
    share: Callable[[str, str], str],
    parsed: dict[str, Period],
    rates: _Rates,
) -> list[SalesRow]:
    """One batch of :func:`sales_batches` as sales rows, made column by column."""
    columns = zip(*rows, strict=True)
    lids, texts, sources, sales, mades, categories, units, nets, codes, reports = columns
    for text in set(texts):
        if text not in parsed:
            parsed[text] = Period.parse(text)
    periods = list(map(parsed.__getitem__, texts))
    if None in nets:
        decimals: Iterable[Decimal | None] = [None if n is None else Decimal(n) for n in nets]
    else:
        decimals = map(Decimal, nets)
    if codes.count(None) != len(codes):
        fx: Iterable[Conversion | None] = [
            None if code is None else rates.of(report, code, period, source.rpartition(":")[0])
            for code, report, period, source in zip(codes, reports, periods, sources, strict=True)
        ]
    else:
        fx = repeat(None)
    return list(
        zip(
            map(share, lids, lids), periods, map(share, sales, sales), map(share, mades, mades),
            map(share, categories, categories), units, decimals, sources, fx, strict=False,
        )  # fx may be endless
    )  # fmt: skip
