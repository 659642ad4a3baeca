"""Reference-rate tables read as the ECB publishes them (``eurofxref-hist.csv``).

The header is ``Date`` and then ISO 4217 codes; each row is a day, each cell how many units of
the column's currency one euro bought that day; ``N/A`` is no quote; rows end with a comma
(an empty trailing column). A file is recognised by its header: ``Date`` and currency codes
only. Every problem is reported as ``FILE:LINE: field: message``, all at once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from patentpool.io.problems import Problem

_CODE = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class RateQuote:
    """One published rate: units of ``currency`` per euro on ``day``, from ``source``."""

    day: dt.date
    currency: str
    rate: Decimal
    source: str  # FILE:LINE


def is_rate_table(header: list[str]) -> bool:
    """Is this the header of an ECB-style rate table (``Date,USD,JPY,...``)?"""
    cells = [c.strip() for c in header]
    while cells and not cells[-1]:
        cells.pop()
    return (
        len(cells) >= 2
        and cells[0].lower() == "date"
        and all(_CODE.fullmatch(c) for c in cells[1:])
    )


def parse_rate_table(
    rows: list[tuple[int, list[str]]], display: str, problems: list[Problem]
) -> list[RateQuote]:
    """The quotes of a rate table's rows (its header first); problems are appended."""
    (_, header), body = rows[0], rows[1:]
    codes = [c.strip() for c in header]
    out: list[RateQuote] = []
    seen: dict[dt.date, int] = {}
    for line, cells in body:
        day_text = cells[0].strip() if cells else ""
        try:
            day = dt.date.fromisoformat(day_text)
        except ValueError:
            problems.append(
                Problem(display, line, "Date", f"not a date (YYYY-MM-DD): {day_text!r}")
            )
            continue
        if day in seen:
            problems.append(Problem(display, line, "Date", f"{day} is also on line {seen[day]}"))
            continue
        seen[day] = line
        for code, cell in zip(codes[1:], cells[1:], strict=False):
            text = cell.strip()
            if not code or not text or text.upper() == "N/A":
                continue
            try:
                rate = Decimal(text)
            except InvalidOperation:
                rate = Decimal("NaN")
            if not rate.is_finite() or rate <= 0:
                problems.append(
                    Problem(display, line, code, f"not a rate above 0 (or N/A): {text!r}")
                )
                continue
            out.append(RateQuote(day, code, rate, f"{display}:{line}"))
    return out
