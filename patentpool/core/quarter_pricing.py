"""One quarter priced for :mod:`patentpool.core.royalties`: what carries over the calendar year
(each licensee group's cumulative units per category, which the tiers climb, and its gross,
which the annual cap bounds), each group's tiered royalty for the quarter, and its cap cut.

One path prices a quarter, in integers and plain lists (:func:`price_rows`); the records of
priced lines that invoices and ``--lines`` print are made from those lists, only when they are
asked for (:mod:`patentpool.core.royalties`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import compress, groupby, repeat
from operator import eq, is_, is_not, itemgetter, mul
from typing import Any, TypeVar, cast

from patentpool.core.licensing import (
    Category,
    Licensee,
    LicenseeId,
    PercentRate,
    Program,
    Schedule,
    TieredRate,
)
from patentpool.core.line_blocks import QuarterLines
from patentpool.core.line_pricing import (
    QuarterPricing,
    SalesLine,
    TierKey,
    _Percent,
    converted,
    net_digits,
    scaled,
)
from patentpool.core.model import CountryCode
from patentpool.core.periods import Period
from patentpool.errors import NotFound


@dataclass(slots=True)
class Year:
    """What carries over from quarter to quarter for each licensee group.

    Every royalty-bearing unit of the year climbs the tiers, whatever rate priced it: the units
    of a category priced per unit or by percent in one quarter are counted when a schedule of
    another quarter of the year prices the category by tiers (``tiered``).
    """

    units: dict[tuple[str, Category], int]  # cumulative royalty-bearing units (for tiers)
    gross: dict[str, Fraction]  # cumulative gross (for the annual cap)
    #: the categories some quarter of the year prices by tiers
    tiered: frozenset[Category] = frozenset()

    def counted(self, schedule: Schedule) -> frozenset[Category]:
        """The categories ``schedule`` does not price by tiers whose units climb the tiers of
        another quarter: they are counted apart, by :meth:`climb`."""
        categories = schedule.categories
        return frozenset(c for c in self.tiered if not isinstance(categories.get(c), TieredRate))

    def climb(self, group: str, category: Category, units: int) -> None:
        """Count ``units`` royalty-bearing units of ``category`` not priced by tiers."""
        key = (group, category)
        self.units[key] = self.units.get(key, 0) + units


def tiered_in_year(program: Program, period: Period) -> frozenset[Category]:
    """The categories that some quarter of ``period``'s year, up to ``period``, prices by tiers
    (:attr:`Year.tiered`)."""
    tiered: set[Category] = set()
    for quarter in period.year_to_date():
        day = quarter.last_day
        if program.schedules[0].effective_from <= day:
            schedule = program.schedule_on(day)
            tiered.update(c for c, r in schedule.categories.items() if isinstance(r, TieredRate))
    return frozenset(tiered)


def tier_keys(
    tier_units: dict[tuple[str, Category], int],
    schedule: Schedule,
    pricing: QuarterPricing,
    year: Year,
) -> dict[tuple[str, Category], TierKey]:
    """Each group's tiered categories of the quarter, on top of its units earlier in the year."""
    tiers: dict[tuple[str, Category], TierKey] = {}
    for key in sorted(tier_units):
        rate = schedule.categories[key[1]]
        assert isinstance(rate, TieredRate)
        units = tier_units[key]
        before = year.units.get(key, 0)
        slices = rate.slices(before, units)
        total = sum(s.units * scaled(s.per_unit, pricing.base_digits) for s in slices)
        year.units[key] = before + units
        tiers[key] = TierKey(units, slices, total)
    return tiers


