"""Sales lines kept as columns: blocks of one licensee and period, joined for one quarter."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

import pytest

from patentpool.core.fx import Conversion
from patentpool.core.line_blocks import (
    LineBlock,
    NumberedSources,
    add_by_runs,
    blocks_of,
    join_blocks,
)
from patentpool.core.periods import Period

Q1, Q2 = Period.parse("2026Q1"), Period.parse("2026Q2")
CNY = Conversion("CNY", "USD", Fraction(1, 7), dt.date(2026, 3, 31), "quarter_end", "rates.csv")

ROWS = [
    ("acme", Q1, "US", "CN", "tv", 3, Decimal("10.50"), "s.csv:2"),
    ("acme", Q1, "DE", "CN", "tv", 1, None, "s.csv:3", CNY),
    ("bolt", Q1, "US", "US", "phone", 2, Decimal("7"), "s.csv:4"),
    ("acme", Q2, "FR", "FR", "tv", 5, Decimal("1.00"), None, None),
    ("acme", Q1, "JP", "JP", "tv", 4, Decimal("2"), "s.csv:6"),
]


def _padded(row: tuple[object, ...]) -> tuple[object, ...]:
    return row if len(row) == 9 else (*row, None)


def test_rows_become_one_block_per_run_of_one_licensee_and_period() -> None:
    blocks = blocks_of(ROWS)
    assert [(b.licensee, str(b.period), len(b)) for b in blocks] == [
        ("acme", "2026Q1", 2), ("bolt", "2026Q1", 1), ("acme", "2026Q2", 1),
        ("acme", "2026Q1", 1),
    ]  # fmt: skip
    assert [row for b in blocks for row in b.rows()] == [_padded(r) for r in ROWS]
    # a conversion is kept only where a line has one
    assert blocks[0].fx == [None, CNY]
    assert [b.fx for b in blocks[1:]] == [None, None, None]


def test_a_quarters_blocks_join_into_columns_in_their_order() -> None:
    blocks = [b for b in blocks_of(ROWS) if b.period == Q1]
    joined = join_blocks(Q1, blocks)
    assert len(joined) == 4
    assert joined.licensees == ["acme", "acme", "bolt", "acme"]
    assert joined.units == [3, 1, 2, 4]
    assert joined.fx == [None, CNY, None, None]
    assert [joined.row(i) for i in range(4)] == [_padded(r) for r in ROWS if r[1] == Q1]


def test_blocks_without_conversions_join_without_a_conversion_column() -> None:
    block = LineBlock("acme", Q2, ["FR"], ["FR"], ["tv"], [5], [Decimal(1)], ["s.csv:9"])
    joined = join_blocks(Q2, [block, block])
    assert joined.fx is None
    assert joined.row(1) == ("acme", Q2, "FR", "FR", "tv", 5, Decimal(1), "s.csv:9", None)


def test_shares_are_added_by_runs_of_one_country() -> None:
    # runs of one country, a country met again after another, lines earned nowhere (None)
    where = ["CN", "CN", None, "DE", "CN", "CN", "DE", None]
    shares = [1, 2, 5, 4, 8, 16, 32, 0]
    totals: dict[str, int] = defaultdict(int, {"FR": 7})
    add_by_runs(where, shares, totals)
    assert dict(totals) == {"FR": 7, "CN": 27, "DE": 36}
    add_by_runs([], [], totals)  # no lines: nothing added
    assert dict(totals) == {"FR": 7, "CN": 27, "DE": 36}


def test_numbered_sources_are_written_when_asked_for() -> None:
    sources = NumberedSources("s.csv:", (2, 10, 3))
    assert len(sources) == 3
    assert sources[1] == "s.csv:10"
    assert sources[-1] == "s.csv:3"
    assert sources[1:] == ["s.csv:10", "s.csv:3"]
    assert list(sources) == ["s.csv:2", "s.csv:10", "s.csv:3"]
    with pytest.raises(IndexError):
        sources[3]


def test_a_quarters_sources_are_its_blocks_one_after_the_other() -> None:
    numbered = LineBlock(
        "acme", Q1, ["US"] * 2, ["CN"] * 2, ["tv"] * 2, [1, 2], [None, None],
        NumberedSources("a.csv:", (7, 8)),
    )  # fmt: skip
    given = LineBlock("bolt", Q1, ["US"], ["US"], ["tv"], [3], [None], [None])
    empty = LineBlock("acme", Q1, [], [], [], [], [], NumberedSources("b.csv:", ()))
    joined = join_blocks(Q1, [numbered, empty, given, numbered])
    assert len(joined.sources) == 5
    assert list(joined.sources) == ["a.csv:7", "a.csv:8", None, "a.csv:7", "a.csv:8"]
    assert joined.sources[1:3] == ["a.csv:8", None]
    assert joined.sources[-1] == "a.csv:8"
    assert joined.row(2)[7] is None
    for place in (5, -6):
        with pytest.raises(IndexError):
            joined.sources[place]
