"""Exact money: minor units per currency, the one rounding rule, and largest-remainder splits.

Amounts are :class:`~decimal.Decimal`; intermediate values are exact
:class:`~fractions.Fraction`; an amount is rounded to its currency's minor unit once, at the end,
by :data:`ROUNDING_RULE` (round half up: a remainder of exactly half a cent goes up). Splitting a
sum among several parties uses the largest-remainder rule (:func:`largest_remainder`) so that the
parts always add up to the sum exactly.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Hashable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from itertools import repeat
from operator import add, floordiv, mod, mul
from typing import TypeVar, cast

from patentpool.errors import InvalidInput

#: The rounding rule used everywhere money is rounded to a minor unit (name as in ``decimal``).
ROUNDING_RULE = ROUND_HALF_UP
#: The name of the splitting rule, for documents and reports.
SPLITTING_RULE = "largest remainder (Hamilton), ties to the smaller key"

#: Digits after the decimal point of each currency's minor unit (ISO 4217).
MINOR_UNITS: Mapping[str, int] = {
    "AUD": 2,
    "BRL": 2,
    "CAD": 2,
    "CHF": 2,
    "CNY": 2,
    "EUR": 2,
    "GBP": 2,
    "HKD": 2,
    "INR": 2,
    "SEK": 2,
    "SGD": 2,
    "TWD": 2,
    "USD": 2,
    "JPY": 0,
    "KRW": 0,
    "BHD": 3,
    "KWD": 3,
}

K = TypeVar("K", bound=Hashable)


class UnknownCurrency(InvalidInput):
    """A currency code missing from :data:`MINOR_UNITS`."""

    def __init__(self, currency: str) -> None:
        known = ", ".join(sorted(MINOR_UNITS))
        super().__init__(f"currency: unknown currency {currency!r} (known: {known})")
        self.currency = currency


def minor_unit(currency: str) -> int:
    """Digits after the decimal point of ``currency``'s minor unit (2 for USD, 0 for JPY)."""
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise UnknownCurrency(currency) from None


def quantum(currency: str) -> Decimal:
    """The smallest amount of ``currency``: ``Decimal('0.01')`` for USD, ``1`` for JPY."""
    return Decimal(1).scaleb(-minor_unit(currency))


def _to_minor(amount: Fraction, digits: int) -> Fraction:
    return amount * _power_of_ten(digits)


def _power_of_ten(digits: int) -> int:
    return int(10**digits)


def round_money(amount: Decimal | Fraction | int, currency: str) -> Decimal:
    """``amount`` rounded to the minor unit of ``currency`` by :data:`ROUNDING_RULE`, exactly."""
    exact = Fraction(amount)
    return round_ratio(exact.numerator, exact.denominator, currency)


def round_ratio(numerator: int, denominator: int, currency: str) -> Decimal:
    """``numerator / denominator`` (``denominator`` above zero) rounded to the minor unit of
    ``currency`` by :data:`ROUNDING_RULE`: :func:`round_money` of the fraction, without
    reducing it first (a sum of many lines over a large common denominator is rounded once,
    in integers)."""
    digits = minor_unit(currency)
    scaled = numerator * _power_of_ten(digits)
    sign = -1 if scaled < 0 else 1
    whole, rest = divmod(abs(scaled), denominator)
    if 2 * rest >= denominator:  # half up: away from zero at exactly one half
        whole += 1
    return Decimal(sign * whole).scaleb(-digits)


def is_whole_minor(amount: Decimal, currency: str) -> bool:
    """Is ``amount`` a whole number of minor units (no fraction of a cent)?"""
    return _to_minor(Fraction(amount), minor_unit(currency)).denominator == 1


