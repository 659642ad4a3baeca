"""What each licensee owes for a quarter, from its sales lines of the year so far.

Order of operations (docs/royalties.md works every step by hand):

1. A line owes royalty only if a counted patent is in force, on the quarter's last day, in its
   country of sale or of manufacture; otherwise it owes nothing and says why.
2. Gross per line: per-unit, percent of the clamped unit price, or the line's share (by units)
   of its group's tiered royalty for the quarter, which is the tier function of the group's
   cumulative units in the category after the quarter minus before it (every royalty-bearing
   unit of the year counts, whatever rate priced it); then times the region multiplier of the
   country of sale.
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

A quarter is priced in integers by :mod:`patentpool.core.quarter_pricing` (its tiers and annual
cap too), with the rates of :mod:`patentpool.core.line_pricing` (which also holds
:class:`SalesLine`); this module makes the results: licensees' amounts, and, only when they are
asked for, the records of their priced lines (:class:`RoyaltyLine`) with their parts of them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from itertools import groupby, repeat
from operator import attrgetter, mul

from patentpool.core.licensing import (
    Licensee,
    LicenseeId,
    Program,
    ProgramId,
    Schedule,
    counted_patents,
    program_countries,
)
from patentpool.core.line_blocks import LineBlock, QuarterLines, add_by_runs, blocks_of, join_blocks
from patentpool.core.line_pricing import (
    ONE,
    QuarterPricing,
    RateApplied,
    SalesLine,
    SalesRow,
    no_patent_reason,
)
from patentpool.core.model import CountryCode, Declaration, Patent, PatentKey, Register
from patentpool.core.money import (
    largest_remainder,
    minor_unit,
    round_money,
    round_ratio,
    split_units,
)
from patentpool.core.periods import Period
from patentpool.core.quarter_pricing import (
    Rows,
    Year,
    lines_by_quarter,
    price_rows,
    tiered_in_year,
)
from patentpool.errors import NotFound

__all__ = [
    "PRICING_RULES",
    "LicenseeRoyalty",
    "RateApplied",
    "RoyaltyLine",
    "RoyaltyResult",
    "SalesLine",
    "SalesRow",
    "compute_royalties",
    "summarize_groups",
    "summarize_royalties",
]

#: The edition of the pricing rules, raised whenever a change to them can change what a quarter
#: owes, so that totals kept under an earlier edition are priced again (services/quarters.py).
#: 2: every unit of the year climbs the tiers, whatever rate priced it.
PRICING_RULES = 2


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


_BLOCK_KEY = attrgetter("licensee", "period")
_LICENSEE_OF = attrgetter("licensee")


def _zero_reason(
    kind: str, num: int | Fraction, units: int, multiplier: Decimal, region: str | None
) -> str | None:
    """Why a line priced under a rate of ``kind`` has no gross (None if its ``num`` has one)."""
    if num != 0:
        return None
    if units == 0:
        return "no units sold"
    if multiplier == 0:
        return f"region {region} multiplier is 0"
    if kind == "tiers":
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


def _amounts(
    licensee: Licensee,
    weights: list[int],
    denominator: int,
    cut_rate: Fraction,
    currency: str,
    schedule: Schedule,
) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """A licensee's gross, cap reduction, discount and due, each rounded once: exact ratios
    of integers (``sum(weights) / denominator`` times what the cap and the discounts leave),
    rounded without being reduced."""
    total = sum(weights)
    gross = round_ratio(total, denominator, currency)
    # most licensees are neither capped nor discounted: an amount unchanged is not rounded again
    if cut_rate:
        total *= cut_rate.denominator - cut_rate.numerator
        denominator *= cut_rate.denominator
        after_cap = round_ratio(total, denominator, currency)
    else:
        after_cap = gross
    factor = schedule.discounts.factor(licensee)
    if factor == 1:
        due = after_cap
    else:
        due = round_ratio(total * factor.numerator, denominator * factor.denominator, currency)
    return gross, gross - after_cap, after_cap - due, due


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
    rows = (
        (ln.licensee, ln.period, ln.country_of_sale, ln.country_of_manufacture, ln.category,
         ln.units, ln.net_sales, ln.source, ln.fx)
        for ln in sales
    )  # fmt: skip
    return summarize_royalties(program, register, licensees, rows, period, lines=detail)


def summarize_royalties(
    program: Program,
    register: Register,
    licensees: Iterable[Licensee],
    sales: Iterable[SalesRow],
    period: Period,
    lines: bool = False,
) -> RoyaltyResult:
    """:func:`compute_royalties` from sales lines as plain tuples; with ``lines`` (as
    ``detail=True`` there) each licensee keeps its priced lines.

    Without ``lines`` no record is made per line (a quarter can hold a million lines): the
    same amounts, the same due by country, the same errors.
    """
    index = {licensee.id: licensee for licensee in licensees}
    by_group: dict[str, list[SalesRow]] = defaultdict(list)
    for row in sales:
        licensee = index.get(row[0])
        if licensee is None:
            raise NotFound("licensee", row[0])
        by_group[licensee.group_key].append(row)
    groups = map(blocks_of, by_group.values())
    return summarize_groups(program, register, index.values(), groups, period, lines=lines)


def summarize_groups(
    program: Program,
    register: Register,
    licensees: Iterable[Licensee],
    groups: Iterable[Iterable[LineBlock]],
    period: Period,
    lines: bool = False,
    counted: Mapping[PatentKey, tuple[Patent, list[Declaration]]] | None = None,
) -> RoyaltyResult:
    """:func:`summarize_royalties` from the lines of one licensee group at a time;
    ``counted``: the programme's :func:`~patentpool.core.licensing.counted_by_key`, when the
    caller has it already.

    Every quarter is priced by :func:`~patentpool.core.quarter_pricing.price_rows`; with
    ``lines`` the records of the period's priced lines (:class:`RoyaltyLine`) are made from
    its lists, and the due by country is added up from them.

    Each item of ``groups`` holds every line of the year so far of one licensee group, in
    blocks of one licensee and period (:class:`~patentpool.core.line_blocks.LineBlock`): tiers
    and the annual cap are counted over a group, and nothing else joins the lines of two
    groups, so the quarter is priced group by group and only one group's lines need be held.
    """
    index = {licensee.id: licensee for licensee in licensees}
    group_of = {lid: lic.group_key for lid, lic in index.items()}
    patents = counted_patents(register, program, counted)
    schedule = program.schedule_for(period)
    quarters = period.year_to_date()
    tiered = tiered_in_year(program, period)
    in_force: dict[Period, frozenset[CountryCode]] = {}
    pricings: dict[tuple[dt.date, int], QuarterPricing] = {}  # shared by the groups
    currency = program.currency
    digits = minor_unit(currency)
    summary: list[LicenseeRoyalty] = []
    country_units: dict[CountryCode, int] = defaultdict(int)
    for blocks in groups:
        by_quarter = lines_by_quarter(blocks, _BLOCK_KEY, index, quarters)
        year = Year({}, {}, tiered)
        last: Rows | None = None
        for quarter, quarter_blocks in by_quarter.items():
            if not quarter_blocks:
                continue
            if quarter not in in_force:
                in_force[quarter] = program_countries(register, program, quarter.last_day, patents)
            quarter_lines = join_blocks(quarter, quarter_blocks)
            quarter_blocks.clear()
            last = price_rows(
                quarter_lines, program.schedule_for(quarter), in_force[quarter],
                quarter.last_day, group_of, year, pricings,
            )  # fmt: skip
            if quarter == period:
                priced = _Priced(last, quarter_lines, schedule, currency, lines)
                _summarize_licensees(priced, index, group_of, summary, country_units)
    summary.sort(key=_LICENSEE_OF)
    return RoyaltyResult(
        program=program.id,
        period=period,
        currency=currency,
        schedule_from=schedule.effective_from,
        licensees=tuple(summary),
        total_due=sum((r.due for r in summary), round_money(0, currency)),
        by_country=None
        if lines
        else {c: Decimal(v).scaleb(-digits) for c, v in sorted(country_units.items())},
    )


@dataclass(frozen=True, slots=True)
class _Priced:
    """The period priced for one licensee group: its lists, the lines they were priced from,
    and whether the priced lines are kept."""

    rows: Rows
    lines: QuarterLines
    schedule: Schedule
    currency: str
    keep: bool


def _summarize_licensees(
    priced: _Priced,
    index: Mapping[LicenseeId, Licensee],
    groups: Mapping[LicenseeId, str],
    summary: list[LicenseeRoyalty],
    country_units: dict[CountryCode, int],
) -> None:
    """Each licensee's amounts of the quarter priced in ``priced`` (added to ``summary``), and
    its due split over its lines by largest remainder: kept as its lines when they are asked
    for, else added up by country (in minor units)."""
    last, currency = priced.rows, priced.currency
    digits = minor_unit(currency)
    lids, nums, tier_of = last.licensees, last.nums, last.tier_of
    shares: list[int] = []  # without the lines: each line's part of its licensee's due
    end = 0
    for lid, run in groupby(lids):  # the lines come licensee by licensee
        start, end = end, end + len(list(run))
        weights = _weights(last, nums[start:end], tier_of[start:end])
        common = weights.common
        licensee = index[lid]
        cut_rate = last.cut_rates[groups[lid]]
        gross, cap_reduction, discount, due = _amounts(
            licensee, weights.parts, last.scale * common, cut_rate, currency, priced.schedule
        )
        kept: tuple[RoyaltyLine, ...] = ()
        if priced.keep:
            split = _Split(
                licensee, start, weights.parts, last.scale * common, gross, due, cut_rate
            )
            kept = _royalty_lines(priced, split)
        elif due_units := int(due.scaleb(digits)):
            shares += split_units(due_units, weights.parts)
        else:
            shares += repeat(0, end - start)
        summary.append(
            LicenseeRoyalty(
                licensee=lid,
                group=licensee.group_key,
                units=sum(last.units[start:end]),
                gross=gross,
                cap_reduction=cap_reduction,
                discount=discount,
                due=due,
                lines=kept,
                line_count=None if priced.keep else end - start,
            )
        )
    if not priced.keep:
        add_by_runs(last.countries, shares, country_units)


@dataclass(frozen=True, slots=True)
class _Weights:
    """One licensee's lines' grosses as integers over ``scale x common``."""

    parts: list[int]
    common: int


def _weights(
    last: Rows, nums: list[int | Fraction], tier_of: list[tuple[str, str] | None]
) -> _Weights:
    """The grosses of one licensee's lines (``nums`` and ``tier_of``, from ``last``) as
    integers over one common denominator, ``last.scale x common``: a tiered line's gross is
    over its tier key's units, a line converted from another currency's is a fraction."""
    units_of = {key: last.tiers[key].units or 1 for key in set(tier_of) if key is not None}
    common = math.lcm(1, *units_of.values())
    if Fraction not in set(map(type, nums)):  # every gross a whole number: one pass, in C
        factor: dict[tuple[str, str] | None, int] = {k: common // u for k, u in units_of.items()}
        factor[None] = common
        return _Weights(list(map(mul, nums, map(factor.__getitem__, tier_of))), common)
    for num in nums:  # lines converted from another currency: fractions
        if type(num) is Fraction:
            common = math.lcm(common, num.denominator)
    weights = [
        int(num * common) if tier is None
        else int(num) * (common // (last.tiers[tier].units or 1))
        for num, tier in zip(nums, tier_of, strict=True)
    ]  # fmt: skip
    return _Weights(weights, common)


@dataclass(frozen=True, slots=True)
class _Split:
    """One licensee's lines (from ``start`` in the priced lists), their grosses as integers
    over ``denominator``, and the licensee's rounded gross and due to split among them."""

    licensee: Licensee
    start: int
    weights: list[int]
    denominator: int
    gross: Decimal
    due: Decimal
    cut_rate: Fraction


