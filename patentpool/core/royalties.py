"""What each licensee owes for a quarter, from its sales lines of the year so far.

Order of operations (docs/royalties.md works every step by hand):

1. A line owes royalty only if a counted patent is in force, on the quarter's last day, in its
   country of sale or of manufacture; otherwise it owes nothing and says why.
2. Gross per line: per-unit, percent of the clamped unit price, or the line's share (by units)
   of its group's tiered royalty for the quarter, which is the tier function of the group's
   cumulative units in the category after the quarter minus before it; then times the region
   multiplier of the country of sale.
3. Annual cap: a group's gross in the calendar year beyond ``annual_cap`` is taken off; the
   reduction in a quarter is shared among the group's licensees (and lines) by gross.
4. Discounts on what remains: x (1 - good_standing) for licensees in good standing,
   x (1 - member) for alliance members.
5. Each licensee's due is rounded once to the minor unit (:data:`~money.ROUNDING_RULE`);
   ``total_due`` is the sum of the rounded dues. Line amounts are the licensee's amounts split
   by largest remainder, so lines add up to their licensee exactly.

All intermediate values are exact: a line's gross is kept as an integer over a power of ten
(rates, bounds, multipliers and net sales are decimals, so a scale with enough decimal places
makes per-unit and percent royalties whole numbers), times the group's units of the quarter for
tiered lines; licensee totals, cap cuts and discounts are :class:`~fractions.Fraction`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from operator import attrgetter, itemgetter
from typing import TypeVar, cast

from patentpool.core.licensing import (
    Category,
    Licensee,
    LicenseeId,
    PercentRate,
    PerUnitRate,
    Program,
    ProgramId,
    Schedule,
    TieredRate,
    TierSlice,
    UnknownCategory,
    counted_patents,
    countries_in_force,
)
from patentpool.core.model import CountryCode, Register
from patentpool.core.money import (
    largest_remainder,
    minor_unit,
    parse_amount,
    round_money,
    split_units,
)
from patentpool.core.periods import Period
from patentpool.errors import InvalidInput, NotFound


@dataclass(frozen=True, slots=True)
class SalesLine:
    """One line of a licensee's quarterly sales report."""

    licensee: LicenseeId
    period: Period
    country_of_sale: CountryCode
    country_of_manufacture: CountryCode
    category: Category
    units: int
    net_sales: Decimal | None = None  # required where a percent rate applies
    source: str | None = None  # where the line came from, e.g. "sales-2026Q1.csv:12"

    def __post_init__(self) -> None:
        units_ = self.units
        net = self.net_sales
        if (
            type(units_) is int
            and units_ >= 0
            and type(self.period) is Period
            and (net is None or (type(net) is Decimal and net.is_finite() and net >= 0))
        ):
            return  # already what the fields hold: nothing to check or convert
        where = f" ({self.source})" if self.source else ""
        if isinstance(self.period, str):
            object.__setattr__(self, "period", Period.parse(self.period))
        units: object = self.units
        if isinstance(units, Decimal) and units == units.to_integral_value():
            units = int(units)
        if isinstance(units, bool) or not isinstance(units, int):
            raise InvalidInput(f"units: {self.units!r} is not a whole number of units{where}")
        if units < 0:
            raise InvalidInput(f"units: {units} is negative{where}")
        object.__setattr__(self, "units", units)
        if self.net_sales is not None:
            object.__setattr__(self, "net_sales", parse_amount(self.net_sales, "net_sales"))

    @property
    def sort_key(self) -> tuple[str, str, str, str, int, Decimal, str]:
        return (
            self.licensee,
            self.category,
            self.country_of_sale,
            self.country_of_manufacture,
            self.units,
            self.net_sales if self.net_sales is not None else Decimal(-1),
            self.source or "",
        )


@dataclass(frozen=True, slots=True)
class RateApplied:
    """How a line's gross was priced: enough to print it on an invoice."""

    kind: str  # "per_unit", "percent" or "tiers"
    per_unit: Decimal | None = None
    percent: Decimal | None = None  # as a percent
    unit_price: Fraction | None = None  # net_sales / units
    base: Fraction | None = None  # the unit price clamped to [base_floor, base_cap]
    clamped: str | None = None  # "floor", "cap" or None
    tiers: tuple[TierSlice, ...] = ()  # the group's units of the quarter, tier by tier
    tier_share: Fraction | None = None  # this line's units / the group's units


@dataclass(frozen=True, slots=True)
class RoyaltyLine:
    """One sales line, priced."""

    line: SalesLine
    rate: RateApplied | None  # None when no counted patent is in force
    region: str | None
    multiplier: Decimal
    royalty_country: CountryCode | None  # where the royalty is earned (sale, else manufacture)
    exact_gross: Fraction  # after region, before cap and discounts
    gross: Decimal  # the licensee's rounded gross, split by largest remainder
    due: Decimal  # the licensee's rounded due, split by largest remainder
    reason: str | None = None  # why the line owes nothing


