"""Open versus closed licensing regimes: the Cournot complements model, solved exactly.

Demand for the end product is linear, ``P = a - b Q``; makers pay a unit cost ``c`` plus the
royalty stack ``R``, the sum of every holder's per-unit rate. Makers are either competitive
(``P = c + R``) or ``m`` licensed makers competing a la Cournot. Holders either price on their
own (each best-responds), price jointly through a pool, or charge a fixed published rate; caps
may bound what each charges. Every quantity is an exact :class:`~fractions.Fraction`: each
equilibrium has a closed form (see ``docs/regimes.md`` for every formula), so no iteration and
no rounding happen here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any

from patentpool.core.market import Market as Market
from patentpool.core.market import ParameterError as ParameterError
from patentpool.core.market import benchmark_welfare as benchmark_welfare
from patentpool.core.market import (
    capped_equilibrium,
    consumer_surplus,
    makers_margin,
    price,
    quantity,
    welfare,
)
from patentpool.core.market import show as show
from patentpool.core.model import MemberId
from patentpool.errors import InvalidInput

HolderId = str


@dataclass(frozen=True, slots=True)
class Holder:
    """A patent holder: ``member`` is the alliance member it is, or None for an outsider."""

    id: HolderId
    patents: int
    member: MemberId | None

    def __post_init__(self) -> None:
        if not self.id:
            raise ParameterError("id", "must not be empty")
        if isinstance(self.patents, bool) or self.patents < 1:
            raise ParameterError(
                "patents", f"must be a whole number of at least 1 (got {self.patents})"
            )


class Pricing(StrEnum):
    POOL = "pool"  # members set one joint rate; outsiders price on their own
    INDEPENDENT = "independent"  # every holder best-responds to the others
    FIXED = "fixed"  # a published rate, whatever demand does


@dataclass(frozen=True, slots=True)
class Regime:
    """An openness policy: who may take a licence and how the rates are set.

    ``makers`` is None for competitive makers (all comers licensed: price = cost + royalty), or
    the number of licensed makers competing a la Cournot. ``rate`` is the aggregate published
    rate of fixed pricing, split among holders by patent count; ``rate_per_holder`` is the
    alternative, the same rate from every holder. ``cap_total`` bounds the stack (each holder's
    share of it in proportion to patents); ``cap_per_holder`` bounds each holder's rate.
    ``cross_license``: members that make the product pay members no royalty on the share
    ``member_makers`` of output they make.
    """

    name: str
    pricing: Pricing
    makers: int | None = None
    rate: Fraction | None = None
    rate_per_holder: Fraction | None = None
    cap_total: Fraction | None = None
    cap_per_holder: Fraction | None = None
    cross_license: bool = False
    member_makers: Fraction | None = None

    def __post_init__(self) -> None:
        if not self.name:
            raise ParameterError("name", "must not be empty")
        if self.makers is not None and (isinstance(self.makers, bool) or self.makers < 1):
            raise ParameterError(
                "makers",
                f"must be 'competitive' or a whole number of at least 1 (got {self.makers})",
            )
        for key in ("rate", "rate_per_holder", "cap_total", "cap_per_holder"):
            value = getattr(self, key)
            if value is not None and value < 0:
                raise ParameterError(key, f"must not be negative (got {show(value)})")
        self._check_pricing()
        self._check_cross_license()

    def _check_pricing(self) -> None:
        given = [k for k in ("rate", "rate_per_holder") if getattr(self, k) is not None]
        if self.pricing is Pricing.FIXED and len(given) != 1:
            raise ParameterError(
                "rate",
                "fixed pricing needs exactly one of rate (the aggregate published rate) "
                "and rate_per_holder",
            )
        if self.pricing is not Pricing.FIXED and given:
            raise ParameterError(given[0], "is only for pricing: fixed")

    def _check_cross_license(self) -> None:
        share = self.member_makers
        if self.cross_license and share is None:
            raise ParameterError(
                "member_makers",
                "is required with cross_license: the share of output (0 to 1) made by members",
            )
        if share is None:
            return
        if not self.cross_license:
            raise ParameterError("member_makers", "is only for cross_license: true")
        if not 0 <= share <= 1:
            raise ParameterError("member_makers", f"must be between 0 and 1 (got {show(share)})")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One regime's equilibrium. Rates are per unit; incomes and surpluses are per period."""

    regime: Regime
    holder_rates: Mapping[HolderId, Fraction]
    holder_income: Mapping[HolderId, Fraction]
    members: Mapping[MemberId, Fraction]  # income of each alliance member
    royalty_stack: Fraction
    price: Fraction
    quantity: Fraction
    holders_income: Fraction
    makers_profit: Fraction
    consumer_surplus: Fraction
    welfare: Fraction
    benchmark_welfare: Fraction  # royalty-free, competitive makers: the first best

    @property
    def deadweight_loss(self) -> Fraction:
        return self.benchmark_welfare - self.welfare


