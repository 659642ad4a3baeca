"""Late interest: simple, actual days / 365, rounded once per invoice and period of lateness."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patentpool.core.interest import (
    LateInterest,
    interest_stretches,
    late_interest,
    parse_late_interest,
)
from patentpool.errors import InvalidInput

D = dt.date
TWELVE = LateInterest(Decimal("0.12"))


def test_twelve_percent_a_year_for_thirty_days():
    # 10,000.00 x 12% x 30 / 365 = 98.630136... -> 98.63
    due = D(2026, 5, 15)
    assert late_interest(Decimal("10000.00"), due, [], D(2026, 6, 14), TWELVE, "USD") == Decimal(
        "98.63"
    )


def test_nothing_accrues_until_the_day_after_the_due_date():
    due = D(2026, 5, 15)
    assert late_interest(Decimal("10000"), due, [], due, TWELVE, "USD") == Decimal("0.00")
    assert late_interest(Decimal("10000"), due, [], D(2026, 5, 1), TWELVE, "USD") == Decimal("0.00")
    # one day: 10,000 x 0.12 / 365 = 3.2876... -> 3.29
    assert late_interest(Decimal("10000"), due, [], D(2026, 5, 16), TWELVE, "USD") == Decimal(
        "3.29"
    )


def test_a_part_payment_reduces_the_principal_for_the_days_after_it():
    # The worked example of docs/royalties.md: 10,000.00 due 2026-05-15, 4,000.00 paid on
    # 2026-06-14 (30 days late), the rest on 2026-07-14 (30 more days).
    due = D(2026, 5, 15)
    payments = [(D(2026, 6, 14), Decimal("4000.00")), (D(2026, 7, 14), Decimal("6000.00"))]
    stretches = interest_stretches(Decimal("10000.00"), due, payments, D(2026, 12, 31), TWELVE)
    assert [(s.days, s.principal) for s in stretches] == [
        (30, Decimal("10000.00")),
        (30, Decimal("6000.00")),
    ]
    # 10,000 x 0.12 x 30/365 + 6,000 x 0.12 x 30/365 = 57,600/365 = 157.808219... -> 157.81
    assert sum((s.amount for s in stretches), Fraction(0)) == Fraction(57600, 365)
    assert late_interest(Decimal("10000.00"), due, payments, D(2026, 12, 31), TWELVE, "USD") == (
        Decimal("157.81")
    )


def test_rounded_once_not_per_stretch():
    # Two stretches of 0.004 each would round to 0.00 twice, but 0.01 once.
    rate = LateInterest(Decimal("0.365"))
    due = D(2026, 1, 1)
    # principal 0.004 / (0.365/365) = 4 cents a day... use 0.40 at 36.5%: 0.0004 a day
    payments = [(D(2026, 1, 11), Decimal("0.00"))]
    total = late_interest(Decimal("0.40"), due, payments, D(2026, 1, 21), rate, "USD")
    # 20 days x 0.40 x 0.001 = 0.008 -> 0.01 (each 10-day stretch alone is 0.004 -> 0.00)
    assert total == Decimal("0.01")


def test_one_percent_per_month_is_twelve_percent_a_year():
    monthly = parse_late_interest("1% per month")
    assert monthly == LateInterest(Decimal("0.01"), "month")
    assert monthly.annual == Fraction(12, 100)
    assert str(monthly) == "1% per month"
    due = D(2026, 5, 15)
    assert late_interest(Decimal("10000"), due, [], D(2026, 6, 14), monthly, "USD") == Decimal(
        "98.63"
    )


def test_written_forms():
    assert parse_late_interest("12%") == TWELVE
    assert parse_late_interest("12% a year") == TWELVE
    assert str(TWELVE) == "12% a year"
    assert parse_late_interest("0.5% a month").annual == Fraction(6, 100)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "12",
            'late_interest: \'12\' is not a rate of interest such as "12%" (a year) or "1% per month"',
        ),
        (
            "12% a week",
            'late_interest: \'12% a week\' is not a rate of interest such as "12%" (a year) or "1% per month"',
        ),
        ("150%", "late_interest: '150%' is over 100% a year"),
        ("9% per month", "late_interest: '9% per month' is over 100% a year"),
    ],
)
def test_refused(text, message):
    with pytest.raises(InvalidInput) as caught:
        parse_late_interest(text)
    assert str(caught.value) == message


def test_a_zero_yen_rounding():
    due = D(2026, 1, 1)
    assert late_interest(Decimal("100000"), due, [], D(2026, 1, 31), TWELVE, "JPY") == Decimal(
        "986"
    )


@given(
    principal=st.integers(1, 10**9),
    late=st.integers(0, 2000),
    split=st.integers(0, 2000),
)
def test_interest_is_the_exact_sum_rounded_once(principal, late, split):
    amount = Decimal(principal).scaleb(-2)
    due = D(2026, 3, 31)
    until = due + dt.timedelta(days=late)
    paid_on = due + dt.timedelta(days=min(split, late))
    stretches = interest_stretches(amount, due, [(paid_on, amount)], until, TWELVE)
    days = sum(s.days for s in stretches)
    assert days == (paid_on - due).days
    exact = Fraction(amount) * Fraction(12, 100) * days / 365
    assert abs(
        Fraction(late_interest(amount, due, [(paid_on, amount)], until, TWELVE, "USD")) - exact
    ) <= Fraction(1, 200)
