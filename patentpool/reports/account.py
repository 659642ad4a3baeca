"""The statement of account: one licensee's invoices, credit notes, payments and late
interest in a programme, with the running balance and the open invoices by age."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from patentpool.core.account import Entry, Statement
from patentpool.core.receivables import BUCKETS, Receivable


@dataclass(frozen=True, slots=True)
class AccountReport:
    """``invoiced - credited - paid + interest = balance``; ``ageing`` is what is open by days
    past due, ``on_account`` what was paid beyond the invoices."""

    program: str
    licensee: str
    licensee_name: str
    currency: str
    as_of: dt.date
    late_interest: str
    entries: tuple[Entry, ...]
    invoiced: Decimal
    credited: Decimal
    paid: Decimal
    interest: Decimal
    balance: Decimal
    ageing: tuple[tuple[str, Decimal], ...]
    on_account: Decimal


def account_context(
    program: str,
    licensee_name: str,
    late_interest: str,
    statement: Statement,
    receivable: Receivable | None,
) -> AccountReport:
    """The report of ``statement``; ``receivable``: the same licensee's ageing on the day."""
    ageing = tuple(
        (name, receivable.buckets[name] if receivable else Decimal(0)) for name, _ in BUCKETS
    )
    return AccountReport(
        program=program,
        licensee=statement.licensee,
        licensee_name=licensee_name,
        currency=statement.currency,
        as_of=statement.as_of,
        late_interest=late_interest,
        entries=statement.entries,
        invoiced=statement.total("invoice"),
        credited=statement.total("credit note"),
        paid=statement.total("payment"),
        interest=statement.total("interest"),
        balance=statement.balance,
        ageing=ageing,
        on_account=receivable.on_account if receivable else Decimal(0),
    )
