"""Receivables: invoices, credit notes and payments matched, aged and charged late interest.

Plain values in, plain values out. A payment goes to the invoice it names while that invoice
is open, otherwise to the licensee's oldest open invoice, then the next; what is left over stays
on the licensee's account (:attr:`Matching.on_account`). A credited invoice is closed by its
credit note and takes no payment; a payment that named it is matched like one that names
nothing. Interest runs on each open invoice as :mod:`patentpool.core.interest` says. For every
licensee, ``invoices - credit notes - payments + interest = balance``, to the cent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from patentpool.core.interest import NO_INTEREST, LateInterest, late_interest
from patentpool.errors import InvalidInput

#: The ageing buckets by days past due, in order, with the last day of each (None: no end).
BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("not yet due", 0),
    ("1-30", 30),
    ("31-60", 60),
    ("61-90", 90),
    ("over 90", None),
)


class Kind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit note"


@dataclass(frozen=True, slots=True)
class Invoice:
    """An invoice, or a credit note cancelling the invoice ``credits`` in full."""

    number: str
    licensee: str
    issued: dt.date
    due: dt.date
    amount: Decimal  # positive, in the programme's currency
    kind: Kind = Kind.INVOICE
    credits: str | None = None  # the invoice a credit note cancels
    late_interest: LateInterest = NO_INTEREST

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise InvalidInput(f"amount: {self.number} cannot be negative ({self.amount})")
        if (self.kind is Kind.CREDIT_NOTE) != (self.credits is not None):
            raise InvalidInput(f"credits: {self.number}: only a credit note credits an invoice")


@dataclass(frozen=True, slots=True)
class Payment:
    """Money received from a licensee, in the programme's currency, naming an invoice or not."""

    licensee: str
    received: dt.date
    amount: Decimal
    invoice: str | None = None
    reference: str = ""


@dataclass(frozen=True, slots=True)
class Application:
    """Part of a payment applied to one invoice."""

    invoice: str
    received: dt.date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Matching:
    """Payments applied to invoices, and what stayed on each licensee's account."""

    applied: Mapping[str, tuple[Application, ...]]
    on_account: Mapping[str, Decimal]

    def paid(self, number: str) -> Decimal:
        return sum((a.amount for a in self.applied.get(number, ())), Decimal(0))


def credited(invoices: Iterable[Invoice]) -> frozenset[str]:
    """The numbers of the invoices a credit note cancels."""
    return frozenset(i.credits for i in invoices if i.credits is not None)


def open_invoices(invoices: Iterable[Invoice]) -> list[Invoice]:
    """Invoices (not credit notes) that no credit note cancels, oldest first."""
    listed = list(invoices)
    closed = credited(listed)
    kept = [i for i in listed if i.kind is Kind.INVOICE and i.number not in closed]
    return sorted(kept, key=lambda i: (i.issued, i.number))


def match_payments(invoices: Sequence[Invoice], payments: Iterable[Payment]) -> Matching:
    """Apply ``payments`` (in the order received) to the open ``invoices``."""
    candidates = open_invoices(invoices)
    owed = {i.number: i.amount for i in candidates}
    by_number = {i.number: i for i in candidates}
    applied: dict[str, list[Application]] = {}
    on_account: dict[str, Decimal] = {}
    for payment in sorted(payments, key=lambda p: (p.received, p.licensee, p.reference)):
        left = payment.amount
        named = by_number.get(payment.invoice or "")
        if named is not None and named.licensee == payment.licensee:
            order = [named]
            spill = False  # what the named invoice does not take stays on account
        else:
            order = [i for i in candidates if i.licensee == payment.licensee]
            spill = True
        for invoice in order:
            take = min(left, owed[invoice.number])
            if take > 0:
                owed[invoice.number] -= take
                left -= take
                applied.setdefault(invoice.number, []).append(
                    Application(invoice.number, payment.received, take)
                )
            if left == 0 or not spill:
                break
        if left:
            on_account[payment.licensee] = on_account.get(payment.licensee, Decimal(0)) + left
    return Matching({k: tuple(v) for k, v in applied.items()}, on_account)


def bucket_of(days_past_due: int) -> str:
    """The ageing bucket of an invoice ``days_past_due`` days past its due date."""
    for name, last in BUCKETS:
        if last is None or days_past_due <= last:
            return name
    raise AssertionError("the last bucket has no end")  # pragma: no cover


def invoice_interest(
    invoice: Invoice, matching: Matching, as_of: dt.date, currency: str
) -> Decimal:
    """The late interest on an open invoice up to ``as_of``, rounded once."""
    payments = [(a.received, a.amount) for a in matching.applied.get(invoice.number, ())]
    return late_interest(
        invoice.amount, invoice.due, payments, as_of, invoice.late_interest, currency
    )


@dataclass(frozen=True, slots=True)
class Receivable:
    """One licensee's open invoices in ageing buckets, interest accrued and the total."""

    licensee: str
    buckets: Mapping[str, Decimal]
    interest: Decimal
    on_account: Decimal
    open_invoices: tuple[tuple[str, Decimal, int], ...] = field(default=())  # number, open, days

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), Decimal(0)) + self.interest - self.on_account


def receivables(
    invoices: Sequence[Invoice], payments: Iterable[Payment], as_of: dt.date, currency: str
) -> list[Receivable]:
    """Per licensee, as of ``as_of``: what is open by age, interest accrued and the total.

    Only invoices issued and payments received on or before ``as_of`` count.
    """
    known = [i for i in invoices if i.issued <= as_of]
    received = [p for p in payments if p.received <= as_of]
    matching = match_payments(known, received)
    licensees = sorted({i.licensee for i in known} | {p.licensee for p in received})
    rows: list[Receivable] = []
    for licensee in licensees:
        buckets = {name: Decimal(0) for name, _ in BUCKETS}
        interest = Decimal(0)
        listed: list[tuple[str, Decimal, int]] = []
        for invoice in open_invoices(i for i in known if i.licensee == licensee):
            interest += invoice_interest(invoice, matching, as_of, currency)
            still = invoice.amount - matching.paid(invoice.number)
            if still > 0:
                days = (as_of - invoice.due).days
                buckets[bucket_of(days)] += still
                listed.append((invoice.number, still, days))
        rows.append(
            Receivable(
                licensee,
                buckets,
                interest,
                matching.on_account.get(licensee, Decimal(0)),
                tuple(listed),
            )
        )
    return rows
