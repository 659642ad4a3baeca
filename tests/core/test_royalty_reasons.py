"""Every sales line that owes nothing says why: no patent, no units, a free tier, the annual
cap, a 100% discount, or rounding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from patentpool.core.licensing import Discounts, Licensee, PerUnitRate, Program, Schedule
from patentpool.core.model import Declaration, Essentiality, Patent, Register
from patentpool.core.periods import Period
from patentpool.core.royalties import LicenseeRoyalty, SalesLine, compute_royalties

Q1, Q2 = Period(2026, 1), Period(2026, 2)
PATENT = Patent("US", "7000001", "lenovo", filing_date=dt.date(2015, 1, 1))
REGISTER = Register(
    patents=(PATENT,),
    declarations=(Declaration(PATENT.key, "IGRS", "1.0", essentiality=Essentiality.ESSENTIAL),),
)
PLAIN = Licensee("plain", "Plain Ltd.")
MEMBER = Licensee("member", "Member Ltd.", member=True, good_standing=True)
GOOD = Licensee("good", "Good Ltd.", good_standing=True)


def owed(
    licensee: Licensee,
    *lines: SalesLine,
    period: Period = Q1,
    cap: str | None = None,
    member: str = "0",
    good_standing: str = "0",
    per_unit: str = "0.50",
) -> LicenseeRoyalty:
    schedule = Schedule(
        effective_from=dt.date(2026, 1, 1),
        categories={"tv": PerUnitRate(Decimal(per_unit))},
        annual_cap=None if cap is None else Decimal(cap),
        discounts=Discounts(good_standing=Decimal(good_standing), member=Decimal(member)),
    )
    program = Program("p", "IGRS", ("1.0",), "USD", (schedule,), Decimal(0))
    result = compute_royalties(program, REGISTER, (PLAIN, MEMBER, GOOD), lines, period)
    return result.licensee(licensee.id)


def sold(licensee: Licensee, units: int, period: Period = Q1, where: str = "US") -> SalesLine:
    return SalesLine(licensee.id, period, where, where, "tv", units, source="sales.csv:2")


def reasons(item: LicenseeRoyalty) -> list[tuple[Decimal, str | None]]:
    return [(ln.due, ln.reason) for ln in item.lines]


def test_a_member_discount_of_100_percent_is_the_reason() -> None:
    item = owed(MEMBER, sold(MEMBER, 1000), member="1", good_standing="0.1")
    assert (item.gross, item.discount, item.due) == (
        Decimal("500.00"),
        Decimal("500.00"),
        Decimal("0.00"),
    )
    assert reasons(item) == [(Decimal("0.00"), "member discount 100%")]


def test_a_good_standing_discount_of_100_percent_is_the_reason() -> None:
    item = owed(GOOD, sold(GOOD, 1000), member="1", good_standing="1")
    assert reasons(item) == [(Decimal("0.00"), "good-standing discount 100%")]


def test_a_discount_that_leaves_something_gives_no_reason() -> None:
    item = owed(MEMBER, sold(MEMBER, 1000), member="0.5")
    assert reasons(item) == [(Decimal("250.00"), None)]


def test_the_annual_cap_used_up_earlier_in_the_year_is_the_reason() -> None:
    # Q1: 1000 x 0.50 = 500, the whole cap; Q2 owes nothing more
    item = owed(PLAIN, sold(PLAIN, 1000), sold(PLAIN, 10, Q2), period=Q2, cap="500")
    assert (item.gross, item.cap_reduction, item.due) == (
        Decimal("5.00"),
        Decimal("5.00"),
        Decimal("0.00"),
    )
    assert reasons(item) == [(Decimal("0.00"), "annual cap 500 reached earlier in the year")]


def test_a_line_that_rounds_to_nothing_says_so() -> None:
    # 0.004 and 0.996: the licensee owes 1.00, which largest remainder gives the bigger line
    item = owed(PLAIN, sold(PLAIN, 4), sold(PLAIN, 996), per_unit="0.001")
    assert sorted(reasons(item), key=lambda r: r[0]) == [
        (
            Decimal("0.00"),
            "less than one minor unit once the licensee's due is split among its lines",
        ),
        (Decimal("1.00"), None),
    ]


def test_the_reasons_before_any_discount_stay() -> None:
    item = owed(MEMBER, sold(MEMBER, 0), sold(MEMBER, 10, where="JP"), member="1")
    assert sorted(r for _, r in reasons(item) if r) == [
        "no counted patent in force in JP (sale and manufacture) on 2026-03-31",
        "no units sold",
    ]
