"""Sales reports at scale: checked in one streaming pass, written in a second.

A quarter's sales file can hold a million lines, so it is never loaded whole. The first pass
checks every line (collecting every problem) and sums, per report (programme, licensee,
period), a checksum that does not depend on line order; the second pass, run only when the
whole import is clean, writes the lines of the reports that changed, in batches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from patentpool.core.periods import Period
from patentpool.errors import InvalidInput
from patentpool.io.licensing_schema import is_plain_units
from patentpool.io.problems import Problem, Source
from patentpool.io.readers import (
    FileUnreadable,
    stream_rows,
)
from patentpool.io.sales_lines import Columns, LineChecker, LineRecord, read_header, read_money
from patentpool.io.sales_lines import ReportKey as ReportKey
from patentpool.io.sales_lines import SalesRules as SalesRules

if TYPE_CHECKING:
    from patentpool.io import sales_columns

_MOD = 1 << 256


@dataclass
class ReportScan:
    """What the first pass learnt of one report."""

    checksum: int = 0
    lines: int = 0
    units: int = 0
    file: str = ""
    line: int = 0  # where the report's first line is

    def digest(self) -> str:
        return f"{self.checksum:064x}"

    def add(self, checksum: int, lines: int, units: int) -> None:
        """Count more lines of the report: their digests' sum, their number, their units."""
        self.checksum = (self.checksum + checksum) % _MOD
        self.lines += lines
        self.units += units


@dataclass
class SalesScan:
    file: str
    path: Path
    reports: dict[ReportKey, ReportScan] = field(default_factory=dict)
    lines: int = 0


class LineStage(Protocol):
    """Where a file read by columns leaves its checked lines during the first pass, so that
    the second pass need not read the file again (see
    :class:`patentpool.storage.sales_lines.SqliteLineStage`).

    ``begin`` starts a file, ``add`` holds a block of its lines, ``end`` closes the file, and
    ``discard`` drops what was held of it when the file turns out to need the line reader.
    """

    def begin(self, display: str) -> None: ...

    def add(self, block: sales_columns.Block) -> None: ...

    def end(self) -> None: ...

    def discard(self) -> None: ...


LineSink = Callable[[ReportKey, int, LineRecord], None]


#: Lines between two progress reports.
PROGRESS_EVERY = 10_000

Advance = Callable[[int], None]


def count_lines(path: Path) -> int:
    """Physical lines in a file, counted fast (for a progress bar's length)."""
    count = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def _lines(
    path: Path,
    display: str,
    rules: SalesRules,
    problems: list[Problem],
    sink: LineSink | None,
    advance: Advance | None = None,
) -> SalesScan:
    scan = SalesScan(display, path)
    check = LineChecker(rules)
    rows = stream_rows(path, display)
    first = next(rows, None)
    if first is None:
        problems.append(Problem(display, 1, "file", "is empty (a header line is required)"))
        return scan
    header = read_header(first[1], Source(display, first[0]), problems)
    if header is None:
        return scan
    cols = Columns.of(header)
    i_lic, i_per, i_sale, i_made = cols.licensee, cols.period, cols.sale, cols.made
    i_cat, i_units, i_net, i_prog = cols.category, cols.units, cols.net, cols.program
    width = header.width
    countries = check.countries
    licensees = rules.licensees
    # (programme, period, category) cells of lines found good -> (programme, period, needs net)
    good: dict[tuple[str, str, str], tuple[str, Period, bool]] = {}
    for line, cells in rows:
        scan.lines += 1
        if advance is not None and not scan.lines % PROGRESS_EVERY:
            advance(PROGRESS_EVERY)
        # Fast path: a line like the good ones before it (the same programme, period and
        # category, countries and licensee already seen) needs only its numbers parsed.
        # Anything else takes the full check below, which names every problem.
        if len(cells) == width:
            context = good.get(
                (cells[i_prog] if i_prog is not None else "", cells[i_per], cells[i_cat])
            )
            sale = countries.get(cells[i_sale])
            made = countries.get(cells[i_made])
            units_text = cells[i_units]
            if (
                context is not None
                and sale
                and made
                and cells[i_lic] in licensees
                and is_plain_units(units_text)
            ):
                try:
                    amount = read_money(cells[i_net]) if i_net is not None else None
                except ValueError:
                    amount, context = None, None
                if context is not None and (amount is not None or not context[2]):
                    _count(
                        scan, (context[0], cells[i_lic], context[1]),
                        (sale, made, cells[i_cat], int(units_text), amount), display, line, sink,
                    )  # fmt: skip
                    continue
        if len(cells) > width and any(cells[width:]):
            problems.append(Problem(display, line, "row", "has more cells than the header"))
            continue
        checked = check.line(cells + [""] * (width - len(cells)), cols)
        if isinstance(checked, list):
            problems.extend(Problem(display, line, f, m) for f, m in checked)
            continue
        key, record, percent = checked
        good[(cells[i_prog] if i_prog is not None else "", cells[i_per], record[2])] = (
            key[0], key[2], percent,
        )  # fmt: skip
        _count(scan, key, record, display, line, sink)
    if advance is not None:
        advance(scan.lines % PROGRESS_EVERY)
    if not scan.lines:
        problems.append(Problem(display, first[0], "file", "has a header but no rows"))
    return scan


