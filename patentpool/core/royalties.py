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

All intermediate values are exact fractions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

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
from patentpool.core.money import largest_remainder, parse_amount, round_money
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


@dataclass(frozen=True, slots=True)
class RoyaltyResult:
    program: ProgramId
    period: Period
    currency: str
    schedule_from: dt.date  # effective_from of the schedule applied
    licensees: tuple[LicenseeRoyalty, ...]
    total_due: Decimal

    def royalties_by_country(self) -> dict[CountryCode, Decimal]:
        """Due by the country where it was earned; adds up to ``total_due`` exactly."""
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
    line: SalesLine
    rate: RateApplied | None
    region: str | None
    multiplier: Decimal
    royalty_country: CountryCode | None
    base_amount: Fraction  # before region; for tiers filled in once the group is known
    reason: str | None
    gross: Fraction = Fraction(0)  # after region, set once the quarter is priced


def _no_patent_reason(line: SalesLine, day: dt.date) -> str:
    if line.country_of_sale == line.country_of_manufacture:
        where = f"{line.country_of_sale} (sale and manufacture)"
    else:
        where = f"{line.country_of_sale} (sale) or {line.country_of_manufacture} (manufacture)"
    return f"no counted patent in force in {where} on {day}"


def _where(line: SalesLine) -> str:
    where = f"on a sales line of {line.licensee} for {line.period}"
    return f"{where} ({line.source})" if line.source else where


class _QuarterPricing:
    """Prices the lines of one quarter under one schedule, with what every line shares
    (rates as fractions, the region of each country, the countries with a patent in force)
    computed once."""

    def __init__(self, schedule: Schedule, countries: frozenset[CountryCode], day: dt.date) -> None:
        self.schedule = schedule
        self.countries = countries
        self.day = day
        self.regions = {c: r for r in schedule.regions for c in r.countries}
        self.per_unit = {
            category: (Fraction(rate.per_unit), RateApplied("per_unit", per_unit=rate.per_unit))
            for category, rate in schedule.categories.items()
            if isinstance(rate, PerUnitRate)
        }
        self.percent = {
            category: Fraction(rate.percent) / 100
            for category, rate in schedule.categories.items()
            if isinstance(rate, PercentRate)
        }

    def price(self, line: SalesLine) -> _Priced:
        rate = self.schedule.categories.get(line.category)
        if rate is None:
            raise UnknownCategory(line.category, sorted(self.schedule.categories), _where(line))
        if isinstance(rate, PercentRate) and line.net_sales is None:
            raise InvalidInput(
                f"net_sales: category {line.category!r} is charged a percent of the price, "
                f"so net_sales is required {_where(line)}"
            )
        region = self.regions.get(line.country_of_sale)
        multiplier = region.multiplier if region else _ONE
        region_id = region.id if region else None
        if line.country_of_sale in self.countries:
            royalty_country: CountryCode | None = line.country_of_sale
        elif line.country_of_manufacture in self.countries:
            royalty_country = line.country_of_manufacture
        else:
            reason = _no_patent_reason(line, self.day)
            return _Priced(line, None, region_id, multiplier, None, Fraction(0), reason)
        if isinstance(rate, PerUnitRate):
            per_unit, applied = self.per_unit[line.category]
            amount = line.units * per_unit
        elif isinstance(rate, PercentRate):
            assert line.net_sales is not None
            if line.units == 0:
                applied = RateApplied("percent", percent=rate.percent)
                amount = Fraction(0)
            else:
                price = Fraction(line.net_sales) / line.units
                base = rate.base(price)
                clamped = None if base == price else ("floor" if base > price else "cap")
                applied = RateApplied(
                    "percent", percent=rate.percent, unit_price=price, base=base, clamped=clamped
                )
                amount = line.units * base * self.percent[line.category]
        else:
            applied = _TIERS  # completed once the group's quarter is known
            amount = Fraction(0)
        return _Priced(line, applied, region_id, multiplier, royalty_country, amount, None)


_ONE = Decimal(1)
_TIERS = RateApplied("tiers")


@dataclass(slots=True)
class _Year:
    """What carries over from quarter to quarter for each licensee group."""

    units: dict[tuple[str, Category], int]  # cumulative royalty-bearing units (for tiers)
    gross: dict[str, Fraction]  # cumulative gross (for the annual cap)


