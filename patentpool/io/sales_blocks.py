"""The one form in which checked sales lines leave io: blocks of columns.

Every sales reader - the column reader of plain CSV files (:mod:`patentpool.io.sales_columns`),
the line reader of every other CSV file and the workbook reader (both in
:mod:`patentpool.io.sales_stream`) - yields :class:`Block` values; the checksum of a report
(:func:`texts`, :func:`block_sums`) and the database's stage are computed from blocks only, so
a line gives the same digest and is stored the same way whichever reader read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from patentpool.core.periods import Period

ReportKey = tuple[str, str, Period]  # (programme, licensee, period)
#: (country of sale, country of manufacture, category, currency: "" for the programme's)
Place = tuple[str, str, str, str]


@dataclass(frozen=True, slots=True)
class Block:
    """One block of good lines, every value as the line checks give it."""

    keys: list[ReportKey]  # the block's distinct reports
    key: pa.Array  # per line: its report's index in ``keys``
    line: pa.Array  # per line: its line in the file (its row in a sheet)
    units: pa.Array  # int64
    net: pa.Array  # text as stored (``format(Decimal, "f")``), or null
    places: list[Place]  # the block's distinct (sale, made, category, currency)
    place: pa.Array  # per line: its (sale, made, category, currency)'s index in ``places``

    def __len__(self) -> int:
        return len(self.line)

    def _per_line(self, part: int) -> pa.Array:
        return pc.take(pa.array([p[part] for p in self.places], pa.string()), self.place)

    @property
    def sale(self) -> pa.Array:
        """Per line: the country of sale."""
        return self._per_line(0)

    @property
    def made(self) -> pa.Array:
        """Per line: the country of manufacture."""
        return self._per_line(1)

    @property
    def category(self) -> pa.Array:
        """Per line: the category."""
        return self._per_line(2)

    @property
    def currency(self) -> pa.Array:
        """Per line: the currency of its net sales, null for the programme's."""
        codes = [p[3] or None for p in self.places]
        return pc.take(pa.array(codes, pa.string()), self.place)

    def currencies(self) -> dict[int, set[str]]:
        """The other currencies each report of the block (by its index in ``keys``) uses."""
        others = [i for i, p in enumerate(self.places) if p[3]]
        if not others:
            return {}
        width = len(self.places)
        codes = pc.add(
            pc.multiply(pc.cast(self.key, pa.int64()), width), pc.cast(self.place, pa.int64())
        )
        out: dict[int, set[str]] = {}
        for code in pc.unique(codes).to_pylist():
            key, place = divmod(code, width)
            if self.places[place][3]:
                out.setdefault(key, set()).add(self.places[place][3])
        return out


#: Lines a reader of single lines gathers into one block.
LINES_PER_BLOCK = 20_000


@dataclass(slots=True)
class BlockBuilder:
    """Good lines gathered one at a time (by the line and workbook readers) into a block."""

    keys: dict[ReportKey, int] = field(default_factory=dict)
    places: dict[Place, int] = field(default_factory=dict)
    key: list[int] = field(default_factory=list)
    place: list[int] = field(default_factory=list)
    line: list[int] = field(default_factory=list)
    units: list[int] = field(default_factory=list)
    net: list[str | None] = field(default_factory=list)

    def add(
        self, report: ReportKey, line: int, place: Place, units: int, net: Decimal | None
    ) -> None:
        keys, places = self.keys, self.places
        k = keys.get(report)
        if k is None:
            k = keys[report] = len(keys)
        p = places.get(place)
        if p is None:
            p = places[place] = len(places)
        self.key.append(k)
        self.place.append(p)
        self.line.append(line)
        self.units.append(units)
        self.net.append(None if net is None else format(net, "f"))

    def __len__(self) -> int:
        return len(self.line)

    def take(self) -> Block:
        """The lines gathered, as a block; the builder starts again empty."""
        block = Block(
            keys=list(self.keys),
            key=pa.array(self.key, pa.int32()),
            line=pa.array(self.line, pa.int64()),
            units=pa.array(self.units, pa.int64()),
            net=pa.array(self.net, pa.string()),
            places=list(self.places),
            place=pa.array(self.place, pa.int32()),
        )
        self.keys, self.places = {}, {}
        self.key, self.place, self.line, self.units, self.net = [], [], [], [], []
        return block


@dataclass(slots=True)
class ReportSums:
    checksum: int
    lines: int
    units: int
    line: int


@dataclass(frozen=True, slots=True)
class Texts:
    """A block's canonical line texts, as Arrow lays them out, ready to be hashed."""

    offsets: bytes  # native 32-bit ints: text i is data[offsets[i]:offsets[i + 1]]
    data: bytes


def texts(block: Block) -> Texts:
    """Each line's canonical text, ``sale|made|category|units|net``, or
    ``sale|made|category|currency|units|net`` for net sales in a currency given: the text whose
    SHA-256 digest the report's checksum adds up (the one definition of a line's digest)."""
    places = pa.array(["|".join(p if p[3] else p[:3]) for p in block.places], pa.string())
    canonical = pc.binary_join_element_wise(
        pc.take(places, block.place),
        pc.cast(block.units, pa.string()),
        pc.fill_null(block.net, ""),
        "|",
    ).cast(pa.binary())
    _, offsets, data = canonical.buffers()
    start = canonical.offset
    bounds = np.frombuffer(offsets, dtype=np.int32)[start : start + len(canonical) + 1]
    return Texts(bounds.tobytes(), b"" if data is None else data.to_pybytes())


_SHIFTS = [32 * (7 - i) for i in range(8)]


def block_sums(block: Block, digests: bytes) -> dict[ReportKey, ReportSums]:
    """Per report of the block: the sum of its lines' digests, its lines, units, first line.

    ``digests`` holds each line's SHA-256 digest (see :func:`texts`), read as a big-endian
    number. The digests are summed as eight 32-bit limbs in 64-bit integers, which cannot
    overflow in a block, and the limbs are then added up into the exact sum.
    """
    key = block.key.to_numpy(zero_copy_only=False)
    order = np.argsort(key, kind="stable")
    sorted_keys = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    limbs = np.frombuffer(digests, dtype=">u4").reshape(-1, 8)[order].astype(np.uint64)
    limb_sums = np.add.reduceat(limbs, starts, axis=0).tolist()
    counts = np.diff(np.r_[starts, len(key)]).tolist()
    units = block.units.to_numpy()[order]
    if len(units) and int(units.max()) * len(units) < 1 << 63:
        unit_sums = np.add.reduceat(units, starts).tolist()
    else:  # sums that could pass 64 bits: add them as Python integers
        bounds = [*starts.tolist(), len(units)]
        unit_sums = [sum(units[a:b].tolist()) for a, b in pairwise(bounds)]
    lines = block.line.to_numpy()[order]
    firsts = np.minimum.reduceat(lines, starts).tolist()
    out: dict[ReportKey, ReportSums] = {}
    for code, limb_sum, count, unit_sum, first in zip(
        sorted_keys[starts].tolist(), limb_sums, counts, unit_sums, firsts, strict=True
    ):
        digest_sum = sum(limb << shift for limb, shift in zip(limb_sum, _SHIFTS, strict=True))
        report = block.keys[code]
        sums = out.get(report)
        if sums is None:
            out[report] = ReportSums(digest_sum, count, unit_sum, first)
        else:  # two spellings of one report (say 2026Q1 and 2026q1) in one block
            sums.checksum += digest_sum
            sums.lines += count
            sums.units += unit_sum
            sums.line = min(sums.line, first)
    return out
