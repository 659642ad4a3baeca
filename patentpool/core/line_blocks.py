"""Sales lines as columns: a block holds lines of one licensee and one period (storage reads
one report's lines as a block), and the lines of one quarter of a licensee group are its
blocks joined (:class:`QuarterLines`), which :func:`~patentpool.core.quarter_pricing.price_rows`
prices.

A quarter can hold a million lines. Kept as columns from the database to the pricing, they are
never made into a tuple per line only to be taken apart again: a column is joined to the next
block's with one ``extend``, and a line is made into a row (:data:`SalesRow`) only when it is
printed or refused. The lines read from storage say where they came from by their numbers in
their file (:class:`NumberedSources`): a line's ``FILE:LINE`` is written only when it is asked
for.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate, compress, groupby, repeat
from operator import itemgetter, ne, sub
from typing import overload

from patentpool.core.fx import Conversion
from patentpool.core.licensing import Category, LicenseeId
from patentpool.core.line_pricing import SalesRow, row_fx
from patentpool.core.model import CountryCode
from patentpool.core.periods import Period


class NumberedSources(Sequence[str]):
    """The sources of lines of one file, ``FILE:LINE`` each, kept as the file's ``prefix``
    (``"FILE:"``) and the lines' numbers: each text is made when it is asked for."""

    __slots__ = ("lines", "prefix")

    def __init__(self, prefix: str, lines: Sequence[int]) -> None:
        self.prefix = prefix
        self.lines = lines

    def __len__(self) -> int:
        return len(self.lines)

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return list(map(self.prefix.__add__, map(str, self.lines[i])))
        return f"{self.prefix}{self.lines[i]}"

    def __iter__(self) -> Iterator[str]:
        return map(self.prefix.__add__, map(str, self.lines))


class JoinedSources(Sequence[str | None]):
    """The sources of a quarter's lines: its blocks' own, one after the other, looked up by a
    line's place (each block's are kept as they are, not copied line by line)."""

    __slots__ = ("_length", "_parts", "_starts")

    def __init__(self) -> None:
        self._parts: list[Sequence[str | None]] = []
        self._starts: list[int] = []
        self._length = 0

    def extend(self, sources: Sequence[str | None]) -> None:
        """Add the sources of the next block's lines."""
        if len(sources):
            self._parts.append(sources)
            self._starts.append(self._length)
            self._length += len(sources)

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, i: int) -> str | None: ...

    @overload
    def __getitem__(self, i: slice) -> list[str | None]: ...

    def __getitem__(self, i: int | slice) -> str | list[str | None] | None:
        if isinstance(i, slice):
            return [self[n] for n in range(*i.indices(self._length))]
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError(i)
        part = bisect_right(self._starts, i) - 1
        return self._parts[part][i - self._starts[part]]


@dataclass(frozen=True, slots=True)
class LineBlock:
    """Lines of one licensee for one period, one sequence per field (in the order of
    :class:`~patentpool.core.line_pricing.SalesLine`'s fields); ``fx`` is None when no line was
    converted from another currency."""

    licensee: LicenseeId
    period: Period
    sales: Sequence[CountryCode]
    mades: Sequence[CountryCode]
    categories: Sequence[Category]
    units: Sequence[int]
    nets: Sequence[Decimal | None]
    sources: Sequence[str | None]
    fx: Sequence[Conversion | None] | None = None

    def __len__(self) -> int:
        return len(self.units)

    def rows(self) -> Iterator[SalesRow]:
        """The block's lines as rows, in order."""
        return zip(
            repeat(self.licensee), repeat(self.period), self.sales, self.mades, self.categories,
            self.units, self.nets, self.sources, repeat(None) if self.fx is None else self.fx,
        )  # fmt: skip


def blocks_of(rows: Iterable[SalesRow]) -> list[LineBlock]:
    """``rows`` as blocks, one for each run of rows of one licensee and one period."""
    blocks = []
    for (licensee, period), run in groupby(rows, _LICENSEE_PERIOD):
        lines = list(run)
        # rows hold 8 fields, or 9 with a conversion: the first 8 are every row's
        _, _, sales, mades, categories, units, nets, sources = list(zip(*lines, strict=False))[:8]
        conversions = list(map(row_fx, lines))
        fx = None if conversions.count(None) == len(conversions) else conversions
        blocks.append(
            LineBlock(licensee, period, sales, mades, categories, units, nets, sources, fx)
        )
    return blocks


_LICENSEE_PERIOD = itemgetter(0, 1)


@dataclass(slots=True)
class QuarterLines:
    """The lines of one quarter (``period``) of one licensee group: its blocks' columns joined,
    and each line's licensee."""

    period: Period
    licensees: list[LicenseeId]
    sales: list[CountryCode]
    mades: list[CountryCode]
    categories: list[Category]
    units: list[int]
    nets: list[Decimal | None]
    sources: JoinedSources
    fx: list[Conversion | None] | None  # None: no line converted

    def __len__(self) -> int:
        return len(self.units)

    def row(self, i: int) -> SalesRow:
        """Line ``i`` as a row (for its record, or the error that refuses it)."""
        return (
            self.licensees[i], self.period, self.sales[i], self.mades[i], self.categories[i],
            self.units[i], self.nets[i], self.sources[i],
            None if self.fx is None else self.fx[i],
        )  # fmt: skip


def join_blocks(period: Period, blocks: Sequence[LineBlock]) -> QuarterLines:
    """The lines of ``blocks`` (all of ``period``) as one set of columns, in their order."""
    converted = any(block.fx is not None for block in blocks)
    joined = QuarterLines(
        period, [], [], [], [], [], [], JoinedSources(), [] if converted else None
    )
    for block in blocks:
        joined.licensees.extend([block.licensee] * len(block))
        joined.sales.extend(block.sales)
        joined.mades.extend(block.mades)
        joined.categories.extend(block.categories)
        joined.units.extend(block.units)
        joined.nets.extend(block.nets)
        joined.sources.extend(block.sources)
        if joined.fx is not None:
            joined.fx.extend([None] * len(block) if block.fx is None else block.fx)
    return joined


def add_by_runs(
    where: list[CountryCode | None], shares: list[int], country_units: dict[CountryCode, int]
) -> None:
    """Add each line's ``shares`` (minor units) to the total of the country ``where`` it was
    earned. The lines come by licensee, category and countries: each run of lines of one
    country is added up from running totals, in C, and only the runs' totals in Python."""
    if not where:
        return
    running = list(accumulate(shares, initial=0))
    starts = [0, *compress(range(1, len(where)), map(ne, where[1:], where[:-1]))]
    ends = [*starts[1:], len(where)]
    totals = map(sub, map(running.__getitem__, ends), map(running.__getitem__, starts))
    for country, added in zip(map(where.__getitem__, starts), totals, strict=True):
        if country is not None and added:
            country_units[country] += added
