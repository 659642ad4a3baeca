"""Late interest: simple interest on an overdue invoice, actual days over 365, rounded once.

A programme writes its rate as ``"12%"`` (a year) or ``"1% per month"`` (twelve times that a
year). Interest on an invoice runs from the day after its due date to the day it is paid, or
to the day asked: ``principal x rate x days / 365`` on each stretch of days with the same
principal. A payment reduces the principal for the days after it; a payment made before the
due date reduces it from the start. The stretches are added exactly and the invoice's interest
for its period of lateness is rounded once to the minor unit (:func:`round_money`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from patentpool.core.money import round_money
from patentpool.errors import InvalidInput

DAYS_IN_YEAR = 365
_WRITTEN = re.compile(r"\s*(\d+(?:\.\d+)?)\s*%\s*(?:(a year|per year|per month|a month))?\s*")


@dataclass(frozen=True, slots=True)
class LateInterest:
    """A simple rate of late interest: ``rate`` per ``per`` (``"year"`` or ``"month"``)."""

    rate: Decimal  # a fraction: Decimal("0.12") is 12%
    per: str = "year"

    def __post_init__(self) -> None:
        if self.per not in ("year", "month"):
            raise InvalidInput(f"late_interest: per {self.per!r} is not 'year' or 'month'")
        if not isinstance(self.rate, Decimal) or not self.rate.is_finite() or self.rate < 0:
            raise InvalidInput(f"late_interest: {self.rate!r} is not a rate of 0% or more")

    @property
    def annual(self) -> Fraction:
        """The rate a year, as an exact fraction (a monthly rate counts twelve times)."""
        return Fraction(self.rate) * (12 if self.per == "month" else 1)

    def __str__(self) -> str:
        percent = format((self.rate * 100).normalize(), "f")
        return f"{percent}% a year" if self.per == "year" else f"{percent}% per month"


NO_INTEREST = LateInterest(Decimal(0))


def parse_late_interest(text: str, field: str = "late_interest") -> LateInterest:
    """``"12%"`` or ``"12% a year"`` is 12% a year; ``"1% per month"`` is 1% a month."""
    match = _WRITTEN.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise InvalidInput(
            f'{field}: {text!r} is not a rate of interest such as "12%" (a year) or "1% per month"'
        )
    try:
        rate = Decimal(match.group(1)) / 100
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise InvalidInput(f"{field}: {text!r} is not a number") from None
    per = "month" if match.group(2) in ("per month", "a month") else "year"
    if per == "year" and rate > 1:
        raise InvalidInput(f"{field}: {text!r} is over 100% a year")
    if per == "month" and rate * 12 > 1:
        raise InvalidInput(f"{field}: {text!r} is over 100% a year")
    return LateInterest(rate, per)


@dataclass(frozen=True, slots=True)
class Stretch:
    """Days of lateness on one principal: from the day after ``after`` to ``through``."""

    after: dt.date
    through: dt.date
    principal: Decimal
    amount: Fraction  # exact, before rounding

    @property
    def days(self) -> int:
        return (self.through - self.after).days


def interest_stretches(
    principal: Decimal,
    due: dt.date,
    payments: Iterable[tuple[dt.date, Decimal]],
    until: dt.date,
    rate: LateInterest,
) -> list[Stretch]:
    """The stretches of lateness of an invoice of ``principal`` due on ``due``, up to ``until``.

    ``payments`` are the (day, amount) applied to the invoice; each reduces the principal for
    the days after it. Nothing accrues once the principal is paid.
    """
    owed = principal
    out: list[Stretch] = []
    start = due
    for day, amount in sorted(payments):
        if day > until:
            break
        if day > start and owed > 0:
            out.append(_stretch(start, day, owed, rate))
            start = day
        owed -= amount
    if until > start and owed > 0:
        out.append(_stretch(start, until, owed, rate))
    return out


def _stretch(after: dt.date, through: dt.date, owed: Decimal, rate: LateInterest) -> Stretch:
    days = (through - after).days
    return Stretch(after, through, owed, Fraction(owed) * rate.annual * days / DAYS_IN_YEAR)


def late_interest(
    principal: Decimal,
    due: dt.date,
    payments: Iterable[tuple[dt.date, Decimal]],
    until: dt.date,
    rate: LateInterest,
    currency: str,
) -> Decimal:
    """The interest on one invoice to ``until``, rounded once to ``currency``'s minor unit."""
    stretches = interest_stretches(principal, due, payments, until, rate)
    return round_money(sum((s.amount for s in stretches), Fraction(0)), currency)