def _royalty_lines(priced: _Priced, split: _Split) -> tuple[RoyaltyLine, ...]:
    """The records of one licensee's priced lines: how each was priced, its exact gross, and
    its parts of the licensee's gross and due (largest remainder)."""
    last, pricing, schedule = priced.rows, priced.rows.pricing, priced.schedule
    keyed = dict(enumerate(split.weights))
    gross_parts = largest_remainder(split.gross, keyed, priced.currency)
    due_parts = largest_remainder(split.due, keyed, priced.currency)
    exact: dict[int, Fraction] = {}
    regions: dict[CountryCode, tuple[str | None, Decimal]] = {}
    out = []
    for n, weight in enumerate(split.weights):
        i = split.start + n
        _, category, sale, _made, units, _net, index = last.order[i]
        line = SalesLine(*priced.lines.row(index))
        found = regions.get(sale)
        if found is None:
            region = pricing.regions.get(sale)
            found = (None, ONE) if region is None else (region.id, region.multiplier)
            regions[sale] = found
        region_id, multiplier = found
        country = last.countries[i]
        rate: RateApplied | None = None
        if country is None:
            reason: str | None = no_patent_reason(line, pricing.day)
        else:
            rate = pricing.applied(
                category, units, line.net_sales, last.tier_of[i], last.tiers, line.fx
            )
            reason = _zero_reason(rate.kind, last.nums[i], units, multiplier, region_id)
        value = exact.get(weight)
        if value is None:
            value = exact[weight] = Fraction(weight, split.denominator)
        due = due_parts[n]
        if reason is None:
            reason = _due_reason(due, split.licensee, schedule, split.cut_rate)
        # line, rate, region, multiplier, royalty country, exact gross, gross, due, reason
        out.append(
            RoyaltyLine(
                line, rate, region_id, multiplier, country, value, gross_parts[n], due, reason
            )
        )
    return tuple(out)
