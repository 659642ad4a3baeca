"""Sales reports at scale: every reader yields blocks of checked columns, read once.

A quarter's sales file can hold a million lines, so it is never loaded whole. Whatever the
file - plain CSV (read by columns, :mod:`patentpool.io.sales_columns`), any other CSV file
(read line by line here) or a workbook's sheet (an ``.xlsx`` one by columns too, a chunk of
its XML at a time, :mod:`patentpool.io.xlsx_columns`; an ``.ods`` one by its rows) - its reader
yields :class:`~patentpool.io.sales_blocks.Block` values and names every problem. One pass
then sums, per report (programme, licensee, period), a checksum that does not depend on line
order (:func:`_checksum`, the one checksum path) and hands each block to the database's stage,
from which the changed reports' lines are copied once the whole import is clean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from patentpool.core.fx import Conversion
from patentpool.core.periods import Period
from patentpool.io.licensing_schema import SALES_REQUIRED, is_plain_units
from patentpool.io.problems import Problem, Source
from patentpool.io.readers import FileUnreadable, normalize_header, stream_rows
from patentpool.io.sales_lines import Columns, Header, LineChecker, read_header, read_money
from patentpool.io.sales_lines import ReportKey as ReportKey
from patentpool.io.sales_lines import SalesRules as SalesRules

if TYPE_CHECKING:
    from patentpool.io import sales_columns
    from patentpool.io.sales_blocks import Block

_MOD = 1 << 256


@dataclass
class ReportScan:
    """What the checking pass learnt of one report."""

    checksum: int = 0
    lines: int = 0
    units: int = 0
    file: str = ""
    line: int = 0  # where the report's first line is
    currencies: set[str] = field(default_factory=set)  # the other currencies its lines name
    fx: dict[str, Conversion] = field(default_factory=dict)  # their rates, chosen at import

    def digest(self) -> str:
        return f"{self.checksum:064x}"

    def add(self, checksum: int, lines: int, units: int) -> None:
        """Count more lines of the report: their digests' sum, their number, their units."""
        self.checksum = (self.checksum + checksum) % _MOD
        self.lines += lines
        self.units += units


@dataclass(frozen=True, slots=True)
class SalesFile:
    """A sales file of an import: a CSV file, or one sheet of a workbook."""

    path: Path
    display: str  # the file as messages name it
    sheet: str | None = None  # a workbook's sheet
    rows: int = 0  # a sheet's rows (a CSV file's lines are counted when needed)
    #: a sheet already opened to find its header (workbooks.Sheet); taken when it is read
    opened: list[Any] = field(default_factory=list, compare=False, hash=False, repr=False)

    @property
    def label(self) -> str:
        """What tells it from every other sales file of the import (the stage's key)."""
        return self.display if self.sheet is None else f"{self.display}:{self.sheet}"


@dataclass
class SalesScan:
    file: str
    path: Path
    reports: dict[ReportKey, ReportScan] = field(default_factory=dict)
    lines: int = 0


class LineStage(Protocol):
    """Where a sales file leaves its checked blocks during the checking pass, so that the
    file need not be read again (see :class:`patentpool.storage.sales_lines.SqliteLineStage`).

    ``begin`` starts a file (by its label), ``add`` holds a block of its lines, ``end`` closes
    the file, and ``discard`` drops what was held of it when the column reader gives up.
    """

    def begin(self, label: str) -> None: ...

    def add(self, block: Block) -> None: ...

    def end(self) -> None: ...

    def discard(self) -> None: ...


#: Lines between two progress reports.
PROGRESS_EVERY = 10_000

Advance = Callable[[int], None]
#: Rows of a file or sheet: (line or row number, cells as text).
Rows = Iterator[tuple[int, list[str]]]
#: A problem of a row: (row, column index or None for the whole row, field, message).
Complaint = Callable[[int, int | None, str, str], Problem]


def count_lines(path: Path) -> int:
    """Physical lines in a file, counted fast (for a progress bar's length)."""
    count = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def _csv_complaint(display: str) -> Complaint:
    def complaint(line: int, _column: int | None, name: str, message: str) -> Problem:
        return Problem(display, line, name, message)

    return complaint


