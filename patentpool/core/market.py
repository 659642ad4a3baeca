"""The market of the regime comparison (patentpool.core.regimes) and its closed forms.

Demand for the end product is linear, ``P = a - b Q``; makers pay a unit cost ``c`` plus the
royalty stack ``R``. Each function here is one closed form of docs/regimes.md, in exact
:class:`~fractions.Fraction` arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from patentpool.errors import InvalidInput


class ParameterError(InvalidInput):
    """A model parameter is out of its domain; ``field`` names it as the scenario file does."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def show(value: Fraction) -> str:
    """A number as a reader would write it: ``30``, ``2.5``, ``1/3``."""
    if value.denominator == 1:
        return str(value.numerator)
    as_float = float(value)
    if Fraction(repr(as_float)) == value:
        return repr(as_float)
    return str(value)


@dataclass(frozen=True, slots=True)
class Market:
    """Linear demand ``P = intercept - slope * Q`` and the makers' unit cost before royalties."""

    intercept: Fraction
    slope: Fraction
    unit_cost: Fraction

    def __post_init__(self) -> None:
        if self.slope <= 0:
            raise ParameterError("demand.slope", f"must be greater than 0 (got {show(self.slope)})")
        if self.unit_cost < 0:
            raise ParameterError("unit_cost", f"must not be negative (got {show(self.unit_cost)})")
        if self.unit_cost >= self.intercept:
            raise ParameterError(
                "unit_cost",
                f"{show(self.unit_cost)} is not below the demand intercept "
                f"{show(self.intercept)}: nobody would pay what the product costs to make, "
                "so there is no market at all",
            )

    @property
    def headroom(self) -> Fraction:
        """``a - c``: the most a unit can bear in royalties and makers' margin together."""
        return self.intercept - self.unit_cost


def independent_stack(market: Market, holders: int) -> Fraction:
    """``n (a - c) / (n + 1)``: the stack when ``n`` uncapped holders price on their own."""
    return holders * market.headroom / (holders + 1)


def pool_stack(market: Market) -> Fraction:
    """``(a - c) / 2``: the rate that maximises the holders' joint income, whatever ``n``."""
    return market.headroom / 2


def pass_through(makers: int | None) -> Fraction:
    """``k``: the share of ``(a - c - R) / b`` that makers bring to market (1, or m/(m+1))."""
    return Fraction(1) if makers is None else Fraction(makers, makers + 1)


def quantity(market: Market, makers: int | None, stack: Fraction) -> Fraction:
    """Units sold: ``k (a - c - R) / b``, zero when the stack leaves no room to sell at all."""
    return max(Fraction(0), pass_through(makers) * (market.headroom - stack) / market.slope)


def price(market: Market, sold: Fraction) -> Fraction:
    """``a - b Q`` (equal to ``c + R`` with competitive makers)."""
    return market.intercept - market.slope * sold


def makers_margin(market: Market, makers: int | None, sold: Fraction) -> Fraction:
    """Makers' total profit ``b Q^2 / m`` (Cournot), 0 with competitive makers."""
    return Fraction(0) if makers is None else market.slope * sold * sold / makers


def consumer_surplus(market: Market, sold: Fraction) -> Fraction:
    return market.slope * sold * sold / 2


def welfare(market: Market, sold: Fraction) -> Fraction:
    """``(a - c) Q - b Q^2 / 2``: consumers' surplus plus everyone's profit."""
    return market.headroom * sold - market.slope * sold * sold / 2


def benchmark_welfare(market: Market) -> Fraction:
    """``(a - c)^2 / (2 b)``: royalty-free, price at cost, ``Q = (a - c) / b``."""
    return market.headroom * market.headroom / (2 * market.slope)


def capped_equilibrium(headroom: Fraction, caps: Sequence[Fraction | None]) -> tuple[Fraction, ...]:
    """Nash equilibrium rates of complementary sellers facing ``Q ~ headroom - R``, with caps.

    Each seller's best response to the others' total ``R_-i`` is ``(headroom - R_-i) / 2``, cut
    to its cap. In equilibrium every uncapped seller charges ``t = headroom - R`` and every
    seller charges ``min(cap_i, t)``, so ``t`` solves ``t + sum_i min(cap_i, t) = headroom``.
    The left side rises strictly with ``t``: one solution, found exactly by walking the caps in
    increasing order (``None`` is no cap). Returns the rates in the order of ``caps``.
    """
    if not caps:
        return ()
    finite = sorted(c for c in caps if c is not None)
    count = len(caps)
    bound = Fraction(0)  # sum of the caps below the current segment
    level = None
    for j, cap in enumerate(finite):
        # On the segment below ``cap``, the first j caps bind and the rest do not.
        if cap + bound + (count - j) * cap >= headroom:
            level = (headroom - bound) / (count - j + 1)
            break
        bound += cap
    if level is None:
        level = (headroom - bound) / (count - len(finite) + 1)
    return tuple(level if c is None else min(c, level) for c in caps)
