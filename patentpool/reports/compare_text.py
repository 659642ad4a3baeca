"""The comparison of licensing regimes as text: the table (and JSON) that `patentpool compare`
prints and the demo shows. Money-like figures are written to two decimals exactly (no float on
the way); JSON gives them as numbers."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from patentpool.core.holders import HolderSource
from patentpool.core.regimes import (
    Holder,
    Outcome,
    Regime,
    Scenario,
    benchmark_welfare,
    describe_pricing,
    show,
)
from patentpool.reports.text import table


def _f(value: Fraction) -> float:
    return float(value)


def two_decimals(value: Fraction) -> str:
    """Two decimals, rounded half away from zero, exactly (no float on the way)."""
    cents = math.floor(abs(value) * 100 + Fraction(1, 2))
    sign = "-" if value < 0 and cents else ""
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def plain_number(value: Fraction) -> int | float:
    return value.numerator if value.denominator == 1 else float(value)


def _makers(regime: Regime) -> str | int:
    return "competitive" if regime.makers is None else regime.makers


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    regime = outcome.regime
    return {
        "name": regime.name,
        "makers": _makers(regime),
        "pricing": regime.pricing.value,
        "royalty_stack": _f(outcome.royalty_stack),
        "holder_rates": {h: _f(r) for h, r in outcome.holder_rates.items()},
        "price": _f(outcome.price),
        "quantity": _f(outcome.quantity),
        "holders_income": _f(outcome.holders_income),
        "holder_income": {h: _f(x) for h, x in outcome.holder_income.items()},
        "makers_profit": _f(outcome.makers_profit),
        "consumer_surplus": _f(outcome.consumer_surplus),
        "welfare": _f(outcome.welfare),
        "deadweight_loss": _f(outcome.deadweight_loss),
        "members": {m: _f(x) for m, x in outcome.members.items()},
    }


def holders_json(holders: Sequence[Holder]) -> list[dict[str, Any]]:
    return [{"id": h.id, "patents": h.patents, "member": h.member} for h in holders]


def summary_row(outcome: Outcome) -> dict[str, Any]:
    return {
        "regime": outcome.regime.name,
        "makers": _makers(outcome.regime),
        "pricing": describe_pricing(outcome.regime),
        "stack": two_decimals(outcome.royalty_stack),
        "price": two_decimals(outcome.price),
        "quantity": two_decimals(outcome.quantity),
        "holders income": two_decimals(outcome.holders_income),
        "makers profit": two_decimals(outcome.makers_profit),
        "consumer surplus": two_decimals(outcome.consumer_surplus),
        "welfare": two_decimals(outcome.welfare),
        "deadweight loss": two_decimals(outcome.deadweight_loss),
    }


SUMMARY = (
    "regime",
    "makers",
    "pricing",
    "stack",
    "price",
    "quantity",
    "holders income",
    "makers profit",
    "consumer surplus",
    "welfare",
    "deadweight loss",
)


def _heading(scenario: Scenario) -> str:
    m = scenario.market
    patents = sum(h.patents for h in scenario.holders)
    first_best = m.headroom / m.slope
    return (
        f"{scenario.name}: demand P = {show(m.intercept)} - {show(m.slope)} Q, unit cost "
        f"{show(m.unit_cost)}, {len(scenario.holders)} holders ({patents} patents)\n"
        f"Royalty-free benchmark (price at cost): quantity {two_decimals(first_best)}, "
        f"welfare {two_decimals(benchmark_welfare(m))}"
    )


def counted_label(source: HolderSource | None) -> str:
    """The table column of the patents counted for each holder: what the register counts
    (``declared in force``, ``essential in force``), or the scenario's own ``patents``."""
    return "patents" if source is None else f"{source.counting.value} in force"


def render_comparison(
    scenario: Scenario, outcomes: Sequence[Outcome], fmt: str, counted: str = "patents"
) -> str:
    if fmt == "json":
        m = scenario.market
        payload = {
            "scenario": scenario.name,
            "market": {
                "intercept": _f(m.intercept),
                "slope": _f(m.slope),
                "unit_cost": _f(m.unit_cost),
            },
            "holders": holders_json(scenario.holders),
            "benchmark": {
                "quantity": _f(m.headroom / m.slope),
                "welfare": _f(benchmark_welfare(m)),
            },
            "regimes": [outcome_json(o) for o in outcomes],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False)
    names = [o.regime.name for o in outcomes]
    labelled = any(h.member != h.id for h in scenario.holders)
    rates = [
        {"holder": h.id, counted: h.patents, "member": h.member or "(outsider)"}
        | {o.regime.name: two_decimals(o.holder_rates[h.id]) for o in outcomes}
        for h in scenario.holders
    ]
    members = list(dict.fromkeys(h.member for h in scenario.holders if h.member is not None))
    income = [
        {"member": m}
        | {o.regime.name: two_decimals(o.members.get(m, Fraction(0))) for o in outcomes}
        for m in members
    ]
    parts = [
        _heading(scenario),
        table([summary_row(o) for o in outcomes], SUMMARY),
        "Rate per unit, by holder",
        table(rates, ["holder", counted, *(["member"] if labelled else []), *names]),
    ]
    if members:
        parts += ["Income, by member", table(income, ["member", *names])]
    return "\n\n".join(parts)
