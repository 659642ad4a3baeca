"""Numbers, money, percentages and dates written for people, in the locale of the render.

The locale is set for the length of one render (:func:`using_locale`) and read by the template
filters, so macros imported from other templates format the same way. Money is formatted from
its ``Decimal`` (never through a float) with the currency's own minor unit: amounts carrying
more digits (a rate of 0.125 per unit) keep them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from patentpool.reports.errors import UnknownLocale

_LOCALE: ContextVar[Locale | None] = ContextVar("report_locale", default=None)
_ENGLISH = Locale("en")


def parse_locale(name: str) -> Locale:
    """A babel locale from ``en``, ``en_GB``, ``en-GB`` or ``de``; unknown ones are refused."""
    try:
        return Locale.parse(name.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise UnknownLocale(name) from None


@contextmanager
def using_locale(locale: Locale) -> Iterator[Locale]:
    token = _LOCALE.set(locale)
    try:
        yield locale
    finally:
        _LOCALE.reset(token)


def _locale() -> Locale:
    return _LOCALE.get() or _ENGLISH


def _decimal(value: Decimal | Fraction | int | str, places: int | None = None) -> Decimal:
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(value)
    if places is None:
        return exact
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def money(value: Decimal | Fraction | int | str | None, currency: str) -> str:
    """``Decimal('1234.5')``, ``USD`` as ``$1,234.50`` (``1.234,50 $`` in ``de``).

    A fraction (an exact unit price) is shown to at most 6 decimals, trailing zeros dropped.
    """
    if value is None:
        return ""
    amount = _decimal(value, 6) if isinstance(value, Fraction) else _decimal(value)
    if isinstance(value, Fraction):
        whole = amount.to_integral_value()
        amount = whole if amount == whole else amount.normalize()
    return format_currency(amount, currency, locale=_locale(), decimal_quantization=False)


def number(value: Decimal | Fraction | int | float | str | None, places: int | None = None) -> str:
    """A number with the locale's separators: ``1,234,567``; ``places`` fixes the decimals."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = Decimal(repr(value))
    if places is None:
        return format_decimal(_decimal(value), locale=_locale(), decimal_quantization=False)
    fixed = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(_decimal(value, places), format=fixed, locale=_locale())


def percent(value: Decimal | Fraction | int | str | None, places: int | None = 2) -> str:
    """A fraction as a percentage: ``Fraction(49, 100)`` as ``49.00%`` (``49,00 %`` in ``fr``).

    Rounded half up on the last place shown, exactly, as the core's ``as_percent`` does;
    ``places=None`` shows a decimal exactly (``Decimal('0.005')`` as ``0.5%``).
    """
    if value is None:
        return ""
    locale = _locale()
    scaled = _decimal(value) * 100
    if places is None:
        exponent = scaled.normalize().as_tuple().exponent
        places = min(6, max(0, -exponent)) if isinstance(exponent, int) else 2
    pattern = locale.percent_formats[None].pattern
    if places:
        pattern = re.sub(r"0(?=[^0]*$)", "0." + "0" * places, pattern, count=1)
    return format_percent(_decimal(scaled, places) / 100, format=pattern, locale=locale)


def locale_name() -> str:
    """The locale of the render under way (``en`` outside one)."""
    return str(_locale())


def money_tick(value: float, currency: str) -> str:
    """A chart axis tick as money: ``$50,000`` (``50.000 €`` in ``de``); cents only when the
    tick has them."""
    amount = Decimal(repr(float(value) + 0.0)).normalize()  # + 0.0: no "-0"
    locale = _locale()
    if amount == amount.to_integral_value():
        pattern = re.sub(r"0\.0+", "0", locale.currency_formats["standard"].pattern)
        return format_currency(
            amount, currency, format=pattern, locale=locale, currency_digits=False
        )
    return format_currency(amount, currency, locale=locale)


def number_tick(value: float) -> str:
    """A chart axis tick with the locale's separators: ``1,500``, ``2.5``."""
    return format_decimal(Decimal(repr(float(value) + 0.0)).normalize(), locale=_locale())


def date(value: dt.date | None, style: str = "medium") -> str:
    """A date as the locale writes it: ``Mar 31, 2026`` (``31.03.2026`` in ``de``)."""
    if value is None:
        return ""
    return format_date(value, format=style, locale=_locale())


def country(code: str | None) -> str:
    """A country's name in the locale (``DE`` is ``Germany``, ``Deutschland`` in ``de``)."""
    if not code:
        return ""
    return str(_locale().territories.get(code.upper(), code))


_REGION_WORD = re.compile(r"^region[\s_-]*", re.IGNORECASE)


def region(region_id: str | None) -> str:
    """A region as a reader names it: ``region-2`` is ``Region 2``, ``south`` ``Region south``."""
    if not region_id:
        return ""
    return f"Region {_REGION_WORD.sub('', region_id) or region_id}"


def fraction(value: Fraction | None) -> str:
    """An exact share as ``3/7`` (``1`` and ``0`` stay whole)."""
    if value is None:
        return ""
    return str(value)


FILTERS = {
    "money": money,
    "number": number,
    "percent": percent,
    "date": date,
    "fraction": fraction,
    "country": country,
    "region": region,
}
