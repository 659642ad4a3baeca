"""Tiers and the annual cap when the schedule changes during the year (docs/royalties.md).

Every unit a licensee group sold earlier in the calendar year climbs the tiers, whatever rate
priced it: per unit, percent or tiers. Every example is priced on both paths (a record per
line, and plain lists), which must agree.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from patentpool.core.licensing import (
    Licensee,
    PercentRate,
    PerUnitRate,
    Program,
    Rate,
    Region,
    Schedule,
    Tier,
    TieredRate,
)
from patentpool.core.model import Declaration, Essentiality, Patent, Register
from patentpool.core.periods import Period
from patentpool.core.royalties import RoyaltyResult, SalesLine, compute_royalties

D = dt.date
Q1, Q2, Q3, Q4 = (Period(2026, q) for q in (1, 2, 3, 4))
PATENT = Patent("US", "7000001", "lenovo", filing_date=D(2015, 1, 1), grant_date=D(2018, 1, 1))
REGISTER = Register(
    patents=(PATENT,),
    declarations=(Declaration(PATENT.key, "IGRS", "1.0", essentiality=Essentiality.ESSENTIAL),),
)
L1 = Licensee("l1", "L1 Devices")
L2 = Licensee("l2", "L2 Devices", group="l")  # l2 and l3 share tiers and the cap
L3 = Licensee("l3", "L3 Devices", group="l", good_standing=True)
LICENSEES = (L1, L2, L3)

FLAT = PerUnitRate(Decimal("1.00"))
#: the first 100 units of the year are free, then 1.00 a unit
TIERS = TieredRate((Tier(100, Decimal("0")), Tier(None, Decimal("1.00"))))
#: 10 % of the unit price: 1.00 a unit at a price of 10.00
PERCENT = PercentRate(Decimal("10"))


def program(*rates: Rate, caps: tuple[str | None, ...] = ()) -> Program:
    """One schedule per quarter from Q1, pricing ``codec`` at ``rates[i]`` in quarter i + 1,
    with the annual cap ``caps[i]`` (none when not given)."""
    schedules = []
    for i, rate in enumerate(rates):
        cap = caps[i] if i < len(caps) else None
        schedules.append(
            Schedule(
                effective_from=D(2026, 1 + 3 * i, 1),
                categories={"codec": rate},
                annual_cap=None if cap is None else Decimal(cap),
            )
        )
    return Program("igrs-v1", "IGRS", ("1.0",), "USD", tuple(schedules))


def line(period: Period, units: int, licensee: str = "l1", sale: str = "US") -> SalesLine:
    # a price of 10.00 a unit, for the percent rate
    return SalesLine(licensee, period, sale, "VN", "codec", units, Decimal(10 * units))


def both(prog: Program, lines: list[SalesLine], period: Period) -> RoyaltyResult:
    """The detailed result, after checking that the summary path gives the same amounts."""
    detailed = compute_royalties(prog, REGISTER, LICENSEES, lines, period)
    summary = compute_royalties(prog, REGISTER, LICENSEES, lines, period, detail=False)
    assert amounts(summary) == amounts(detailed)
    return detailed


def amounts(result: RoyaltyResult) -> tuple[object, ...]:
    return (
        result.total_due,
        result.royalties_by_country(),
        [(r.licensee, r.units, r.gross, r.cap_reduction, r.discount, r.due)
         for r in result.licensees],
    )  # fmt: skip


def due(prog: Program, lines: list[SalesLine], period: Period) -> Decimal:
    return both(prog, lines, period).total_due


def test_units_priced_per_unit_earlier_in_the_year_climb_the_tiers() -> None:
    prog = program(FLAT, TIERS)
    lines = [line(Q1, 80), line(Q2, 50)]
    assert due(prog, lines, Q1) == Decimal("80.00")
    # T(130) - T(80) = 30 x 1.00 - 0
    result = both(prog, lines, Q2)
    assert result.total_due == Decimal("30.00")
    rate = result.licensee("l1").lines[0].rate
    assert rate is not None
    assert [(s.above, s.units, s.per_unit) for s in rate.tiers] == [
        (80, 20, Decimal("0")),
        (100, 30, Decimal("1.00")),
    ]


def test_tiers_then_per_unit_then_tiers() -> None:
    prog = program(TIERS, FLAT, TIERS)
    lines = [line(Q1, 60), line(Q2, 30), line(Q3, 50)]
    assert due(prog, lines, Q1) == Decimal("0.00")  # T(60) = 0
    assert due(prog, lines, Q2) == Decimal("30.00")  # 30 x 1.00
    assert due(prog, lines, Q3) == Decimal("40.00")  # T(140) - T(90) = 40 - 0


def test_units_priced_by_percent_earlier_in_the_year_climb_the_tiers() -> None:
    prog = program(PERCENT, TIERS)
    lines = [line(Q1, 80), line(Q2, 50)]
    assert due(prog, lines, Q1) == Decimal("80.00")  # 80 x 10.00 x 10 %
    assert due(prog, lines, Q2) == Decimal("30.00")  # T(130) - T(80)


def test_the_whole_group_climbs_whatever_priced_its_units() -> None:
    prog = program(FLAT, PERCENT, TIERS)
    lines = [line(Q1, 40, "l2"), line(Q2, 40, "l3"), line(Q3, 30, "l2"), line(Q3, 20, "l3")]
    # 80 units before Q3: T(130) - T(80) = 30.00, split 30 : 20 by units
    result = both(prog, lines, Q3)
    assert (result.licensee("l2").gross, result.licensee("l3").gross) == (
        Decimal("18.00"),
        Decimal("12.00"),
    )
    # a licensee of another group does not climb the group's tiers
    assert due(prog, [line(Q1, 80, "l2"), line(Q2, 50)], Q2) == Decimal("50.00")


def test_units_owing_nothing_under_a_flat_rate_do_not_climb_the_tiers() -> None:
    prog = program(FLAT, TIERS)
    lines = [line(Q1, 80, sale="BR"), line(Q2, 50)]  # no patent in BR or VN
    assert due(prog, lines, Q1) == Decimal("0.00")
    assert due(prog, lines, Q2) == Decimal("0.00")  # T(50) = 0


def test_units_of_a_later_quarter_or_another_year_do_not_climb() -> None:
    prog = program(FLAT, TIERS, FLAT)
    lines = [line(Period(2025, 4), 500), line(Q2, 50), line(Q3, 500)]
    assert due(prog, lines, Q2) == Decimal("0.00")


def test_the_cap_counts_the_gross_of_quarters_priced_by_another_schedule() -> None:
    # Q1 has no cap; Q2's cap of 100 is measured against the year's gross, Q1's 80.00 included
    prog = program(FLAT, TIERS, caps=(None, "100"))
    result = both(prog, [line(Q1, 80), line(Q2, 150)], Q2)
    row = result.licensee("l1")
    # T(230) - T(80) = 130.00 gross; room 100 - 80 = 20.00
    assert (row.gross, row.cap_reduction, row.due) == (
        Decimal("130.00"),
        Decimal("110.00"),
        Decimal("20.00"),
    )


# ------------------------------------------------------------------ random schedules

REGIONS = (Region("half", frozenset({"IN"}), Decimal("0.5")),)


def _random_rate(rng: random.Random) -> Rate:
    kind = rng.choice(("flat", "percent", "tiers"))
    if kind == "flat":
        return PerUnitRate(Decimal(rng.choice(("0", "0.25", "1.005"))))
    if kind == "percent":
        return PercentRate(Decimal(rng.choice(("0.5", "3"))), base_floor=Decimal("2"))
    first = rng.choice((50, 100, 1000))
    return TieredRate(
        (
            Tier(first, Decimal(rng.choice(("0", "0.5")))),
            Tier(first * 3, Decimal("0.20")),
            Tier(None, Decimal("0.05")),
        )
    )


@pytest.mark.parametrize("seed", range(30))
def test_both_paths_agree_when_the_schedule_changes(seed: int) -> None:
    rng = random.Random(seed)
    days = sorted(rng.sample(range(1, 366), rng.randint(1, 3)))
    schedules = [
        Schedule(
            effective_from=D(2026, 1, 1) + dt.timedelta(days=day - 1) if n else D(2026, 1, 1),
            categories={c: _random_rate(rng) for c in ("codec", "tv")},
            annual_cap=rng.choice((None, Decimal("50"), Decimal("5000"))),
            regions=REGIONS,
        )
        for n, day in enumerate(days)
    ]
    prog = Program("igrs-v1", "IGRS", ("1.0",), "USD", tuple(schedules))
    period = Period(2026, rng.randint(1, 4))
    lines = [
        SalesLine(
            rng.choice(LICENSEES).id,
            Period(2026, rng.randint(1, period.quarter)),
            rng.choice(("US", "IN", "BR")),
            rng.choice(("VN", "US")),
            rng.choice(("codec", "tv")),
            rng.choice((0, 1, rng.randint(1, 400))),
            Decimal(rng.randint(0, 5000)),
        )
        for _ in range(rng.randint(1, 60))
    ]
    lines.append(line(period, 10))
    both(prog, lines, period)
