"""Reporting periods: calendar quarters written ``YYYYQn`` (``2026Q1`` is January to March 2026)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from patentpool.errors import InvalidInput

_PERIOD = re.compile(r"(\d{4})Q([1-4])")
_ANY_QUARTER = re.compile(r"\d{4}Q(\d+)")


class InvalidPeriod(InvalidInput):
    """A period that is not written ``YYYYQn``."""

    def __init__(self, text: object, field: str = "period") -> None:
        message = _no_such_quarter(text)
        if message is None:
            message = f"{text!r} is not a quarter written YYYYQn, such as 2026Q1"
        super().__init__(f"{field}: {message}")
        self.text = text


def _no_such_quarter(text: object) -> str | None:
    """The message for a year and a quarter outside 1-4 (``2026Q5``); None for anything else."""
    other = _ANY_QUARTER.fullmatch(text.strip()) if isinstance(text, str) else None
    if other is None:
        return None
    return f"{text!r} has no quarter {int(other.group(1))}: the quarter must be 1-4"


def period_problem(text: str) -> str:
    """What is wrong with ``text`` as a period in a file's cell: a quarter outside 1-4 is
    named, anything else is shown with the form a period takes."""
    return _no_such_quarter(text) or f"not a period in YYYYQn form (e.g. 2026Q1): {text!r}"


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """One calendar quarter; periods sort in time order."""

    year: int
    quarter: int

    def __post_init__(self) -> None:
        if not 1 <= self.quarter <= 4 or not 1 <= self.year <= 9999:
            raise InvalidPeriod(f"{self.year}Q{self.quarter}")

    @classmethod
    def parse(cls, text: str, field: str = "period") -> Period:
        """``Period.parse("2026Q1")``; anything else raises :class:`InvalidPeriod`."""
        match = _PERIOD.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise InvalidPeriod(text, field)
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Period:
        """The quarter holding ``day``."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last_day(self) -> dt.date:
        if self.quarter == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)

    def previous(self) -> Period:
        if self.quarter == 1:
            return Period(self.year - 1, 4)
        return Period(self.year, self.quarter - 1)

    def next(self) -> Period:
        if self.quarter == 4:
            return Period(self.year + 1, 1)
        return Period(self.year, self.quarter + 1)

    def year_to_date(self) -> tuple[Period, ...]:
        """The quarters of this period's year up to and including it: Q1..Qn."""
        return tuple(Period(self.year, q) for q in range(1, self.quarter + 1))

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"