def cut_rates(
    plain: dict[str, int | Fraction],
    tiered: dict[tuple[str, Category], int],
    present: set[str],
    tiers: dict[tuple[str, Category], TierKey],
    pricing: QuarterPricing,
    schedule: Schedule,
    year: Year,
) -> dict[str, Fraction]:
    """Each group's annual-cap cut as a fraction of its gross (the same for all its licensees
    and lines); ``plain`` and ``tiered`` are the groups' scaled grosses. Updates ``year``."""
    # each group's gross over ``scale x`` the product of its tier keys' units: one fraction
    # made (and reduced) per group, not one per tier key
    over: dict[str, tuple[int | Fraction, int]] = {g: (n, 1) for g, n in plain.items()}
    for group in present:
        over.setdefault(group, (0, 1))
    for key, n in tiered.items():
        num, den = over[key[0]]
        units = tiers[key].units or 1
        over[key[0]] = (num * units + n * den, den * units)
    zero = Fraction(0)
    cap = pricing.annual_cap
    rates: dict[str, Fraction] = {}
    for group, (num, den) in over.items():
        gross = Fraction(num, pricing.scale * den)
        earlier = year.gross.get(group, zero)
        year.gross[group] = earlier + gross
        cut = zero if cap is None else max(zero, gross - max(zero, cap - earlier))
        rates[group] = cut / gross if cut else zero
    return rates


#: A line as :func:`price_rows` sorts it: licensee, category, country of sale, of manufacture,
#: units, net sales (-1 when there are none) and its index in the lines given; lines alike in
#: all but their index are ordered by source ("" when there is none), then index
#: (:func:`_by_source`).
Order = tuple[LicenseeId, Category, CountryCode, CountryCode, int, Decimal, int]


@dataclass(slots=True)
class Rows:
    """One quarter priced, in plain lists: the lines in their sorted ``order``, and per line
    its scaled gross (``nums[i] / scale``, or over ``scale x`` its tier key's units), tier key
    and the country where its royalty is earned."""

    pricing: QuarterPricing
    order: list[Order]
    licensees: list[LicenseeId]
    units: list[int]
    nums: list[int | Fraction]  # fractions only for lines converted from another currency
    tier_of: list[tuple[str, Category] | None]
    countries: list[CountryCode | None]
    tiers: dict[tuple[str, Category], TierKey]
    cut_rates: dict[str, Fraction]
    scale: int


