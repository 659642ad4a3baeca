"""Licensing programmes: licensees, rate schedules and the rates they charge per category.

A :class:`Program` licenses one standard (some of its versions) under a sequence of
:class:`Schedule` values, each in force from its ``effective_from`` day until the next one.
A schedule prices each product category with one :class:`Rate`: :class:`PerUnitRate`,
:class:`PercentRate` (of the per-unit net selling price, clamped) or :class:`TieredRate`
(per-unit prices by the licensee group's cumulative units in the calendar year).
Percentages held by these values are fractions (``Decimal('0.1')`` is 10%), except
:attr:`PercentRate.percent`, which is written as a percent as in the programme file.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import TypeAlias

from patentpool.core.events import register_on
from patentpool.core.fx import FxRule
from patentpool.core.interest import NO_INTEREST, LateInterest
from patentpool.core.model import (
    CountryCode,
    Declaration,
    Essentiality,
    Patent,
    PatentKey,
    Register,
    StandardId,
    VersionId,
)
from patentpool.core.money import minor_unit, parse_amount
from patentpool.core.periods import Period
from patentpool.core.terms import in_force, territories
from patentpool.errors import InvalidInput

LicenseeId = str
ProgramId = str
Category = str


class Counts(StrEnum):
    """Which declarations earn shares and oblige licensees to pay."""

    ESSENTIAL = "essential"  # only declarations evaluated essential
    DECLARED = "declared"  # every declaration not evaluated as not essential


class UnknownCategory(InvalidInput):
    """A sales line names a category the schedule does not price."""

    def __init__(self, category: str, known: list[str], where: str) -> None:
        super().__init__(
            f"category: unknown category {category!r} {where} (known: {', '.join(known)})"
        )
        self.category = category


class NoSchedule(InvalidInput):
    """No schedule of the programme is in force on the day asked."""


@dataclass(frozen=True, slots=True)
class Licensee:
    """A company licensed under a programme; ``group`` gathers affiliates for tiers and caps."""

    id: LicenseeId
    name: str
    group: str | None = None
    country: CountryCode | None = None
    member: bool = False  # an alliance member (the ``member`` discount applies)
    signed: dt.date | None = None
    good_standing: bool = False  # the ``good_standing`` discount applies

    @property
    def group_key(self) -> str:
        """The licensee group: ``group`` when given, else the licensee alone."""
        return self.group or self.id


def _fraction_field(value: Decimal, name: str, *, at_most_one: bool = False) -> Decimal:
    checked = parse_amount(value, name)
    if at_most_one and checked > 1:
        raise InvalidInput(f"{name}: {checked * 100}% is over 100%")
    return checked


@dataclass(frozen=True, slots=True)
class PerUnitRate:
    """``per_unit`` money for every unit sold."""

    per_unit: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "per_unit", parse_amount(self.per_unit, "per_unit"))


@dataclass(frozen=True, slots=True)
class PercentRate:
    """``percent`` % of the per-unit net selling price clamped to [base_floor, base_cap]."""

    percent: Decimal  # written as a percent: Decimal("0.5") is 0.5%
    base_floor: Decimal | None = None
    base_cap: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "percent", parse_amount(self.percent, "percent"))
        if self.percent > 100:
            raise InvalidInput(f"percent: {self.percent} is over 100")
        for name in ("base_floor", "base_cap"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, parse_amount(value, name))
        if (
            self.base_floor is not None
            and self.base_cap is not None
            and self.base_floor > self.base_cap
        ):
            raise InvalidInput(f"base_floor: {self.base_floor} is above base_cap {self.base_cap}")


@dataclass(frozen=True, slots=True)
class Tier:
    """Units up to ``up_to`` (cumulative in the year, inclusive) cost ``per_unit`` each."""

    up_to: int | None
    per_unit: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "per_unit", parse_amount(self.per_unit, "tiers.per_unit"))
        if self.up_to is not None and (
            isinstance(self.up_to, bool) or not isinstance(self.up_to, int) or self.up_to <= 0
        ):
            raise InvalidInput(f"tiers.up_to: {self.up_to!r} is not a positive whole number")


@dataclass(frozen=True, slots=True)
class TierSlice:
    """The units of one quarter that fell in one tier."""

    above: int  # cumulative units in the year before this slice
    up_to: int | None  # the tier's bound
    units: int
    per_unit: Decimal

    @property
    def amount(self) -> Fraction:
        return self.units * Fraction(self.per_unit)


@dataclass(frozen=True, slots=True)
class TieredRate:
    """Per-unit prices by the group's cumulative units in the category and calendar year.

    Tiers ascend strictly by ``up_to``; the last one has no bound.
    """

    tiers: tuple[Tier, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "tiers", tuple(self.tiers))
        if not self.tiers:
            raise InvalidInput("tiers: give at least one tier")
        bounds = [t.up_to for t in self.tiers[:-1]]
        if any(b is None for b in bounds):
            raise InvalidInput("tiers: only the last tier may have no up_to")
        if self.tiers[-1].up_to is not None:
            raise InvalidInput(
                f"tiers: the last tier must have no up_to (it is bounded at "
                f"{self.tiers[-1].up_to}); say what units above it cost"
            )
        ints = [b for b in bounds if b is not None]
        if any(a >= b for a, b in itertools.pairwise(ints)):
            raise InvalidInput(f"tiers: up_to must ascend strictly, got {ints}")

    def cumulative(self, units: int) -> Fraction:
        """The royalty on the first ``units`` units of the year."""
        return sum((s.amount for s in self.slices(0, units)), Fraction(0))

    def slices(self, before: int, units: int) -> tuple[TierSlice, ...]:
        """How ``units`` units sold after ``before`` earlier ones fall into the tiers."""
        out: list[TierSlice] = []
        lower = 0
        start, end = before, before + units
        for tier in self.tiers:
            upper = tier.up_to
            lo = max(start, lower)
            hi = end if upper is None else min(end, upper)
            if hi > lo:
                out.append(TierSlice(lo, upper, hi - lo, tier.per_unit))
            if upper is None or upper >= end:
                break
            lower = upper
        return tuple(out)


Rate: TypeAlias = PerUnitRate | PercentRate | TieredRate


@dataclass(frozen=True, slots=True)
class Region:
    """Countries of sale whose lines' royalty is multiplied by ``multiplier``."""

    id: str
    countries: frozenset[CountryCode]
    multiplier: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "countries", frozenset(self.countries))
        object.__setattr__(
            self, "multiplier", parse_amount(self.multiplier, f"regions[{self.id}].multiplier")
        )


