"""Conversion through the euro: quarter_end and quarter_average rules, exact fractions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patentpool.core.fx import (
    FxRule,
    NoRate,
    RateTable,
    conversion_for,
    conversion_on,
    quote_for,
)
from patentpool.core.periods import Period

D = dt.date
Q1 = Period(2026, 1)
TABLE = RateTable(
    {
        D(2026, 1, 2): {"USD": Decimal("1.0350"), "CNY": Decimal("7.5500")},
        D(2026, 2, 2): {"USD": Decimal("1.0400"), "CNY": Decimal("7.6000")},
        D(2026, 3, 30): {"USD": Decimal("1.0800")},  # no CNY quote that day (N/A)
        D(2026, 4, 1): {"USD": Decimal("1.1000"), "CNY": Decimal("8.0000")},
    },
    source="eurofxref-2026.csv",
)


def test_quarter_end_is_the_last_rate_on_or_before_the_last_day():
    quote = quote_for(TABLE, "USD", Q1, FxRule.QUARTER_END)
    assert (quote.per_eur, quote.day) == (Fraction("1.08"), D(2026, 3, 30))
    cny = quote_for(TABLE, "CNY", Q1, FxRule.QUARTER_END)
    assert (cny.per_eur, cny.day) == (Fraction("7.6"), D(2026, 2, 2))


def test_quarter_average_is_the_mean_of_the_rates_published_in_the_quarter():
    quote = quote_for(TABLE, "USD", Q1, FxRule.QUARTER_AVERAGE)
    assert quote.per_eur == (Fraction("1.035") + Fraction("1.04") + Fraction("1.08")) / 3
    assert (quote.day, quote.days) == (D(2026, 3, 30), 3)


def test_cross_rates_go_through_the_euro():
    conv = conversion_for(TABLE, "CNY", "USD", Q1, FxRule.QUARTER_END)
    assert conv.rate == Fraction("1.08") / Fraction("7.6")
    # 7,600 CNY is 1,000 EUR is 1,080 USD, exactly
    assert conv.apply(Decimal("7600")) == Fraction(1080)
    assert conv.day == D(2026, 3, 30)
    assert conv.rate_text() == "0.142105"
    assert conv.source == "eurofxref-2026.csv"


def test_the_euro_needs_no_rate():
    conv = conversion_for(TABLE, "EUR", "USD", Q1, FxRule.QUARTER_AVERAGE)
    assert (
        conv.apply(Decimal("100"))
        == Fraction(100) * (Fraction("1.035") + Fraction("1.04") + Fraction("1.08")) / 3
    )
    assert conversion_for(TABLE, "EUR", "EUR", Q1, FxRule.QUARTER_END).rate == 1


def test_no_rate_names_the_currency_and_the_period():
    with pytest.raises(NoRate) as caught:
        conversion_for(TABLE, "JPY", "USD", Q1, FxRule.QUARTER_END)
    assert str(caught.value) == (
        "currency: no JPY rate for 2026Q1 (quarter_end: on or before 2026-03-31, within the "
        "quarter) in eurofxref-2026.csv"
    )
    with pytest.raises(NoRate) as caught:
        conversion_for(TABLE, "CNY", "USD", Period(2026, 3), FxRule.QUARTER_AVERAGE)
    assert str(caught.value) == (
        "currency: no CNY rate for 2026Q3 (quarter_average: none published in it) in "
        "eurofxref-2026.csv"
    )


def test_a_payment_converts_at_the_days_rate_or_the_last_before_it():
    conv = conversion_on(TABLE, "CNY", "EUR", D(2026, 4, 4))  # a Saturday
    assert (conv.rate, conv.day) == (Fraction(1, 8), D(2026, 4, 1))
    with pytest.raises(NoRate) as caught:
        conversion_on(TABLE, "CNY", "EUR", D(2026, 5, 4))
    assert (
        str(caught.value)
        == "currency: no CNY rate on 2026-05-04 (nor in the week before) in eurofxref-2026.csv"
    )


rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("20000"), places=4)


@given(rates, rates, st.integers(0, 10**9))
def test_converting_there_and_back_is_exact(a, b, cents):
    table = RateTable({D(2026, 3, 31): {"USD": a, "CNY": b}})
    there = conversion_for(table, "CNY", "USD", Q1, FxRule.QUARTER_END)
    back = conversion_for(table, "USD", "CNY", Q1, FxRule.QUARTER_END)
    amount = Decimal(cents).scaleb(-2)
    assert back.apply(there.apply(amount)) == Fraction(amount)
