"""Reference rates in the database: saved from an import, read back as a core rate table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from patentpool.core.fx import RateTable
from patentpool.storage.models import FxRateRow


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
