"""Properties: money conserved to the cent, shares add to 1, order does not matter."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from patentpool.core.allocation import distribute, shapley_shares
from patentpool.core.licensing import (
    Discounts,
    Licensee,
    PercentRate,
    PerUnitRate,
    Program,
    Region,
    Schedule,
    Tier,
    TieredRate,
)
from patentpool.core.model import Declaration, Essentiality, Patent, Register
from patentpool.core.money import largest_remainder
from patentpool.core.periods import Period
from patentpool.core.royalties import SalesLine, compute_royalties

D = dt.date
Q2 = Period(2026, 2)
MEMBERS = ["hisense", "konka", "lenovo", "tcl", "changhong"]
COUNTRIES = ["CN", "US", "DE", "BR", "VN"]
POLICIES = ["proportional", "per-family", "per-patent-country", "hybrid", "shapley", "weighted"]


def program(fee: Decimal = Decimal("0.10"), currency: str = "USD") -> Program:
    return Program(
        id="igrs-v1",
        standard="IGRS",
        versions=("1.0",),
        currency=currency,
        admin_fee=fee,
        schedules=(
            Schedule(
                D(2026, 1, 1),
                {
                    "tv": PerUnitRate(Decimal("0.37")),
                    "phone": PercentRate(Decimal("0.7"), Decimal("50"), Decimal("200")),
                    "codec": TieredRate(
                        (
                            Tier(1000, Decimal("0")),
                            Tier(5000, Decimal("0.21")),
                            Tier(None, Decimal("0.13")),
                        )
                    ),
                },
                annual_cap=Decimal("1500"),
                regions=(Region("r2", frozenset({"BR", "VN"}), Decimal("0.5")),),
                discounts=Discounts(Decimal("0.07"), Decimal("0.5")),
            ),
        ),
    )


patent_rows = st.lists(
    st.tuples(
        st.sampled_from(MEMBERS),
        st.sampled_from(["CN", "US", "DE"]),
        st.sampled_from(["A", "B", "C", None]),
        st.sampled_from(["F1", "F2", "F3", None]),
    ),
    min_size=1,
    max_size=25,
)


def register_of(rows: list[tuple[str, str, str | None, str | None]]) -> Register:
    patents = []
    declarations = []
    for i, (owner, country, section, family) in enumerate(rows):
        patent = Patent(country, f"{i:07d}", owner, D(2015, 1, 1), family=family)
        patents.append(patent)
        declarations.append(
            Declaration(patent.key, "IGRS", "1.0", section, essentiality=Essentiality.ESSENTIAL)
        )
    return Register(patents=tuple(patents), declarations=tuple(declarations))


cents = st.integers(min_value=1, max_value=10**9).map(lambda c: Decimal(c).scaleb(-2))
fees = st.integers(min_value=0, max_value=100).map(lambda p: Decimal(p) / 100)


@settings(max_examples=60, deadline=None)
@given(patent_rows, cents, fees, st.sampled_from(POLICIES), st.randoms(use_true_random=False))
def test_money_is_conserved_and_shares_add_to_one(
    rows: list[tuple[str, str, str | None, str | None]],
    collected: Decimal,
    fee: Decimal,
    policy: str,
    rnd: random.Random,
) -> None:
    register = register_of(rows)
    by_country = {"CN": Decimal("1.00"), "US": Decimal("2.00"), "DE": Decimal("3.00")}
    present = {c for _, c, _, _ in rows}
    by_country = {c: v for c, v in by_country.items() if c in present}
    params = {"alpha": "0.3"} if policy == "hybrid" else {}
    result = distribute(program(fee), register, Q2, collected, by_country, policy, params)
    assert result.admin_fee + sum(m.amount for m in result.members) == collected
    assert sum(m.share for m in result.members) == 1
    assert all(m.amount >= 0 for m in result.members)
    # results do not depend on the order of the register's rows
    shuffled = list(zip(register.patents, register.declarations, strict=True))
    rnd.shuffle(shuffled)
    reordered = Register(
        patents=tuple(p for p, _ in shuffled), declarations=tuple(d for _, d in shuffled)
    )
    assert distribute(program(fee), reordered, Q2, collected, by_country, policy, params) == result


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**7),
    st.dictionaries(
        st.text("abcdef", min_size=1, max_size=3),
        st.fractions(min_value=0, max_value=1000),
        min_size=1,
    ),
    st.sampled_from(["USD", "JPY", "KWD"]),
)
def test_largest_remainder_adds_up_and_stays_within_a_minor_unit(
    units: int, weights: dict[str, Fraction], currency: str
) -> None:
    if sum(weights.values()) == 0:
        weights = {k: Fraction(1) for k in weights}
    digits = {"USD": 2, "JPY": 0, "KWD": 3}[currency]
    total = Decimal(units).scaleb(-digits)
    parts = largest_remainder(total, weights, currency)
    assert sum(parts.values()) == total
    whole = sum(weights.values())
    for key, part in parts.items():
        exact = Fraction(total) * weights[key] / whole
        assert abs(Fraction(part) - exact) < Fraction(1, 10**digits)


@settings(max_examples=60, deadline=None)
@given(patent_rows, st.sampled_from(MEMBERS), st.sampled_from(["CN", "US", "DE"]))
def test_adding_a_counted_patent_never_lowers_its_owners_proportional_share(
    rows: list[tuple[str, str, str | None, str | None]], owner: str, country: str
) -> None:
    before = distribute(program(), register_of(rows), Q2, Decimal("100.00"))
    after = distribute(
        program(), register_of([*rows, (owner, country, None, None)]), Q2, Decimal("100.00")
    )
    share_before = {m.member: m.share for m in before.members}.get(owner, Fraction(0))
    share_after = {m.member: m.share for m in after.members}[owner]
    assert share_after >= share_before


holdings_strategy = st.dictionaries(
    st.sampled_from(MEMBERS),
    st.frozensets(st.sampled_from(["A", "B", "C", "D"]), min_size=1),
    min_size=1,
)


@settings(max_examples=150, deadline=None)
@given(holdings_strategy)
def test_exact_shapley_is_the_average_over_all_orders(holdings: dict[str, frozenset[str]]) -> None:
    everything = frozenset().union(*holdings.values())
    pivotal = dict.fromkeys(holdings, 0)
    for order in itertools.permutations(sorted(holdings)):
        covered: set[str] = set()
        for member in order:
            covered |= holdings[member]
            if covered == everything:
                pivotal[member] += 1
                break
    n = math.factorial(len(holdings))
    expected = {m: Fraction(c, n) for m, c in pivotal.items()}
    result = shapley_shares(holdings, "exact").shares
    assert result == expected
    assert sum(result.values()) == 1


sales_lines = st.lists(
    st.tuples(
        st.sampled_from(["acme", "acme-asia", "good", "member"]),
        st.sampled_from([Period(2026, 1), Q2]),
        st.sampled_from(COUNTRIES),
        st.sampled_from(COUNTRIES),
        st.sampled_from(["tv", "phone", "codec"]),
        st.integers(min_value=0, max_value=3000),
        st.integers(min_value=0, max_value=10**6),
    ),
    max_size=20,
)
LICENSEES = (
    Licensee("acme", "Acme", group="acme"),
    Licensee("acme-asia", "Acme Asia", group="acme", good_standing=True),
    Licensee("good", "Good", good_standing=True),
    Licensee("member", "Member", member=True),
)
ROYALTY_REGISTER = register_of([("lenovo", "CN", None, None), ("tcl", "DE", None, None)])


@settings(max_examples=80, deadline=None)
@given(sales_lines, st.randoms(use_true_random=False))
def test_royalties_add_up_and_ignore_line_order(
    rows: list[tuple[str, Period, str, str, str, int, int]], rnd: random.Random
) -> None:
    lines = [
        SalesLine(who, period, sale, made, category, units, Decimal(net).scaleb(-2))
        for who, period, sale, made, category, units, net in rows
    ]
    result = compute_royalties(program(), ROYALTY_REGISTER, LICENSEES, lines, Q2)
    assert result.total_due == sum(item.due for item in result.licensees)
    assert sum(result.royalties_by_country().values()) == result.total_due
    for item in result.licensees:
        assert item.gross - item.cap_reduction - item.discount == item.due
        assert min(item.cap_reduction, item.discount, item.due) >= 0
        assert sum(line.due for line in item.lines) == item.due
        assert sum(line.gross for line in item.lines) == item.gross
    rnd.shuffle(lines)
    assert compute_royalties(program(), ROYALTY_REGISTER, LICENSEES, lines, Q2) == result
