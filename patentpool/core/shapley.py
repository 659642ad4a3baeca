"""The Shapley value of the covering game: a coalition wins when it holds every section.

v(S) = 1 when S holds every section, i.e. meets the holder set H of every section. By
inclusion-exclusion, v(S) = sum over non-empty sets T of sections of (-1)^(|T|+1) [S meets
union(H of T)], and the game [S meets U] gives 1/|U| to each member of U. So a member's value
is sum over unions U containing it of -c(U) / |U|, with c(U) = sum of (-1)^|T| over the T whose
union is U. Members holding the same sections ("kinds") get the same value; sets of sections
whose holders never overlap ("parts") combine by the sizes of their unions only. Per part, the
c(U) come either from the unions themselves or, through Moebius inversion, from the kind-sets
W that contain no holder set (the complements of winning coalitions); the smaller family wins.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from patentpool.core.model import MemberId

#: Largest family of unions or kind-sets built with a limit; past it in both families,
#: ``method=auto`` samples orders instead when a part has more than 20 kinds of holder.
EXACT_STATES_LIMIT = 1 << 17
#: A part with at most this many kinds of holder is always solved exactly.
EXACT_KINDS_LIMIT = 20

Poly = list[int]  # integer coefficients by degree: the number of members in a union


class _TooBig(Exception):
    pass


@dataclass(frozen=True, slots=True)
class ShapleyResult:
    shares: dict[MemberId, Fraction]
    method: str  # "exact" or "Monte Carlo, N orders, seed S"


def _minimal_holder_sets(
    holdings: Mapping[MemberId, frozenset[str]],
) -> list[frozenset[MemberId]]:
    """Who holds each section, keeping only the holder sets that contain no other one.

    A coalition meeting every minimal set holds every section, since a section whose holders
    include a minimal set's is held whenever that set is met.
    """
    holders: dict[str, set[MemberId]] = defaultdict(set)
    for member, sections in holdings.items():
        for section in sections:
            holders[section].add(member)
    distinct = sorted({frozenset(h) for h in holders.values()}, key=lambda h: (len(h), sorted(h)))
    minimal: list[frozenset[MemberId]] = []
    for candidate in distinct:
        if not any(kept <= candidate for kept in minimal):
            minimal.append(candidate)
    return minimal


def _components(sets: list[frozenset[MemberId]]) -> list[list[frozenset[MemberId]]]:
    """Group the holder sets that share members, directly or through others."""
    parts: list[tuple[set[MemberId], list[frozenset[MemberId]]]] = []
    for holder_set in sets:
        members = set(holder_set)
        grouped = [holder_set]
        for part in [p for p in parts if p[0] & holder_set]:
            members |= part[0]
            grouped += part[1]
            parts.remove(part)
        parts.append((members, grouped))
    return [grouped for _, grouped in parts]


@dataclass(frozen=True, slots=True)
class _Part:
    kinds: tuple[tuple[MemberId, ...], ...]  # the members of each kind
    masks: tuple[int, ...]  # each holder set as a bit mask over kinds

    @classmethod
    def of(cls, sets: list[frozenset[MemberId]]) -> _Part:
        members = sorted(set().union(*sets))
        by_kind: dict[tuple[int, ...], list[MemberId]] = defaultdict(list)
        for member in members:
            by_kind[tuple(i for i, s in enumerate(sets) if member in s)].append(member)
        kinds = sorted(by_kind.items(), key=lambda kv: kv[1])
        masks = tuple(
            sum(1 << k for k, (sig, _) in enumerate(kinds) if i in sig) for i in range(len(sets))
        )
        return cls(tuple(tuple(ms) for _, ms in kinds), masks)

    @property
    def members(self) -> int:
        return sum(len(k) for k in self.kinds)

    def size(self, mask: int) -> int:
        return sum(len(k) for i, k in enumerate(self.kinds) if mask >> i & 1)


def _trim(poly: Poly, degree: int) -> Poly:
    return (poly + [0] * (degree + 1))[: degree + 1]


def _multiply(a: Poly, b: Poly, degree: int | None = None) -> Poly:
    out = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] += x * y
    return out if degree is None else _trim(out, degree)


def _by_unions(part: _Part, limit: int | None) -> tuple[Poly, list[Poly]]:
    """(G, A): G[k] = sum of c(U) over unions of k members (U empty included), A[kind][k] =
    sum of -c(U) over those containing the kind."""
    coefficients: dict[int, int] = {0: 1}
    for mask in part.masks:
        for union, coefficient in list(coefficients.items()):
            joined = union | mask
            value = coefficients.get(joined, 0) - coefficient
            if value:
                coefficients[joined] = value
            else:
                coefficients.pop(joined, None)
        if limit is not None and len(coefficients) > limit:
            raise _TooBig
    g = [0] * (part.members + 1)
    a = [[0] * (part.members + 1) for _ in part.kinds]
    for union, coefficient in coefficients.items():
        size = part.size(union)
        g[size] += coefficient
        for k in range(len(part.kinds)):
            if union >> k & 1:
                a[k][size] -= coefficient
    return g, a


def _by_free_sets(part: _Part, limit: int | None) -> tuple[Poly, list[Poly]]:
    """The same (G, A) from the kind-sets W containing no holder set, as power series.

    With y_k = x^n_k / (1 - x^n_k) (n_k members of kind k), Z = prod over kinds of
    (1 - x^n_k), S = sum over W of prod over k in W of y_k and S_k the same over W holding k:
    G = Z S and A_k = Z (y_k (S - S_k) - S_k), all exact modulo x^(members + 1). The product
    over W depends only on how many kinds of each size W holds, so W is counted by that.
    """
    degree = part.members
    counts = [len(k) for k in part.kinds]
    sizes = sorted(set(counts))
    step = [(len(counts) + 1) ** sizes.index(n) for n in counts]  # one digit per kind size

    def times_y(poly: Poly, n: int) -> Poly:  # poly * x^n / (1 - x^n), truncated
        out = [0] * (degree + 1)
        for i in range(n, degree + 1):
            out[i] = poly[i - n] + out[i - n]
        return out

    containing = [[m for m in part.masks if m >> k & 1] for k in range(len(counts))]
    total: Counter[int] = Counter()
    holding: list[Counter[int]] = [Counter() for _ in counts]
    found = 0
    stack: list[tuple[int, int, int, tuple[int, ...]]] = [(0, 0, 0, ())]
    while stack:
        chosen, start, code, kinds = stack.pop()
        found += 1
        if limit is not None and found > limit:
            raise _TooBig
        total[code] += 1
        for k in kinds:
            holding[k][code] += 1
        for k in range(start, len(counts)):
            grown = chosen | 1 << k
            if all(m & ~grown for m in containing[k]):
                stack.append((grown, k + 1, code + step[k], (*kinds, k)))

    products: dict[int, Poly] = {}

    def product(code: int) -> Poly:  # prod of y over a W with this code
        if code not in products:
            poly = _trim([1], degree)
            rest = code
            for n in sizes:
                rest, times = divmod(rest, len(counts) + 1)
                for _ in range(times):
                    poly = times_y(poly, n)
            products[code] = poly
        return products[code]

    def series(counted: Counter[int]) -> Poly:
        out = [0] * (degree + 1)
        for code, times in counted.items():
            out = [o + times * p for o, p in zip(out, product(code), strict=True)]
        return out

    z = _trim([1], degree)
    for n in counts:
        z = [z[i] - (z[i - n] if i >= n else 0) for i in range(degree + 1)]
    whole = series(total)
    g = _multiply(z, whole, degree)
    a = []
    for k, n in enumerate(counts):
        held = series(holding[k])
        rest = [t - h for t, h in zip(whole, held, strict=True)]
        inner = [r - h for r, h in zip(times_y(rest, n), held, strict=True)]
        a.append(_multiply(z, inner, degree))
    return g, a


def _solve(part: _Part, exact: bool) -> tuple[Poly, list[Poly]]:
    """Build whichever family is smaller, trying both with a limit growing fourfold."""
    limit = 1 << 8
    while limit <= EXACT_STATES_LIMIT:
        for method in (_by_free_sets, _by_unions):
            try:
                return method(part, limit)
            except _TooBig:
                continue
        limit <<= 2
    if not exact and len(part.kinds) > EXACT_KINDS_LIMIT:
        raise _TooBig
    return _by_unions(part, None)


def _spread(size: int, others: Poly, cache: dict[int, Fraction]) -> Fraction:
    """sum over k of others[k] / (size + k)."""
    if size not in cache:
        cache[size] = sum((Fraction(c, size + k) for k, c in enumerate(others) if c), Fraction(0))
    return cache[size]


def _exact(
    players: list[MemberId], sets: list[frozenset[MemberId]], force: bool
) -> dict[MemberId, Fraction]:
    parts = [_Part.of(group) for group in _components(sets)]
    solved = [_solve(part, force) for part in parts]
    prefix: list[Poly] = [[1]]
    for g, _ in solved:
        prefix.append(_multiply(prefix[-1], g))
    suffix: list[Poly] = [[1]]
    for g, _ in reversed(solved):
        suffix.append(_multiply(suffix[-1], g))
    suffix.reverse()
    shares = dict.fromkeys(players, Fraction(0))
    for index, (part, (_, by_kind)) in enumerate(zip(parts, solved, strict=True)):
        others = _multiply(prefix[index], suffix[index + 1])
        cache: dict[int, Fraction] = {}
        for members, poly in zip(part.kinds, by_kind, strict=True):
            value = sum(
                (c * _spread(size, others, cache) for size, c in enumerate(poly) if c),
                Fraction(0),
            )
            for member in members:
                shares[member] = value
    return shares


def _monte_carlo(
    players: list[MemberId], sets: list[frozenset[MemberId]], samples: int, seed: int
) -> dict[MemberId, Fraction]:
    """The share of ``samples`` random orders in which each member completes the coverage."""
    rng = random.Random(seed)
    meets = {p: frozenset(i for i, s in enumerate(sets) if p in s) for p in players}
    pivotal: Counter[MemberId] = Counter()
    order = list(players)
    for _ in range(samples):
        rng.shuffle(order)
        missing = set(range(len(sets)))
        for player in order:
            missing -= meets[player]
            if not missing:
                pivotal[player] += 1
                break
    return {p: Fraction(pivotal[p], samples) for p in players}


def shapley_shares(
    holdings: Mapping[MemberId, frozenset[str]],
    method: str = "auto",
    samples: int = 20000,
    seed: int = 0,
) -> ShapleyResult:
    """Shapley value of the game won by a coalition holding every section anyone holds.

    ``holdings`` gives the sections in which each member holds a counted patent. ``method``:
    ``exact``; ``monte-carlo`` (``samples`` orders drawn with ``random.Random(seed)``); or
    ``auto``: exact unless a connected part of the game has more than
    :data:`EXACT_KINDS_LIMIT` kinds of holder and is too large for both exact families
    (so always exact with at most 20 members).
    """
    players = sorted(holdings)
    sets = _minimal_holder_sets(holdings)
    if not sets:
        return ShapleyResult({}, "exact")
    if method != "monte-carlo":
        try:
            return ShapleyResult(_exact(players, sets, method == "exact"), "exact")
        except _TooBig:
            pass
    return ShapleyResult(
        _monte_carlo(players, sets, samples, seed),
        f"Monte Carlo, {samples} orders, seed {seed}",
    )