@dataclass(frozen=True, slots=True)
class LicenseeRoyalty:
    """What one licensee owes for the quarter: gross - cap_reduction - discount = due."""

    licensee: LicenseeId
    group: str
    units: int
    gross: Decimal
    cap_reduction: Decimal
    discount: Decimal
    due: Decimal
    lines: tuple[RoyaltyLine, ...]
    #: the number of lines priced when ``lines`` was left out (``detail=False``)
    line_count: int | None = None

    @property
    def priced_lines(self) -> int:
        """How many sales lines were priced, whether kept in ``lines`` or not."""
        return len(self.lines) if self.line_count is None else self.line_count


@dataclass(frozen=True, slots=True)
class RoyaltyResult:
    program: ProgramId
    period: Period
    currency: str
    schedule_from: dt.date  # effective_from of the schedule applied
    licensees: tuple[LicenseeRoyalty, ...]
    total_due: Decimal
    #: due by country, made ready when the lines were left out (``detail=False``)
    by_country: Mapping[CountryCode, Decimal] | None = field(default=None, hash=False)

    def royalties_by_country(self) -> dict[CountryCode, Decimal]:
        """Due by the country where it was earned; adds up to ``total_due`` exactly."""
        if self.by_country is not None:
            return dict(self.by_country)
        out: dict[CountryCode, Decimal] = defaultdict(Decimal)
        for licensee in self.licensees:
            for line in licensee.lines:
                if line.royalty_country is not None and line.due:
                    out[line.royalty_country] += line.due
        return dict(sorted(out.items()))

    def licensee(self, licensee_id: LicenseeId) -> LicenseeRoyalty:
        for item in self.licensees:
            if item.licensee == licensee_id:
                return item
        raise NotFound("licensee", licensee_id)


@dataclass(slots=True)
class _Priced:
    """One line priced. Its gross (after region) is ``num / (scale x units of its tier key)``:
    ``tier`` is None for per-unit and percent lines, whose gross is ``num / scale``."""

    line: SalesLine
    kind: str | None  # "per_unit", "percent", "tiers"; None when no counted patent is in force
    region: str | None
    multiplier: Decimal
    royalty_country: CountryCode | None
    num: int  # the gross, scaled (see the class docstring)
    tier: tuple[str, Category] | None
    reason: str | None


def _no_patent_reason(line: SalesLine, day: dt.date) -> str:
    if line.country_of_sale == line.country_of_manufacture:
        where = f"{line.country_of_sale} (sale and manufacture)"
    else:
        where = f"{line.country_of_sale} (sale) or {line.country_of_manufacture} (manufacture)"
    return f"no counted patent in force in {where} on {day}"


def _where(line: SalesLine) -> str:
    where = f"on a sales line of {line.licensee} for {line.period}"
    return f"{where} ({line.source})" if line.source else where


def _digits(value: Decimal) -> int:
    """Digits after the decimal point of ``value`` (0 for whole numbers)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _ten(digits: int) -> int:
    return int(10**digits)


def _scaled(value: Decimal, digits: int) -> int:
    """``value x 10^digits`` as an exact integer (``digits`` is at least ``_digits(value)``)."""
    return int(value.scaleb(digits))


@dataclass(frozen=True, slots=True)
class _Percent:
    """A percent rate in integers: amounts at ``10^sub`` times ``percent`` give the royalty at
    the quarter's base scale."""

    rate: PercentRate
    sub: int  # digits of net sales and bounds
    percent: int  # the percent x 10^(base - sub - 2)
    floor: int | None  # base_floor x 10^sub
    cap: int | None


