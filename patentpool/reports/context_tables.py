"""A report context as tables for a workbook: the same figures the other formats show.

The context's plain fields (amounts, counts, dates, names) make a "Summary" sheet of figures;
each sequence of records in it (a member's patents, a distribution's lines, a version's
counts by member) is a sheet of its own, one row per record. A record's nested record is
spread over columns (``patent.filing_date``), its mapping over one column per key
(``by_member.lenovo``); a sequence of records within a record is a sheet too, each row led by
the fields that name its parent. Column kinds follow the values: ``Decimal`` amounts are
money, fractions and ``Decimal`` shares and rates are percentages, dates are dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from patentpool.core.periods import Period
from patentpool.core.runs import RunStamp
from patentpool.reports.workbook import Column, Table, Typed

_SCALARS = (str, int, Decimal, Fraction, dt.date, Enum, Period, bool)
_SHARE_WORDS = ("share", "rate", "ratio")


def context_tables(context: Any) -> list[Table]:
    """Every table of ``context``: the Summary first, then the sequences in field order."""
    summary: list[tuple[str, Any]] = []
    tables: list[Table] = []
    _walk(context, "", summary, tables)
    out = [_table("Summary", ["figure", "value"], [list(r) for r in summary], by_row=True)]
    return out + tables


def run_source(context: Any) -> str | None:
    """The stored run(s) a report's figures come from, as the sheets say it."""
    stamps = sorted({s.run: s for s in _stamps(context)}.values(), key=lambda s: s.run)
    if not stamps:
        return None
    said = ", ".join(
        f"run {s.run} (revision {s.revision} of {s.revisions}, inputs sha256 "
        f"{s.inputs_sha256[:12]})"
        for s in stamps[:10]
    )
    more = f" and {len(stamps) - 10} more" if len(stamps) > 10 else ""
    return f"distribution {'runs' if len(stamps) > 1 else 'run'} {said}{more}"


def _stamps(value: Any) -> list[RunStamp]:
    if isinstance(value, RunStamp):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in _stamps(getattr(value, f.name))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _stamps(v)]
    return []


def _is_record(value: Any) -> bool:
    """A dataclass instance other than a quarter (which is written ``2026Q1``)."""
    return (
        dataclasses.is_dataclass(value)
        and not isinstance(value, type)
        and not isinstance(value, Period)
    )


def _is_records(value: Any) -> bool:
    return isinstance(value, list | tuple) and bool(value) and all(_is_record(v) for v in value)


def _walk(value: Any, prefix: str, summary: list[tuple[str, Any]], tables: list[Table]) -> None:
    for f in dataclasses.fields(value):
        name = f"{prefix}{f.name}"
        item = getattr(value, f.name)
        if _is_records(item):
            _records(name, item, [], tables)
        elif _is_record(item):
            _walk(item, f"{name}.", summary, tables)
        elif isinstance(item, list | tuple) and item and all(isinstance(v, tuple) for v in item):
            width = max(len(v) for v in item)
            headers = ["name", "value", *(f"value {i}" for i in range(2, width))]
            tables.append(_table(name, headers, [list(v) for v in item]))
        elif isinstance(item, Mapping):
            summary.extend((f"{name}.{k}", v) for k, v in item.items())
        else:
            summary.append((name, _plain(item)))


def _records(name: str, records: Any, parent: list[tuple[str, Any]], tables: list[Table]) -> None:
    """One sheet for ``records``; ``parent``: the leading (column, value) pairs of each row."""
    rows: list[dict[str, Any]] = []
    headers: dict[str, None] = {c: None for c, _ in parent}
    children: dict[str, list[tuple[list[tuple[str, Any]], Any]]] = {}
    for record in records:
        row = dict(parent)
        own = _flatten(record, "", row)
        for key in row:
            headers.setdefault(key)
        rows.append(row)
        for field, (items, _) in list(own.items()):
            lead = [*parent, *_naming(record)]
            children.setdefault(field, []).append((lead, items))
    tables.append(_table(name, list(headers), [[r.get(h) for h in headers] for r in rows]))
    for field, groups in children.items():
        merged: list[Table] = []
        for lead, items in groups:
            _records(f"{name} {field}", items, lead, merged)
        tables.extend(_merge(merged))


def _naming(record: Any) -> list[tuple[str, Any]]:
    """The first scalar fields of ``record`` (up to three): what names it in a child's row."""
    out = []
    for f in dataclasses.fields(record):
        item = getattr(record, f.name)
        if isinstance(item, _SCALARS) and not isinstance(item, Decimal | Fraction | bool):
            out.append((f.name, _plain(item)))
        if len(out) == 3:
            break
    return out


def _flatten(record: Any, prefix: str, row: dict[str, Any]) -> dict[str, tuple[Any, None]]:
    """``record``'s fields into ``row``; returns its sequences of records (sheets of their own)."""
    nested: dict[str, tuple[Any, None]] = {}
    for f in dataclasses.fields(record):
        name = f"{prefix}{f.name}"
        item = getattr(record, f.name)
        if _is_records(item):
            nested[name] = (item, None)
        elif _is_record(item):
            nested.update(_flatten(item, f"{name}.", row))
        elif isinstance(item, Mapping):
            row.update({f"{name}.{k}": _plain(v) for k, v in item.items()})
        else:
            row[name] = _plain(item)
    return nested


def _merge(tables: list[Table]) -> list[Table]:
    """The child sheets of one field, one per parent, as one sheet (columns united)."""
    if len(tables) <= 1:
        return tables
    headers: dict[str, None] = {}
    for t in tables:
        for c in t.columns:
            headers.setdefault(c.name)
    rows: list[list[Any]] = []
    for t in tables:
        index = {c.name: i for i, c in enumerate(t.columns)}
        rows.extend([r[index[h]] if h in index else None for h in headers] for r in t.rows)
    return [_table(tables[0].name, list(headers), rows)]


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Period):
        return str(value)
    if isinstance(value, set | frozenset):
        return ", ".join(sorted(str(v) for v in value))
    if isinstance(value, list | tuple):
        return ", ".join(str(_plain(v)) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _kind(name: str, values: list[Any]) -> str:
    sample = next((v for v in values if v is not None and v != ""), None)
    words = name.lower()
    if isinstance(sample, Fraction):  # a share, or an amount before rounding
        return "money" if "exact" in words or "amount" in words else "share"
    if isinstance(sample, Decimal):
        if "multiplier" in words:
            return "decimal"
        return "share" if any(w in words for w in _SHARE_WORDS) else "money"
    if isinstance(sample, int) and not isinstance(sample, bool):
        return "int"
    if isinstance(sample, dt.datetime):
        return "datetime"
    if isinstance(sample, dt.date):
        return "date"
    return "text"


def _table(name: str, headers: list[str], rows: list[list[Any]], *, by_row: bool = False) -> Table:
    if by_row:  # a column of figures of many kinds: each cell says its own
        typed = [[r[0], Typed(r[1], _kind(str(r[0]), [r[1]]))] for r in rows]
        return Table(name, (Column(headers[0]), Column(headers[1])), typed)
    columns = tuple(Column(h, _kind(h, [r[i] for r in rows])) for i, h in enumerate(headers))
    return Table(name, columns, rows)
