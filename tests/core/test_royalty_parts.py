"""A quarter's licensee groups priced in shares and joined: the amounts of one pricing."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

import pytest

from patentpool.core.line_blocks import blocks_of
from patentpool.core.periods import Period
from patentpool.core.royalties import RoyaltyResult, SalesLine, summarize_groups
from patentpool.core.royalty_parts import joined, share_groups
from tests.core.test_royalties import (
    LICENSEES,
    REGISTER,
    _random_lines,
    _summary_of,
    line,
    program,
    schedule,
)

GROUP_OF = {lic.id: lic.group_key for lic in LICENSEES}


def test_groups_are_shared_by_their_lines_in_key_order() -> None:
    lines = {"a": 10, "b": 10, "c": 10, "d": 10}
    assert share_groups(lines, 2) == [["a", "b"], ["c", "d"]]
    assert share_groups(lines, 4) == [["a"], ["b"], ["c"], ["d"]]
    assert share_groups({"big": 90, "x": 5, "y": 5}, 2) == [["big"], ["x", "y"]]


def test_no_share_is_empty_and_there_are_never_more_shares_than_groups() -> None:
    assert share_groups({}, 3) == []
    assert share_groups({"only": 100}, 4) == [["only"]]
    assert share_groups({"a": 1, "b": 1}, 5) == [["a"], ["b"]]
    # the last groups are kept for the last shares even when the first is far the largest
    assert share_groups({"a": 1000, "b": 0, "c": 0}, 3) == [["a"], ["b"], ["c"]]


@pytest.mark.parametrize("seed", range(30))
def test_every_group_lands_in_exactly_one_share_in_order(seed: int) -> None:
    rng = random.Random(seed)
    lines = {
        f"g{n:03d}": rng.choice((0, 1, rng.randint(1, 10**6))) for n in range(rng.randint(1, 60))
    }
    shares = rng.randint(1, 6)
    out = share_groups(lines, shares)
    assert [key for share in out for key in share] == sorted(lines)
    assert 1 <= len(out) <= min(shares, len(lines))
    assert all(out)


def _priced(
    lines: list[SalesLine], period: Period, groups: set[str] | None = None
) -> RoyaltyResult:
    """The quarter priced over the licensee groups ``groups`` (every group when None)."""
    by_group: dict[str, list[tuple[object, ...]]] = defaultdict(list)
    for ln in sorted(lines, key=lambda ln: (ln.licensee, ln.period)):
        group = GROUP_OF[ln.licensee]
        if groups is None or group in groups:
            by_group[group].append(
                (ln.licensee, ln.period, ln.country_of_sale, ln.country_of_manufacture,
                 ln.category, ln.units, ln.net_sales, ln.source, ln.fx)
            )  # fmt: skip
    blocks = [blocks_of(rows) for _, rows in sorted(by_group.items())]
    prog = program(schedule(annual_cap=Decimal("250000")))
    return summarize_groups(prog, REGISTER, LICENSEES, blocks, period)


@pytest.mark.parametrize("seed", range(40))
def test_the_shares_joined_give_the_amounts_of_one_pricing(seed: int) -> None:
    rng = random.Random(seed)
    quarters = rng.randint(1, 4)
    period = Period(2026, quarters)
    lines = [*_random_lines(rng, rng.randint(1, 300), quarters), line(period=period)]
    whole = _priced(lines, period)
    counts: dict[str, int] = defaultdict(int)
    for ln in lines:
        counts[GROUP_OF[ln.licensee]] += 1
    for shares in (2, 3):
        parts = [_priced(lines, period, set(share)) for share in share_groups(counts, shares)]
        together = joined(parts)
        assert together == whole
        assert _summary_of(together) == _summary_of(whole)
        # written alike too (the exponents of the amounts, as JSON prints them)
        assert together.by_country is not None
        assert whole.by_country is not None
        assert list(map(str, together.by_country.values())) == list(
            map(str, whole.by_country.values())
        )
        assert str(together.total_due) == str(whole.total_due)