def price_rows(
    lines: QuarterLines,
    schedule: Schedule,
    countries: frozenset[CountryCode],
    day: dt.date,
    groups: dict[LicenseeId, str],
    year: Year,
    shared: dict[tuple[dt.date, int], QuarterPricing] | None = None,
) -> Rows:
    """Price one quarter's ``lines``; update ``year``. ``shared``: the quarters' pricings
    (by last day and digits of net sales) that the groups of one computation share, with
    what each combination of category and countries costs.

    Lines are sorted by licensee, category, countries, units, net sales and source (then as
    given): the order in which a licensee's amounts are split among its lines. What a line's
    price depends on - its category, country of sale and of manufacture - is worked out once
    per combination. A line the schedule cannot price raises
    (:meth:`QuarterPricing.refuse`).
    """
    # the sort keys are zipped from the lines' columns: no Python step per line
    net_of: Sequence[Decimal | None] = lines.nets
    pricing = _pricing(schedule, countries, day, net_digits(net_of), shared)
    # identity, not equality: comparing None with every Decimal is the slow way to look
    missing_net = any(map(is_, net_of, repeat(None)))
    minus_one = Decimal(-1)
    if missing_net:
        net_of = [minus_one if net is None else net for net in net_of]
    order: list[Order] = sorted(
        zip(lines.licensees, lines.categories, lines.sales, lines.mades, lines.units, net_of,
            range(len(lines)), strict=True)
    )  # fmt: skip
    # the sorted lines as columns again; what each combination of category and countries
    # costs (pricing.known) is worked out once, then looked up for every line in C
    columns = zip(*order, strict=True) if order else [()] * 7
    licensee_o, category_o, sale_o, made_o, units_o, nets_o, index_o = columns
    if _by_source(order, units_o, lines.sources):  # lines alike but for their source
        licensee_o, category_o, sale_o, made_o, units_o, nets_o, index_o = zip(*order, strict=True)
    combos = list(zip(category_o, sale_o, made_o, strict=True))
    known, categories = pricing.known, schedule.categories
    present = set(combos)
    for combo in present.difference(known):
        if combo[0] in categories:  # else the line is refused below
            known[combo] = _how(pricing, *combo)
    hows = list(map(known.get, combos))
    _refuse_unpriced(
        pricing, lines, hows, index_o, map(known.get, present),
        nets_o if missing_net else None, minus_one,
    )  # fmt: skip
    # kind 0 (no patent in force) has factor 0, 1 (per unit) and 3 (tiers) units x factor
    nums: list[int | Fraction] = list(map(mul, units_o, map(_FACTOR, hows)))  # type: ignore[arg-type]
    priced = _Priced(nums, [None] * len(order), defaultdict(int), [])
    kinds: list[int] = list(map(_KIND, hows))  # type: ignore[arg-type]
    end = 0
    # a licensee's lines of one category come together; the category says the kind of all
    # those with a patent in force (the others are of kind 0)
    for (licensee, category), run in groupby(zip(licensee_o, category_o, strict=True)):
        start, end = end, end + len(list(run))
        if category in pricing.percent:
            priced.percent_run(pricing.percent[category], start, end, kinds, hows, index_o, lines)
        elif category not in pricing.per_unit:  # tiers: the group's units of the quarter
            priced.tier_run((groups[licensee], category), start, end, kinds, units_o)
    licensees: list[LicenseeId] = list(licensee_o)
    units_of: list[int] = list(units_o)
    where: list[CountryCode | None] = list(map(_COUNTRY, hows))  # type: ignore[arg-type]
    counted = year.counted(schedule)
    if counted:  # a second pass, only when a category changes how it is priced in the year
        for (licensee, category, *_), rc, units in zip(order, where, units_of, strict=True):
            if rc is not None and category in counted:
                year.climb(groups[licensee], category, units)
    rows = Rows(
        pricing, order, licensees, units_of, nums, priced.tier_of, where, {}, {}, pricing.scale
    )
    return _tiered(rows, priced, schedule, pricing, groups, year)


def _by_source(order: list[Order], units: Sequence[int], sources: Sequence[str | None]) -> bool:
    """Order each run of sorted lines alike in all but their index (``order`` sorts them by
    it) by source, then index, in place: the order of sorting by (..., source, index), with
    the source of only these few lines written (a line of storage makes its source when it is
    asked for). Lines alike have the same units: only neighbours of equal units are compared
    in Python. True when some were reordered."""
    alike = [i for i in compress(range(1, len(units)), map(eq, units[1:], units[:-1]))
             if order[i][:6] == order[i - 1][:6]]  # fmt: skip
    moved = False
    start = None
    for n, i in enumerate(alike):
        start = i - 1 if start is None else start
        if n + 1 < len(alike) and alike[n + 1] == i + 1:
            continue  # the run goes on
        run = order[start : i + 1]
        keyed = sorted(run, key=lambda o: (sources[o[6]] or "", o[6]))
        if keyed != run:
            order[start : i + 1] = keyed
            moved = True
        start = None
    return moved


_KIND = itemgetter(0)
_FACTOR = itemgetter(1)
_COUNTRY = itemgetter(2)