# --- solving a regime --------------------------------------------------------------------


def patent_shares(holders: Iterable[Holder]) -> dict[HolderId, Fraction]:
    """Each holder's share of the patents counted: the default split of every shared amount."""
    holders = list(holders)
    total = sum(h.patents for h in holders)
    return {h.id: Fraction(h.patents, total) for h in holders}


def holder_caps(holders: Sequence[Holder], regime: Regime) -> dict[HolderId, Fraction | None]:
    """Each holder's cap: ``min(cap_per_holder, cap_total * its patent share)``, or None."""
    shares = patent_shares(holders)
    caps: dict[HolderId, Fraction | None] = {}
    for h in holders:
        bounds = [regime.cap_per_holder] if regime.cap_per_holder is not None else []
        if regime.cap_total is not None:
            bounds.append(regime.cap_total * shares[h.id])
        caps[h.id] = min(bounds) if bounds else None
    return caps


def holder_rates(
    market: Market,
    holders: Sequence[Holder],
    regime: Regime,
    pool_shares: Mapping[HolderId, Fraction] | None = None,
) -> dict[HolderId, Fraction]:
    """Each holder's per-unit rate under ``regime``.

    Fixed: the published rate (split by patents, or per holder), cut to the cap. Independent:
    :func:`capped_equilibrium` over the holders. Pool: the members act as one seller whose rate
    is split by ``pool_shares`` (default: patent counts among members) and whose cap is the
    highest pool rate that keeps every member's slice within its own cap; outsiders (holders
    with no member) price on their own against it.
    """
    caps = holder_caps(holders, regime)
    if regime.pricing is Pricing.FIXED:
        shares = patent_shares(holders)
        rates = {}
        for h in holders:
            base = regime.rate_per_holder
            if base is None:
                assert regime.rate is not None  # Regime checks that one of the two is given
                base = regime.rate * shares[h.id]
            cap = caps[h.id]
            rates[h.id] = base if cap is None else min(base, cap)
        return rates
    if regime.pricing is Pricing.INDEPENDENT:
        levels = capped_equilibrium(market.headroom, [caps[h.id] for h in holders])
        return {h.id: r for h, r in zip(holders, levels, strict=True)}
    members = [h for h in holders if h.member is not None]
    outsiders = [h for h in holders if h.member is None]
    weights = _pool_weights(members, pool_shares)
    pool_cap = _pool_cap(weights, caps)
    player_caps = ([pool_cap] if members else []) + [caps[h.id] for h in outsiders]
    levels = capped_equilibrium(market.headroom, player_caps)
    rates = {h.id: levels[0] * weights[h.id] for h in members} if members else {}
    rates.update({h.id: r for h, r in zip(outsiders, levels[1 if members else 0 :], strict=True)})
    return {h.id: rates[h.id] for h in holders}