def largest_remainder(
    total: Decimal, weights: Mapping[K, Fraction | int], currency: str
) -> dict[K, Decimal]:
    """Split ``total`` among ``weights`` (non-negative, not all zero) to the minor unit.

    Each part first gets its exact share rounded down to the minor unit; the minor units left
    over go one each to the parts with the largest remainders; equal remainders are broken by
    the smaller key (sorted), so the split does not depend on the order of ``weights``.
    ``total`` must be a whole number of minor units; the parts add up to it exactly.
    """
    digits = minor_unit(currency)
    units = _to_minor(Fraction(total), digits)
    if units.denominator != 1:
        raise InvalidInput(f"amount: {total} is not a whole number of {currency} minor units")
    if any(w < 0 for w in weights.values()):
        raise InvalidInput("weights: a share cannot be negative")
    if all(type(w) is int for w in weights.values()):
        whole = cast("Mapping[K, int]", weights)
        return _largest_remainder_int(total, units, whole, digits, currency)
    weight_sum = sum(weights.values(), Fraction(0))
    if not weights:
        if units != 0:
            raise InvalidInput(f"amount: nobody to receive {total} {currency}")
        return {}
    if weight_sum == 0:
        if units != 0:
            raise InvalidInput(f"amount: nobody has a share of {total} {currency}")
        return {k: Decimal(0).scaleb(-digits) for k in weights}
    # exact part = units x w / sum: its floor, and its remainder as a fraction rem / den
    total_units = int(units)
    sum_num, sum_den = weight_sum.numerator, weight_sum.denominator
    floors: dict[K, int] = {}
    ranked: list[tuple[int, object, K, int, int]] = []
    for k, w in weights.items():
        numerator = total_units * w.numerator * sum_den
        denominator = w.denominator * sum_num
        down, rest = divmod(numerator, denominator)
        floors[k] = down
        # rank by the remainder: an integer key (remainder x 2^64, rounded down) first, so the
        # exact fractions are compared only when those keys tie
        ranked.append((-((rest << 64) // denominator), _sort_key(k), k, rest, denominator))
    left = total_units - sum(floors.values())
    ranked.sort(key=lambda r: (r[0], r[1]))
    ranked = _exact_ties(ranked)
    for entry in ranked[:left]:
        floors[entry[2]] += 1
    return {k: Decimal(v).scaleb(-digits) for k, v in floors.items()}


def _largest_remainder_int(
    total: Decimal, units: Fraction, weights: Mapping[K, int], digits: int, currency: str
) -> dict[K, Decimal]:
    """:func:`largest_remainder` for whole-number weights: every exact part is
    ``units x w / sum`` over the same denominator, so remainders compare as integers."""
    weight_sum = sum(weights.values())
    if not weights:
        if units != 0:
            raise InvalidInput(f"amount: nobody to receive {total} {currency}")
        return {}
    if weight_sum == 0:
        if units != 0:
            raise InvalidInput(f"amount: nobody has a share of {total} {currency}")
        return {k: Decimal(0).scaleb(-digits) for k in weights}
    keys = list(weights)
    if any(type(k) is not int for k in keys) or any(
        a > b for a, b in itertools.pairwise(cast("list[int]", keys))
    ):  # ties go to the smaller key: ints are usually given in order already
        keys.sort(key=_sort_key)
    parts = split_units(int(units), [weights[k] for k in keys])
    floors = dict(zip(keys, parts, strict=True))
    cache: dict[int, Decimal] = {}
    out: dict[K, Decimal] = {}
    for k in weights:  # in the order given
        v = floors[k]
        amount = cache.get(v)
        if amount is None:
            amount = cache[v] = Decimal(v).scaleb(-digits)
        out[k] = amount
    return out


def split_units(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` minor units split by largest remainder among whole-number ``weights`` (not
    negative, summing to more than zero): each part is ``total x w / sum`` rounded down, and
    the units left over go one each to the largest remainders, equal ones to the earlier
    weight. The core of :func:`largest_remainder`, on plain lists (``map`` over the
    operators and a sort of positions: no Python step per weight)."""
    weight_sum = sum(weights)
    products = list(map(mul, weights, repeat(total)))
    parts = list(map(floordiv, products, repeat(weight_sum)))
    left = total - sum(parts)
    if left:  # fewer than the parts with a remainder; a part without one is never picked
        remainders = list(map(mod, products, repeat(weight_sum)))
        # largest first; the sort is stable, so equal remainders keep the earlier weight first
        ranked = sorted(range(len(remainders)), key=remainders.__getitem__, reverse=True)
        picked = ranked[:left]  # distinct positions: each part raised by one, in C
        deque(map(parts.__setitem__, picked, map(add, map(parts.__getitem__, picked), repeat(1))),
              maxlen=0)  # fmt: skip
    return parts


def _exact_ties(
    ranked: list[tuple[int, object, K, int, int]],
) -> list[tuple[int, object, K, int, int]]:
    """Reorder runs of equal integer keys by their exact remainders (then by key)."""
    out: list[tuple[int, object, K, int, int]] = []
    start = 0
    while start < len(ranked):
        end = start + 1
        while end < len(ranked) and ranked[end][0] == ranked[start][0]:
            end += 1
        run = ranked[start:end]
        # the integer keys are exact when remainder x 2^64 divides evenly; then ties are real
        if len(run) > 1 and any((r[3] << 64) % r[4] for r in run):
            run.sort(key=lambda r: (-Fraction(r[3], r[4]), r[1]))
        out += run
        start = end
    return out


def _sort_key(k: object) -> tuple[str, object]:
    # keys are strings or tuples of sortable values in practice; fall back to repr otherwise
    if isinstance(k, str | int | tuple):
        return ("", k)
    return (type(k).__name__, repr(k))


def parse_amount(text: str | Decimal | int, field: str) -> Decimal:
    """A non-negative money amount or rate from ``"0.50"`` (floats are refused)."""
    if isinstance(text, bool | float):
        raise InvalidInput(f'{field}: give money as a string such as "0.50", not {text!r}')
    try:
        value = Decimal(text) if not isinstance(text, Decimal) else text
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{field}: {text!r} is not a number") from None
    if not value.is_finite():
        raise InvalidInput(f"{field}: {text!r} is not a finite number")
    if value < 0:
        raise InvalidInput(f"{field}: {text!r} cannot be negative")
    return value


def parse_percent(text: str | Decimal, field: str) -> Decimal:
    """A fraction from a percentage: ``"10%"`` is ``Decimal('0.1')``; over 100% is refused.

    Text must carry the ``%`` sign (``"10"`` and ``"0.1"`` are ambiguous and refused); a
    ``Decimal`` is taken as a fraction already (``Decimal('0.1')`` is 10%).
    """
    if isinstance(text, str):
        stripped = text.strip()
        if not stripped.endswith("%"):
            raise InvalidInput(f'{field}: write a percentage with its sign, such as "10%"')
        value = parse_amount(stripped[:-1].strip(), field) / 100
    else:
        value = parse_amount(text, field)
    if value > 1:
        raise InvalidInput(f"{field}: {text!r} is over 100%")
    return value


def _plain(value: Decimal) -> str:
    """``Decimal('5.0')`` as ``5``, ``Decimal('0.050')`` as ``0.05``: for messages."""
    return format(value.normalize(), "f")


def fraction_of_whole(value: Decimal, field: str, *, percent: bool) -> Decimal:
    """Check a rate or share already read as a number: ``value`` is the fraction (0.05 for 5%);
    ``percent`` says whether it was written with a ``%`` sign; ``field`` (may be empty)
    starts the message.

    A bare number above 1 is refused (``5`` would be 500%, and is almost always meant as
    ``5%``), so is anything below 0 or over 100%.
    """
    at = f"{field}: " if field else ""
    if value < 0:
        raise InvalidInput(f"{at}{_plain(value * 100)}% cannot be negative")
    if not percent and value > 1:
        if value > 100:
            raise InvalidInput(
                f"{at}{_plain(value)} is over 100% (write a rate as 5% or as the fraction 0.05)"
            )
        raise InvalidInput(
            f"{at}{_plain(value)} without a % sign would be {_plain(value * 100)}%; "
            f"write {_plain(value)}% (or the fraction {_plain(value / 100)})"
        )
    if value > 1:
        raise InvalidInput(f"{at}{_plain(value * 100)}% is over 100%")
    return value


def parse_rate(text: str, field: str) -> Decimal:
    """A rate or share of a whole as its fraction: ``"5%"`` and ``"0.05"`` are ``Decimal("0.05")``.

    The one rule for every rate typed on the command line (see :func:`fraction_of_whole`):
    ``"5"`` is refused with a message suggesting ``5%``; over 100% is refused.
    """
    written = text.strip()
    percent = written.endswith("%")
    number = written[:-1].strip() if percent else written
    try:
        value = Decimal(number)
    except (InvalidOperation, ValueError):
        value = Decimal("NaN")
    if not number or not value.is_finite():
        raise InvalidInput(f"{field}: {text!r} is not a rate such as 5% or 0.05")
    return fraction_of_whole(value / 100 if percent else value, field, percent=percent)


def as_percent(fraction: Decimal | Fraction, places: int = 2) -> str:
    """``Fraction(49, 100)`` as ``"49.00%"`` (half-up on the last place), for reports."""
    scaled = Fraction(fraction) * 100 * _power_of_ten(places)
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return f"{Decimal(whole).scaleb(-places):.{places}f}%"
