"""Exact money: the rounding rule, minor units, largest-remainder splits, parsing."""

from __future__ import annotations

import math
import random
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from patentpool.core.money import (
    ROUNDING_RULE,
    as_percent,
    is_whole_minor,
    largest_remainder,
    minor_unit,
    parse_amount,
    parse_percent,
    parse_rate,
    quantum,
    round_money,
    round_ratio,
    split_units,
)
from patentpool.errors import InvalidInput


def test_the_rounding_rule_is_half_up() -> None:
    assert ROUNDING_RULE == ROUND_HALF_UP
    assert round_money(Decimal("1.005"), "USD") == Decimal("1.01")
    assert round_money(Decimal("1.015"), "USD") == Decimal("1.02")  # not to even
    assert round_money(Decimal("1.0049999"), "USD") == Decimal("1.00")
    assert round_money(Decimal("-1.005"), "USD") == Decimal("-1.01")  # away from zero


def test_fractions_round_exactly() -> None:
    assert round_money(Fraction(1, 3), "USD") == Decimal("0.33")
    assert round_money(Fraction(2, 3), "USD") == Decimal("0.67")
    assert round_money(Fraction(1, 200), "USD") == Decimal("0.01")  # exactly half a cent
    assert round_money(Fraction(999, 200000), "USD") == Decimal("0.00")  # 0.004995


def test_a_ratio_rounds_as_its_fraction_without_being_reduced() -> None:
    # a licensee's lines add up over a common denominator that is rarely reduced: the ratio
    # must round exactly as the fraction it equals, halves and signs included
    assert round_ratio(2, 400, "USD") == Decimal("0.01")  # half a cent, unreduced
    assert round_ratio(-6, 1200, "USD") == Decimal("-0.01")  # away from zero
    assert round_ratio(10**30 + 5 * 10**27, 10**30, "JPY") == Decimal("1")  # 1.005 yen
    assert str(round_ratio(0, 7, "USD")) == str(round_money(0, "USD"))  # 0.00, same exponent
    rng = random.Random(3)
    for _ in range(2000):
        denominator = rng.choice((1, 2, 200, 3 * 10**9, rng.randint(1, 10**24)))
        common = rng.choice((1, 2, 10**6, rng.randint(1, 10**12)))
        numerator = rng.randint(-(10**26), 10**26)
        exact = Fraction(numerator, denominator)
        for currency, digits in (("USD", 2), ("JPY", 0), ("KWD", 3)):
            # half up, written out: the magnitude plus one half, rounded down
            whole = math.floor(abs(exact) * 10**digits + Fraction(1, 2))
            expected = Decimal(whole if exact >= 0 else -whole).scaleb(-digits)
            got = round_ratio(numerator * common, denominator * common, currency)
            assert str(got) == str(expected) == str(round_money(exact, currency))


def test_minor_units_follow_the_currency() -> None:
    assert minor_unit("USD") == 2
    assert minor_unit("JPY") == 0
    assert quantum("EUR") == Decimal("0.01")
    assert quantum("KWD") == Decimal("0.001")
    assert round_money(Decimal("1234.5"), "JPY") == Decimal("1235")
    assert str(round_money(Decimal("2"), "USD")) == "2.00"


def test_unknown_currency_is_refused_with_the_known_ones() -> None:
    with pytest.raises(InvalidInput, match=r"unknown currency 'XYZ' \(known: AUD, .*USD"):
        minor_unit("XYZ")


def test_largest_remainder_gives_the_leftover_cent_to_the_largest_remainder() -> None:
    parts = largest_remainder(
        Decimal("10.00"), {"a": Fraction(1), "b": Fraction(2), "c": Fraction(3)}, "USD"
    )
    # exact 1.666.., 3.333.., 5.00: floors 1.66, 3.33, 5.00 leave 1 cent; a's remainder is larger
    assert parts == {"a": Decimal("1.67"), "b": Decimal("3.33"), "c": Decimal("5.00")}


def test_largest_remainder_breaks_ties_by_the_smaller_key_whatever_the_order() -> None:
    weights = {"m3": Fraction(1), "m1": Fraction(1), "m2": Fraction(1)}
    parts = largest_remainder(Decimal("100.00"), weights, "USD")
    assert parts == {"m1": Decimal("33.34"), "m2": Decimal("33.33"), "m3": Decimal("33.33")}
    reordered = largest_remainder(Decimal("100.00"), dict(reversed(weights.items())), "USD")
    assert reordered == parts