def _pool_weights(
    members: Sequence[Holder], pool_shares: Mapping[HolderId, Fraction] | None
) -> dict[HolderId, Fraction]:
    if pool_shares is None:
        return patent_shares(members)
    missing = [h.id for h in members if h.id not in pool_shares]
    if missing:
        raise InvalidInput(f"pool shares: no share given for {', '.join(missing)}")
    total = sum((pool_shares[h.id] for h in members), Fraction(0))
    if total <= 0 or any(pool_shares[h.id] < 0 for h in members):
        raise InvalidInput("pool shares: must be non-negative and add up to more than 0")
    return {h.id: Fraction(pool_shares[h.id]) / total for h in members}


def _pool_cap(
    weights: Mapping[HolderId, Fraction], caps: Mapping[HolderId, Fraction | None]
) -> Fraction | None:
    """The highest pool rate that keeps every member's slice within the member's own cap."""
    bounds = [
        cap / weights[h]
        for h, cap in caps.items()
        if h in weights and cap is not None and weights[h] > 0
    ]
    return min(bounds) if bounds else None


def solve(
    market: Market,
    holders: Sequence[Holder],
    regime: Regime,
    pool_shares: Mapping[HolderId, Fraction] | None = None,
) -> Outcome:
    """The equilibrium of ``regime``: rates, then output, then who gets what.

    ``pool_shares`` maps each member holder to its weight in the pool's income (the
    programme's allocation policy); patent counts when None. With a cross-licence the share
    ``member_makers`` of output pays members nothing: that money stays with the makers, and
    price and output do not move (see docs/regimes.md, "Cross-licensing").
    """
    rates = holder_rates(market, holders, regime, pool_shares)
    stack = sum(rates.values(), Fraction(0))
    sold = quantity(market, regime.makers, stack)
    waived = regime.member_makers if regime.cross_license and regime.member_makers else Fraction(0)
    income: dict[HolderId, Fraction] = {}
    kept_by_makers = Fraction(0)
    members: dict[MemberId, Fraction] = {}
    for h in holders:
        due = rates[h.id] * sold
        if h.member is not None:
            kept_by_makers += due * waived
            due -= due * waived
            members[h.member] = members.get(h.member, Fraction(0)) + due
        income[h.id] = due
    makers = makers_margin(market, regime.makers, sold) + kept_by_makers
    return Outcome(
        regime=regime,
        holder_rates=rates,
        holder_income=income,
        members=members,
        royalty_stack=stack,
        price=price(market, sold),
        quantity=sold,
        holders_income=sum(income.values(), Fraction(0)),
        makers_profit=makers,
        consumer_surplus=consumer_surplus(market, sold),
        welfare=welfare(market, sold),
        benchmark_welfare=benchmark_welfare(market),
    )


# --- scenarios and sweeps ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scenario:
    """A market, its holders and the regimes to compare on them."""

    name: str
    market: Market
    holders: tuple[Holder, ...]
    regimes: tuple[Regime, ...]
    #: each member holder's weight in a pool's income, e.g. from a programme's distribution
    #: policy (:func:`patentpool.core.allocation.policy_shares`); None splits by patents
    pool_shares: Mapping[HolderId, Fraction] | None = None

    def __post_init__(self) -> None:
        if not self.holders:
            raise ParameterError("holders", "the holder list is empty")
        _check_unique("holders", [h.id for h in self.holders], "holder id")
        if not self.regimes:
            raise ParameterError("regimes", "the list is empty: give at least one regime")
        _check_unique("regimes", [r.name for r in self.regimes], "regime name")


