"""Reference rates in the database: saved from an import, read back as a core rate table;
the rates chosen for the reports' other currencies (``report_fx``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from patentpool.core.fx import Conversion, RateTable
from patentpool.core.licensing_records import ReportKey, ReportRecord
from patentpool.storage.models import FxRateRow, ReportFxRow, SalesReportRow


def save_rates(
    session: Session, quotes: Iterable[tuple[dt.date, str, Decimal, str]]
) -> tuple[int, int]:
    """Add the (day, currency, rate, source) quotes not held yet and replace those whose rate
    differs; (added, changed)."""
    wanted = {(day, cur): (rate, source) for day, cur, rate, source in quotes}
    if not wanted:
        return 0, 0
    days = [d for d, _ in wanted]
    held = {
        (r.day, r.currency): r
        for r in session.scalars(
            select(FxRateRow).where(FxRateRow.day >= min(days), FxRateRow.day <= max(days))
        )
    }
    added = changed = 0
    for (day, cur), (rate, source) in sorted(wanted.items()):
        row = held.get((day, cur))
        if row is None:
            session.add(FxRateRow(day=day, currency=cur, rate=rate, source=source))
            added += 1
        elif row.rate != rate:
            row.rate, row.source = rate, source
            changed += 1
    session.flush()
    return added, changed


def load_rates(session: Session) -> RateTable:
    """Every rate held; the table's source names the files they came from."""
    rates: dict[dt.date, dict[str, Decimal]] = {}
    sources: set[str] = set()
    for row in session.scalars(select(FxRateRow).order_by(FxRateRow.day)):
        rates.setdefault(row.day, {})[row.currency] = row.rate
        sources.add(row.source)
    return RateTable(rates, source=", ".join(sorted(sources)))


def save_report_fx(
    session: Session,
    report_ids: Mapping[ReportKey, int],
    reports: Mapping[ReportKey, ReportRecord],
) -> int:
    """The rates chosen at import for the new report revisions' other currencies; how many."""
    rows = [
        ReportFxRow(
            report_id=report_ids[key],
            currency=c.source_currency,
            target=c.target_currency,
            rate=f"{c.rate.numerator}/{c.rate.denominator}",
            rule=c.rule,
            day=c.day,
            first_day=c.first_day,
            source=c.source,
        )
        for key, record in sorted(reports.items())
        if key in report_ids
        for c in record.fx
    ]
    session.add_all(rows)
    session.flush()
    return len(rows)


def _conversion(row: ReportFxRow) -> Conversion:
    return Conversion(
        row.currency, row.target, Fraction(row.rate), row.day, row.rule, row.source, row.first_day
    )


def report_conversions(
    session: Session, program: str, periods: Sequence[str]
) -> dict[tuple[int, str], Conversion]:
    """The rates of the current reports of ``program`` for ``periods``, by (report, currency)."""
    if not periods:
        return {}
    query = (
        select(ReportFxRow)
        .join(SalesReportRow, SalesReportRow.id == ReportFxRow.report_id)
        .where(
            SalesReportRow.program_id == program,
            SalesReportRow.current.is_(True),
            SalesReportRow.period.in_(list(periods)),
        )
    )
    return {(row.report_id, row.currency): _conversion(row) for row in session.scalars(query)}


def conversions_of(session: Session, report_id: int) -> list[Conversion]:
    """The rates stored with one report revision, by currency."""
    query = select(ReportFxRow).where(ReportFxRow.report_id == report_id)
    return [_conversion(r) for r in session.scalars(query.order_by(ReportFxRow.currency))]
