"""The two exact families of the covering game (patentpool.core.shapley) agree.

A part of the game is solved from its unions of holder sets or from its kind-sets holding no
holder set, whichever is smaller; both must give the same coefficients, or the exact share of
a member would depend on which one a game's size picks.
"""

from __future__ import annotations

import random

import pytest

from patentpool.core import shapley
from patentpool.core.model import MemberId


def _random_parts(seed: int, games: int) -> list[shapley._Part]:
    rng = random.Random(seed)
    parts = []
    for _ in range(games):
        members = [f"m{i:02}" for i in range(rng.randint(1, 12))]
        sections = [f"s{j}" for j in range(rng.randint(1, 8))]
        holdings: dict[MemberId, frozenset[str]] = {
            m: frozenset(s for s in sections if rng.random() < 0.35) or frozenset({sections[0]})
            for m in members
        }
        for group in shapley._components(shapley._minimal_holder_sets(holdings)):
            parts.append(shapley._Part.of(group))
    return parts


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_unions_and_free_sets_give_the_same_coefficients(seed: int) -> None:
    parts = _random_parts(seed, 60)
    assert len({len(p.kinds) for p in parts}) > 3, "parts of several sizes"
    for part in parts:
        assert shapley._by_unions(part, None) == shapley._by_free_sets(part, None)

