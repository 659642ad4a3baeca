"""The regime comparison: royalty stack, output and welfare per licensing regime, an optional
sweep of one parameter, and the facts a plain-words reading is written from.

Every quantity is the exact value the core's model gives (:mod:`patentpool.core.regimes`);
figures are rounded only when shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from patentpool.core.regimes import (
    Outcome,
    Scenario,
    benchmark_welfare,
    describe_pricing,
    show,
)
from patentpool.reports.charts import Chart, Series


@dataclass(frozen=True, slots=True)
class HolderRow:
    id: str
    patents: int
    member: str | None  # None for an outsider


@dataclass(frozen=True, slots=True)
class RegimeRow:
    """One regime's equilibrium; ``makers`` None means competitive makers."""

    name: str
    pricing: str
    makers: int | None
    royalty_stack: Fraction
    price: Fraction
    quantity: Fraction
    holders_income: Fraction
    makers_profit: Fraction
    consumer_surplus: Fraction
    welfare: Fraction
    deadweight_loss: Fraction
    holder_rates: Mapping[str, Fraction]
    members: Mapping[str, Fraction]


@dataclass(frozen=True, slots=True)
class SweepPoint:
    """Each regime's stack, quantity and welfare for one value of the swept parameter."""

    value: Fraction
    stack: Mapping[str, Fraction]
    quantity: Mapping[str, Fraction]
    welfare: Mapping[str, Fraction]


@dataclass(frozen=True, slots=True)
class CompareReport:
    """The comparison's context. ``highest_welfare``, ``lowest_stack`` and ``highest_quantity``
    name the regimes the reading speaks of (the first listed wins a tie)."""

    scenario: str
    intercept: Fraction
    slope: Fraction
    unit_cost: Fraction
    holders: tuple[HolderRow, ...]
    benchmark_quantity: Fraction
    benchmark_welfare: Fraction
    regimes: tuple[RegimeRow, ...]
    highest_welfare: str
    lowest_stack: str
    highest_quantity: str
    sweep_parameter: str | None
    sweep: tuple[SweepPoint, ...]


def _row(outcome: Outcome) -> RegimeRow:
    return RegimeRow(
        name=outcome.regime.name,
        pricing=describe_pricing(outcome.regime, words=True),
        makers=outcome.regime.makers,
        royalty_stack=outcome.royalty_stack,
        price=outcome.price,
        quantity=outcome.quantity,
        holders_income=outcome.holders_income,
        makers_profit=outcome.makers_profit,
        consumer_surplus=outcome.consumer_surplus,
        welfare=outcome.welfare,
        deadweight_loss=outcome.deadweight_loss,
        holder_rates=dict(outcome.holder_rates),
        members=dict(outcome.members),
    )


def _best(rows: Sequence[RegimeRow], key: str, highest: bool) -> str:
    pick = max if highest else min
    return pick(rows, key=lambda r: getattr(r, key)).name


def compare_context(
    scenario: Scenario,
    outcomes: Sequence[Outcome],
    sweep: tuple[str, Sequence[tuple[Fraction, Sequence[Outcome]]]] | None = None,
) -> CompareReport:
    """The comparison of ``outcomes`` (from :func:`regimes.compare`) on ``scenario``, and the
    rows of :func:`regimes.sweep` with the parameter swept, when given."""
    rows = tuple(_row(o) for o in outcomes)
    market = scenario.market
    points = tuple(
        SweepPoint(
            value,
            {o.regime.name: o.royalty_stack for o in result},
            {o.regime.name: o.quantity for o in result},
            {o.regime.name: o.welfare for o in result},
        )
        for value, result in (sweep[1] if sweep else ())
    )
    return CompareReport(
        scenario=scenario.name,
        intercept=market.intercept,
        slope=market.slope,
        unit_cost=market.unit_cost,
        holders=tuple(HolderRow(h.id, h.patents, h.member) for h in scenario.holders),
        benchmark_quantity=market.headroom / market.slope,
        benchmark_welfare=benchmark_welfare(market),
        regimes=rows,
        highest_welfare=_best(rows, "welfare", True) if rows else "",
        lowest_stack=_best(rows, "royalty_stack", False) if rows else "",
        highest_quantity=_best(rows, "quantity", True) if rows else "",
        sweep_parameter=sweep[0] if sweep else None,
        sweep=points,
    )


def compare_charts(report: CompareReport) -> dict[str, Chart]:
    names = tuple(r.name for r in report.regimes)

    def bars(field: str, title: str) -> Chart:
        values = tuple(float(getattr(r, field)) for r in report.regimes)
        return Chart(
            "hbar",
            title,
            names,
            (Series(title, values),),
            x_label=title,
            height=max(1.6, 0.8 + 0.35 * len(names)),
        )

    charts = {
        "stack": bars("royalty_stack", "royalty stack per unit"),
        "quantity": bars("quantity", "output"),
        "welfare": bars("welfare", "welfare"),
    }
    if report.sweep:
        x = tuple(show(p.value) for p in report.sweep)
        for field, title in (("stack", "royalty stack"), ("welfare", "welfare")):
            charts[f"sweep_{field}"] = Chart(
                "line",
                f"{title} as {report.sweep_parameter} varies",
                x,
                tuple(
                    Series(name, tuple(float(getattr(p, field)[name]) for p in report.sweep))
                    for name in names
                ),
                x_label=report.sweep_parameter or "",
                y_label=title,
            )
    return charts
