"""A programme's rate schedules and a licensee's particulars, as reports spell them out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from patentpool.core.licensing import (
    Category,
    Licensee,
    PercentRate,
    PerUnitRate,
    Program,
    Rate,
    Schedule,
)
from patentpool.core.model import CountryCode


@dataclass(frozen=True, slots=True)
class TierTerms:
    """Units ``first``..``last`` of a calendar year (``last`` None: and above) at ``per_unit``."""

    first: int
    last: int | None
    per_unit: Decimal


@dataclass(frozen=True, slots=True)
class RateTerms:
    """How one product category is charged: ``kind`` is ``per_unit``, ``percent`` or ``tiers``.

    ``percent`` is written as a percent (``0.5`` is 0.5%) of the net selling price per unit,
    counted at no less than ``base_floor`` and no more than ``base_cap``.
    """

    category: Category
    kind: str
    per_unit: Decimal | None = None
    percent: Decimal | None = None
    base_floor: Decimal | None = None
    base_cap: Decimal | None = None
    tiers: tuple[TierTerms, ...] = ()


@dataclass(frozen=True, slots=True)
class RegionTerms:
    id: str
    countries: tuple[CountryCode, ...]
    multiplier: Decimal


@dataclass(frozen=True, slots=True)
class ScheduleTerms:
    """One schedule: in force from ``effective_from`` until ``until`` (None: until replaced).

    Discounts are fractions (``0.1`` is 10%), taken off what remains after the annual cap.
    """

    effective_from: dt.date
    until: dt.date | None
    categories: tuple[RateTerms, ...]
    annual_cap: Decimal | None
    regions: tuple[RegionTerms, ...]
    good_standing_discount: Decimal
    member_discount: Decimal


@dataclass(frozen=True, slots=True)
class LicenseeTerms:
    id: str
    name: str
    group: str | None
    country: CountryCode | None
    signed: dt.date | None
    member: bool
    good_standing: bool


def licensee_terms(licensee: Licensee) -> LicenseeTerms:
    return LicenseeTerms(
        licensee.id,
        licensee.name,
        licensee.group,
        licensee.country,
        licensee.signed,
        licensee.member,
        licensee.good_standing,
    )


def rate_terms(category: Category, rate: Rate) -> RateTerms:
    if isinstance(rate, PerUnitRate):
        return RateTerms(category, "per_unit", per_unit=rate.per_unit)
    if isinstance(rate, PercentRate):
        return RateTerms(
            category,
            "percent",
            percent=rate.percent,
            base_floor=rate.base_floor,
            base_cap=rate.base_cap,
        )
    tiers = []
    first = 1
    for tier in rate.tiers:
        tiers.append(TierTerms(first, tier.up_to, tier.per_unit))
        first = (tier.up_to or 0) + 1
    return RateTerms(category, "tiers", tiers=tuple(tiers))


def schedule_terms(schedule: Schedule, until: dt.date | None) -> ScheduleTerms:
    return ScheduleTerms(
        effective_from=schedule.effective_from,
        until=until,
        categories=tuple(
            rate_terms(c, schedule.categories[c]) for c in sorted(schedule.categories)
        ),
        annual_cap=schedule.annual_cap,
        regions=tuple(
            RegionTerms(r.id, tuple(sorted(r.countries)), r.multiplier) for r in schedule.regions
        ),
        good_standing_discount=schedule.discounts.good_standing,
        member_discount=schedule.discounts.member,
    )


def program_schedules(program: Program) -> tuple[ScheduleTerms, ...]:
    """Every schedule of ``program`` in time order, each ending the day before the next."""
    out = []
    for n, schedule in enumerate(program.schedules):
        following = program.schedules[n + 1] if n + 1 < len(program.schedules) else None
        until = following.effective_from - dt.timedelta(days=1) if following else None
        out.append(schedule_terms(schedule, until))
    return tuple(out)