class _QuarterPricing:
    """Prices the lines of one quarter under one schedule, with what every line shares
    (rates as integers at one decimal scale, the region of each country, the countries with a
    patent in force) computed once.

    Every per-unit and percent royalty of the quarter is a whole number of ``10^-digits``:
    rates, bounds and net sales are decimals, so ``digits`` is chosen from their decimal
    places, and the arithmetic is exact in integers.
    """

    def __init__(
        self,
        schedule: Schedule,
        countries: frozenset[CountryCode],
        day: dt.date,
        net_digits: int,
    ) -> None:
        self.schedule = schedule
        self.countries = countries
        self.day = day
        self.regions = {c: r for r in schedule.regions for c in r.countries}
        self.mult_digits = max((_digits(r.multiplier) for r in schedule.regions), default=0)
        base = 0
        for rate in schedule.categories.values():
            if isinstance(rate, PerUnitRate):
                base = max(base, _digits(rate.per_unit))
            elif isinstance(rate, TieredRate):
                base = max(base, *(_digits(t.per_unit) for t in rate.tiers))
            else:
                bounds = [b for b in (rate.base_floor, rate.base_cap) if b is not None]
                sub = max(net_digits, *(_digits(b) for b in bounds)) if bounds else net_digits
                base = max(base, sub + _digits(rate.percent) + 2)
        self.base_digits = base
        #: the gross of a per-unit or percent line is ``num / scale``
        self.scale = _ten(base + self.mult_digits)
        self.multipliers = {r.id: _scaled(r.multiplier, self.mult_digits) for r in schedule.regions}
        self.one = _ten(self.mult_digits)
        self.per_unit = {
            c: _scaled(r.per_unit, base)
            for c, r in schedule.categories.items()
            if isinstance(r, PerUnitRate)
        }
        self.percent: dict[Category, _Percent] = {}
        self.applied_cache: dict[tuple[Category, object, int], RateApplied] = {}
        self.fractions: dict[tuple[int, int], Fraction] = {}
        for c, r in schedule.categories.items():
            if isinstance(r, PercentRate):
                sub = base - _digits(r.percent) - 2
                self.percent[c] = _Percent(
                    r,
                    sub,
                    _scaled(r.percent, base - sub - 2),
                    None if r.base_floor is None else _scaled(r.base_floor, sub),
                    None if r.base_cap is None else _scaled(r.base_cap, sub),
                )

    def price(self, line: SalesLine, group: str) -> _Priced:
        category = line.category
        rate = self.schedule.categories.get(category)
        if rate is None:
            raise UnknownCategory(category, sorted(self.schedule.categories), _where(line))
        net = line.net_sales
        if net is None and isinstance(rate, PercentRate):
            raise InvalidInput(
                f"net_sales: category {category!r} is charged a percent of the price, "
                f"so net_sales is required {_where(line)}"
            )
        region = self.regions.get(line.country_of_sale)
        if region is None:
            multiplier, region_id, mult = _ONE, None, self.one
        else:
            multiplier, region_id = region.multiplier, region.id
            mult = self.multipliers[region_id]
        if line.country_of_sale in self.countries:
            royalty_country: CountryCode | None = line.country_of_sale
        elif line.country_of_manufacture in self.countries:
            royalty_country = line.country_of_manufacture
        else:
            reason = _no_patent_reason(line, self.day)
            return _Priced(line, None, region_id, multiplier, None, 0, None, reason)
        units = line.units
        per_unit = self.per_unit.get(category)
        if per_unit is not None:
            return _Priced(
                line, "per_unit", region_id, multiplier, royalty_country,
                units * per_unit * mult, None, None,
            )  # fmt: skip
        percent = self.percent.get(category)
        if percent is not None:
            assert net is not None
            amount = 0
            if units:
                total = _scaled(net, percent.sub)
                if percent.floor is not None and total < percent.floor * units:
                    total = percent.floor * units
                elif percent.cap is not None and total > percent.cap * units:
                    total = percent.cap * units
                amount = total * percent.percent * mult
            return _Priced(
                line, "percent", region_id, multiplier, royalty_country, amount, None, None
            )
        # tiers: the amount is known once the group's quarter is known
        return _Priced(
            line, "tiers", region_id, multiplier, royalty_country, units * mult,
            (group, category), None,
        )  # fmt: skip

    def applied(self, item: _Priced, tiers: dict[tuple[str, Category], _TierKey]) -> RateApplied:
        """How ``item`` was priced, in the exact values an invoice prints (values that many
        lines share are made once)."""
        line = item.line
        rate = self.schedule.categories[line.category]
        if isinstance(rate, PercentRate) and line.units and line.net_sales is not None:
            percent = self.percent[line.category]
            total = _scaled(line.net_sales, percent.sub)
            price = Fraction(total, _ten(percent.sub) * line.units)
            # the same clamp as PercentRate.base, compared in integers
            if percent.floor is not None and total < percent.floor * line.units:
                base, clamped = self._shared(percent.floor, percent.sub), "floor"
            elif percent.cap is not None and total > percent.cap * line.units:
                base, clamped = self._shared(percent.cap, percent.sub), "cap"
            else:
                base, clamped = price, None
            return RateApplied(
                "percent", percent=rate.percent, unit_price=price, base=base, clamped=clamped
            )
        key = (line.category, item.tier, line.units if item.tier is not None else 0)
        found = self.applied_cache.get(key)
        if found is not None:
            return found
        if isinstance(rate, PerUnitRate):
            found = RateApplied("per_unit", per_unit=rate.per_unit)
        elif isinstance(rate, PercentRate):
            found = RateApplied("percent", percent=rate.percent)
        else:
            assert item.tier is not None
            tier = tiers[item.tier]
            share = Fraction(line.units, tier.units) if tier.units else Fraction(0)
            found = RateApplied("tiers", tiers=tier.slices, tier_share=share)
        self.applied_cache[key] = found
        return found

    def _shared(self, scaled: int, digits: int) -> Fraction:
        key = (scaled, digits)
        found = self.fractions.get(key)
        if found is None:
            found = self.fractions[key] = Fraction(scaled, _ten(digits))
        return found


