"""The ETSI export read by columns: Arrow's C++ CSV reader parses the fourteen columns the
import uses a block at a time, the specification and company of a whole block are matched
from their distinct values, and only the kept rows become Python values.

Rows are numbered by their position, which is their line when no cell holds a line break:
a file with as many lines as rows. Any other (a line break in a cell, an empty line, a row of
the wrong width) is read again row by row by :mod:`patentpool.io.etsi`, where each row knows
its line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

BLOCK_BYTES = 1 << 20  # Arrow reads ahead: larger blocks cost memory, not time

#: Why a row was not kept, as the summary says it.
OTHER_COMPANY = "other company"
OTHER_SPEC = "other specification"


class NotColumnar(Exception):
    """The file cannot be read by columns (a line break in a cell, a row of another width)."""


def read_columns(
    path: Path,
    delimiter: str,
    used: tuple[str, ...],
    rows: Any,
    advance: Callable[[int], None] | None = None,
) -> None:
    """Feed ``rows`` (an ``etsi._Rows`` over ``used``) every row of the file, by blocks."""
    try:
        reader = pa_csv.open_csv(
            path,
            read_options=pa_csv.ReadOptions(block_size=BLOCK_BYTES, use_threads=True),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=False),
            convert_options=pa_csv.ConvertOptions(
                include_columns=list(used),
                column_types=dict.fromkeys(used, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, OSError) as exc:
        raise NotColumnar(str(exc)) from None
    at = {name: i for i, name in enumerate(used)}
    start = 2  # the line of the block's first row: the header is line 1
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except (pa.ArrowInvalid, OSError) as exc:
            raise NotColumnar(str(exc)) from None
        if batch.num_rows:
            _block(batch, at, rows, start)
            start += batch.num_rows
            if advance is not None:
                advance(batch.num_rows)
    if _lines(path) != start - 1:  # a line break in a cell, or an empty line: rows are no lines
        raise NotColumnar("the rows are not one a line")


def _lines(path: Path) -> int:
    """How many lines the file has (the last may lack its line break)."""
    count, last = 0, b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(BLOCK_BYTES):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def _block(batch: pa.RecordBatch, at: dict[str, int], rows: Any, start: int) -> None:
    n = batch.num_rows
    rows.batch.rows_read += n
    spec = batch.column(at["TGPP_NUMBER"])
    none = pc.or_(pc.equal(spec, ""), pc.equal(spec, "-1"))
    deliverable = batch.column(at["WOIT_ETSI_DELIVERABLE_NUMBER"])
    spec = pc.utf8_trim_whitespace(pc.if_else(none, deliverable, spec))
    wanted = [s for s in pc.unique(spec).to_pylist() if rows.matches(s)]
    spec_ok = pc.is_in(spec, value_set=pa.array(wanted, pa.string()))
    picked = pc.indices_nonzero(spec_ok)
    if n > len(picked):
        rows.batch.skipped[OTHER_SPEC] += n - len(picked)
    if not len(picked):
        return
    company = batch.column(at["COMP_LEGAL_NAME"]).take(picked)
    companies = rows.companies
    for name in pc.unique(company).to_pylist():
        if name not in companies:
            companies[name] = rows.member(name)
    members = [name for name, owner in companies.items() if owner is not None]
    member_ok = pc.is_in(company, value_set=pa.array(members, pa.string()))
    others = company.filter(pc.invert(member_ok))
    if len(others):
        rows.batch.skipped[OTHER_COMPANY] += len(others)
        for item in pc.value_counts(others).to_pylist():
            rows.batch.unmatched[item["values"].strip()] += item["counts"]
    kept = picked.filter(member_ok)
    if not len(kept):
        return
    columns = [batch.column(i).take(kept).to_pylist() for i in range(batch.num_columns)]
    for index, row in zip(kept.to_pylist(), zip(*columns, strict=True), strict=True):
        rows.keep(list(row), start + index, companies[row[at["COMP_LEGAL_NAME"]]])