def _price_quarter(
    lines: list[SalesLine],
    schedule: Schedule,
    countries: frozenset[CountryCode],
    day: dt.date,
    groups: dict[LicenseeId, str],
    year: _Year,
) -> tuple[list[_Priced], dict[str, Fraction]]:
    """Price one quarter's lines; update ``year``; return the lines and each group's cap cut."""
    pricing = _QuarterPricing(schedule, countries, day)
    priced = [pricing.price(line) for line in lines]
    tiered: dict[tuple[str, Category], list[_Priced]] = defaultdict(list)
    for item in priced:
        if item.rate is not None and item.rate.kind == "tiers":
            tiered[(groups[item.line.licensee], item.line.category)].append(item)
    for key in sorted(tiered):
        items = tiered[key]
        rate = schedule.categories[key[1]]
        assert isinstance(rate, TieredRate)
        units = sum(i.line.units for i in items)
        before = year.units.get(key, 0)
        slices = rate.slices(before, units)
        total = sum((s.amount for s in slices), Fraction(0))
        year.units[key] = before + units
        for item in items:
            share = Fraction(item.line.units, units) if units else Fraction(0)
            item.rate = RateApplied("tiers", tiers=slices, tier_share=share)
            item.base_amount = total * share
    group_gross: dict[str, Fraction] = defaultdict(Fraction)
    multipliers = {m: Fraction(m) for m in {item.multiplier for item in priced}}
    for item in priced:
        m = item.multiplier
        item.gross = item.base_amount if m == 1 else item.base_amount * multipliers[m]
        group_gross[groups[item.line.licensee]] += item.gross
    cuts: dict[str, Fraction] = {}
    for group, gross in group_gross.items():
        earlier = year.gross.get(group, Fraction(0))
        year.gross[group] = earlier + gross
        cuts[group] = Fraction(0)
        if schedule.annual_cap is not None:
            room = max(Fraction(0), Fraction(schedule.annual_cap) - earlier)
            cuts[group] = max(Fraction(0), gross - room)
    # the cut as a fraction of each group's gross, the same for all its licensees and lines
    rates = {g: (cuts[g] / group_gross[g] if group_gross[g] else Fraction(0)) for g in cuts}
    return priced, rates


def _zero_reason(item: _Priced) -> str | None:
    if item.reason is not None:
        return item.reason
    if item.gross != 0:
        return None
    if item.line.units == 0:
        return "no units sold"
    if item.multiplier == 0:
        return f"region {item.region} multiplier is 0"
    if item.rate is not None and item.rate.kind == "tiers":
        return "all units fall in tiers priced at 0"
    return "the rate is 0"


def _licensee_result(
    licensee: Licensee,
    items: list[_Priced],
    cut_rate: Fraction,
    program: Program,
    schedule: Schedule,
) -> LicenseeRoyalty:
    currency = program.currency
    items = sorted(items, key=lambda i: i.line.sort_key)
    gross_exact = sum((i.gross for i in items), Fraction(0))
    after_cap_exact = gross_exact * (1 - cut_rate)
    due_exact = after_cap_exact * schedule.discounts.factor(licensee)
    gross = round_money(gross_exact, currency)
    after_cap = round_money(after_cap_exact, currency)
    due = round_money(due_exact, currency)
    weights = {n: i.gross for n, i in enumerate(items)}
    gross_parts = largest_remainder(gross, weights, currency)
    due_parts = largest_remainder(due, weights, currency)
    lines = tuple(
        RoyaltyLine(
            line=i.line,
            rate=i.rate,
            region=i.region,
            multiplier=i.multiplier,
            royalty_country=i.royalty_country,
            exact_gross=i.gross,
            gross=gross_parts[n],
            due=due_parts[n],
            reason=_zero_reason(i),
        )
        for n, i in enumerate(items)
    )
    return LicenseeRoyalty(
        licensee=licensee.id,
        group=licensee.group_key,
        units=sum(i.line.units for i in items),
        gross=gross,
        cap_reduction=gross - after_cap,
        discount=after_cap - due,
        due=due,
        lines=lines,
    )


def compute_royalties(
    program: Program,
    register: Register,
    licensees: Iterable[Licensee],
    sales: Iterable[SalesLine],
    period: Period,
) -> RoyaltyResult:
    """What each licensee with sales in ``period`` owes under ``program``.

    ``sales`` holds the lines of the year so far (earlier quarters drive tiers and the annual
    cap); lines of other years or of later quarters are ignored. Licensees appear in the
    result, sorted by id, when they reported at least one line for ``period``.
    """
    index = {licensee.id: licensee for licensee in licensees}
    quarters = period.year_to_date()
    by_quarter: dict[Period, list[SalesLine]] = {q: [] for q in quarters}
    for line in sales:
        if line.licensee not in index:
            raise NotFound("licensee", line.licensee)
        if line.period in by_quarter:
            by_quarter[line.period].append(line)
    groups = {lid: lic.group_key for lid, lic in index.items()}
    patents = counted_patents(register, program)
    year = _Year({}, {})
    priced: list[_Priced] = []
    cut_rates: dict[str, Fraction] = {}
    schedule = program.schedule_for(period)
    for quarter in quarters:
        quarter_lines = sorted(by_quarter[quarter], key=lambda s: s.sort_key)
        if not quarter_lines and quarter != period:
            continue
        day = quarter.last_day
        countries = countries_in_force(patents, day)
        priced, cut_rates = _price_quarter(
            quarter_lines, program.schedule_for(quarter), countries, day, groups, year
        )
    by_licensee: dict[LicenseeId, list[_Priced]] = defaultdict(list)
    for item in priced:
        by_licensee[item.line.licensee].append(item)
    results = tuple(
        _licensee_result(index[lid], items, cut_rates[groups[lid]], program, schedule)
        for lid, items in sorted(by_licensee.items())
    )
    return RoyaltyResult(
        program=program.id,
        period=period,
        currency=program.currency,
        schedule_from=schedule.effective_from,
        licensees=results,
        total_due=sum((r.due for r in results), round_money(0, program.currency)),
    )