_ONE = Decimal(1)
_ROW_LICENSEE = itemgetter(0)
_ROW_PERIOD = itemgetter(1)


@dataclass(frozen=True, slots=True)
class _TierKey:
    """One group's tiered category in one quarter."""

    units: int  # the group's units of the quarter in the category
    slices: tuple[TierSlice, ...]
    total: int  # the royalty of those units before region, x 10^base


@dataclass(slots=True)
class _Year:
    """What carries over from quarter to quarter for each licensee group."""

    units: dict[tuple[str, Category], int]  # cumulative royalty-bearing units (for tiers)
    gross: dict[str, Fraction]  # cumulative gross (for the annual cap)


@dataclass(slots=True)
class _Quarter:
    """One quarter priced: the lines, the tier keys, and each group's cap cut rate."""

    pricing: _QuarterPricing
    priced: list[_Priced]
    tiers: dict[tuple[str, Category], _TierKey]
    cut_rates: dict[str, Fraction]

    def divisor(self, item: _Priced) -> int:
        """``item``'s gross is ``item.num / self.divisor(item)``."""
        if item.tier is None:
            return self.pricing.scale
        return self.pricing.scale * (self.tiers[item.tier].units or 1)


def _price_quarter(
    lines: list[SalesLine],
    schedule: Schedule,
    countries: frozenset[CountryCode],
    day: dt.date,
    groups: dict[LicenseeId, str],
    year: _Year,
) -> _Quarter:
    """Price one quarter's lines; update ``year``."""
    pricing = _QuarterPricing(
        schedule, countries, day, _net_digits(line.net_sales for line in lines)
    )
    priced = [pricing.price(line, groups[line.licensee]) for line in lines]
    tier_units: dict[tuple[str, Category], int] = defaultdict(int)
    for item in priced:
        if item.tier is not None:
            tier_units[item.tier] += item.line.units
    tiers = _tier_keys(tier_units, schedule, pricing, year)
    # each group's gross: the per-unit and percent lines over ``scale``, and each tier key's
    # lines over ``scale x units``; a tiered line's gross is total x units x multiplier / ...
    plain: dict[str, int] = defaultdict(int)
    tiered: dict[tuple[str, Category], int] = defaultdict(int)
    for item in priced:
        if item.tier is None:
            plain[groups[item.line.licensee]] += item.num
        else:
            item.num *= tiers[item.tier].total
            tiered[item.tier] += item.num
    present = {groups[item.line.licensee] for item in priced}
    rates = _cut_rates(plain, tiered, present, tiers, pricing, schedule, year)
    return _Quarter(pricing, priced, tiers, rates)


def _net_digits(nets: Iterable[Decimal | None]) -> int:
    """The most digits after the decimal point of the lines' net sales."""
    exponents = cast(
        "Iterator[int]",  # net sales are finite: their exponents are whole numbers
        (net.as_tuple().exponent for net in nets if net is not None),
    )
    return max(0, -min(exponents, default=0))


def _tier_keys(
    tier_units: dict[tuple[str, Category], int],
    schedule: Schedule,
    pricing: _QuarterPricing,
    year: _Year,
) -> dict[tuple[str, Category], _TierKey]:
    """Each group's tiered categories of the quarter, on top of its units earlier in the year."""
    tiers: dict[tuple[str, Category], _TierKey] = {}
    for key in sorted(tier_units):
        rate = schedule.categories[key[1]]
        assert isinstance(rate, TieredRate)
        units = tier_units[key]
        before = year.units.get(key, 0)
        slices = rate.slices(before, units)
        total = sum(s.units * _scaled(s.per_unit, pricing.base_digits) for s in slices)
        year.units[key] = before + units
        tiers[key] = _TierKey(units, slices, total)
    return tiers


