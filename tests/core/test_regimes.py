"""The regime model against closed forms worked by hand, and its invariants."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patentpool.core.market import (
    Market,
    ParameterError,
    benchmark_welfare,
    capped_equilibrium,
    consumer_surplus,
    independent_stack,
    makers_margin,
    pool_stack,
    price,
    quantity,
    show,
)
from patentpool.core.regimes import (
    Holder,
    Pricing,
    Regime,
    Scenario,
    compare,
    holder_caps,
    solve,
    sweep,
    symmetric_holders,
    vary,
)
from patentpool.errors import InvalidInput

MARKET = Market(F(100), F(1), F(20))  # a - c = 80
ABC = (Holder("a", 100, "a"), Holder("b", 60, "b"), Holder("c", 40, "c"))


def regime(pricing: str, **kw: object) -> Regime:
    return Regime(name="r", pricing=Pricing(pricing), **kw)  # type: ignore[arg-type]


# --- closed forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "c", "n", "stack"),
    [
        (100, 1, 20, 1, F(40)),  # a monopolist holder: (a - c) / 2
        (100, 1, 20, 3, F(60)),  # 3 * 80 / 4
        (100, 2, 20, 4, F(64)),  # 4 * 80 / 5; the slope plays no part
        (10, 1, 1, 2, F(6)),  # 2 * 9 / 3
        (50, 1, 0, 29, F(4350, 90)),  # 29 * 50 / 30
    ],
)
def test_independent_stack_is_n_a_minus_c_over_n_plus_1(
    a: int, b: int, c: int, n: int, stack: F
) -> None:
    market = Market(F(a), F(b), F(c))
    assert independent_stack(market, n) == stack
    outcome = solve(market, symmetric_holders(n), regime("independent"))
    assert outcome.royalty_stack == stack
    assert set(outcome.holder_rates.values()) == {stack / n}


@pytest.mark.parametrize(("a", "c", "stack"), [(100, 20, F(40)), (10, 1, F(9, 2)), (7, 0, F(7, 2))])
def test_pool_stack_is_half_the_headroom_whatever_the_number_of_holders(
    a: int, c: int, stack: F
) -> None:
    market = Market(F(a), F(1), F(c))
    assert pool_stack(market) == stack
    for n in (1, 2, 7):
        assert solve(market, symmetric_holders(n), regime("pool")).royalty_stack == stack


@pytest.mark.parametrize(
    ("makers", "stack", "sold"),
    [
        (None, F(60), F(20)),  # competitive: (a - c - R) / b
        (1, F(60), F(10)),  # 1 * 20 / (1 * 2)
        (3, F(60), F(15)),  # 3 * 20 / 4
        (10, F(25), F(50)),  # 10 * 55 / 11
        (3, F(90), F(0)),  # the stack leaves no room: nothing is sold
    ],
)
def test_quantity_with_cournot_makers(makers: int | None, stack: F, sold: F) -> None:
    assert quantity(MARKET, makers, stack) == sold


def test_quantity_divides_by_the_slope() -> None:
    market = Market(F(100), F(2), F(20))
    assert quantity(market, 3, F(60)) == F(15, 2)  # 3 * 20 / (2 * 4)


def test_consumer_surplus_and_makers_margin() -> None:
    market = Market(F(100), F(2), F(20))
    assert consumer_surplus(market, F(10)) == 100  # b Q^2 / 2
    assert makers_margin(market, 4, F(10)) == 50  # b Q^2 / m
    assert makers_margin(market, None, F(10)) == 0
    assert price(market, F(10)) == 80
    assert benchmark_welfare(market) == 1600  # 80^2 / 4


# --- whole regimes, worked by hand (docs/regimes.md, "A worked example") ------------------


def test_open_pool_with_competitive_makers() -> None:
    out = solve(MARKET, ABC, regime("pool"))
    assert out.royalty_stack == 40
    assert out.holder_rates == {"a": 20, "b": 12, "c": 8}  # 40 split 100:60:40
    assert (out.price, out.quantity) == (60, 40)
    assert out.holders_income == 1600
    assert out.members == {"a": 800, "b": 480, "c": 320}
    assert (out.makers_profit, out.consumer_surplus) == (0, 800)
    assert (out.welfare, out.deadweight_loss) == (2400, 800)


def test_closed_independent_with_three_cournot_makers() -> None:
    out = solve(MARKET, ABC, regime("independent", makers=3))
    assert out.holder_rates == {"a": 20, "b": 20, "c": 20}
    assert (out.royalty_stack, out.price, out.quantity) == (60, 85, 15)
    assert out.holders_income == 900
    assert out.makers_profit == 75  # 1 * 15^2 / 3
    assert out.consumer_surplus == F(225, 2)
    assert out.welfare == F(2175, 2)
    assert out.deadweight_loss == F(4225, 2)


def test_published_aggregate_rate_is_split_by_patents() -> None:
    out = solve(MARKET, ABC, regime("fixed", makers=10, rate=F(25)))
    assert out.holder_rates == {"a": F(25, 2), "b": F(15, 2), "c": 5}
    assert (out.quantity, out.price) == (50, 50)
    assert (out.holders_income, out.makers_profit, out.consumer_surplus) == (1250, 250, 1250)
    assert out.deadweight_loss == 450


def test_published_rate_per_holder() -> None:
    out = solve(MARKET, ABC, regime("fixed", rate_per_holder=F(10)))
    assert out.royalty_stack == 30
    assert out.members == {"a": 500, "b": 500, "c": 500}


def test_published_rate_above_the_headroom_sells_nothing() -> None:
    out = solve(MARKET, ABC, regime("fixed", rate=F(90)))
    assert (out.quantity, out.price, out.holders_income, out.welfare) == (0, 100, 0, 0)
    assert out.deadweight_loss == 3200


def test_binding_aggregate_cap_is_shared_by_patents() -> None:
    out = solve(MARKET, ABC, regime("independent", cap_total=F(30)))
    assert out.holder_rates == {"a": 15, "b": 9, "c": 6}
    assert (out.royalty_stack, out.quantity, out.holders_income) == (30, 50, 1500)


def test_aggregate_cap_binding_on_some_holders_only() -> None:
    # Caps 30, 18, 12. b and c sit at their caps; a best-responds: (80 - 30) / 2 = 25 < 30.
    out = solve(MARKET, ABC, regime("independent", cap_total=F(60)))
    assert out.holder_rates == {"a": 25, "b": 18, "c": 12}
    assert out.royalty_stack == 55


def test_slack_cap_changes_nothing() -> None:
    capped = solve(MARKET, ABC, regime("independent", cap_per_holder=F(25)))
    assert capped.holder_rates == {"a": 20, "b": 20, "c": 20}


def test_caps_combine_per_holder_and_aggregate() -> None:
    caps = holder_caps(ABC, regime("independent", cap_total=F(60), cap_per_holder=F(20)))
    assert caps == {"a": 20, "b": 18, "c": 12}
    assert holder_caps(ABC, regime("independent")) == {"a": None, "b": None, "c": None}


def test_pool_with_a_per_holder_cap() -> None:
    # a's slice is half the pool rate: 15 / (1/2) = 30 is the highest rate the cap allows.
    out = solve(MARKET, ABC, regime("pool", cap_per_holder=F(15)))
    assert out.royalty_stack == 30
    assert out.holder_rates == {"a": 15, "b": 9, "c": 6}


def test_pool_facing_an_outsider() -> None:
    holders = (Holder("a", 100, "a"), Holder("b", 60, "b"), Holder("x", 40, None))
    out = solve(MARKET, holders, regime("pool"))
    # Two complementary sellers (the pool and x): each charges 80 / 3.
    assert out.holder_rates == {"a": F(50, 3), "b": F(10), "x": F(80, 3)}
    assert out.royalty_stack == F(160, 3)
    assert set(out.members) == {"a", "b"}


def test_pool_income_follows_the_pool_shares_given() -> None:
    out = solve(MARKET, ABC, regime("pool"), pool_shares={"a": F(1), "b": F(1), "c": F(2)})
    assert out.holder_rates == {"a": 10, "b": 10, "c": 20}
    assert out.members == {"a": 400, "b": 400, "c": 800}
    with pytest.raises(InvalidInput, match="no share given for c"):
        solve(MARKET, ABC, regime("pool"), pool_shares={"a": F(1), "b": F(1)})


def test_cross_licence_moves_money_from_members_to_makers_only() -> None:
    holders = (*ABC[:2], Holder("x", 40, None))
    plain = solve(MARKET, holders, regime("independent"))
    crossed = solve(
        MARKET, holders, regime("independent", cross_license=True, member_makers=F(1, 4))
    )
    assert (crossed.royalty_stack, crossed.quantity, crossed.welfare) == (
        plain.royalty_stack,
        plain.quantity,
        plain.welfare,
    )
    # Rates 20 each, Q = 20: members get 400 * 3/4; the outsider x is paid in full.
    assert crossed.holder_income == {"a": 300, "b": 300, "x": 400}
    assert crossed.makers_profit == 200


def test_several_holders_of_one_member_add_up() -> None:
    holders = (Holder("a-cn", 50, "a"), Holder("a-us", 50, "a"), Holder("b", 100, "b"))
    out = solve(MARKET, holders, regime("pool"))
    assert out.members == {"a": 800, "b": 800}


def test_no_holders_means_no_royalty() -> None:
    for pricing in ("pool", "independent"):
        out = solve(MARKET, (), regime(pricing))
        assert (out.royalty_stack, out.quantity, out.members) == (0, 80, {})


# --- the capped solver -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headroom", "caps", "rates"),
    [
        (F(80), [None, None, None], (20, 20, 20)),
        (F(80), [F(30), F(18), F(12)], (25, 18, 12)),
        (F(80), [F(15), F(9), F(6)], (15, 9, 6)),  # all bind: t = 50
        (F(80), [F(0), None], (0, 40)),  # a holder capped at nothing leaves a monopolist
        (F(10), [F(1), F(1), None, None], (1, 1, F(8, 3), F(8, 3))),
        (F(80), [F(20), F(20), F(20)], (20, 20, 20)),  # caps exactly at the free rates
        (F(80), [], ()),
    ],
)
def test_capped_equilibrium_hand_cases(
    headroom: F, caps: list[F | None], rates: tuple[F, ...]
) -> None:
    assert capped_equilibrium(headroom, caps) == rates


def tenths(low: int, high: int) -> st.SearchStrategy[F]:
    """Fractions with denominator 10 in [low, high]: quick to draw, and exact."""
    return st.integers(min_value=low * 10, max_value=high * 10).map(lambda n: F(n, 10))


caps_strategy = st.lists(
    st.one_of(st.none(), tenths(0, 100)),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(headroom=tenths(0, 200).filter(lambda h: h > 0), caps=caps_strategy)
def test_capped_equilibrium_is_a_nash_equilibrium(headroom: F, caps: list[F | None]) -> None:
    rates = capped_equilibrium(headroom, caps)
    total = sum(rates, F(0))
    for rate, cap in zip(rates, caps, strict=True):
        best = (headroom - (total - rate)) / 2
        best = max(F(0), best if cap is None else min(cap, best))
        assert rate == best


@settings(max_examples=50, deadline=None, derandomize=True)
@given(headroom=st.integers(min_value=1, max_value=200), caps=caps_strategy)
def test_sequential_best_responses_converge_to_the_closed_form(
    headroom: int, caps: list[F | None]
) -> None:
    """Best-response iteration (the game has a concave potential) reaches the same rates."""
    rates = [0.0] * len(caps)
    for _ in range(2000):
        moved = 0.0
        for i, cap in enumerate(caps):
            best = max(0.0, (headroom - (sum(rates) - rates[i])) / 2)
            best = best if cap is None else min(float(cap), best)
            moved = max(moved, abs(best - rates[i]))
            rates[i] = best
        if moved < 1e-12:
            break
    exact = capped_equilibrium(F(headroom), caps)
    assert rates == pytest.approx([float(r) for r in exact], abs=1e-7)


# --- properties of whole regimes ----------------------------------------------------------

markets = st.builds(
    lambda c, headroom, b: Market(c + headroom, b, c),
    tenths(0, 100),
    tenths(0, 200).filter(lambda h: h > 0),
    tenths(0, 10).filter(lambda b: b > 0),
)
holder_lists = st.lists(
    st.tuples(st.integers(min_value=1, max_value=500), st.booleans()), min_size=2, max_size=15
).map(
    lambda rows: tuple(Holder(f"h{i}", n, f"h{i}" if m else None) for i, (n, m) in enumerate(rows))
)
makers_counts = st.one_of(st.none(), st.integers(min_value=1, max_value=50))
optional_caps = st.one_of(st.none(), tenths(0, 150))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    market=markets,
    holders=holder_lists,
    makers=makers_counts,
    cap_total=optional_caps,
    cap_per_holder=optional_caps,
)
def test_a_pool_never_sells_less_than_independent_pricing(
    market: Market,
    holders: tuple[Holder, ...],
    makers: int | None,
    cap_total: F | None,
    cap_per_holder: F | None,
) -> None:
    caps = {"makers": makers, "cap_total": cap_total, "cap_per_holder": cap_per_holder}
    pooled = solve(market, holders, regime("pool", **caps))
    alone = solve(market, holders, regime("independent", **caps))
    assert pooled.quantity >= alone.quantity
    assert pooled.royalty_stack <= alone.royalty_stack


@settings(max_examples=200, deadline=None, derandomize=True)
@given(market=markets, n=st.integers(min_value=2, max_value=40), makers=makers_counts)
def test_an_uncapped_pool_of_all_holders_beats_independent_pricing_on_every_count(
    market: Market, n: int, makers: int | None
) -> None:
    holders = symmetric_holders(n)
    pooled = solve(market, holders, regime("pool", makers=makers))
    alone = solve(market, holders, regime("independent", makers=makers))
    assert pooled.quantity > alone.quantity
    assert pooled.price < alone.price
    assert pooled.holders_income > alone.holders_income
    assert pooled.consumer_surplus > alone.consumer_surplus


regimes = st.one_of(
    st.builds(
        lambda p, m, ct, cp: regime(p, makers=m, cap_total=ct, cap_per_holder=cp),
        st.sampled_from(["pool", "independent"]),
        makers_counts,
        optional_caps,
        optional_caps,
    ),
    st.builds(
        lambda m, r: regime("fixed", makers=m, rate=r),
        makers_counts,
        tenths(0, 300),
    ),
    st.builds(
        lambda m, s: regime("independent", makers=m, cross_license=True, member_makers=s),
        makers_counts,
        tenths(0, 1),
    ),
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(market=markets, holders=holder_lists, r=regimes)
def test_welfare_never_exceeds_the_royalty_free_benchmark(
    market: Market, holders: tuple[Holder, ...], r: Regime
) -> None:
    out = solve(market, holders, r)
    assert out.welfare <= out.benchmark_welfare
    assert out.deadweight_loss >= 0
    # Everyone's share adds up to welfare, and members' income to the members' holders'.
    parts = out.consumer_surplus + out.makers_profit + out.holders_income
    assert parts == out.welfare
    assert sum(out.members.values(), F(0)) == sum(
        out.holder_income[h.id] for h in holders if h.member is not None
    )
    assert out.royalty_stack == sum(out.holder_rates.values(), F(0))


# --- bad parameters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((F(100), F(0), F(20)), "demand.slope: must be greater than 0 (got 0)"),
        ((F(100), F(-1, 2), F(20)), "demand.slope: must be greater than 0 (got -0.5)"),
        ((F(100), F(1), F(-1)), "unit_cost: must not be negative (got -1)"),
        (
            (F(100), F(1), F(100)),
            "unit_cost: 100 is not below the demand intercept 100: nobody would pay what the "
            "product costs to make, so there is no market at all",
        ),
    ],
)
def test_bad_market(args: tuple[F, F, F], message: str) -> None:
    with pytest.raises(ParameterError) as err:
        Market(*args)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        (
            {"pricing": "pool", "makers": 0},
            "makers: must be 'competitive' or a whole number of at least 1 (got 0)",
        ),
        ({"pricing": "fixed", "rate": F(-1)}, "rate: must not be negative (got -1)"),
        ({"pricing": "pool", "cap_total": F(-5)}, "cap_total: must not be negative (got -5)"),
        (
            {"pricing": "pool", "cap_per_holder": F(-1, 3)},
            "cap_per_holder: must not be negative (got -1/3)",
        ),
        (
            {"pricing": "fixed"},
            "rate: fixed pricing needs exactly one of rate (the aggregate published rate) and "
            "rate_per_holder",
        ),
        (
            {"pricing": "fixed", "rate": F(1), "rate_per_holder": F(1)},
            "rate: fixed pricing needs exactly one of rate (the aggregate published rate) and "
            "rate_per_holder",
        ),
        (
            {"pricing": "pool", "rate_per_holder": F(1)},
            "rate_per_holder: is only for pricing: fixed",
        ),
        (
            {"pricing": "pool", "cross_license": True},
            "member_makers: is required with cross_license: the share of output (0 to 1) made "
            "by members",
        ),
        (
            {"pricing": "pool", "member_makers": F(1, 2)},
            "member_makers: is only for cross_license: true",
        ),
        (
            {"pricing": "pool", "cross_license": True, "member_makers": F(3, 2)},
            "member_makers: must be between 0 and 1 (got 1.5)",
        ),
    ],
)
def test_bad_regime(kw: dict[str, object], message: str) -> None:
    pricing = Pricing(kw.pop("pricing"))
    with pytest.raises(ParameterError) as err:
        Regime("r", pricing, **kw)  # type: ignore[arg-type]
    assert str(err.value) == message


def message_of(call: Callable[[], object]) -> str:
    with pytest.raises(InvalidInput) as err:
        call()
    return str(err.value)


def test_bad_holders_and_scenarios() -> None:
    pool = (regime("pool"),)
    assert message_of(lambda: Holder("a", 0, "a")) == (
        "patents: must be a whole number of at least 1 (got 0)"
    )
    assert message_of(lambda: Scenario("s", MARKET, (), pool)) == (
        "holders: the holder list is empty"
    )
    assert message_of(lambda: Scenario("s", MARKET, (ABC[0], ABC[0]), pool)) == (
        "holders: holder id 'a' appears twice"
    )
    assert message_of(lambda: Scenario("s", MARKET, ABC, (*pool, regime("independent")))) == (
        "regimes: regime name 'r' appears twice"
    )
    assert message_of(lambda: Scenario("s", MARKET, ABC, ())) == (
        "regimes: the list is empty: give at least one regime"
    )


# --- scenarios and sweeps ----------------------------------------------------------------

SCENARIO = Scenario(
    "demo",
    MARKET,
    ABC,
    (
        Regime("open", Pricing.POOL),
        Regime("closed", Pricing.INDEPENDENT, makers=3),
        Regime("published", Pricing.FIXED, makers=10, rate=F(25)),
    ),
)


def test_compare_solves_every_regime_on_the_same_market() -> None:
    assert [o.royalty_stack for o in compare(SCENARIO)] == [40, 60, 25]


def test_holders_sweep_grows_the_independent_stack_and_leaves_the_pool_alone() -> None:
    rows = sweep(SCENARIO, "holders", [F(1), F(2), F(30)])
    assert [v for v, _ in rows] == [1, 2, 30]
    assert [outs[0].royalty_stack for _, outs in rows] == [40, 40, 40]
    assert [outs[1].royalty_stack for _, outs in rows] == [40, F(160, 3), F(2400, 31)]


def test_symmetric_holders() -> None:
    assert symmetric_holders(2) == (Holder("h1", 1, "h1"), Holder("h2", 1, "h2"))
    assert [h.id for h in symmetric_holders(10)][:2] == ["h01", "h02"]


def test_vary_moves_only_the_regimes_that_set_the_parameter() -> None:
    varied = vary(SCENARIO, "makers", F(5))
    assert [r.makers for r in varied.regimes] == [None, 5, 5]
    varied = vary(SCENARIO, "rate", F(40))
    assert [r.rate for r in varied.regimes] == [None, None, 40]
    assert vary(SCENARIO, "slope", F(2)).market.slope == 2


def test_bad_sweeps() -> None:
    assert message_of(lambda: sweep(SCENARIO, "cap_total", [F(1)])) == (
        "sweep: no regime sets cap_total, so sweeping it changes nothing"
    )
    assert message_of(lambda: sweep(SCENARIO, "colour", [F(1)])) == (
        "sweep: unknown parameter 'colour'; choose from holders, intercept, slope, unit_cost, "
        "makers, rate, rate_per_holder, cap_total, cap_per_holder, member_makers"
    )
    assert message_of(lambda: sweep(SCENARIO, "unit_cost", [F(90), F(100)])) == (
        "sweep unit_cost=100: unit_cost: 100 is not below the demand intercept 100: nobody "
        "would pay what the product costs to make, so there is no market at all"
    )
    assert message_of(lambda: sweep(SCENARIO, "makers", [F(0)])) == (
        "sweep makers=0: makers: must be 'competitive' or a whole number of at least 1 (got 0)"
    )
    assert message_of(lambda: sweep(SCENARIO, "holders", [F(3, 2)])) == (
        "sweep holders=1.5: holders: must be a whole number (got 1.5)"
    )
    assert message_of(lambda: sweep(SCENARIO, "holders", [F(0)])) == (
        "sweep holders=0: holders: must be at least 1 (got 0)"
    )


@pytest.mark.parametrize(
    ("value", "text"), [(F(30), "30"), (F(5, 2), "2.5"), (F(1, 3), "1/3"), (F(-1, 2), "-0.5")]
)
def test_show(value: F, text: str) -> None:
    assert show(value) == text
