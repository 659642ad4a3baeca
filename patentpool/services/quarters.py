"""A quarter's royalty totals, priced once and kept for every distribution of it.

Distributing a quarter needs only what is due in all and by country. Pricing a million sales
lines takes a while, and a pool may try several policies on one quarter, so the totals are
stored under a checksum of everything they depend on - the programme's terms, the licensees,
the year's sales reports and the counted patents - and priced again only when one of those
changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from patentpool.core.licensing import counted_declarations
from patentpool.core.periods import Period
from patentpool.core.royalties import RoyaltyResult
from patentpool.services.royalties import ProgramContext, royalties
from patentpool.storage import licensing_repo
from patentpool.storage.models import QuarterTotalsRow


@dataclass(frozen=True, slots=True)
class QuarterTotals:
    total_due: Decimal
    by_country: dict[str, Decimal]
    priced_lines: int
    reused: bool = False  # True when read back instead of priced


def pricing_inputs(
    ctx: ProgramContext, period: Period, reports: list[dict[str, object]]
) -> dict[str, Any]:
    """Everything a quarter's royalties depend on, in a canonical order; ``reports`` are the
    year's current sales reports (:func:`licensing_repo.report_checksums`)."""
    index = ctx.register.patent_index()
    declared = counted_declarations(ctx.register, ctx.program)
    patents = []
    for key in sorted(declared):
        p = index[key]
        patents.append(
            [
                key,
                p.kind,
                p.status.value,
                p.filing_date.isoformat(),
                p.grant_date.isoformat() if p.grant_date else None,
                p.expiry_date.isoformat() if p.expiry_date else None,
                sorted(p.validated_states),
            ]
        )
    licensees = [
        [lic.id, lic.group_key, lic.country, lic.member, lic.good_standing,
         lic.signed.isoformat() if lic.signed else None]
        for lic in sorted(ctx.licensees.values(), key=lambda lic: lic.id)
    ]  # fmt: skip
    return {
        "program": json.loads(ctx.spec),
        "period": str(period),
        "licensees": licensees,
        "patents": patents,
        "sales_reports": reports,
    }


def _checksum(
    session: Session,
    ctx: ProgramContext,
    period: Period,
    reports: list[dict[str, object]] | None = None,
) -> str:
    if reports is None:
        reports = licensing_repo.report_checksums(session, ctx.program.id, period.year_to_date())
    canonical = json.dumps(pricing_inputs(ctx, period, reports), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _stored(
    session: Session, ctx: ProgramContext, period: Period, checksum: str
) -> QuarterTotalsRow | None:
    found: QuarterTotalsRow | None = session.scalar(
        select(QuarterTotalsRow).where(
            QuarterTotalsRow.program_id == ctx.program.id,
            QuarterTotalsRow.period == str(period),
            QuarterTotalsRow.inputs_sha256 == checksum,
        )
    )
    return found


def remember(
    session: Session,
    ctx: ProgramContext,
    period: Period,
    result: RoyaltyResult,
    checksum: str | None = None,
) -> QuarterTotals:
    """Keep the totals of a quarter just priced in full (every licensee), for distributions;
    ``checksum`` is that of its inputs when the caller has it already."""
    totals = QuarterTotals(
        result.total_due,
        result.royalties_by_country(),
        sum(item.priced_lines for item in result.licensees),
    )
    checksum = checksum or _checksum(session, ctx, period)
    if _stored(session, ctx, period, checksum) is None:
        with session.begin_nested():
            session.add(
                QuarterTotalsRow(
                    program_id=ctx.program.id,
                    period=str(period),
                    inputs_sha256=checksum,
                    total_due=totals.total_due,
                    by_country=json.dumps(
                        {k: format(v, "f") for k, v in totals.by_country.items()}
                    ),
                    priced_lines=totals.priced_lines,
                    created_at=dt.datetime.now(dt.UTC),
                )
            )
    return totals


def quarter_totals(
    session: Session,
    ctx: ProgramContext,
    period: Period,
    reports: list[dict[str, object]] | None = None,
) -> QuarterTotals:
    """The quarter's totals: read back when nothing they depend on changed, else priced.

    ``reports``: the year's current sales reports, when the caller has read them already.
    """
    checksum = _checksum(session, ctx, period, reports)
    row = _stored(session, ctx, period, checksum)
    if row is not None:
        by_country = {k: Decimal(v) for k, v in json.loads(row.by_country).items()}
        return QuarterTotals(row.total_due, by_country, row.priced_lines, reused=True)
    result = royalties(session, ctx.program.id, period, context=ctx, detail=False)
    return remember(session, ctx, period, result, checksum)
