"""Payments matched to invoices, ageing buckets, and the balance of an account to the cent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from patentpool.core.account import statement
from patentpool.core.interest import LateInterest
from patentpool.core.receivables import (
    Invoice,
    Kind,
    Payment,
    bucket_of,
    match_payments,
    receivables,
)

D = dt.date
TWELVE = LateInterest(Decimal("0.12"))


APRIL_1, MAY_16 = D(2026, 4, 1), D(2026, 5, 16)


def inv(number, amount, issued=APRIL_1, due=MAY_16, licensee="acme", **kw):
    return Invoice(number, licensee, issued, due, Decimal(amount), late_interest=TWELVE, **kw)


def test_buckets():
    assert [bucket_of(d) for d in (-5, 0, 1, 30, 31, 60, 61, 90, 91, 400)] == [
        "not yet due",
        "not yet due",
        "1-30",
        "1-30",
        "31-60",
        "31-60",
        "61-90",
        "61-90",
        "over 90",
        "over 90",
    ]


def test_a_named_invoice_takes_the_payment_and_the_excess_stays_on_account():
    invoices = [inv("IGRS-2026-0001", "100.00"), inv("IGRS-2026-0002", "50.00", D(2026, 4, 2))]
    pay = Payment("acme", D(2026, 4, 10), Decimal("70.00"), "IGRS-2026-0002")
    matching = match_payments(invoices, [pay])
    assert matching.paid("IGRS-2026-0002") == Decimal("50.00")
    assert matching.paid("IGRS-2026-0001") == Decimal(0)
    assert matching.on_account == {"acme": Decimal("20.00")}


def test_an_unnamed_payment_goes_to_the_oldest_open_invoice_first():
    invoices = [inv("IGRS-2026-0002", "50.00", D(2026, 4, 2)), inv("IGRS-2026-0001", "100.00")]
    matching = match_payments(invoices, [Payment("acme", D(2026, 4, 10), Decimal("120.00"))])
    assert matching.paid("IGRS-2026-0001") == Decimal("100.00")
    assert matching.paid("IGRS-2026-0002") == Decimal("20.00")
    assert matching.on_account == {}


def test_an_overpayment_stays_on_account_and_an_underpayment_leaves_the_invoice_open():
    invoices = [inv("IGRS-2026-0001", "100.00")]
    over = match_payments(invoices, [Payment("acme", D(2026, 4, 10), Decimal("130.00"))])
    assert over.on_account == {"acme": Decimal("30.00")}
    under = match_payments(invoices, [Payment("acme", D(2026, 4, 10), Decimal("60.00"))])
    assert under.paid("IGRS-2026-0001") == Decimal("60.00")
    assert under.on_account == {}


def test_a_credited_invoice_takes_no_payment_its_replacement_does():
    invoices = [
        inv("IGRS-2026-0001", "100.00"),
        Invoice(
            "IGRS-2026-0002",
            "acme",
            D(2026, 6, 1),
            D(2026, 6, 1),
            Decimal("100.00"),
            Kind.CREDIT_NOTE,
            "IGRS-2026-0001",
        ),
        inv("IGRS-2026-0003", "80.00", D(2026, 6, 1), D(2026, 7, 16)),
    ]
    pay = Payment("acme", D(2026, 5, 1), Decimal("100.00"), "IGRS-2026-0001")
    matching = match_payments(invoices, [pay])
    assert matching.paid("IGRS-2026-0001") == Decimal(0)
    assert matching.paid("IGRS-2026-0003") == Decimal("80.00")
    assert matching.on_account == {"acme": Decimal("20.00")}


def test_another_licensees_invoice_is_not_paid_by_naming_it():
    invoices = [inv("IGRS-2026-0001", "100.00", licensee="tcl"), inv("IGRS-2026-0002", "40.00")]
    matching = match_payments(
        invoices, [Payment("acme", D(2026, 4, 10), Decimal("40.00"), "IGRS-2026-0001")]
    )
    assert matching.paid("IGRS-2026-0001") == Decimal(0)
    assert matching.paid("IGRS-2026-0002") == Decimal("40.00")


def test_receivables_age_and_charge_interest():
    invoices = [
        inv("IGRS-2026-0001", "10000.00", D(2026, 4, 1), D(2026, 5, 15)),
        inv("IGRS-2026-0002", "500.00", D(2026, 7, 1), D(2026, 8, 15)),
    ]
    payments = [Payment("acme", D(2026, 6, 14), Decimal("4000.00"))]
    [row] = receivables(invoices, payments, D(2026, 7, 14), "USD")
    assert row.buckets == {
        "not yet due": Decimal("500.00"),
        "1-30": Decimal(0),
        "31-60": Decimal("6000.00"),
        "61-90": Decimal(0),
        "over 90": Decimal(0),
    }
    assert row.interest == Decimal("157.81")  # docs/royalties.md, worked by hand
    assert row.total == Decimal("6657.81")


def test_statement_of_account():
    invoices = [inv("IGRS-2026-0001", "10000.00", D(2026, 4, 1), D(2026, 5, 15))]
    payments = [Payment("acme", D(2026, 6, 14), Decimal("4000.00"), reference="wire 1")]
    st_ = statement("acme", invoices, payments, D(2026, 7, 14), "USD")
    assert [(e.kind, e.reference, e.debit, e.credit, e.balance) for e in st_.entries] == [
        ("invoice", "IGRS-2026-0001", Decimal("10000.00"), Decimal(0), Decimal("10000.00")),
        ("payment", "wire 1", Decimal(0), Decimal("4000.00"), Decimal("6000.00")),
        ("interest", "IGRS-2026-0001", Decimal("157.81"), Decimal(0), Decimal("6157.81")),
    ]
    assert st_.balance == Decimal("6157.81")


cents = st.integers(0, 10**8).map(lambda n: Decimal(n).scaleb(-2))
days = st.integers(0, 400).map(lambda n: D(2026, 1, 1) + dt.timedelta(days=n))


@st.composite
def books(draw):
    n = draw(st.integers(1, 6))
    invoices = []
    for k in range(1, n + 1):
        issued = draw(days)
        invoices.append(
            inv(
                f"IGRS-2026-{k:04d}",
                draw(cents),
                issued,
                issued + dt.timedelta(days=45),
                licensee=draw(st.sampled_from(["acme", "tcl"])),
            )
        )
    for k, target in enumerate(draw(st.lists(st.sampled_from(invoices), max_size=3, unique=True))):
        invoices.append(
            Invoice(
                f"IGRS-2026-{n + k + 1:04d}",
                target.licensee,
                target.issued,
                target.issued,
                target.amount,
                Kind.CREDIT_NOTE,
                target.number,
            )
        )
    numbers = [i.number for i in invoices] + [None, "IGRS-2099-0001"]
    payments = draw(
        st.lists(
            st.builds(
                Payment, st.sampled_from(["acme", "tcl"]), days, cents, st.sampled_from(numbers)
            ),
            max_size=6,
        )
    )
    return invoices, payments


@settings(max_examples=200, deadline=None)
@given(books(), days)
def test_invoices_less_credit_notes_less_payments_plus_interest_is_the_balance(book, as_of):
    invoices, payments = book
    rows = {r.licensee: r for r in receivables(invoices, payments, as_of, "USD")}
    for licensee in ("acme", "tcl"):
        st_ = statement(licensee, invoices, payments, as_of, "USD")
        invoiced = st_.total("invoice")
        credited = st_.total("credit note")
        paid = st_.total("payment")
        interest = st_.total("interest")
        assert invoiced - credited - paid + interest == st_.balance
        assert invoiced == sum(
            (
                i.amount
                for i in invoices
                if i.licensee == licensee and i.kind is Kind.INVOICE and i.issued <= as_of
            ),
            Decimal(0),
        )
        assert paid == sum(
            (p.amount for p in payments if p.licensee == licensee and p.received <= as_of),
            Decimal(0),
        )
        row = rows.get(licensee)
        if row is None:
            assert st_.balance == 0
        else:
            assert row.total == st_.balance
            assert row.interest == interest
            assert row.interest.as_tuple().exponent == -2 or row.interest == 0
