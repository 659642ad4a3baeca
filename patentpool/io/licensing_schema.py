"""Pydantic schemas of the licensing files: licensees and programmes (YAML), sales reports and
payments (CSV). See docs/royalties.md."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

from patentpool.core.money import fraction_of_whole
from patentpool.errors import InvalidInput
from patentpool.io.types import (
    Country,
    IsoDate,
    OptionalDate,
    OptionalText,
    Slug,
    Text,
    empty_to_none,
    plain_digits,
)

#: Bounds of money and rates in files: far beyond any real amount, within what is stored.
MAX_WHOLE_DIGITS = 15
MAX_DECIMALS = 12
#: Units on one sales line: far beyond any real report, within a 64-bit integer.
MAX_UNITS = 10**15
#: Units written in at most this many plain digits (so below MAX_UNITS) are read as they are;
#: any other text is read by :func:`parse_units`, which names what is wrong with it.
PLAIN_UNITS_DIGITS = 15
#: :func:`is_plain_units` as a regular expression, for the column reader's Arrow checks.
PLAIN_UNITS_PATTERN = rf"^[0-9]{{1,{PLAIN_UNITS_DIGITS}}}$"


def is_plain_units(text: str) -> bool:
    """Units that need no checking but ``int()``: plain digits, at most 15 of them."""
    return plain_digits(text) and len(text) <= PLAIN_UNITS_DIGITS


_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def _number_text(value: Any) -> str:
    """The number's text without ``_`` and thousands commas; a decimal comma is refused, as
    ``1,5`` would otherwise be read as 15."""
    text = str(value).strip().replace("_", "")
    if "," in text:
        if not _GROUPED.fullmatch(text):
            raise ValueError(
                f"not a number: {value!r} (write decimals with a point, as in 1.5; "
                "a comma may only group thousands, as in 1,000)"
            )
        text = text.replace(",", "")
    return text


def parse_decimal(value: Any) -> Any:
    """Money and rates: decimal strings ("0.50"); plain numbers are read via their text."""
    value = empty_to_none(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    text = _number_text(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a number: {value!r}")
    if number.adjusted() >= MAX_WHOLE_DIGITS:
        raise ValueError(
            f"{text} is too large (at most {MAX_WHOLE_DIGITS} digits before the decimal point)"
        )
    if number.as_tuple().exponent < -MAX_DECIMALS:  # type: ignore[operator]
        kept = _at_most_decimals(number)
        if kept is None:
            raise ValueError(f"{text} has more than {MAX_DECIMALS} decimal places")
        number = kept
    return number


def _at_most_decimals(number: Decimal) -> Decimal | None:
    """``number`` with at most :data:`MAX_DECIMALS` decimal places (trailing zeros cut), or
    None when it needs more: what is stored must read back through :func:`parse_decimal`."""
    if number.as_tuple().exponent < -MAX_DECIMALS:  # type: ignore[operator]
        rounded = number.quantize(Decimal(1).scaleb(-MAX_DECIMALS))
        return rounded if rounded == number else None  # only zeros may be cut
    return number


def parse_fraction(value: Any) -> Any:
    """A share written "10%" or as a fraction 0.1; returned as a fraction (0.1)."""
    value = empty_to_none(value)
    if value is None:
        return None
    written = value.strip() if isinstance(value, str) else value
    if isinstance(written, str) and written.endswith("%"):
        number = parse_decimal(written[:-1])
        if number is None:
            raise ValueError(f"not a percentage: {written!r}")
        # the fraction is what is stored and read back: it must fit the decimals allowed too
        fraction = number / 100
        number = _at_most_decimals(fraction)
        if number is None:
            raise ValueError(
                f"{written} is the fraction {fraction:f}, "
                f"which has more than {MAX_DECIMALS} decimal places"
            )
    else:
        number = parse_decimal(value)
    if number < 0:
        raise ValueError(f"must not be negative ({written})")
    if number > 1 and not (isinstance(written, str) and written.endswith("%")):
        try:  # the rule of every rate: a bare 10 is refused, suggesting 10%
            fraction_of_whole(number, "", percent=False)
        except InvalidInput as exc:
            raise ValueError(str(exc)) from None
    return number


def parse_rate(value: Any) -> Any:
    """A price, percent, cap or multiplier of a schedule: a number that is not negative."""
    number = parse_decimal(value)
    if number is not None and number < 0:
        raise ValueError(f"must not be negative ({number})")
    return number


Money = Annotated[Decimal, BeforeValidator(parse_decimal)]
OptionalMoney = Annotated[Decimal | None, BeforeValidator(parse_decimal)]
RateMoney = Annotated[Decimal, BeforeValidator(parse_rate)]
OptionalRateMoney = Annotated[Decimal | None, BeforeValidator(parse_rate)]
Share = Annotated[Decimal, BeforeValidator(parse_fraction)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LicenseeIn(Strict):
    id: Slug
    name: Text
    group: Annotated[
        str | None, BeforeValidator(lambda v: None if empty_to_none(v) is None else v)
    ] = None
    country: Country | None = None
    member: bool = False
    signed: OptionalDate = None
    good_standing: bool = False


class TierIn(Strict):
    up_to: int | None = None
    per_unit: RateMoney


class RateIn(Strict):
    per_unit: OptionalRateMoney = None
    percent: OptionalRateMoney = None
    base_floor: OptionalRateMoney = None
    base_cap: OptionalRateMoney = None
    tiers: list[TierIn] | None = None


class RegionIn(Strict):
    id: Text
    countries: list[Country]
    multiplier: RateMoney


class DiscountsIn(Strict):
    good_standing: Share = Decimal(0)
    member: Share = Decimal(0)


#: ``fx_rule`` as written, trimmed and in lower case (checked when the programme is made).
FxRuleText = Annotated[
    str, BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v)
]


class ScheduleIn(Strict):
    effective_from: IsoDate
    categories: dict[str, RateIn]
    annual_cap: OptionalRateMoney = None
    regions: list[RegionIn] = []
    discounts: DiscountsIn = DiscountsIn()
    payment_terms_days: int | None = None
    late_interest: Text | None = None
    fx_rule: FxRuleText | None = None


class ProgramIn(Strict):
    id: Slug
    standard: Text
    versions: list[Text]
    currency: Annotated[
        str, BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v)
    ]
    admin_fee: Share = Decimal(0)
    counts: Annotated[
        str, BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v)
    ] = "essential"
    policy: Text = "proportional"
    payment_terms_days: int = 30
    late_interest: Text = "0%"
    fx_rule: FxRuleText | None = None  # None: quarter_end
    schedules: list[ScheduleIn]


class LicensingFileIn(Strict):
    licensees: list[LicenseeIn] = []
    programs: list[ProgramIn] = []


LICENSING_KEYS = frozenset(LicensingFileIn.model_fields)


def parse_period_text(value: Any) -> Any:
    from patentpool.core.periods import Period, period_problem

    if not isinstance(value, str):
        raise ValueError(f"not a period in YYYYQn form: {value!r}")
    try:
        return Period.parse(value.strip())
    except Exception:
        raise ValueError(period_problem(value.strip())) from None


def parse_units(value: Any) -> Any:
    text = _number_text(value)
    if not text:
        raise ValueError("is required")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not a whole number of units: {value!r}") from None
    if number != number.to_integral_value():
        raise ValueError(f"units must be a whole number, not {text}")
    if number < 0:
        raise ValueError(f"units must not be negative ({text})")
    if number > MAX_UNITS:
        raise ValueError(f"units must be at most {MAX_UNITS:,} ({text} is more)")
    return int(number)


def parse_invoice_number(value: Any) -> Any:
    """An invoice number such as ``IGRS-2026-0001``, or None for an empty cell."""
    from patentpool.core.invoice_numbers import InvoiceNumber

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ValueError(f"not an invoice number such as IGRS-2026-0001: {value!r}")
    try:
        return str(InvoiceNumber.parse(value))
    except Exception:
        raise ValueError(f"not an invoice number such as IGRS-2026-0001: {value!r}") from None


class PaymentRowIn(Strict):
    licensee: Text
    period: Annotated[Any, BeforeValidator(parse_period_text)]
    amount: Money
    received: IsoDate
    program: OptionalText = None
    invoice: Annotated[str | None, BeforeValidator(parse_invoice_number)] = None
    currency: Annotated[
        str | None,
        BeforeValidator(lambda v: (v.strip().upper() or None) if isinstance(v, str) else v),
    ] = None


#: Sales reports are checked line by line as a stream (patentpool.io.sales_stream), with the
#: same number, period and country rules as the models here; these are their columns.
SALES_REQUIRED = (
    "licensee",
    "period",
    "country_of_sale",
    "country_of_manufacture",
    "category",
    "units",
)
SALES_COLUMNS = (*SALES_REQUIRED, "net_sales", "program", "currency")
PAYMENT_COLUMNS = tuple(PaymentRowIn.model_fields)
PAYMENT_REQUIRED = tuple(n for n, f in PaymentRowIn.model_fields.items() if f.is_required())
