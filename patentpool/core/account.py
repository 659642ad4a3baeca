"""The statement of account of one licensee: every invoice, credit note, payment and interest.

``invoices - credit notes - payments + interest = balance``: :func:`statement` lists the
entries in date order with a running balance; the interest accrued to the day asked is one
entry per invoice that is late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from patentpool.core.receivables import (
    Invoice,
    Kind,
    Payment,
    invoice_interest,
    match_payments,
    open_invoices,
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of a statement of account: a debit raises the balance, a credit lowers it."""

    day: dt.date
    kind: str  # "invoice", "credit note", "payment", "interest"
    reference: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


@dataclass(frozen=True, slots=True)
class Statement:
    licensee: str
    as_of: dt.date
    currency: str
    entries: tuple[Entry, ...]

    def total(self, kind: str) -> Decimal:
        """The debits of invoices and interest, or the credits of credit notes and payments."""
        picked = [e for e in self.entries if e.kind == kind]
        return sum((e.debit + e.credit for e in picked), Decimal(0))

    @property
    def balance(self) -> Decimal:
        return self.entries[-1].balance if self.entries else Decimal(0)


def statement(
    licensee: str,
    invoices: Sequence[Invoice],
    payments: Iterable[Payment],
    as_of: dt.date,
    currency: str,
) -> Statement:
    """The statement of ``licensee``'s account as of ``as_of``, in ``currency``."""
    mine = [i for i in invoices if i.licensee == licensee and i.issued <= as_of]
    paid = [p for p in payments if p.licensee == licensee and p.received <= as_of]
    matching = match_payments(mine, paid)
    raw: list[tuple[dt.date, int, str, str, Decimal, Decimal]] = []
    for invoice in mine:
        if invoice.kind is Kind.CREDIT_NOTE:
            zero, amount = Decimal(0), invoice.amount
            raw.append((invoice.issued, 0, "credit note", invoice.number, zero, amount))
        else:
            zero, amount = Decimal(0), invoice.amount
            raw.append((invoice.issued, 1, "invoice", invoice.number, amount, zero))
    for payment in paid:
        reference = payment.reference or (payment.invoice or "")
        raw.append((payment.received, 2, "payment", reference, Decimal(0), payment.amount))
    for invoice in open_invoices(mine):
        interest = invoice_interest(invoice, matching, as_of, currency)
        if interest:
            raw.append((as_of, 3, "interest", invoice.number, interest, Decimal(0)))
    raw.sort(key=lambda r: (r[0], r[1], r[3]))
    running = Decimal(0)
    entries: list[Entry] = []
    for day, _, kind, reference, debit, credit in raw:
        running += debit - credit
        entries.append(Entry(day, kind, reference, debit, credit, running))
    return Statement(licensee, as_of, currency, tuple(entries))
