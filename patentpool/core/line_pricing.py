"""Line pricing for :mod:`patentpool.core.royalties`: a sales line, and the rates of one
quarter's schedule as integers at one decimal scale, with which a line's gross is priced.

Every per-unit and percent royalty of a quarter is a whole number of ``10^-digits``: rates,
bounds, multipliers and net sales are decimals, so ``digits`` is chosen from their decimal
places and the arithmetic is exact in integers. A tiered line's amount waits for its group's
quarter (:mod:`patentpool.core.quarter_pricing`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext
from fractions import Fraction
from functools import partial
from itertools import repeat
from operator import is_not, mul
from typing import cast

from patentpool.core.fx import Conversion
from patentpool.core.licensing import (
    Category,
    LicenseeId,
    PercentRate,
    PerUnitRate,
    Schedule,
    TieredRate,
    TierSlice,
    UnknownCategory,
)
from patentpool.core.model import CountryCode
from patentpool.core.money import (
    parse_amount,
)
from patentpool.core.periods import Period
from patentpool.errors import InvalidInput


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
    #: net_sales are in another currency: how they become the programme's (None: they are)
    fx: Conversion | None = None

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
    unit_price: Fraction | None = None  # net_sales / units (in the programme's currency)
    base: Fraction | None = None  # the unit price clamped to [base_floor, base_cap]
    clamped: str | None = None  # "floor", "cap" or None
    tiers: tuple[TierSlice, ...] = ()  # the group's units of the quarter, tier by tier
    tier_share: Fraction | None = None  # this line's units / the group's units


#: A sales line as plain values, in the order of :class:`SalesLine`'s fields (licensee,
#: period, country of sale, country of manufacture, category, units, net sales, source), as
#: storage reads it: checked when it was imported, so not checked again.
SalesRow = (
    tuple[LicenseeId, Period, CountryCode, CountryCode, Category, int, Decimal | None, str | None]
    | tuple[
        LicenseeId, Period, CountryCode, CountryCode, Category, int, Decimal | None, str | None,
        Conversion | None,
    ]
)  # fmt: skip


def row_fx(row: SalesRow) -> Conversion | None:
    """How the row's net sales become the programme's currency (None: they are in it)."""
    return row[8] if len(row) > 8 else None


def converted(net: Decimal, digits: int, fx: Conversion | None) -> int | Fraction:
    """Net sales ``x 10^digits`` in the programme's currency: exact, a fraction when they were
    converted (one line at a time, before a percent rate's bounds clamp them)."""
    total = scaled(net, digits)
    if fx is None:
        return total
    value = fx.rate * total
    return value.numerator if value.denominator == 1 else value


def no_patent_reason(line: SalesLine, day: dt.date) -> str:
    """Why ``line`` owes nothing when no counted patent is in force where it was sold or made."""
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


def scaled(value: Decimal, digits: int) -> int:
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

    def clamp(
        self, totals: Iterable[int | Fraction], units: Sequence[int]
    ) -> list[int | Fraction]:
        """Lines' net sales ``totals`` (x 10^sub) for their ``units``, each clamped to ``units
        x [base_floor, base_cap]`` - the unit price clamped to the bounds, compared in
        integers (the floor is never above the cap). The one clamp of a percent rate, on
        many lines at once (``map``, in C): :func:`~patentpool.core.quarter_pricing.price_rows`
        prices by it, :meth:`base` prints it."""
        out: Iterable[int | Fraction] = totals
        if self.floor is not None:
            out = map(max, out, map(mul, units, repeat(self.floor)))
        if self.cap is not None:
            out = map(min, out, map(mul, units, repeat(self.cap)))
        return list(out)

    def base(self, total: int | Fraction, units: int) -> tuple[int | Fraction, str | None]:
        """One line's :meth:`clamp`, and which bound clamped it ("floor", "cap" or None)."""
        (clamped,) = self.clamp([total], [units])
        return clamped, None if clamped == total else "floor" if clamped > total else "cap"


class QuarterPricing:
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
        self.multipliers = {r.id: scaled(r.multiplier, self.mult_digits) for r in schedule.regions}
        self.one = _ten(self.mult_digits)
        #: the schedule's annual cap as a fraction (each group's cut is one)
        self.annual_cap = None if schedule.annual_cap is None else Fraction(schedule.annual_cap)
        self.per_unit = {
            c: scaled(r.per_unit, base)
            for c, r in schedule.categories.items()
            if isinstance(r, PerUnitRate)
        }
        self.percent: dict[Category, _Percent] = {}
        self.applied_cache: dict[tuple[Category, object, int], RateApplied] = {}
        #: (category, sale, made) -> how price_rows prices such a line: (kind, factor,
        #: royalty country, needs net sales)
        self.known: dict[tuple[str, str, str], tuple[int, int, CountryCode | None, bool]] = {}
        self.fractions: dict[tuple[int, int], Fraction] = {}
        for c, r in schedule.categories.items():
            if isinstance(r, PercentRate):
                sub = base - _digits(r.percent) - 2
                self.percent[c] = _Percent(
                    r,
                    sub,
                    scaled(r.percent, base - sub - 2),
                    None if r.base_floor is None else scaled(r.base_floor, sub),
                    None if r.base_cap is None else scaled(r.base_cap, sub),
                )

    def refuse(self, line: SalesLine) -> None:
        """Raise why ``line`` cannot be priced under the schedule: a category it does not
        price, or a percent rate's line without its net sales (returns if neither)."""
        rate = self.schedule.categories.get(line.category)
        if rate is None:
            raise UnknownCategory(line.category, sorted(self.schedule.categories), _where(line))
        if line.net_sales is None and isinstance(rate, PercentRate):
            raise InvalidInput(
                f"net_sales: category {line.category!r} is charged a percent of the price, "
                f"so net_sales is required {_where(line)}"
            )

    def applied(
        self,
        category: Category,
        units: int,
        net: Decimal | None,
        tier: tuple[str, Category] | None,
        tiers: dict[tuple[str, Category], TierKey],
        fx: Conversion | None = None,
    ) -> RateApplied:
        """How a line of ``category`` (``units`` units, ``net`` net sales, in the tier key
        ``tier``) was priced, in the exact values an invoice prints (values that many lines
        share are made once)."""
        rate = self.schedule.categories[category]
        if isinstance(rate, PercentRate) and units and net is not None:
            percent = self.percent[category]
            total = converted(net, percent.sub, fx)
            price = Fraction(total) / (_ten(percent.sub) * units)
            _, clamped = percent.base(total, units)
            if clamped is None:
                base = price
            else:
                bound = percent.floor if clamped == "floor" else percent.cap
                assert bound is not None
                base = self._shared(bound, percent.sub)
            return RateApplied(
                "percent", percent=rate.percent, unit_price=price, base=base, clamped=clamped
            )
        key = (category, tier, units if tier is not None else 0)
        found = self.applied_cache.get(key)
        if found is not None:
            return found
        if isinstance(rate, PerUnitRate):
            found = RateApplied("per_unit", per_unit=rate.per_unit)
        elif isinstance(rate, PercentRate):
            found = RateApplied("percent", percent=rate.percent)
        else:
            assert tier is not None
            tier_key = tiers[tier]
            share = Fraction(units, tier_key.units) if tier_key.units else Fraction(0)
            found = RateApplied("tiers", tiers=tier_key.slices, tier_share=share)
        self.applied_cache[key] = found
        return found

    def _shared(self, scaled: int, digits: int) -> Fraction:
        key = (scaled, digits)
        found = self.fractions.get(key)
        if found is None:
            found = self.fractions[key] = Fraction(scaled, _ten(digits))
        return found


#: the multiplier of a country in no region
ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class TierKey:
    """One group's tiered category in one quarter."""

    units: int  # the group's units of the quarter in the category
    slices: tuple[TierSlice, ...]
    total: int  # the royalty of those units before region, x 10^base


def net_digits(nets: Iterable[Decimal | None]) -> int:
    """The most digits after the decimal point of the lines' net sales.

    Their exact sum has the smallest exponent among them (adding finite decimals without
    rounding keeps the smallest exponent, zeros' too): one addition a line, in C, instead of a
    tuple of digits made for each one."""
    with localcontext(_EXACT):
        total = sum(cast("Iterator[Decimal]", filter(_IS_SOME, nets)), Decimal(0))
    exponent = total.as_tuple().exponent
    assert isinstance(exponent, int)  # net sales are finite
    return max(0, -exponent)


#: decimals added without rounding (additions of finite values are exact at any size)
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
_IS_SOME = partial(is_not, None)
