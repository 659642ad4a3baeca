"""Invoice numbers: ``IGRS-2026-0001``, numbered without gaps per programme and calendar year.

The prefix is the programme's standard in capitals; the sequence restarts at 1 each year.
:func:`next_number` gives the number after those already issued and refuses a sequence that
has a gap or a duplicate, so a broken numbering is never carried on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from patentpool.errors import InvalidInput

_NUMBER = re.compile(r"([A-Z0-9]+(?:-[A-Z0-9]+)*)-(\d{4})-(\d{4,})")


class NumberingGap(InvalidInput):
    """The numbers already issued for a programme and year are not 1..n exactly."""


@dataclass(frozen=True, slots=True, order=True)
class InvoiceNumber:
    """One invoice or credit-note number: prefix, year and sequence within the year."""

    prefix: str
    year: int
    sequence: int

    def __post_init__(self) -> None:
        if self.sequence < 1:
            raise InvalidInput(f"number: sequence {self.sequence} is not 1 or more")
        if not _NUMBER.fullmatch(f"{self.prefix}-{self.year:04d}-0001"):
            raise InvalidInput(f"number: {self.prefix!r} is not a prefix of capitals and digits")

    @classmethod
    def parse(cls, text: str) -> InvoiceNumber:
        match = _NUMBER.fullmatch(text.strip())
        if match is None:
            raise InvalidInput(f"invoice: {text!r} is not an invoice number such as IGRS-2026-0001")
        return cls(match.group(1), int(match.group(2)), int(match.group(3)))

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year:04d}-{self.sequence:04d}"


def prefix_of(standard: str) -> str:
    """The prefix of a programme's numbers: its standard in capitals, other signs as ``-``."""
    cleaned = re.sub(r"[^A-Z0-9]+", "-", standard.upper()).strip("-")
    return cleaned or "INV"


def next_number(prefix: str, year: int, issued: Iterable[int]) -> InvoiceNumber:
    """The number after ``issued`` (the sequences already given for ``prefix`` and ``year``)."""
    seen = sorted(issued)
    if seen != list(range(1, len(seen) + 1)):
        raise NumberingGap(
            f"number: the numbers of {prefix} {year} are not 1 to {len(seen)} without gaps "
            f"or duplicates ({_describe(seen)})"
        )
    return InvoiceNumber(prefix, year, len(seen) + 1)


def _describe(seen: list[int]) -> str:
    shown = ", ".join(str(n) for n in seen[:10])
    return shown + (", ..." if len(seen) > 10 else "")


def gap_free(numbers: Iterable[InvoiceNumber]) -> bool:
    """Are ``numbers`` 1..n for each prefix and year, with no gap and no duplicate?"""
    by_key: dict[tuple[str, int], list[int]] = {}
    for n in numbers:
        by_key.setdefault((n.prefix, n.year), []).append(n.sequence)
    return all(sorted(s) == list(range(1, len(s) + 1)) for s in by_key.values())