@dataclass(frozen=True, slots=True)
class Discounts:
    """Fractions taken off what remains after the annual cap (``Decimal('0.1')`` is 10%).

    ``good_standing`` applies to licensees in good standing, ``member`` to alliance members;
    both may apply, one after the other: due = remaining x (1 - good_standing) x (1 - member).
    """

    good_standing: Decimal = Decimal(0)
    member: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        for name in ("good_standing", "member"):
            value = getattr(self, name)
            object.__setattr__(
                self, name, _fraction_field(value, f"discounts.{name}", at_most_one=True)
            )

    def factor(self, licensee: Licensee) -> Fraction:
        """The fraction of the remaining royalty that ``licensee`` pays."""
        return _pays(self.good_standing, self.member, licensee.good_standing, licensee.member)


@functools.lru_cache(maxsize=64)
def _pays(
    good_standing: Decimal, member: Decimal, in_good_standing: bool, is_member: bool
) -> Fraction:
    """What :meth:`Discounts.factor` leaves: worked out once per kind of licensee (a quarter
    asks it of every licensee)."""
    pays = Fraction(1)
    if in_good_standing:
        pays *= 1 - Fraction(good_standing)
    if is_member:
        pays *= 1 - Fraction(member)
    return pays


@dataclass(frozen=True, slots=True)
class Schedule:
    """The rates in force from ``effective_from`` until the next schedule of the programme."""

    effective_from: dt.date
    categories: Mapping[Category, Rate] = field(hash=False)
    annual_cap: Decimal | None = None  # per licensee group and calendar year, on gross royalty
    regions: tuple[Region, ...] = ()
    discounts: Discounts = Discounts()
    payment_terms_days: int | None = None  # overrides the programme's from effective_from
    late_interest: LateInterest | None = None  # overrides the programme's from effective_from
    fx_rule: FxRule | None = None  # overrides the programme's from effective_from

    def __post_init__(self) -> None:
        object.__setattr__(self, "categories", MappingProxyType(dict(self.categories)))
        if self.fx_rule is not None:
            object.__setattr__(self, "fx_rule", FxRule(self.fx_rule))
        _check_terms(self.payment_terms_days)
        object.__setattr__(self, "regions", tuple(self.regions))
        where = f"schedule from {self.effective_from}"
        if not self.categories:
            raise InvalidInput(f"categories: the {where} prices no category")
        if self.annual_cap is not None:
            object.__setattr__(self, "annual_cap", parse_amount(self.annual_cap, "annual_cap"))
        seen: dict[CountryCode, str] = {}
        for region in self.regions:
            for country in region.countries:
                if country in seen:
                    raise InvalidInput(
                        f"regions: {country} is in both {seen[country]} and {region.id}"
                    )
                seen[country] = region.id

    def rate(self, category: Category, where: str = "") -> Rate:
        """The rate of ``category``; an unknown category raises :class:`UnknownCategory`."""
        try:
            return self.categories[category]
        except KeyError:
            raise UnknownCategory(category, sorted(self.categories), where) from None

    def region_of(self, country: CountryCode) -> Region | None:
        return next((r for r in self.regions if country in r.countries), None)