def check_rows(
    rows: Rows,
    header: Header,
    rules: SalesRules,
    problems: list[Problem],
    complaint: Complaint,
    advance: Advance | None = None,
) -> Iterator[Block]:
    """The good lines of ``rows`` (a header's rows), a block at a time; every problem of a
    bad line goes to ``problems``. The line reader of CSV files and the workbook reader
    both read through here: one set of rules for every sales file."""
    from patentpool.io.sales_blocks import LINES_PER_BLOCK, BlockBuilder

    check = LineChecker(rules)
    cols = Columns.of(header)
    i_lic, i_per, i_sale, i_made = cols.licensee, cols.period, cols.sale, cols.made
    i_cat, i_units, i_net, i_prog = cols.category, cols.units, cols.net, cols.program
    i_cur = cols.currency
    currencies = check.currencies
    width = header.width
    countries = check.countries
    licensees = rules.licensees
    index = header.index
    builder = BlockBuilder()
    add = builder.add
    count = 0
    # (programme, period, category) cells of lines found good -> (programme, period, needs net)
    good: dict[tuple[str, str, str], tuple[str, Period, bool]] = {}
    for line, cells in rows:
        count += 1
        if not count % PROGRESS_EVERY and advance is not None:
            advance(PROGRESS_EVERY)
        if len(builder) >= LINES_PER_BLOCK:
            yield builder.take()
        if len(cells) < width:  # trailing empty cells left out (as a workbook's row ends)
            cells = cells + [""] * (width - len(cells))
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
            code = "" if i_cur is None or not cells[i_cur] else currencies.get(cells[i_cur])
            if (
                context is not None
                and code is not None
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
                    add((context[0], cells[i_lic], context[1]), line,
                        (sale, made, cells[i_cat], code), int(units_text), amount)  # fmt: skip
                    continue
        if len(cells) > width and any(cells[width:]):
            problems.append(complaint(line, None, "row", "has more cells than the header"))
            continue
        checked = check.line(cells, cols)
        if isinstance(checked, list):
            problems.extend(complaint(line, index.get(f), f, m) for f, m in checked)
            continue
        key, (sale, made, category, code, units, net), percent = checked
        good[(cells[i_prog] if i_prog is not None else "", cells[i_per], category)] = (
            key[0], key[2], percent,
        )  # fmt: skip
        add(key, line, (sale, made, category, code), units, net)
    if advance is not None:
        advance(count % PROGRESS_EVERY)
    if len(builder):
        yield builder.take()


def _csv_blocks(
    path: Path, display: str, rules: SalesRules, problems: list[Problem], advance: Advance | None
) -> Iterator[Block]:
    """A CSV file's good lines read one by one (a file the column reader does not take)."""
    rows = stream_rows(path, display)
    first = next(rows, None)
    if first is None:
        problems.append(Problem(display, 1, "file", "is empty (a header line is required)"))
        return
    header = read_header(first[1], Source(display, first[0]), problems)
    if header is None:
        return
    read = len(problems)
    lines = 0
    for block in check_rows(rows, header, rules, problems, _csv_complaint(display), advance):
        lines += len(block)
        yield block
    if not lines and len(problems) == read:
        problems.append(Problem(display, first[0], "file", "has a header but no rows"))


def column_plan(path: Path, display: str) -> sales_columns.Plan | None:
    """How to read ``path`` by columns, or None when only line by line will do."""
    from patentpool.io import sales_columns  # Arrow is loaded only for a sales import

    return sales_columns.plan(path, display, read_header)


def column_blocks(plan: sales_columns.Plan, rules: SalesRules) -> Iterator[Block]:
    """The good lines of a plain file, a block at a time (NotPlain if it is not plain)."""
    from patentpool.io import sales_columns

    return sales_columns.blocks(plan, LineChecker(rules))


#: A file at least this large shares the hashing of its lines with a helper process.
HELPER_BYTES = 4 << 20


def _checksum(
    scan: SalesScan,
    blocks: Iterator[Block],
    stage: LineStage | None,
    advance: Advance | None,
    helper: bool,
) -> None:
    """The one checksum path: every block's lines hashed (here, or some in a helper process)
    and summed per report, and the block handed to the stage."""
    from patentpool.io import digests, sales_blocks

    def to_hash() -> Iterator[tuple[Block, bytes, bytes]]:
        for block in blocks:
            canonical = sales_blocks.texts(block)
            yield block, canonical.offsets, canonical.data  # hashed while the block is staged
            if stage is not None:
                stage.add(block)
            scan.lines += len(block)
            if advance is not None:
                advance(len(block))

    with digests.Hasher[sales_blocks.Block](helper) as hasher:
        for block, hashed in digests.blocks_done(hasher, to_hash()):
            for key, sums in sales_blocks.block_sums(block, hashed).items():
                report = scan.reports.get(key)
                if report is None:
                    report = scan.reports[key] = ReportScan(file=scan.file, line=sums.line)
                report.add(sums.checksum, sums.lines, sums.units)
                report.line = min(report.line, sums.line)
            for index, codes in block.currencies().items():
                scan.reports[block.keys[index]].currencies.update(codes)


def _helper(path: Path) -> bool:
    from patentpool.io import digests

    return digests.cores() > 1 and path.stat().st_size >= HELPER_BYTES


def _scan_columns(
    plan: sales_columns.Plan,
    rules: SalesRules,
    advance: Advance | None,
    stage: LineStage | None = None,
    label: str | None = None,
) -> SalesScan:
    from patentpool.io import sales_columns

    scan = SalesScan(plan.display, plan.path)
    if stage is not None:
        stage.begin(label or plan.display)
    try:
        _checksum(scan, column_blocks(plan, rules), stage, advance, _helper(plan.path))
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
    file: SalesFile,
    rules: SalesRules,
    problems: list[Problem],
    advance: Advance | None = None,
    stage: LineStage | None = None,
) -> SalesScan:
    """Check every line, checksum every report, stage every good line (when ``stage``).

    A plain CSV file is read by columns (:mod:`patentpool.io.sales_columns`); any other CSV
    file, or one that turns out not to be plain, is read line by line; an ``.xlsx`` sheet by
    columns a chunk at a time, an ``.ods`` one by its rows (:mod:`patentpool.io.workbooks`).
    Each reader yields the same blocks.
    """
    from patentpool.io import sales_columns

    counted = _Counted(advance)
    if file.sheet is None:
        plan = column_plan(file.path, file.display)
        if plan is not None:
            try:
                return _scan_columns(plan, rules, counted, stage, file.label)
            except sales_columns.NotPlain:
                counted.skip = counted.told  # lines already shown on the progress bar
    scan = SalesScan(file.display, file.path)
    if stage is not None:
        stage.begin(file.label)
    if file.sheet is not None:
        blocks = _sheet_blocks(file, rules, problems, counted)
    else:
        blocks = _csv_blocks(file.path, file.display, rules, problems, counted)
    try:
        _checksum(scan, blocks, stage, None, _helper(file.path))
    except FileUnreadable as exc:
        problems.append(exc.problem)
    if stage is not None:
        stage.end()
    return scan


