"""Sales lines in other currencies: converted exactly, one line at a time, before a percent
rate's floor and cap clamp them; the licensee's due rounded once."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patentpool.core.fx import Conversion, FxRule
from patentpool.core.licensing import Discounts, Licensee, PercentRate, Program, Schedule
from patentpool.core.model import Declaration, Essentiality, Patent, Register
from patentpool.core.periods import Period
from patentpool.core.royalties import SalesLine, compute_royalties

Q1 = Period(2026, 1)
FLOOR, CAP, PERCENT = Fraction(50), Fraction(200), Fraction(5, 1000)
PATENT = Patent("CN", "0000001", "lenovo", dt.date(2015, 1, 1))
REGISTER = Register(
    patents=(PATENT,),
    declarations=(
        Declaration(PATENT.key, "IGRS", "1.0", None, essentiality=Essentiality.ESSENTIAL),
    ),
)
GOOD = Licensee("acme", "Acme", good_standing=True)


def schedule(fx_rule: FxRule | None = None, day: dt.date = dt.date(2026, 1, 1)) -> Schedule:
    return Schedule(
        day,
        {"phone": PercentRate(Decimal("0.5"), Decimal("50"), Decimal("200"))},
        discounts=Discounts(Decimal("0.1")),
        fx_rule=fx_rule,
    )


def program(*schedules: Schedule, fx_rule: FxRule = FxRule.QUARTER_END) -> Program:
    return Program("igrs-v1", "IGRS", ("1.0",), "USD", schedules or (schedule(),), fx_rule=fx_rule)


def conversion(rate: Fraction) -> Conversion:
    return Conversion("CNY", "USD", rate, dt.date(2026, 3, 31), "quarter_end", "rates.csv")


def by_hand(lines: list[tuple[int, Decimal, Fraction | None]]) -> Decimal:
    """The due of one licensee's percent lines, worked out as docs/royalties.md says."""
    gross = Fraction(0)
    for units, net, rate in lines:
        if not units:
            continue
        price = Fraction(net) * (rate if rate is not None else 1) / units
        gross += min(max(price, FLOOR), CAP) * units * PERCENT
    due = gross * Fraction(9, 10)
    return (Decimal(due.numerator) / Decimal(due.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


# rates as the ECB publishes them (up to 4 decimals per euro) crossed through the euro
per_eur = st.integers(min_value=1, max_value=10**6).map(lambda n: Fraction(n, 10**4))
lines = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10**5),
        st.integers(min_value=0, max_value=10**10).map(lambda c: Decimal(c).scaleb(-2)),
        st.booleans(),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=80, deadline=None)
@given(per_eur, per_eur, lines)
def test_each_line_is_converted_exactly_before_the_clamp_and_the_due_rounded_once(
    usd: Fraction, cny: Fraction, rows: list[tuple[int, Decimal, bool]]
) -> None:
    rate = usd / cny
    fx = conversion(rate)
    sales = [
        SalesLine("acme", Q1, "CN", "CN", "phone", units, net, f"s.csv:{i}", fx if other else None)
        for i, (units, net, other) in enumerate(rows)
    ]
    result = compute_royalties(program(), REGISTER, [GOOD], sales, Q1)
    (item,) = result.licensees
    assert item.due == by_hand([(u, n, rate if o else None) for u, n, o in rows])
    assert sum(line.due for line in item.lines) == item.due
    assert sum(line.gross for line in item.lines) == item.gross
    assert item.gross - item.cap_reduction - item.discount == item.due
    # the figures do not depend on keeping the lines: the summary alone gives the same due
    summary = compute_royalties(program(), REGISTER, [GOOD], sales, Q1, detail=False)
    assert summary.total_due == result.total_due


def test_a_converted_line_prints_its_unit_price_in_the_programme_currency() -> None:
    # 1,200 CNY a unit at 1 CNY = 0.15 USD is 180 USD: within [50, 200], not clamped
    fx = conversion(Fraction(15, 100))
    line = SalesLine("acme", Q1, "CN", "CN", "phone", 10, Decimal("12000"), "s.csv:2", fx)
    (item,) = compute_royalties(program(), REGISTER, [GOOD], [line], Q1).licensees
    (priced,) = item.lines
    assert priced.rate is not None
    assert priced.rate.unit_price == 180
    assert priced.rate.clamped is None
    assert priced.exact_gross == Fraction(9)  # 10 x 180 x 0.5%
    # unconverted, 1,200 a unit would have been lowered to the cap of 200
    plain = SalesLine("acme", Q1, "CN", "CN", "phone", 10, Decimal("12000"), "s.csv:2")
    (item,) = compute_royalties(program(), REGISTER, [GOOD], [plain], Q1).licensees
    assert item.lines[0].rate is not None
    assert item.lines[0].rate.clamped == "cap"


def test_a_schedule_may_give_its_own_fx_rule_from_its_effective_from() -> None:
    later = schedule(FxRule.QUARTER_AVERAGE, dt.date(2026, 4, 1))
    prog = program(schedule(), later)
    assert prog.fx_rule_for(Q1) is FxRule.QUARTER_END
    assert prog.fx_rule_for(Period(2026, 2)) is FxRule.QUARTER_AVERAGE
    averaged = program(schedule(), fx_rule=FxRule.QUARTER_AVERAGE)
    assert averaged.fx_rule_for(Q1) is FxRule.QUARTER_AVERAGE
    with pytest.raises(ValueError, match="monthly"):
        program(fx_rule="monthly")  # type: ignore[arg-type]
