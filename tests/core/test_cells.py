"""A cell of text read as a number: one rule for the terminal tables and the exported CSV."""

from __future__ import annotations

import pytest

from patentpool.core.cells import is_number
from patentpool.io.exporter import neutralise
from patentpool.reports.text import table


@pytest.mark.parametrize("value", ["12", "-2.5", "+3", "1e3", "0.10", " 7 "])
def test_numbers(value: str) -> None:
    assert is_number(value)


@pytest.mark.parametrize("value", ["", "-", "=1+2", "@SUM(A1)", "12 units", "US-1", "1,5"])
def test_not_numbers(value: str) -> None:
    assert not is_number(value)


def test_the_exporter_and_the_tables_read_numbers_alike() -> None:
    assert neutralise("-2.5") == "-2.5"  # a number is no formula
    assert neutralise("-x") == "'-x"
    lines = table([{"a": "-2.5"}, {"a": "10"}], ["a"]).splitlines()
    assert lines[2:] == ["-2.5", "  10"]  # a column of numbers is right-aligned
    lines = table([{"a": "-x"}, {"a": "10"}], ["a"]).splitlines()
    assert lines[2:] == ["-x", "10"]