def _sheet_blocks(
    file: SalesFile, rules: SalesRules, problems: list[Problem], advance: Advance | None
) -> Iterator[Block]:
    """A workbook sheet's good lines: its rows below the header through :func:`check_rows`."""
    from patentpool.io import workbooks

    assert file.sheet is not None
    opened = file.opened
    sheet = opened.pop() if opened else workbooks.Sheet(file.path, file.display, file.sheet)
    found = sheet.header({"a sales report": SALES_REQUIRED})
    if found is None:
        problems.append(Problem(file.display, 1, "file", f"sheet {file.sheet!r} has no header"))
        return
    _, row, cells = found
    names = tuple(normalize_header(c) for c in cells)
    header = read_header(cells, sheet.source(row, names), problems)
    if header is None:
        return
    problems.extend(sheet.formula_problems())
    read = len(problems)
    complaint = workbooks.sheet_complaint(sheet, names)
    lines = 0
    pieces = sheet.pieces()
    if pieces is None:
        blocks = check_rows(sheet.rows(), header, rules, problems, complaint, advance)
    else:
        blocks = _sheet_columns(sheet, pieces, header, rules, problems, complaint, advance)
    for block in blocks:
        lines += len(block)
        yield block
    if not lines and len(problems) == read:
        problems.append(Problem.at(sheet.source(row, names), "file", "has a header but no rows"))


def _sheet_columns(
    sheet: Any,
    pieces: Iterator[tuple[bytes, int, int]],
    header: Header,
    rules: SalesRules,
    problems: list[Problem],
    complaint: Complaint,
    advance: Advance | None,
) -> Iterator[Block]:
    """An ``.xlsx`` sheet's good lines, a chunk of its XML at a time: read by columns
    (:mod:`patentpool.io.xlsx_columns`) and checked by the column checks of plain CSV files
    (:mod:`patentpool.io.sales_columns`); a chunk either cannot take is read by its elements
    and checked row by row (:func:`check_rows`), which names every problem at its cell."""
    from patentpool.io import sales_columns, xlsx_columns

    reader = xlsx_columns.Columns(sheet.book).of(sheet.chunks.prefix)
    values = sales_columns.Values(LineChecker(rules))
    index = dict(header.index)
    before: int | None = None
    for data, first, skip in pieces:
        if before is None:
            before = first
        piece = reader.read(data, before, skip, header.width)
        if piece is not None and not piece.wide:
            if not len(piece.lines):
                before = piece.last
                continue
            try:
                block = sales_columns.columns_block(piece.batch, index, values, piece.lines)
            except sales_columns.NotPlain:
                pass
            else:
                before = piece.last
                if advance is not None:
                    advance(len(block))
                yield block
                continue
        rows, before = sheet.parse(data, before)
        yield from check_rows(iter(rows[skip:]), header, rules, problems, complaint, advance)