@dataclass(frozen=True, slots=True)
class Program:
    """A licensing programme for one standard: who counts, what is charged, how it is shared."""

    id: ProgramId
    standard: StandardId
    versions: tuple[VersionId, ...]
    currency: str
    schedules: tuple[Schedule, ...]
    admin_fee: Decimal = Decimal(0)  # fraction of what is collected that the pool keeps
    counts: Counts = Counts.ESSENTIAL
    policy: str = "proportional"  # default distribution policy
    payment_terms_days: int = 30  # an invoice is due this many days after it is issued
    late_interest: LateInterest = NO_INTEREST  # charged on what is paid late
    fx_rule: FxRule = FxRule.QUARTER_END  # which rate converts a quarter's other currencies

    def __post_init__(self) -> None:
        object.__setattr__(self, "versions", tuple(self.versions))
        object.__setattr__(self, "fx_rule", FxRule(self.fx_rule))
        _check_terms(self.payment_terms_days)
        object.__setattr__(self, "counts", Counts(self.counts))
        minor_unit(self.currency)  # refuses an unknown currency
        object.__setattr__(
            self, "admin_fee", _fraction_field(self.admin_fee, "admin_fee", at_most_one=True)
        )
        ordered = tuple(sorted(self.schedules, key=lambda s: s.effective_from))
        for a, b in itertools.pairwise(ordered):
            if a.effective_from == b.effective_from:
                raise InvalidInput(
                    f"schedules: two schedules of {self.id} take effect on {a.effective_from}"
                )
        if not ordered:
            raise InvalidInput(f"schedules: programme {self.id} has no schedule")
        object.__setattr__(self, "schedules", ordered)

    def schedule_on(self, day: dt.date) -> Schedule:
        """The schedule in force on ``day``: the latest to take effect on or before it."""
        found = None
        for schedule in self.schedules:
            if schedule.effective_from <= day:
                found = schedule
        if found is None:
            raise NoSchedule(
                f"period: no schedule of {self.id} is in force on {day} "
                f"(the first takes effect on {self.schedules[0].effective_from})"
            )
        return found

    def schedule_for(self, period: Period) -> Schedule:
        """The schedule in force on the period's last day."""
        return self.schedule_on(period.last_day)

    def terms_for(self, period: Period) -> tuple[int, LateInterest]:
        """The payment terms (days) and late interest of the invoices of ``period``: those of
        the schedule in force, where it says them, else the programme's."""
        schedule = self.schedule_for(period)
        days = schedule.payment_terms_days
        rate = schedule.late_interest
        return (
            self.payment_terms_days if days is None else days,
            self.late_interest if rate is None else rate,
        )


    def fx_rule_for(self, period: Period) -> FxRule:
        """The rule that converts ``period``'s sales in other currencies: the schedule's in
        force, where it says one, else the programme's."""
        rule = self.schedule_for(period).fx_rule
        return self.fx_rule if rule is None else rule


