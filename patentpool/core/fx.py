"""Currency conversion through the euro, exactly, from a table of reference rates.

A :class:`RateTable` holds, for each day a rate was published, how many units of each currency
one euro buys (the ECB's form: ``USD 1.0823`` means 1 EUR = 1.0823 USD). A cross rate goes
through the euro: 1 CNY is ``USD per EUR / CNY per EUR`` USD. A quarter is converted by one of two
rules (:class:`FxRule`): ``quarter_end``, the last rate published on or before the
quarter's last day, or ``quarter_average``, the mean of the rates published in the quarter.
Rates are decimals and the mean is an exact fraction; converted amounts stay fractions until
they are rounded, once, by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from patentpool.core.periods import Period
from patentpool.errors import InvalidInput

EURO = "EUR"


class FxRule(StrEnum):
    QUARTER_END = "quarter_end"
    QUARTER_AVERAGE = "quarter_average"


class NoRate(InvalidInput):
    """No rate of a currency for the period or day asked."""


@dataclass(frozen=True, slots=True)
class RateTable:
    """Units of each currency per euro, by day of publication; ``source`` names the table."""

    rates: Mapping[dt.date, Mapping[str, Decimal]] = field(hash=False)
    source: str = ""

    def __post_init__(self) -> None:
        frozen = {day: MappingProxyType(dict(q)) for day, q in sorted(self.rates.items())}
        for day, quotes in frozen.items():
            for currency, rate in quotes.items():
                if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= 0:
                    raise InvalidInput(f"rate: {currency} on {day}: {rate!r} is not above 0")
        object.__setattr__(self, "rates", MappingProxyType(frozen))

    def currencies(self) -> frozenset[str]:
        return frozenset(c for quotes in self.rates.values() for c in quotes) | {EURO}


@dataclass(frozen=True, slots=True)
class Quote:
    """How many units of ``currency`` one euro buys, on ``day`` (the last day averaged)."""

    currency: str
    per_eur: Fraction
    day: dt.date | None  # None for the euro itself
    days: int = 1  # how many published rates were averaged
    first: dt.date | None = None  # the first day averaged (None: ``day`` alone)


@dataclass(frozen=True, slots=True)
class Conversion:
    """``amount in source x rate = amount in target``; the rate, its date, rule and source."""

    source_currency: str
    target_currency: str
    rate: Fraction
    day: dt.date | None
    rule: str
    source: str
    first_day: dt.date | None = None  # the first rate averaged (quarter_average), else None

    def apply(self, amount: Decimal | Fraction) -> Fraction:
        return Fraction(amount) * self.rate

    def dates_text(self) -> str:
        """The day of the rate, or the days averaged (``2026-01-02..2026-03-31``)."""
        if self.day is None:
            return ""
        if self.first_day is not None and self.first_day != self.day:
            return f"{self.first_day}..{self.day}"
        return str(self.day)

    def rate_text(self, places: int = 6) -> str:
        """The rate written to ``places`` decimals (half up), for documents."""
        scaled = self.rate * 10**places
        whole, rest = divmod(scaled.numerator, scaled.denominator)
        if 2 * rest >= scaled.denominator:
            whole += 1
        return f"{Decimal(whole).scaleb(-places):.{places}f}"


def _no_rate(currency: str, when: str, table: RateTable) -> NoRate:
    source = f" in {table.source}" if table.source else ""
    return NoRate(f"currency: no {currency} rate {when}{source}")


def quote_for(table: RateTable, currency: str, period: Period, rule: FxRule) -> Quote:
    """The rate of ``currency`` per euro that prices ``period`` under ``rule``."""
    if currency == EURO:
        return Quote(EURO, Fraction(1), None)
    if rule is FxRule.QUARTER_END:
        found = [
            (day, q[currency])
            for day, q in table.rates.items()
            if day <= period.last_day and currency in q
        ]
        if not found or found[-1][0] < period.first_day:
            raise _no_rate(
                currency,
                f"for {period} (quarter_end: on or before {period.last_day}, within the quarter)",
                table,
            )
        day, rate = found[-1]
        return Quote(currency, Fraction(rate), day)
    within = [
        (day, q[currency])
        for day, q in table.rates.items()
        if period.first_day <= day <= period.last_day and currency in q
    ]
    if not within:
        raise _no_rate(currency, f"for {period} (quarter_average: none published in it)", table)
    mean = sum((Fraction(r) for _, r in within), Fraction(0)) / len(within)
    return Quote(currency, mean, within[-1][0], len(within), within[0][0])


def quote_on(table: RateTable, currency: str, day: dt.date) -> Quote:
    """The last rate of ``currency`` published on or before ``day`` (at most a week before)."""
    if currency == EURO:
        return Quote(EURO, Fraction(1), None)
    found = [(d, q[currency]) for d, q in table.rates.items() if d <= day and currency in q]
    if not found or (day - found[-1][0]).days > 7:
        raise _no_rate(currency, f"on {day} (nor in the week before)", table)
    published, rate = found[-1]
    return Quote(currency, Fraction(rate), published)


def cross(source: Quote, target: Quote, rule: str, table: RateTable) -> Conversion:
    """The conversion from ``source``'s currency to ``target``'s, through the euro."""
    days = [d for d in (source.day, target.day) if d is not None]
    firsts = [d for d in (source.first, target.first) if d is not None]
    return Conversion(
        source.currency,
        target.currency,
        target.per_eur / source.per_eur,
        max(days) if days else None,
        rule,
        table.source,
        min(firsts) if firsts else None,
    )


def conversion_for(
    table: RateTable, source: str, target: str, period: Period, rule: FxRule
) -> Conversion:
    """How ``source`` amounts of ``period`` become ``target`` amounts under ``rule``."""
    return cross(
        quote_for(table, source, period, rule),
        quote_for(table, target, period, rule),
        str(rule),
        table,
    )


def conversion_on(table: RateTable, source: str, target: str, day: dt.date) -> Conversion:
    """How an amount received in ``source`` on ``day`` becomes ``target`` (the day's rate)."""
    return cross(quote_on(table, source, day), quote_on(table, target, day), "day", table)
