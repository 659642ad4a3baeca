"""The JSON documents the CLI's ``--format json`` prints and the portal's API answers: one
builder for both, so that they cannot drift apart."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from patentpool.core.model import Declaration
from patentpool.core.register import PatentView


def money(value: Decimal) -> str:
    """An amount as a plain decimal string."""
    return format(value, "f")


def patent_row(view: PatentView) -> dict[str, Any]:
    """One patent of ``patents list``, with the declarations that matched."""
    p = view.patent
    return {
        "patent": p.publication_number,
        "owner": p.owner,
        "family": p.family,
        "filing_date": p.filing_date.isoformat(),
        "grant_date": p.grant_date.isoformat() if p.grant_date else None,
        "expiry": view.expiry.isoformat(),
        "status": p.status.value,
        "validated_states": sorted(p.validated_states),
        "declarations": [declaration_text(d) for d in view.declarations],
        "title": p.title,
    }


def declaration_text(d: Declaration) -> str:
    """``IGRS 1.0 media: essential``; what a declaration says of licensing, when it does:
    ``(declared 2005-02-23; FRAND yes; reciprocity no)``."""
    text = f"{d.standard} {d.version}{' ' + d.section if d.section else ''}: {d.essentiality.value}"
    if d.frand is None and d.reciprocity is None:
        return text
    said = [f"declared {d.declared_on.isoformat()}"] if d.declared_on else []
    for name, flag in (("FRAND", d.frand), ("reciprocity", d.reciprocity)):
        if flag is not None:
            said.append(f"{name} {'yes' if flag else 'no'}")
    return f"{text} ({'; '.join(said)})"


def royalty_document(result: Any) -> dict[str, Any]:
    """The JSON form of a royalty result (money as decimal strings)."""
    out = {
        "program": result.program,
        "period": str(result.period),
        "currency": result.currency,
        "schedule_from": result.schedule_from.isoformat(),
        "total_due": money(result.total_due),
        "licensees": [],
    }
    for item in result.licensees:
        out["licensees"].append(
            {
                "licensee": item.licensee,
                "group": item.group,
                "units": item.units,
                "gross": money(item.gross),
                "cap_reduction": money(item.cap_reduction),
                "discount": money(item.discount),
                "due": money(item.due),
                "lines": [_line_document(ln) for ln in item.lines],
            }
        )
    return out


def _line_document(ln: Any) -> dict[str, Any]:
    rate = ln.rate
    rate_doc: dict[str, Any] | None = None
    if rate is not None:
        rate_doc = {"kind": rate.kind}
        if rate.per_unit is not None:
            rate_doc["per_unit"] = money(rate.per_unit)
        if rate.percent is not None:
            rate_doc["percent"] = money(rate.percent)
        if rate.base is not None:
            rate_doc["base"] = money(Decimal(rate.base.numerator) / Decimal(rate.base.denominator))
            rate_doc["clamped"] = rate.clamped
        if rate.tiers:
            rate_doc["tiers"] = [
                {
                    "above": t.above,
                    "up_to": t.up_to,
                    "units": t.units,
                    "per_unit": money(t.per_unit),
                }
                for t in rate.tiers
            ]
    doc = {
        "source": ln.line.source,
        "country_of_sale": ln.line.country_of_sale,
        "country_of_manufacture": ln.line.country_of_manufacture,
        "category": ln.line.category,
        "units": ln.line.units,
        "net_sales": None if ln.line.net_sales is None else money(ln.line.net_sales),
        "rate": rate_doc,
        "region": ln.region,
        "multiplier": money(ln.multiplier),
        "gross": money(ln.gross),
        "due": money(ln.due),
        "reason": ln.reason,
    }
    if ln.line.fx is not None:  # net sales in another currency: the rate that converted them
        doc["currency"] = ln.line.fx.source_currency
        doc["fx"] = fx_document(ln.line.fx)
    return doc


def fx_document(fx: Any) -> dict[str, Any]:
    """A conversion as documents show it: the rate (6 places, and exact), rule, date(s) and
    source."""
    return {
        "rate": fx.rate_text(),
        "rate_exact": f"{fx.rate.numerator}/{fx.rate.denominator}",
        "to": fx.target_currency,
        "rule": fx.rule,
        "date": fx.dates_text(),
        "source": fx.source,
    }


def fx_text(currency: str, fx: dict[str, Any]) -> str:
    """``1 CNY = 0.147373 USD (quarter_end, 2026-03-31, FILE)``."""
    return (
        f"1 {currency} = {fx['rate']} {fx['to']} ({fx['rule']}, {fx['date']}, {fx['source']})"
    )
