"""Quarters written YYYYQn."""

from __future__ import annotations

import datetime as dt

import pytest

from patentpool.core.periods import InvalidPeriod, Period

D = dt.date


def test_parse_and_print() -> None:
    period = Period.parse("2026Q1")
    assert period == Period(2026, 1)
    assert str(period) == "2026Q1"
    assert Period.parse(" 2026Q4 ") == Period(2026, 4)


@pytest.mark.parametrize("text", ["2026-Q1", "26Q1", "2026q1", "", "Q1 2026"])
def test_anything_but_yyyyqn_is_refused(text: str) -> None:
    with pytest.raises(InvalidPeriod, match=r"period: .* is not a quarter written YYYYQn"):
        Period.parse(text)


@pytest.mark.parametrize(("text", "quarter"), [("2026Q5", 5), ("2026Q0", 0), ("2026Q12", 12)])
def test_a_quarter_other_than_1_to_4_is_named(text: str, quarter: int) -> None:
    with pytest.raises(InvalidPeriod) as info:
        Period.parse(text)
    assert str(info.value) == f"period: {text!r} has no quarter {quarter}: the quarter must be 1-4"


def test_the_field_name_is_in_the_message() -> None:
    with pytest.raises(InvalidPeriod, match=r"^sales\.period: '2026-03'"):
        Period.parse("2026-03", "sales.period")


def test_first_and_last_days() -> None:
    assert Period(2026, 1).first_day == D(2026, 1, 1)
    assert Period(2026, 1).last_day == D(2026, 3, 31)
    assert Period(2026, 2).last_day == D(2026, 6, 30)
    assert Period(2026, 3).last_day == D(2026, 9, 30)
    assert Period(2026, 4).first_day == D(2026, 10, 1)
    assert Period(2026, 4).last_day == D(2026, 12, 31)


def test_previous_and_next_cross_the_year() -> None:
    assert Period(2026, 1).previous() == Period(2025, 4)
    assert Period(2026, 3).previous() == Period(2026, 2)
    assert Period(2025, 4).next() == Period(2026, 1)


def test_periods_sort_in_time_order() -> None:
    periods = [Period(2026, 2), Period(2025, 4), Period(2026, 1)]
    assert sorted(periods) == [Period(2025, 4), Period(2026, 1), Period(2026, 2)]
    assert Period(2025, 4) < Period(2026, 1)


def test_of_a_day_and_year_to_date() -> None:
    assert Period.of(D(2026, 5, 17)) == Period(2026, 2)
    assert Period.of(D(2026, 12, 31)) == Period(2026, 4)
    assert Period(2026, 3).year_to_date() == (Period(2026, 1), Period(2026, 2), Period(2026, 3))


def test_an_impossible_quarter_cannot_be_built() -> None:
    with pytest.raises(InvalidPeriod):
        Period(2026, 5)