def _count(
    scan: SalesScan,
    key: ReportKey,
    record: LineRecord,
    display: str,
    line: int,
    sink: LineSink | None,
) -> None:
    """Add a good line to its report's checksum and counts; or, in the second pass (the sums
    are known from the first), hand it to ``sink``."""
    if sink is not None:
        sink(key, line, record)
        return
    report = scan.reports.get(key)
    if report is None:
        report = scan.reports[key] = ReportScan(file=display, line=line)
    sale, made, category, units, net = record
    canonical = f"{sale}|{made}|{category}|{units}|{'' if net is None else format(net, 'f')}"
    report.add(int.from_bytes(hashlib.sha256(canonical.encode()).digest(), "big"), 1, units)


def column_plan(path: Path, display: str) -> sales_columns.Plan | None:
    """How to read ``path`` by columns, or None when only line by line will do."""
    from patentpool.io import sales_columns  # Arrow is loaded only for a sales import

    return sales_columns.plan(path, display, read_header)


def column_blocks(plan: sales_columns.Plan, rules: SalesRules) -> Iterator[sales_columns.Block]:
    """The good lines of a plain file, a block at a time (NotPlain if it is not plain)."""
    from patentpool.io import sales_columns

    return sales_columns.blocks(plan, LineChecker(rules))


#: A plain file at least this large shares the hashing of its lines with a helper process.
HELPER_BYTES = 16 << 20


def _scan_columns(
    plan: sales_columns.Plan,
    rules: SalesRules,
    advance: Advance | None,
    stage: LineStage | None = None,
) -> SalesScan:
    from patentpool.io import digests, sales_columns

    scan = SalesScan(plan.display, plan.path)
    helper = digests.cores() > 1 and plan.path.stat().st_size >= HELPER_BYTES

    def to_hash() -> Iterator[tuple[sales_columns.Block, bytes, bytes]]:
        for block in column_blocks(plan, rules):
            canonical = sales_columns.texts(block)
            yield block, canonical.offsets, canonical.data  # hashed while the block is staged
            if stage is not None:
                stage.add(block)
            scan.lines += len(block)
            if advance is not None:
                advance(len(block))

    if stage is not None:
        stage.begin(plan.display)
    try:
        with digests.Hasher[sales_columns.Block](helper) as hasher:
            for block, hashed in digests.blocks_done(hasher, to_hash()):
                for key, sums in sales_columns.block_sums(block, hashed).items():
                    report = scan.reports.get(key)
                    if report is None:
                        report = scan.reports[key] = ReportScan(file=plan.display, line=sums.line)
                    report.add(sums.checksum, sums.lines, sums.units)
                    report.line = min(report.line, sums.line)
        if not scan.lines:
            raise sales_columns.NotPlain("no rows")
    except sales_columns.NotPlain:
        if stage is not None:
            stage.discard()
        raise
    if stage is not None:
        stage.end()
    return scan


class _Counted:
    """Progress told to the bar, so that a second reading of a file does not count again."""

    def __init__(self, advance: Advance | None) -> None:
        self.advance = advance
        self.told = 0
        self.skip = 0

    def __call__(self, lines: int) -> None:
        skipped = min(lines, self.skip)
        self.skip -= skipped
        self.told += lines - skipped
        if self.advance is not None and lines > skipped:
            self.advance(lines - skipped)


def scan_sales(
    path: Path,
    display: str,
    rules: SalesRules,
    problems: list[Problem],
    advance: Advance | None = None,
    stage: LineStage | None = None,
) -> SalesScan:
    """First pass: check every line, checksum every report; only the sums are kept here.

    A plain file is read by columns (:mod:`patentpool.io.sales_columns`), and its checked
    lines are handed to ``stage`` when there is one; any other file, or one that turns out
    not to be plain, is read line by line (and read again by the second pass).
    """
    from patentpool.io import sales_columns

    counted = _Counted(advance)
    plan = column_plan(path, display)
    if plan is not None:
        try:
            return _scan_columns(plan, rules, counted, stage)
        except sales_columns.NotPlain:
            counted.skip = counted.told  # lines already shown on the progress bar
    try:
        return _lines(path, display, rules, problems, None, counted)
    except FileUnreadable as exc:
        problems.append(exc.problem)
        return SalesScan(display, path)


def write_sales(
    path: Path, display: str, rules: SalesRules, sink: LineSink, advance: Advance | None = None
) -> None:
    """Second pass over a file the first pass found clean: hand every line to ``sink``."""
    problems: list[Problem] = []
    _lines(path, display, rules, problems, sink, advance)
    if problems:  # the file changed between the two passes
        raise InvalidInput(f"{display} changed while it was being imported; import it again")