def _check_unique(field: str, names: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ParameterError(field, f"{what} {name!r} appears twice")
        seen.add(name)


def describe_pricing(regime: Regime, *, words: bool = False) -> str:
    """How the regime sets its rates: ``pool``, ``fixed 25``, ``independent, cap 30``...

    ``words`` spells it out for a reader (``25 per holder``, ``cross-licence on 20% of
    output``) where a table column wants it short (``25/holder``, ``cross-licence 20%``).
    """
    per_holder = " per holder" if words else "/holder"
    text = regime.pricing.value
    if regime.pricing is Pricing.FIXED:
        if regime.rate is not None:
            text += f" {show(regime.rate)}"
        elif regime.rate_per_holder is not None:
            text += f" {show(regime.rate_per_holder)}{per_holder}"
    if regime.cap_total is not None:
        text += f", cap {show(regime.cap_total)}"
    if regime.cap_per_holder is not None:
        text += f", cap {show(regime.cap_per_holder)}{per_holder}"
    if regime.cross_license and regime.member_makers is not None:
        share = show(regime.member_makers * 100)
        text += f", cross-licence on {share}% of output" if words else f", cross-licence {share}%"
    return text


def compare(scenario: Scenario) -> tuple[Outcome, ...]:
    """Every regime of the scenario, solved on the same market and holders."""
    return tuple(
        solve(scenario.market, scenario.holders, r, scenario.pool_shares) for r in scenario.regimes
    )


#: What a sweep may move. Market parameters move in every regime; regime parameters move only
#: in the regimes that set them (``makers`` where it is a number, ``rate`` in fixed regimes
#: giving an aggregate rate...); ``holders`` replaces the holders by :func:`symmetric_holders`.
MARKET_PARAMETERS = ("intercept", "slope", "unit_cost")
REGIME_PARAMETERS = (
    "makers",
    "rate",
    "rate_per_holder",
    "cap_total",
    "cap_per_holder",
    "member_makers",
)
SWEEP_PARAMETERS = ("holders", *MARKET_PARAMETERS, *REGIME_PARAMETERS)
#: Parameters that only take whole numbers.
WHOLE_PARAMETERS = ("holders", "makers")


def symmetric_holders(count: int) -> tuple[Holder, ...]:
    """``count`` identical members ``h01``, ``h02``... each holding one patent.

    Holders are strict complements, so only their number moves the stack; with equal counts
    every split (pool income, aggregate caps, published rates) is equal.
    """
    if count < 1:
        raise ParameterError("holders", f"must be at least 1 (got {count})")
    width = len(str(count))
    names = [f"h{i:0{width}d}" for i in range(1, count + 1)]
    return tuple(Holder(name, 1, name) for name in names)


def vary(scenario: Scenario, parameter: str, value: Fraction) -> Scenario:
    """The scenario with ``parameter`` (one of :data:`SWEEP_PARAMETERS`) set to ``value``."""
    if parameter not in SWEEP_PARAMETERS:
        raise InvalidInput(
            f"sweep: unknown parameter {parameter!r}; choose from {', '.join(SWEEP_PARAMETERS)}"
        )
    if parameter in WHOLE_PARAMETERS and value.denominator != 1:
        raise ParameterError(parameter, f"must be a whole number (got {show(value)})")
    if parameter == "holders":
        return dataclasses.replace(
            scenario, holders=symmetric_holders(int(value)), pool_shares=None
        )
    if parameter in MARKET_PARAMETERS:
        market = dataclasses.replace(scenario.market, **{parameter: value})
        return dataclasses.replace(scenario, market=market)
    if all(getattr(r, parameter) is None for r in scenario.regimes):
        raise InvalidInput(f"sweep: no regime sets {parameter}, so sweeping it changes nothing")
    changes: dict[str, Any] = {parameter: int(value) if parameter == "makers" else value}
    regimes = tuple(
        dataclasses.replace(r, **changes) if getattr(r, parameter) is not None else r
        for r in scenario.regimes
    )
    return dataclasses.replace(scenario, regimes=regimes)


def sweep(
    scenario: Scenario, parameter: str, values: Iterable[Fraction]
) -> tuple[tuple[Fraction, tuple[Outcome, ...]], ...]:
    """Every regime's outcome for each value of ``parameter``, in the order of ``values``."""
    rows = []
    for value in values:
        try:
            varied = vary(scenario, parameter, value)
        except ParameterError as exc:
            raise InvalidInput(f"sweep {parameter}={show(value)}: {exc}") from exc
        rows.append((value, compare(varied)))
    return tuple(rows)
