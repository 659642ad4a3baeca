"""A quarter's royalty totals, priced once and kept for every distribution of it.

Distributing a quarter needs only what is due in all and by country. Pricing a million sales
lines takes a while, and a pool may try several policies on one quarter, so the totals are
stored under a checksum of everything they depend on - the programme's terms, the licensees,
the year's sales reports, the counted patents and the edition of the pricing rules - and
priced again only when one of those changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from json.encoder import encode_basestring_ascii
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from patentpool.core.model import Patent, PatentKey, Status
from patentpool.core.periods import Period
from patentpool.core.royalties import PRICING_RULES, RoyaltyResult
from patentpool.services.royalties import ProgramContext, royalties
from patentpool.storage import licensing_repo
from patentpool.storage.models import QuarterTotalsRow


@dataclass(frozen=True, slots=True)
class QuarterTotals:
    total_due: Decimal
    by_country: dict[str, Decimal]
    priced_lines: int
    reused: bool = False  # True when read back instead of priced


#: A string as ``json.dumps`` writes it (quoted, escaped, non-ASCII as \u escapes).
_text = encode_basestring_ascii


def _text_or_null(value: str | None) -> str:
    return "null" if value is None else _text(value)


def canonical_json(
    document: Mapping[str, Any],
    encoded: Mapping[str, str],
    separators: tuple[str, str] = (", ", ": "),
) -> str:
    """``json.dumps({**document, **encoded}, sort_keys=True, separators=separators)``, where
    the values of ``encoded`` are JSON texts already, written with the same separators.

    The counted patents of a large register are tens of thousands of small records: written as
    text one by one they cost a fraction of what building and encoding values for them does.
    """
    item, colon = separators
    parts = []
    for key in sorted({*document, *encoded}):
        if key in encoded:
            value = encoded[key]
        else:
            value = json.dumps(document[key], sort_keys=True, separators=separators)
        parts.append(f"{_text(key)}{colon}{value}")
    return "{" + item.join(parts) + "}"


def pricing_inputs(
    ctx: ProgramContext,
    period: Period,
    reports: list[dict[str, object]],
    counted: Mapping[PatentKey, tuple[Patent, object]] | None = None,
) -> str:
    """Everything a quarter's royalties depend on, as canonical JSON: the edition of the
    pricing rules (:data:`PRICING_RULES`), the programme's terms, the period, the licensees,
    the counted patents (key, kind, status, filing, grant and expiry dates, validated states)
    and ``reports``, the year's current sales reports (:func:`licensing_repo.report_checksums`).
    ``counted``: the programme's counted patents (:func:`counted_by_key`), the context's own
    (``ctx.counted``) when not given.
    """
    if counted is None:
        counted = ctx.counted
    status = {s: _text(s.value) for s in Status}
    patents = []
    for key in sorted(counted):
        p = counted[key][0]
        # ISO dates need no escaping
        granted = f'"{p.grant_date.isoformat()}"' if p.grant_date else "null"
        expires = f'"{p.expiry_date.isoformat()}"' if p.expiry_date else "null"
        states = ", ".join(map(_text, sorted(p.validated_states)))
        patents.append(
            f"[{_text(key)}, {_text_or_null(p.kind)}, {status[p.status]}, "
            f'"{p.filing_date.isoformat()}", {granted}, {expires}, [{states}]]'
        )
    licensees = [
        [lic.id, lic.group_key, lic.country, lic.member, lic.good_standing,
         lic.signed.isoformat() if lic.signed else None]
        for lic in sorted(ctx.licensees.values(), key=lambda lic: lic.id)
    ]  # fmt: skip
    document = {
        "program": json.loads(ctx.spec),
        "period": str(period),
        "licensees": licensees,
        "sales_reports": reports,
        "rules": PRICING_RULES,
    }
    return canonical_json(document, {"patents": "[" + ", ".join(patents) + "]"})


def _checksum(
    session: Session,
    ctx: ProgramContext,
    period: Period,
    reports: list[dict[str, object]] | None = None,
    counted: Mapping[PatentKey, tuple[Patent, object]] | None = None,
) -> str:
    if reports is None:
        reports = licensing_repo.report_checksums(session, ctx.program.id, period.year_to_date())
    canonical = pricing_inputs(ctx, period, reports, counted)
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
    counted: Mapping[PatentKey, tuple[Patent, object]] | None = None,
    processes: int = 1,
) -> QuarterTotals:
    """The quarter's totals: read back when nothing they depend on changed, else priced (in
    up to ``processes`` processes: :func:`patentpool.services.royalties.royalties`).

    ``reports``: the year's current sales reports, and ``counted``: the programme's
    :func:`counted_by_key`, when the caller has them already.
    """
    checksum = _checksum(session, ctx, period, reports, counted)
    row = _stored(session, ctx, period, checksum)
    if row is not None:
        by_country = {k: Decimal(v) for k, v in json.loads(row.by_country).items()}
        return QuarterTotals(row.total_due, by_country, row.priced_lines, reused=True)
    result = royalties(
        session, ctx.program.id, period, context=ctx, detail=False, processes=processes
    )
    return remember(session, ctx, period, result, checksum)