@dataclass(slots=True)
class _Priced:
    """What :func:`price_rows` makes before the tiers are known: each line's scaled gross
    (units x factor for a tiered line), tier key, each tier key's units, and the tiered lines
    (spans of positions, start and stop, each of one tier key, in order, with that key)."""

    nums: list[int | Fraction]
    tier_of: list[tuple[str, Category] | None]
    tier_units: dict[tuple[str, Category], int]
    tiered: list[tuple[int, int, tuple[str, Category]]]

    def percent_run(
        self,
        p: _Percent,
        start: int,
        end: int,
        kinds: list[int],
        hows: list[tuple[int, int, CountryCode | None, bool] | None],
        index_o: Sequence[int],
        lines: QuarterLines,
    ) -> None:
        """The lines from ``start`` to ``end``, of one licensee and a category of percent
        rate ``p``: where a patent is in force (kind 2), a percent of the (clamped) net
        sales times the region's multiplier, all at once (``map``, in C); a converted line's
        net sales are a fraction."""
        at = list(compress(range(start, end), map(eq, kinds[start:end], repeat(2))))
        given = list(map(index_o.__getitem__, at))  # the lines' places in ``lines``
        units: list[int] = list(map(lines.units.__getitem__, given))
        # every line here has its net sales: a line without them was refused before
        nets = cast("list[Decimal]", list(map(lines.nets.__getitem__, given)))
        fx = lines.fx
        totals: Iterable[int | Fraction]
        if fx is not None and any(map(is_not, map(fx.__getitem__, given), repeat(None))):
            totals = map(converted, nets, repeat(p.sub), map(fx.__getitem__, given))
        else:
            totals = map(int, map(Decimal.scaleb, nets, repeat(p.sub)))
        priced = cast("list[tuple[int, int, CountryCode | None, bool]]", hows)
        multipliers = map(_FACTOR, map(priced.__getitem__, at))
        # a line of no units owes nothing, whatever its net sales
        owed = map(mul, map(mul, map(mul, p.clamp(totals, units), repeat(p.percent)),
                            multipliers), map(bool, units))  # fmt: skip
        deque(map(self.nums.__setitem__, at, owed), maxlen=0)  # set in C, nothing kept

    def tier_run(
        self,
        key: tuple[str, Category],
        start: int,
        end: int,
        kinds: list[int],
        units: Sequence[int],
    ) -> None:
        """The lines from ``start`` to ``end``, of one licensee and tiered category, in the
        tier key ``key`` where a patent is in force (kind 3)."""
        count = kinds[start:end].count(3)
        if count == end - start:  # every line: all at once
            self.tier_of[start:end] = [key] * count
            self.tier_units[key] += sum(units[start:end])
        elif count:
            at = list(compress(range(start, end), map(eq, kinds[start:end], repeat(3))))
            deque(map(self.tier_of.__setitem__, at, repeat(key)), maxlen=0)
            self.tier_units[key] += sum(map(units.__getitem__, at))
        else:
            return
        # the whole run is one span: its lines without a patent in force have a gross of 0
        self.tiered.append((start, end, key))


def _refuse_unpriced(
    pricing: QuarterPricing,
    lines: QuarterLines,
    hows: list[tuple[int, int, CountryCode | None, bool] | None],
    index_o: Sequence[int],
    distinct: Iterable[tuple[int, int, CountryCode | None, bool] | None],
    nets_o: Sequence[Decimal] | None,
    no_net: Decimal,
) -> None:
    """Raise for the first line, in the sorted order, that the schedule cannot price (a
    category it does not price, or a percent rate's line without its net sales):
    :meth:`QuarterPricing.refuse`. ``hows``: each sorted line's (kind, factor, royalty
    country, needs net sales), None for a category the schedule does not price;
    ``distinct``: the different ones among them; ``nets_o``: each sorted line's net sales,
    ``no_net`` (that very object) where it has none - None when every line has them."""
    kinds = list(distinct)
    if None not in kinds:  # every category priced: look at the lines that need net sales
        priced = cast("list[tuple[Any, ...]]", hows)
        if nets_o is None or not any(map(_NEEDS_NET, cast("list[tuple[Any, ...]]", kinds))):
            return
        needing = compress(nets_o, map(_NEEDS_NET, priced))
        if not any(map(is_, needing, repeat(no_net))):
            return
    for how, n in zip(hows, index_o, strict=True):
        if how is None or (how[3] and lines.nets[n] is None):
            pricing.refuse(SalesLine(*lines.row(n)))


_NEEDS_NET = itemgetter(3)


