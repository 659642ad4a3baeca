"""Invoice numbers: IGRS-2026-0001, gap-free per programme and year."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patentpool.core.invoice_numbers import (
    InvoiceNumber,
    NumberingGap,
    gap_free,
    next_number,
    prefix_of,
)
from patentpool.errors import InvalidInput


def test_the_first_number_of_a_year():
    assert str(next_number("IGRS", 2026, [])) == "IGRS-2026-0001"
    assert str(next_number("IGRS", 2026, [1, 2, 3])) == "IGRS-2026-0004"


def test_beyond_four_digits():
    assert str(InvoiceNumber("IGRS", 2026, 12345)) == "IGRS-2026-12345"


def test_parse_round_trips():
    assert InvoiceNumber.parse("IGRS-2026-0042") == InvoiceNumber("IGRS", 2026, 42)
    assert InvoiceNumber.parse("HEVC-X-2027-0001").prefix == "HEVC-X"


def test_a_gap_is_refused():
    with pytest.raises(NumberingGap) as caught:
        next_number("IGRS", 2026, [1, 3])
    assert str(caught.value) == (
        "number: the numbers of IGRS 2026 are not 1 to 2 without gaps or duplicates (1, 3)"
    )


def test_a_duplicate_is_refused():
    with pytest.raises(NumberingGap):
        next_number("IGRS", 2026, [1, 1])


def test_prefix_from_the_standard():
    assert prefix_of("igrs") == "IGRS"
    assert prefix_of("Wi Fi 6") == "WI-FI-6"
    assert prefix_of("--") == "INV"


def test_not_a_number():
    with pytest.raises(InvalidInput) as caught:
        InvoiceNumber.parse("IGRS-26-1")
    assert (
        str(caught.value) == "invoice: 'IGRS-26-1' is not an invoice number such as IGRS-2026-0001"
    )


@given(st.lists(st.sampled_from([2025, 2026, 2027]), max_size=40))
def test_issuing_one_after_another_never_leaves_a_gap(years):
    issued: dict[int, list[int]] = {}
    numbers = []
    for year in years:
        number = next_number("IGRS", year, issued.get(year, []))
        issued.setdefault(year, []).append(number.sequence)
        numbers.append(number)
    assert gap_free(numbers)
    assert len(set(numbers)) == len(numbers)
