"""From the licensing schemas to core values (both ways, for storage and export)."""

from __future__ import annotations

import json
from typing import Any

from patentpool.core.fx import FxRule
from patentpool.core.interest import parse_late_interest
from patentpool.core.licensing import (
    Discounts,
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
from patentpool.errors import InvalidInput
from patentpool.io.licensing_schema import LicenseeIn, ProgramIn, RateIn, ScheduleIn


def licensee_from(item: LicenseeIn) -> Licensee:
    return Licensee(
        id=item.id,
        name=item.name,
        group=item.group,
        country=item.country,
        member=item.member,
        signed=item.signed,
        good_standing=item.good_standing,
    )


def _rate(name: str, rate: RateIn) -> Rate:
    given = [k for k in ("per_unit", "percent", "tiers") if getattr(rate, k) is not None]
    if len(given) != 1:
        raise InvalidInput(
            f"categories.{name}: give exactly one of per_unit, percent or tiers"
            + (f" (got {', '.join(given)})" if given else "")
        )
    if given[0] != "percent" and (rate.base_floor is not None or rate.base_cap is not None):
        raise InvalidInput(f"categories.{name}: base_floor and base_cap go with percent only")
    try:
        if rate.per_unit is not None:
            return PerUnitRate(rate.per_unit)
        if rate.percent is not None:
            return PercentRate(rate.percent, rate.base_floor, rate.base_cap)
        assert rate.tiers is not None
        return TieredRate(tuple(Tier(t.up_to, t.per_unit) for t in rate.tiers))
    except InvalidInput as exc:
        raise InvalidInput(f"categories.{name}.{exc}") from exc


def _schedule(item: ScheduleIn) -> Schedule:
    categories = {name: _rate(name, rate) for name, rate in item.categories.items()}
    regions = tuple(Region(r.id, frozenset(r.countries), r.multiplier) for r in item.regions)
    return Schedule(
        effective_from=item.effective_from,
        categories=categories,
        annual_cap=item.annual_cap,
        regions=regions,
        discounts=Discounts(item.discounts.good_standing, item.discounts.member),
        payment_terms_days=item.payment_terms_days,
        late_interest=(
            None if item.late_interest is None else parse_late_interest(item.late_interest)
        ),
        fx_rule=None if item.fx_rule is None else _fx_rule(item.fx_rule),
    )


def _fx_rule(text: str) -> FxRule:
    if text not in ("quarter_end", "quarter_average"):
        raise InvalidInput(f"fx_rule: must be quarter_end or quarter_average, not {text!r}")
    return FxRule(text)


def program_from(item: ProgramIn) -> Program:
    """The core programme; raises InvalidInput naming the field (``schedules.0.tiers: ...``)."""
    schedules = []
    for i, schedule in enumerate(item.schedules):
        try:
            schedules.append(_schedule(schedule))
        except InvalidInput as exc:
            raise InvalidInput(f"schedules.{i}.{exc}") from exc
    if item.counts not in ("essential", "declared"):
        raise InvalidInput(f"counts: must be essential or declared, not {item.counts!r}")
    return Program(
        id=item.id,
        standard=item.standard,
        versions=tuple(item.versions),
        currency=item.currency,
        schedules=tuple(schedules),
        admin_fee=item.admin_fee,
        counts=item.counts,  # type: ignore[arg-type]
        policy=item.policy,
        payment_terms_days=item.payment_terms_days,
        late_interest=parse_late_interest(item.late_interest),
        fx_rule=FxRule.QUARTER_END if item.fx_rule is None else _fx_rule(item.fx_rule),
    )


def program_spec(item: ProgramIn) -> str:
    """The canonical JSON the database keeps for a programme. An ``fx_rule`` not written is
    left out (in the programme and its schedules): a programme written before the key existed
    keeps the definition, and so the runs' inputs, it had."""
    data = item.model_dump(mode="json", exclude_defaults=False)
    for part in [data, *data["schedules"]]:
        if part.get("fx_rule") is None:
            part.pop("fx_rule", None)
    return json.dumps(data, sort_keys=True)


def program_document(spec: str) -> dict[str, Any]:
    """A programme's stored spec as a mapping for export (decimals kept as strings)."""
    data: dict[str, Any] = json.loads(spec)
    return data


def program_from_spec(spec: str) -> Program:
    return program_from(ProgramIn.model_validate_json(spec))
