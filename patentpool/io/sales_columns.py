"""Plain sales files read a block of lines at a time, checked and checksummed column by column.

Most quarterly sales reports are plain CSV: one line per row, no quotes, no blank lines. Such a
file is read by Arrow's CSV reader in blocks of about 25,000 lines, and every check of
:mod:`patentpool.io.sales_stream` is made on whole columns: the few distinct licensees,
periods, programmes, countries and categories are checked once each, by the very functions the
line-by-line reader uses; units and net sales must be plain digits in the form the stored value
takes. It yields the blocks every sales reader yields (:mod:`patentpool.io.sales_blocks`), so
the checksum and the stage are the same whichever reader read a file.

This path only ever accepts a file the line-by-line reader would accept, and yields exactly the
values it would: whenever a block holds anything else (a quote, a blank line, a bad or unusual
value, a row of the wrong width), :class:`NotPlain` is raised and the caller reads the file
line by line, which names every problem with its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from patentpool.core.licensing import PercentRate
from patentpool.io.dialects import separator_of, text_options
from patentpool.io.licensing_schema import MAX_DECIMALS, MAX_WHOLE_DIGITS, PLAIN_UNITS_PATTERN
from patentpool.io.problems import Problem, Source
from patentpool.io.readers import FileUnreadable, _unguard, stream_rows
from patentpool.io.sales_blocks import Block

#: Bytes of the file read per block (about 25,000 sales lines). Arrow's reader reads ahead of
#: the block being checked, by up to 32 blocks, so this also bounds what a file holds in memory,
#: whatever the file's length (measured in benchmarks/README.md).
BLOCK_BYTES = 1 << 20

#: Net sales exactly as the stored value is written (``format(Decimal(text), "f") == text``).
_NET = rf"^(0|[1-9][0-9]{{0,{MAX_WHOLE_DIGITS - 1}}})(\.[0-9]{{1,{MAX_DECIMALS}}})?$"


class NotPlain(Exception):
    """The file holds something only the line-by-line reader can judge."""


@dataclass(frozen=True, slots=True)
class Plan:
    """Where the columns of a plain file are (from its header, checked line by line)."""

    path: Path
    display: str
    index: dict[str, int]
    width: int
    delimiter: str = ","


def plan(path: Path, display: str, header: Callable[..., Any]) -> Plan | None:
    """A plan for reading ``path`` by columns, or None when the file is not plain.

    ``header`` checks the header cells exactly as the line-by-line reader does (it is that
    reader's own function); any problem with the header leaves the file to that reader.
    """
    options = text_options()
    if options.encoding != "utf-8" or options.decimal_comma:
        return None  # Arrow reads UTF-8 numbers with decimal points
    try:
        if not _plain_bytes(path):
            return None
        rows = stream_rows(path, display)
        first = next(rows, None)
        rows.close()
    except (FileUnreadable, UnicodeDecodeError, OSError):
        return None
    if first is None or first[0] != 1:
        return None
    problems: list[Problem] = []
    found = header(first[1], Source(display, 1), problems)
    if found is None or problems:
        return None
    with path.open("rb") as fh:
        delimiter = separator_of(fh.readline().decode("utf-8-sig"))
    return Plan(path, display, dict(found.index), found.width, delimiter)


_LONE_CR = re.compile(rb"\r(?!\n)")


def _plain_bytes(path: Path) -> bool:
    """No quote, NUL byte, blank line or lone carriage return anywhere in the file."""
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            if b'"' in chunk or b"\x00" in chunk:
                return False
            data = tail + chunk
            if b"\n\n" in data or b"\n\r\n" in data:  # a blank line
                return False
            held = data[:-1] if data.endswith(b"\r") else data  # its \n may come next
            if b"\r" in held and _LONE_CR.search(held):
                return False
            tail = data[-2:]
    return not tail.endswith(b"\r")


class Values:
    """Distinct cell values resolved once, by the line-by-line reader's own checks."""

    def __init__(self, check: Any) -> None:
        self.check = check
        self.licensees = check.rules.licensees

    def resolve(self, raw: pa.Array, convert: Callable[[str], Any]) -> tuple[pa.Array, list[Any]]:
        """Each distinct raw cell through ``convert`` (NotPlain on any error); per line, the
        index of its value in the returned list."""
        encoded = pc.dictionary_encode(raw)
        values = []
        for text in encoded.dictionary.to_pylist():
            try:
                values.append(convert(_unguard(text.strip())))
            except ValueError as exc:
                raise NotPlain(str(exc)) from None
        return encoded.indices, values

    def licensee(self, text: str) -> str:
        if not text or text not in self.licensees:
            raise ValueError("unknown licensee")
        return text

    def category(self, text: str) -> str:
        if not text:
            raise ValueError("empty category")
        return text


def blocks(plan: Plan, check: Any) -> Iterator[Block]:
    """The file's lines, a block at a time; NotPlain as soon as a block is not plain."""
    ix = plan.index
    names = [f"c{i}" for i in range(plan.width)]
    try:
        reader = pa_csv.open_csv(
            plan.path,
            read_options=pa_csv.ReadOptions(
                skip_rows=1, column_names=names, block_size=BLOCK_BYTES, use_threads=True
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=plan.delimiter,
                quote_char=False,
                escape_char=False,
                newlines_in_values=False,
                ignore_empty_lines=False,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, OSError) as exc:
        raise NotPlain(str(exc)) from None
    values = Values(check)
    start = 2  # the line of the block's first row: the header is line 1
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except (pa.ArrowInvalid, OSError) as exc:  # wrong width, bad UTF-8, ...
            raise NotPlain(str(exc)) from None
        n = batch.num_rows
        if not n:
            continue
        lines = pa.array(np.arange(start, start + n, dtype=np.int64))
        yield columns_block(batch, ix, values, lines)
        start += n


def columns_block(
    batch: pa.RecordBatch, ix: dict[str, int], values: Values, lines: pa.Array
) -> Block:
    """A block of lines (``lines``: each one's line or row) checked column by column, from
    the batch of their cells' text; NotPlain when any is not plain."""
    check = values.check
    lic_i, licensees = values.resolve(batch.column(ix["licensee"]), values.licensee)
    per_i, periods = values.resolve(batch.column(ix["period"]), check.period)
    if "program" in ix:
        prog_i, programs = values.resolve(batch.column(ix["program"]), check.program)
    else:
        if check.only is None:
            raise NotPlain("no single programme")
        programs = [check.only]
        prog_i = pa.array(np.zeros(batch.num_rows, dtype=np.int32))
    sale_i, sales = values.resolve(batch.column(ix["country_of_sale"]), check.country)
    made_i, mades = values.resolve(batch.column(ix["country_of_manufacture"]), check.country)
    cat_i, categories = values.resolve(batch.column(ix["category"]), values.category)

    units_text = pc.ascii_trim_whitespace(batch.column(ix["units"]))
    if not pc.all(pc.match_substring_regex(units_text, PLAIN_UNITS_PATTERN)).as_py():
        raise NotPlain("units")
    units = pc.cast(units_text, pa.int64())

    # Which (programme, period, category) each line prices under, and whether it needs net.
    combo, combos = _distinct((prog_i, programs), (per_i, periods), (cat_i, categories))
    percent: list[int] = []
    for i, (program, period, category) in enumerate(combos):
        try:
            rate = check.rates_for(program, period).get(category)
        except ValueError as exc:
            raise NotPlain(str(exc)) from None
        if rate is None:
            raise NotPlain("unknown category")
        if isinstance(rate, PercentRate):
            percent.append(i)

    if "net_sales" in ix:
        net_text = pc.ascii_trim_whitespace(batch.column(ix["net_sales"]))
        empty = pc.equal(net_text, "")
        if not pc.all(pc.or_(empty, pc.match_substring_regex(net_text, _NET))).as_py():
            raise NotPlain("net_sales")
        net = pc.if_else(empty, pa.scalar(None, pa.string()), net_text)
    else:
        empty = pa.array(np.ones(batch.num_rows, dtype=bool))
        net = pa.nulls(batch.num_rows, pa.string())
    if percent and pc.any(pc.and_(empty, pc.is_in(combo, pa.array(percent, combo.type)))).as_py():
        raise NotPlain("net_sales required")

    # Each line's report (programme, licensee, period) and place (countries, category).
    key, keys = _distinct((prog_i, programs), (lic_i, licensees), (per_i, periods))
    if "currency" in ix:
        cur_i, codes = values.resolve(batch.column(ix["currency"]), check.currency)
    else:
        codes = [""]
        cur_i = pa.array(np.zeros(batch.num_rows, dtype=np.int32))
    place, places = _distinct(
        (sale_i, sales), (made_i, mades), (cat_i, categories), (cur_i, codes)
    )
    return Block(
        keys=keys,
        key=key,
        line=lines,
        units=units,
        net=net,
        places=places,
        place=place,
    )


def _distinct(*parts: tuple[pa.Array, list[Any]]) -> tuple[pa.Array, list[tuple[Any, ...]]]:
    """The block's distinct combinations of values, in the order they first appear, and per
    line the index of its own; each part is (per line, an index into its values; the values)."""
    code = pc.cast(parts[0][0], pa.int64())
    for indices, values in parts[1:]:
        code = pc.add(pc.multiply(code, len(values)), pc.cast(indices, pa.int64()))
    encoded = pc.dictionary_encode(code)
    # each combination's number taken apart again, part by part from the last, for all the
    # combinations at once (numpy), and the parts' values zipped into tuples
    numbers = encoded.dictionary.to_numpy()
    picked: list[list[Any]] = []
    for _, values in reversed(parts):
        numbers, places = np.divmod(numbers, len(values))
        picked.append(list(map(values.__getitem__, places.tolist())))
    return encoded.indices, list(zip(*reversed(picked), strict=True))