def _cut_rates(
    plain: dict[str, int],
    tiered: dict[tuple[str, Category], int],
    present: set[str],
    tiers: dict[tuple[str, Category], _TierKey],
    pricing: _QuarterPricing,
    schedule: Schedule,
    year: _Year,
) -> dict[str, Fraction]:
    """Each group's annual-cap cut as a fraction of its gross (the same for all its licensees
    and lines); ``plain`` and ``tiered`` are the groups' scaled grosses. Updates ``year``."""
    group_gross: dict[str, Fraction] = {g: Fraction(n, pricing.scale) for g, n in plain.items()}
    for group in present:
        group_gross.setdefault(group, Fraction(0))
    for key, n in tiered.items():
        group_gross[key[0]] += Fraction(n, pricing.scale * (tiers[key].units or 1))
    cuts: dict[str, Fraction] = {}
    for group, gross in group_gross.items():
        earlier = year.gross.get(group, Fraction(0))
        year.gross[group] = earlier + gross
        cuts[group] = Fraction(0)
        if schedule.annual_cap is not None:
            room = max(Fraction(0), Fraction(schedule.annual_cap) - earlier)
            cuts[group] = max(Fraction(0), gross - room)
    return {g: (cuts[g] / group_gross[g] if group_gross[g] else Fraction(0)) for g in cuts}


@dataclass(slots=True)
class _Rows:
    """One quarter priced without a record per line (``detail=False``): the lines sorted as
    :func:`_price_quarter` sorts them, and per line its scaled gross, tier key and the country
    where its royalty is earned, in plain lists."""

    licensees: list[LicenseeId]
    units: list[int]
    nums: list[int]
    tier_of: list[tuple[str, Category] | None]
    countries: list[CountryCode | None]
    tiers: dict[tuple[str, Category], _TierKey]
    cut_rates: dict[str, Fraction]
    scale: int


def _price_rows(
    lines: list[SalesRow],
    schedule: Schedule,
    countries: frozenset[CountryCode],
    day: dt.date,
    groups: dict[LicenseeId, str],
    year: _Year,
) -> _Rows:
    """:func:`_price_quarter` without a record per line: the same integers, in lists.

    Lines are sorted as there, but for their source, which only orders lines that are alike
    in every priced respect (and so have the same amounts). What a line's price depends on -
    its category, country of sale and of manufacture - is worked out once per combination.
    A line the schedule cannot price is handed to :meth:`_QuarterPricing.price`, which raises
    the same error as the detailed path.
    """
    pricing = _QuarterPricing(schedule, countries, day, _net_digits(row[6] for row in lines))
    minus_one = Decimal(-1)
    order = sorted(
        (
            (row[0], row[4], row[2], row[3], row[5], minus_one if row[6] is None else row[6], n)
            for n, row in enumerate(lines)
        )
    )
    per_unit, percent, regions = pricing.per_unit, pricing.percent, pricing.regions
    categories, in_force = schedule.categories, pricing.countries
    # (category, sale, made) -> (kind, factor, royalty country, needs net sales)
    # kind: 0 no patent in force, 1 per unit, 2 percent, 3 tiers
    known: dict[tuple[str, str, str], tuple[int, int, CountryCode | None, bool]] = {}
    licensees: list[LicenseeId] = []
    units_of: list[int] = []
    nums: list[int] = []
    tier_of: list[tuple[str, Category] | None] = []
    where: list[CountryCode | None] = []
    tier_units: dict[tuple[str, Category], int] = defaultdict(int)
    plain: dict[str, int] = defaultdict(int)
    for licensee, category, sale, made, units, _net, n in order:
        how = known.get((category, sale, made))
        if how is None:
            rate = categories.get(category)
            if rate is None:
                pricing.price(SalesLine(*lines[n]), groups[licensee])  # raises UnknownCategory
            region = regions.get(sale)
            mult = pricing.one if region is None else pricing.multipliers[region.id]
            needs_net = isinstance(rate, PercentRate)
            rc = sale if sale in in_force else made if made in in_force else None
            if rc is None:
                how = (0, 0, None, needs_net)
            elif category in per_unit:
                how = (1, per_unit[category] * mult, rc, False)
            elif category in percent:
                how = (2, mult, rc, True)
            else:
                how = (3, mult, rc, False)
            known[(category, sale, made)] = how
        kind, factor, rc, needs_net = how
        tier: tuple[str, Category] | None = None
        if needs_net:
            net = lines[n][6]
            if net is None:
                pricing.price(SalesLine(*lines[n]), groups[licensee])  # raises: net required
        if kind == 1:
            num = units * factor
        elif kind == 2:
            num = 0
            if units:
                p = percent[category]
                total = _scaled(net, p.sub)  # type: ignore[arg-type]
                if p.floor is not None and total < p.floor * units:
                    total = p.floor * units
                elif p.cap is not None and total > p.cap * units:
                    total = p.cap * units
                num = total * p.percent * factor
        elif kind == 3:
            num = units * factor
            tier = (groups[licensee], category)
            tier_units[tier] += units
        else:
            num = 0
        licensees.append(licensee)
        units_of.append(units)
        nums.append(num)
        tier_of.append(tier)
        where.append(rc)
    tiers = _tier_keys(tier_units, schedule, pricing, year)
    tiered: dict[tuple[str, Category], int] = defaultdict(int)
    for i, tier in enumerate(tier_of):
        if tier is None:
            plain[groups[licensees[i]]] += nums[i]
        else:
            nums[i] *= tiers[tier].total
            tiered[tier] += nums[i]
    present = {groups[lid] for lid in set(licensees)}
    rates = _cut_rates(plain, tiered, present, tiers, pricing, schedule, year)
    return _Rows(licensees, units_of, nums, tier_of, where, tiers, rates, pricing.scale)