def _split_by_the_rule(total: int, weights: list[int]) -> list[int]:
    """The largest-remainder rule written out: exact shares, rounded down, then one unit each
    to the largest fractional parts, ties to the earlier weight."""
    weight_sum = sum(weights)
    shares = [Fraction(total * w, weight_sum) for w in weights]
    parts = [int(share) for share in shares]  # whole and not negative: int() rounds down
    order = sorted(range(len(weights)), key=lambda k: (-(shares[k] - parts[k]), k))
    for k in order[: total - sum(parts)]:
        parts[k] += 1
    return parts


def test_split_units_follows_the_rule_with_ties_and_large_weights() -> None:
    rng = random.Random(12)
    for _ in range(500):
        count = rng.randint(1, 40)
        # few distinct weights, so that many remainders are equal; some zero, some huge
        choices = [0, 1, 3, 7, 10**12 + 1, rng.randint(1, 10**30)]
        weights = [rng.choice(choices) for _ in range(count)]
        if not any(weights):
            weights[-1] = 1
        total = rng.randint(0, 10**6)
        parts = split_units(total, weights)
        assert parts == _split_by_the_rule(total, weights)
        assert sum(parts) == total


def test_largest_remainder_refuses_a_total_with_a_fraction_of_a_cent() -> None:
    with pytest.raises(InvalidInput, match="not a whole number of USD minor units"):
        largest_remainder(Decimal("1.005"), {"a": Fraction(1)}, "USD")


def test_largest_remainder_with_zero_weights_gives_zero_to_all() -> None:
    assert largest_remainder(Decimal("0.00"), {"a": Fraction(0)}, "USD") == {"a": Decimal("0.00")}
    with pytest.raises(InvalidInput, match="nobody has a share"):
        largest_remainder(Decimal("1.00"), {"a": Fraction(0)}, "USD")


def test_whole_minor_units() -> None:
    assert is_whole_minor(Decimal("10.05"), "USD")
    assert not is_whole_minor(Decimal("10.055"), "USD")
    assert not is_whole_minor(Decimal("10.5"), "JPY")


def test_percentages_need_their_sign_and_stay_within_100() -> None:
    assert parse_percent("10%", "admin_fee") == Decimal("0.1")
    assert parse_percent(" 100 % ", "discounts.member") == Decimal(1)
    assert parse_percent(Decimal("0.25"), "admin_fee") == Decimal("0.25")
    with pytest.raises(InvalidInput, match=r"admin_fee: write a percentage with its sign"):
        parse_percent("10", "admin_fee")
    with pytest.raises(InvalidInput, match=r"discounts.member: '150%' is over 100%"):
        parse_percent("150%", "discounts.member")
    with pytest.raises(InvalidInput, match="cannot be negative"):
        parse_percent("-5%", "admin_fee")


def test_amounts_refuse_floats_and_junk() -> None:
    assert parse_amount("0.50", "per_unit") == Decimal("0.50")
    with pytest.raises(InvalidInput, match="per_unit: give money as a string"):
        parse_amount(0.5, "per_unit")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="per_unit: 'abc' is not a number"):
        parse_amount("abc", "per_unit")
    with pytest.raises(InvalidInput, match="not a finite number"):
        parse_amount("NaN", "per_unit")


def test_as_percent_for_reports() -> None:
    assert as_percent(Fraction(100, 204), 1) == "49.0%"
    assert as_percent(Fraction(60, 204), 1) == "29.4%"
    assert as_percent(Fraction(44, 204), 1) == "21.6%"
    assert as_percent(Fraction(1, 3)) == "33.33%"


def test_rates_are_a_percentage_or_a_fraction_never_a_bare_number_above_one() -> None:
    assert parse_rate("5%", "--aggregate-rate") == Decimal("0.05")
    assert parse_rate(" 0.05 ", "--aggregate-rate") == Decimal("0.05")
    assert parse_rate("100%", "--aggregate-rate") == Decimal(1)
    assert parse_rate("1", "--aggregate-rate") == Decimal(1)
    refused = {
        "5": "--aggregate-rate: 5 without a % sign would be 500%; write 5% (or the fraction 0.05)",
        "12.5": (
            "--aggregate-rate: 12.5 without a % sign would be 1250%; "
            "write 12.5% (or the fraction 0.125)"
        ),
        "500%": "--aggregate-rate: 500% is over 100%",
        "500": "--aggregate-rate: 500 is over 100% (write a rate as 5% or as the fraction 0.05)",
        "-5%": "--aggregate-rate: -5% cannot be negative",
        "five": "--aggregate-rate: 'five' is not a rate such as 5% or 0.05",
        "%": "--aggregate-rate: '%' is not a rate such as 5% or 0.05",
        "nan": "--aggregate-rate: 'nan' is not a rate such as 5% or 0.05",
    }
    for text, message in refused.items():
        with pytest.raises(InvalidInput) as info:
            parse_rate(text, "--aggregate-rate")
        assert str(info.value) == message