def _pricing(
    schedule: Schedule,
    countries: frozenset[CountryCode],
    day: dt.date,
    digits: int,
    shared: dict[tuple[dt.date, int], QuarterPricing] | None,
) -> QuarterPricing:
    """The quarter's pricing for net sales of ``digits`` decimal places, from ``shared``."""
    pricing = None if shared is None else shared.get((day, digits))
    if pricing is None:
        pricing = QuarterPricing(schedule, countries, day, digits)
        if shared is not None:
            shared[(day, digits)] = pricing
    return pricing


def _how(
    pricing: QuarterPricing, category: str, sale: CountryCode, made: CountryCode
) -> tuple[int, int, CountryCode | None, bool]:
    """How :func:`price_rows` prices a line of ``category`` sold in ``sale``, made in
    ``made``: (kind, factor, royalty country, needs net sales); kind is 0 when no patent is in
    force, 1 per unit, 2 percent, 3 tiers."""
    region = pricing.regions.get(sale)
    mult = pricing.one if region is None else pricing.multipliers[region.id]
    in_force = pricing.countries
    rc = sale if sale in in_force else made if made in in_force else None
    if rc is None:
        return (0, 0, None, isinstance(pricing.schedule.categories.get(category), PercentRate))
    if category in pricing.per_unit:
        return (1, pricing.per_unit[category] * mult, rc, False)
    if category in pricing.percent:
        return (2, mult, rc, True)
    return (3, mult, rc, False)


def _tiered(
    rows: Rows,
    priced: _Priced,
    schedule: Schedule,
    pricing: QuarterPricing,
    groups: dict[LicenseeId, str],
    year: Year,
) -> Rows:
    """``rows`` with the tiers' totals applied to their lines and the quarter's rates cut."""
    tiers = tier_keys(priced.tier_units, schedule, pricing, year)
    plain: dict[str, int | Fraction] = defaultdict(int)
    tiered: dict[tuple[str, Category], int] = defaultdict(int)
    nums, tier_of = rows.nums, rows.tier_of
    end = 0
    for licensee, run in groupby(rows.licensees):  # the lines not tiered, licensee by licensee
        start, end = end, end + len(list(run))
        untiered = tier_of[start:end].count(None)
        if untiered == end - start:
            plain[groups[licensee]] += sum(nums[start:end])
        elif untiered:
            untiered_nums = compress(nums[start:end], map(is_, tier_of[start:end], repeat(None)))
            plain[groups[licensee]] += sum(untiered_nums)
    for start, stop, tier in priced.tiered:  # each span of lines of one tier key
        # units x multiplier, times the key's total: tiered lines are never converted
        span = list(map(mul, map(int, nums[start:stop]), repeat(tiers[tier].total)))
        nums[start:stop] = span
        tiered[tier] += sum(span)
    present = {groups[lid] for lid in set(rows.licensees)}
    rows.tiers = tiers
    rows.cut_rates = cut_rates(plain, tiered, present, tiers, pricing, schedule, year)
    return rows


T = TypeVar("T")


def lines_by_quarter(
    lines: Iterable[T],
    key_of: Callable[[T], tuple[LicenseeId, Period]],
    index: Mapping[LicenseeId, Licensee],
    quarters: Iterable[Period],
) -> dict[Period, list[T]]:
    """The lines of each of ``quarters`` (others are left out); an unknown licensee raises.
    ``key_of``: a line's licensee and period (an ``itemgetter``: no Python step per line)."""
    by_quarter: dict[Period, list[T]] = {q: [] for q in quarters}
    # lines come licensee by licensee, period by period: each run of them is taken whole
    # (runs compare their keys as tuples, which finds the shared period objects equal at once)
    for (licensee, period), run in groupby(lines, key_of):
        if licensee not in index:
            raise NotFound("licensee", licensee)
        bucket = by_quarter.get(period)
        if bucket is not None:
            bucket.extend(run)
    return by_quarter