def _zero_reason(item: _Priced) -> str | None:
    if item.reason is not None:
        return item.reason
    if item.num != 0:
        return None
    if item.line.units == 0:
        return "no units sold"
    if item.multiplier == 0:
        return f"region {item.region} multiplier is 0"
    if item.kind == "tiers":
        return "all units fall in tiers priced at 0"
    return "the rate is 0"


def _due_reason(
    due: Decimal, licensee: Licensee, schedule: Schedule, cut_rate: Fraction
) -> str | None:
    """Why a line with a gross owes nothing after the cap and the discounts (None if it owes)."""
    if due:
        return None
    if cut_rate >= 1:
        return f"annual cap {schedule.annual_cap} reached earlier in the year"
    discounts = schedule.discounts
    if licensee.member and discounts.member == 1:
        return "member discount 100%"
    if licensee.good_standing and discounts.good_standing == 1:
        return "good-standing discount 100%"
    return "less than one minor unit once the licensee's due is split among its lines"


def _weights(quarter: _Quarter, items: list[_Priced]) -> tuple[list[int], int]:
    """The lines' grosses as integers over one common denominator, and that denominator."""
    keys = {i.tier for i in items if i.tier is not None}
    common = 1
    for key in keys:
        common = math.lcm(common, quarter.tiers[key].units or 1)
    factors = {key: common // (quarter.tiers[key].units or 1) for key in keys}
    weights = [i.num * common if i.tier is None else i.num * factors[i.tier] for i in items]
    return weights, quarter.pricing.scale * common


@dataclass(frozen=True, slots=True)
class _Split:
    """One licensee's amounts, and its lines' parts of them (largest remainder)."""

    gross: Decimal
    cap_reduction: Decimal
    discount: Decimal
    due: Decimal
    weights: list[int]
    denominator: int
    gross_parts: dict[int, Decimal]
    due_parts: dict[int, Decimal]


def _amounts(
    licensee: Licensee,
    weights: list[int],
    denominator: int,
    cut_rate: Fraction,
    currency: str,
    schedule: Schedule,
) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """A licensee's gross, cap reduction, discount and due, each rounded once."""
    gross_exact = Fraction(sum(weights), denominator)
    after_cap_exact = gross_exact * (1 - cut_rate)
    due_exact = after_cap_exact * schedule.discounts.factor(licensee)
    gross = round_money(gross_exact, currency)
    after_cap = round_money(after_cap_exact, currency)
    due = round_money(due_exact, currency)
    return gross, gross - after_cap, after_cap - due, due


def _split(
    licensee: Licensee,
    items: list[_Priced],
    quarter: _Quarter,
    cut_rate: Fraction,
    currency: str,
    schedule: Schedule,
) -> _Split:
    weights, denominator = _weights(quarter, items)
    gross, cap_reduction, discount, due = _amounts(
        licensee, weights, denominator, cut_rate, currency, schedule
    )
    keyed = dict(enumerate(weights))
    return _Split(
        gross, cap_reduction, discount, due, weights, denominator,
        largest_remainder(gross, keyed, currency), largest_remainder(due, keyed, currency),
    )  # fmt: skip


def _licensee_result(
    licensee: Licensee,
    items: list[_Priced],
    quarter: _Quarter,
    cut_rate: Fraction,
    program: Program,
    schedule: Schedule,
) -> LicenseeRoyalty:
    split = _split(licensee, items, quarter, cut_rate, program.currency, schedule)
    exact: dict[tuple[int, int], Fraction] = {}
    lines = []
    for n, i in enumerate(items):
        key = (split.weights[n], split.denominator)
        value = exact.get(key)
        if value is None:
            value = exact[key] = Fraction(*key)
        lines.append(
            RoyaltyLine(
                line=i.line,
                rate=None if i.kind is None else quarter.pricing.applied(i, quarter.tiers),
                region=i.region,
                multiplier=i.multiplier,
                royalty_country=i.royalty_country,
                exact_gross=value,
                gross=split.gross_parts[n],
                due=split.due_parts[n],
                reason=_zero_reason(i)
                or _due_reason(split.due_parts[n], licensee, schedule, cut_rate),
            )
        )
    return LicenseeRoyalty(
        licensee=licensee.id,
        group=licensee.group_key,
        units=sum(i.line.units for i in items),
        gross=split.gross,
        cap_reduction=split.cap_reduction,
        discount=split.discount,
        due=split.due,
        lines=tuple(lines),
    )


def compute_royalties(
    program: Program,
    register: Register,
    licensees: Iterable[Licensee],
    sales: Iterable[SalesLine],
    period: Period,
    detail: bool = True,
) -> RoyaltyResult:
    """What each licensee with sales in ``period`` owes under ``program``.

    ``sales`` holds the lines of the year so far (earlier quarters drive tiers and the annual
    cap); lines of other years or of later quarters are ignored. Licensees appear in the
    result, sorted by id, when they reported at least one line for ``period``.

    With ``detail=False`` the licensees' ``lines`` are left empty and the result carries
    :meth:`RoyaltyResult.royalties_by_country` ready-made; every amount is the same as with
    ``detail=True`` (the lines are priced and split the same way, only not kept).
    """
    if not detail:
        rows = (
            (ln.licensee, ln.period, ln.country_of_sale, ln.country_of_manufacture, ln.category,
             ln.units, ln.net_sales, ln.source)
            for ln in sales
        )  # fmt: skip
        return summarize_royalties(program, register, licensees, rows, period)
    index = {licensee.id: licensee for licensee in licensees}
    quarters = period.year_to_date()
    by_quarter = _by_quarter(sales, _LICENSEE_OF, _PERIOD_OF, index, quarters)
    groups = {lid: lic.group_key for lid, lic in index.items()}
    patents = counted_patents(register, program)
    year = _Year({}, {})
    schedule = program.schedule_for(period)
    last: _Quarter | None = None
    for quarter in quarters:
        quarter_lines = by_quarter.pop(quarter)
        if not quarter_lines and quarter != period:
            continue
        quarter_lines.sort(key=_SORT_KEY)
        day = quarter.last_day
        countries = countries_in_force(patents, day)
        last = _price_quarter(
            quarter_lines, program.schedule_for(quarter), countries, day, groups, year
        )
    assert last is not None  # the period itself is always priced
    by_licensee: dict[LicenseeId, list[_Priced]] = defaultdict(list)
    for item in last.priced:
        by_licensee[item.line.licensee].append(item)
    last.priced = []  # each licensee's items are let go once its result is made
    results = tuple(
        _licensee_result(index[lid], by_licensee.pop(lid), last,
                         last.cut_rates[groups[lid]], program, schedule)
        for lid in sorted(by_licensee)
    )  # fmt: skip
    return RoyaltyResult(
        program=program.id,
        period=period,
        currency=program.currency,
        schedule_from=schedule.effective_from,
        licensees=results,
        total_due=sum((r.due for r in results), round_money(0, program.currency)),
    )


#: A sales line as plain values, in the order of :class:`SalesLine`'s fields (licensee,
#: period, country of sale, country of manufacture, category, units, net sales, source), as
#: storage reads it: checked when it was imported, so not checked again.
SalesRow = tuple[
    LicenseeId, Period, CountryCode, CountryCode, Category, int, Decimal | None, str | None
]

T = TypeVar("T")
_LICENSEE_OF = attrgetter("licensee")
_PERIOD_OF = attrgetter("period")


def _by_quarter(
    lines: Iterable[T],
    licensee_of: Callable[[T], LicenseeId],
    period_of: Callable[[T], Period],
    index: Mapping[LicenseeId, Licensee],
    quarters: Iterable[Period],
) -> dict[Period, list[T]]:
    """The lines of each of ``quarters`` (others are left out); an unknown licensee raises."""
    by_quarter: dict[Period, list[T]] = {q: [] for q in quarters}
    # lines share their period objects: each is looked up once (by identity), not per line
    buckets: dict[int, list[T] | None] = {}
    held: list[Period] = []  # keeps every period looked up alive, so no id is reused
    missing: list[T] = []
    for line in lines:
        licensee = licensee_of(line)
        if licensee not in index:
            raise NotFound("licensee", licensee)
        period = period_of(line)
        bucket = buckets.get(id(period), missing)
        if bucket is missing:
            held.append(period)
            bucket = buckets[id(period)] = by_quarter.get(period)
        if bucket is not None:
            bucket.append(line)
    return by_quarter


def summarize_royalties(
    program: Program,
    register: Register,
    licensees: Iterable[Licensee],
    sales: Iterable[SalesRow],
    period: Period,
) -> RoyaltyResult:
    """:func:`compute_royalties` with ``detail=False``, from sales lines as plain tuples.

    The same amounts, the same due by country, the same errors; priced in lists, with no
    record made per line (a quarter can hold a million lines).
    """
    index = {licensee.id: licensee for licensee in licensees}
    by_group: dict[str, list[SalesRow]] = defaultdict(list)
    for row in sales:
        licensee = index.get(row[0])
        if licensee is None:
            raise NotFound("licensee", row[0])
        by_group[licensee.group_key].append(row)
    return summarize_groups(program, register, index.values(), by_group.values(), period)


def summarize_groups(
    program: Program,
    register: Register,
    licensees: Iterable[Licensee],
    groups: Iterable[Iterable[SalesRow]],
    period: Period,
) -> RoyaltyResult:
    """:func:`summarize_royalties` from the lines of one licensee group at a time.

    Each item of ``groups`` holds every line of the year so far of one licensee group: tiers
    and the annual cap are counted over a group, and nothing else joins the lines of two
    groups, so the quarter is priced group by group and only one group's lines need be held.
    """
    index = {licensee.id: licensee for licensee in licensees}
    group_of = {lid: lic.group_key for lid, lic in index.items()}
    patents = counted_patents(register, program)
    schedule = program.schedule_for(period)
    quarters = period.year_to_date()
    in_force: dict[Period, frozenset[CountryCode]] = {}
    currency = program.currency
    digits = minor_unit(currency)
    summary: list[LicenseeRoyalty] = []
    country_units: dict[CountryCode, int] = defaultdict(int)
    for rows in groups:
        by_quarter = _by_quarter(rows, _ROW_LICENSEE, _ROW_PERIOD, index, quarters)
        year = _Year({}, {})
        last: _Rows | None = None
        for quarter, quarter_lines in by_quarter.items():
            if not quarter_lines:
                continue
            if quarter not in in_force:
                in_force[quarter] = countries_in_force(patents, quarter.last_day)
            last = _price_rows(
                quarter_lines, program.schedule_for(quarter), in_force[quarter],
                quarter.last_day, group_of, year,
            )  # fmt: skip
            if quarter == period:
                _summarize_licensees(
                    last, index, group_of, currency, schedule, summary, country_units
                )
            quarter_lines.clear()
    summary.sort(key=_LICENSEE_OF)
    return RoyaltyResult(
        program=program.id,
        period=period,
        currency=currency,
        schedule_from=schedule.effective_from,
        licensees=tuple(summary),
        total_due=sum((r.due for r in summary), round_money(0, currency)),
        by_country={c: Decimal(v).scaleb(-digits) for c, v in sorted(country_units.items())},
    )


def _summarize_licensees(
    last: _Rows,
    index: Mapping[LicenseeId, Licensee],
    groups: Mapping[LicenseeId, str],
    currency: str,
    schedule: Schedule,
    summary: list[LicenseeRoyalty],
    country_units: dict[CountryCode, int],
) -> None:
    """Each licensee's amounts of the quarter priced in ``last`` (added to ``summary``), and
    its due split over its lines by largest remainder, added up by country (in minor units)."""
    digits = minor_unit(currency)
    lids, nums, tier_of, where = last.licensees, last.nums, last.tier_of, last.countries
    start = 0
    while start < len(lids):
        lid = lids[start]
        end = start + 1
        while end < len(lids) and lids[end] == lid:
            end += 1
        # the lines' grosses over one common denominator, as _weights makes them
        common = 1
        for key in {t for t in tier_of[start:end] if t is not None}:
            common = math.lcm(common, last.tiers[key].units or 1)
        weights = [
            nums[i] * common if tier_of[i] is None
            else nums[i] * (common // (last.tiers[tier_of[i]].units or 1))  # type: ignore[index]
            for i in range(start, end)
        ]  # fmt: skip
        licensee = index[lid]
        gross, cap_reduction, discount, due = _amounts(
            licensee, weights, last.scale * common, last.cut_rates[groups[lid]], currency,
            schedule,
        )  # fmt: skip
        due_units = int(due.scaleb(digits))
        if due_units:
            for n, part in enumerate(split_units(due_units, weights)):
                country = where[start + n]
                if part and country is not None:
                    country_units[country] += part
        summary.append(
            LicenseeRoyalty(
                licensee=lid,
                group=licensee.group_key,
                units=sum(last.units[start:end]),
                gross=gross,
                cap_reduction=cap_reduction,
                discount=discount,
                due=due,
                lines=(),
                line_count=end - start,
            )
        )
        start = end


def _sort_key(line: SalesLine) -> tuple[str, str, str, str, int, Decimal, str]:
    return line.sort_key


_SORT_KEY = _sort_key
