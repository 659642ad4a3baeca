"""The top-down FRAND check: r_i = S_agg x e_i N_i / sum e_j N_j."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from patentpool.core.licensing import PerUnitRate, Program, Schedule
from patentpool.core.model import Declaration, Essentiality, Patent, Register
from patentpool.core.topdown import CountBy, Holder, holders_from_register, implied_rates
from patentpool.errors import InvalidInput

D = dt.date
E = Essentiality


def test_implied_rates_by_hand() -> None:
    # S_agg 5%: weights 1 x 50, 1/2 x 100, 1 x 25 = 50, 50, 25 of 125
    rates = implied_rates(
        Decimal("0.05"),
        [
            Holder("b", 100, Fraction(1, 2)),
            Holder("a", 50),
            Holder("c", 25),
        ],
    )
    assert [(r.member, r.share, r.rate) for r in rates] == [
        ("a", Fraction(2, 5), Fraction(2, 100)),
        ("b", Fraction(2, 5), Fraction(2, 100)),
        ("c", Fraction(1, 5), Fraction(1, 100)),
    ]
    assert sum(r.rate for r in rates) == Fraction(5, 100)
    assert rates[0].essential_share == 1  # unknown counts as 1


def test_an_aggregate_per_unit_gives_money_per_unit() -> None:
    rates = implied_rates(Decimal("3.30"), [Holder("a", 2), Holder("b", 1)])
    assert [r.rate for r in rates] == [Fraction(22, 10), Fraction(11, 10)]


def test_bad_holders_are_refused() -> None:
    with pytest.raises(InvalidInput, match="declared: -1 is negative"):
        Holder("a", -1)
    with pytest.raises(InvalidInput, match="essential_share: 3/2 is not between 0 and 1"):
        Holder("a", 1, Fraction(3, 2))
    with pytest.raises(InvalidInput, match="no holder has an essential declared patent"):
        implied_rates(Decimal("0.05"), [Holder("a", 10, Fraction(0))])
    with pytest.raises(InvalidInput, match="aggregate: -1 cannot be negative"):
        implied_rates(Decimal("-1"), [Holder("a", 1)])


def program() -> Program:
    return Program(
        "igrs-v1",
        "IGRS",
        ("1.0",),
        "USD",
        (Schedule(D(2026, 1, 1), {"tv": PerUnitRate(Decimal("1"))}),),
    )


def make(
    owner: str, number: str, essentiality: Essentiality, **kw: object
) -> tuple[Patent, Declaration]:
    patent = Patent("CN", number, owner, D(2015, 1, 1), **kw)  # type: ignore[arg-type]
    return patent, Declaration(patent.key, "IGRS", "1.0", essentiality=essentiality)


def test_holders_from_the_register_measure_essentiality() -> None:
    pairs = [
        make("lenovo", "1", E.ESSENTIAL, family="F1"),
        make("lenovo", "2", E.NOT_ESSENTIAL, family="F1"),
        make("lenovo", "3", E.DECLARED, family="F2"),
        make("lenovo", "4", E.ESSENTIAL, family="F3"),
        make("tcl", "5", E.DECLARED),
        make("tcl", "6", E.DECLARED, expiry_date=D(2020, 1, 1)),  # not in force
    ]
    register = Register(patents=tuple(p for p, _ in pairs), declarations=tuple(d for _, d in pairs))
    holders = holders_from_register(register, program(), D(2026, 3, 31))
    # lenovo: 4 patents, 3 evaluated, 2 of them essential; tcl: 1 patent, none evaluated
    assert holders == [Holder("lenovo", 4, Fraction(2, 3), 3), Holder("tcl", 1, None, 0)]
    families = holders_from_register(register, program(), D(2026, 3, 31), CountBy.FAMILIES)
    assert [h.declared for h in families] == [3, 1]
    rates = implied_rates(Decimal("0.033"), holders)
    # weights 2/3 x 4 = 8/3 and 1: shares 8/11 and 3/11
    assert [r.share for r in rates] == [Fraction(8, 11), Fraction(3, 11)]
