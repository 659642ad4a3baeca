"""The decimal places of a quarter's net sales: the most of any line's, zeros' too."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from patentpool.core.line_pricing import net_digits


def _by_each_exponent(nets: list[Decimal | None]) -> int:
    exponents = [n.as_tuple().exponent for n in nets if n is not None]
    return max(0, -min((e for e in exponents if isinstance(e, int)), default=0))


def test_the_most_decimal_places_of_any_line_count() -> None:
    assert net_digits([]) == 0
    assert net_digits([None, None]) == 0
    assert net_digits([Decimal("12"), Decimal("1E+3")]) == 0
    assert net_digits([Decimal("12.5"), None, Decimal("3.25")]) == 2
    assert net_digits([Decimal("0.000"), Decimal("7")]) == 3  # a zero's places count too
    assert net_digits([Decimal("1E+40"), Decimal("1E-30")]) == 30  # beyond 28 digits: exact
    big = Decimal("123456789012345678901234567890.123456789")
    assert net_digits([big, big, big]) == 9


@given(
    st.lists(
        st.none()
        | st.decimals(min_value=0, max_value=10**30, allow_nan=False, allow_infinity=False),
        max_size=30,
    )
)
def test_as_the_exponents_of_every_line_say(nets: list[Decimal | None]) -> None:
    assert net_digits(nets) == _by_each_exponent(nets)
