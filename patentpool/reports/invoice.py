"""The invoice: what one licensee owes for one quarter, line by line, with tiers, the annual cap,
discounts and the payment terms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from patentpool.core.fx import Conversion
from patentpool.core.licensing import Licensee, Program
from patentpool.core.periods import Period
from patentpool.core.royalties import LicenseeRoyalty, RoyaltyLine
from patentpool.errors import InvalidInput
from patentpool.reports.documents import fx_document, fx_text
from patentpool.reports.rates import LicenseeTerms, ScheduleTerms, licensee_terms, schedule_terms


@dataclass(frozen=True, slots=True)
class PaymentTerms:
    """When and how to pay: ``days`` after ``issued``; ``number`` is the invoice's reference."""

    issued: dt.date
    days: int = 30
    number: str | None = None
    pay_to: str | None = None  # the account or address to pay to, as printed
    issuer: str | None = None  # who sends the invoice (the pool administrator)

    def __post_init__(self) -> None:
        if isinstance(self.days, bool) or self.days < 0:
            raise InvalidInput(f"days: {self.days!r} is not a number of days")

    @property
    def due_date(self) -> dt.date:
        return self.issued + dt.timedelta(days=self.days)


@dataclass(frozen=True, slots=True)
class InvoiceReport:
    """The invoice's context: the core's priced lines (``lines``: each with the rate applied,
    tier slices, region multiplier, gross and due) and the licensee's totals:
    ``gross - cap_reduction - discount = due``."""

    program: str
    currency: str
    period: Period
    licensee: LicenseeTerms
    schedule: ScheduleTerms
    discounts_applied: tuple[tuple[str, Decimal], ...]  # ("good standing", 0.1)...
    lines: tuple[RoyaltyLine, ...]
    units: int
    gross: Decimal
    cap_reduction: Decimal
    discount: Decimal
    due: Decimal
    terms: PaymentTerms
    due_date: dt.date
    #: the licensee's corrected sales reports of the year so far, the figures above being
    #: those of the current revisions ("sales report of 2026Q1: revision 2 of ... replaced
    #: revision 1 of ...")
    corrections: tuple[str, ...] = ()
    #: how net sales in other currencies became the programme's, one text per rate
    rates: tuple[str, ...] = ()


def invoice_context(
    royalty: LicenseeRoyalty,
    program: Program,
    licensee: Licensee,
    period: Period,
    terms: PaymentTerms,
    corrections: tuple[str, ...] = (),
) -> InvoiceReport:
    """The invoice of ``licensee`` for ``period``; ``royalty`` is its part of the quarter's
    :class:`~patentpool.core.royalties.RoyaltyResult`."""
    if royalty.licensee != licensee.id:
        raise InvalidInput(
            f"licensee: these royalties are owed by {royalty.licensee!r}, not by {licensee.id!r}"
        )
    schedule = program.schedule_for(period)
    applied = []
    if licensee.good_standing and schedule.discounts.good_standing:
        applied.append(("good standing", schedule.discounts.good_standing))
    if licensee.member and schedule.discounts.member:
        applied.append(("alliance member", schedule.discounts.member))
    return InvoiceReport(
        program=program.id,
        currency=program.currency,
        period=period,
        licensee=licensee_terms(licensee),
        schedule=schedule_terms(schedule, None),
        discounts_applied=tuple(applied),
        lines=royalty.lines,
        units=royalty.units,
        gross=royalty.gross,
        cap_reduction=royalty.cap_reduction,
        discount=royalty.discount,
        due=royalty.due,
        terms=terms,
        due_date=terms.due_date,
        corrections=corrections,
        rates=tuple(
            sorted({fx_text(f.source_currency, fx_document(f)) for f in _conversions(royalty)})
        ),
    )


def _conversions(royalty: LicenseeRoyalty) -> set[Conversion]:
    return {ln.line.fx for ln in royalty.lines if ln.line.fx is not None}