def _check_terms(days: int | None) -> None:
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
        raise InvalidInput(f"payment_terms_days: {days!r} is not a whole number of days, 0 or more")


def counts_declaration(program: Program, declaration: Declaration) -> bool:
    """Does ``declaration`` make its patent count in ``program``?

    It must be for the programme's standard and one of its versions, and evaluated essential
    (``counts: essential``) or not evaluated as not essential (``counts: declared``).
    """
    if declaration.standard != program.standard or declaration.version not in program.versions:
        return False
    if program.counts is Counts.ESSENTIAL:
        return declaration.essentiality == Essentiality.ESSENTIAL
    return declaration.essentiality != Essentiality.NOT_ESSENTIAL


def counted_declarations(
    register: Register, program: Program
) -> dict[PatentKey, list[Declaration]]:
    """The declarations that count in ``program``, by patent (patents of the register only)."""
    return _declared(register, program, {p.key for p in register.patents})


def counted_by_key(
    register: Register, program: Program
) -> dict[PatentKey, tuple[Patent, list[Declaration]]]:
    """The patents that count in ``program`` (in force or not), by key in key order, each with
    its counted declarations: :func:`counted_patents` and :func:`counted_declarations` at once.
    """
    index = register.patent_index()
    declared = _declared(register, program, index)
    return {key: (index[key], declared[key]) for key in sorted(declared)}


def _declared(
    register: Register, program: Program, known: Container[PatentKey]
) -> dict[PatentKey, list[Declaration]]:
    """:func:`counts_declaration` over the register, the programme's terms looked up once."""
    standard, versions = program.standard, frozenset(program.versions)
    essential_only = program.counts is Counts.ESSENTIAL
    out: dict[PatentKey, list[Declaration]] = {}
    for declaration in register.declarations:
        if declaration.standard != standard or declaration.version not in versions:
            continue
        if essential_only:
            if declaration.essentiality != Essentiality.ESSENTIAL:
                continue
        elif declaration.essentiality == Essentiality.NOT_ESSENTIAL:
            continue
        key = declaration.patent
        if key in known:
            found = out.get(key)
            if found is None:
                out[key] = [declaration]
            else:
                found.append(declaration)
    return out


def counted_patents(
    register: Register,
    program: Program,
    counted: Mapping[PatentKey, tuple[Patent, list[Declaration]]] | None = None,
) -> list[Patent]:
    """The patents that count in ``program`` (in force or not), sorted by key; ``counted``:
    the programme's :func:`counted_by_key`, when the caller has it already."""
    if counted is None:
        counted = counted_by_key(register, program)
    return [patent for patent, _ in counted.values()]


def countries_in_force(patents: Iterable[Patent], day: dt.date) -> frozenset[CountryCode]:
    """The countries where at least one of ``patents`` is in force on ``day`` (patents as the
    register stood that day: see :func:`program_countries`)."""
    out: set[CountryCode] = set()
    for patent in patents:
        if in_force(patent, day):
            out |= territories(patent)
    return frozenset(out)


def program_countries(
    register: Register, program: Program, day: dt.date, counted: Iterable[Patent] | None = None
) -> frozenset[CountryCode]:
    """The countries where a patent counted in ``program`` is in force on ``day``, as the
    register stood that day (owner, force and essentiality: :func:`register_on`): the in-force
    rule of a quarter's royalties, on its last day. ``counted``: the register's
    :func:`counted_patents`, when the caller has them (used when the register has no events)."""
    if counted is None or register.events:
        counted = counted_patents(register_on(register, day), program)
    return countries_in_force(counted, day)
