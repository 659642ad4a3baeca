"""Distributing what the pool collects: the policy registry, the built-in policies, ``distribute``.

A policy is a plain function ``policy(inputs: PolicyInput, params) -> Sequence[Claim]`` giving
each member a non-negative exact ``weight`` and a ``basis`` saying what was counted. The pool
keeps the admin fee (``collected x admin_fee`` rounded once by
:data:`~patentpool.core.money.ROUNDING_RULE`), turns the weights into exact shares that add up
to 1, and splits the rest by largest remainder (ties to the smaller member id), so
``admin_fee + sum(amounts) == collected`` always.

Built-in policies are registered with :func:`register_policy`, as a third-party package's are
through the entry-point group ``patentpool.policies`` (entry point name = policy name, object =
the policy function). docs/policies.md works an example of each by hand.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from importlib import metadata

from patentpool.core.licensing import Program, counted_by_key
from patentpool.core.model import (
    CountryCode,
    Declaration,
    Essentiality,
    MemberId,
    Patent,
    PatentKey,
    Register,
)
from patentpool.core.money import (
    SPLITTING_RULE,
    is_whole_minor,
    largest_remainder,
    parse_rate,
    round_money,
)
from patentpool.core.periods import Period
from patentpool.core.royalties import RoyaltyResult
from patentpool.core.terms import in_force, territories_in_force
from patentpool.errors import InvalidInput, NotFound, PatentpoolError

ENTRY_POINT_GROUP = "patentpool.policies"
#: Section name given to counted patents declared without a section.
NO_SECTION = "(no section)"


class UnknownPolicy(NotFound):
    """A policy name that nobody registered."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        super().__init__("policy", name)
        self.args = (f"unknown policy {name!r} (known: {', '.join(sorted(known))})",)


class PolicyError(PatentpoolError):
    """A policy that cannot be registered or loaded, or that returned unusable weights."""


class NoSales(InvalidInput):
    """A distribution asked for a period in which nothing was sold or collected."""


class NothingOwed(NoSales):
    """A distribution of what is due asked for a period whose sales owe nothing (an annual
    cap used up, a 100% discount, no counted patent in force)."""


def nothing_owed(result: RoyaltyResult) -> str:
    """What is true of a quarter whose sales owe nothing: its lines, gross, cap and discounts."""
    selling = [item for item in result.licensees if item.priced_lines]
    lines = sum(item.priced_lines for item in selling)
    gross = sum((item.gross for item in selling), Decimal(0))
    cap = sum((item.cap_reduction for item in selling), Decimal(0))
    discount = sum((item.discount for item in selling), Decimal(0))
    due = sum((item.due for item in selling), Decimal(0))
    return (
        f"sales reported, nothing owed: {result.program} {result.period} has {lines:,} sales "
        f"line{'s' if lines != 1 else ''} from {len(selling)} licensee"
        f"{'s' if len(selling) != 1 else ''}: gross {gross:f}, annual cap -{cap:f}, "
        f"discounts -{discount:f}, due {due:f} {result.currency}"
    )


class NothingToShare(InvalidInput):
    """No member holds a counted patent (or a weight) to share the money by."""


@dataclass(frozen=True, slots=True)
class PolicyInput:
    """Everything a policy may look at, computed once by :func:`distribute`."""

    program: Program
    register: Register
    period: Period
    #: counted patents of the programme in force (somewhere) on the period's last day, by key
    patents: tuple[Patent, ...]
    #: their declarations that count in the programme
    declarations: Mapping[PatentKey, tuple[Declaration, ...]]
    #: royalties by country where earned (from :meth:`RoyaltyResult.royalties_by_country`)
    royalties_by_country: Mapping[CountryCode, Decimal]

    @property
    def day(self) -> dt.date:
        return self.period.last_day

    def by_member(self) -> dict[MemberId, list[Patent]]:
        out: dict[MemberId, list[Patent]] = defaultdict(list)
        for patent in self.patents:
            out[patent.owner].append(patent)
        return dict(sorted(out.items()))

    def sections(self, patent: Patent) -> frozenset[str]:
        """The sections ``patent`` is counted in (``NO_SECTION`` when declared without one)."""
        return frozenset(d.section or NO_SECTION for d in self.declarations[patent.key])


@dataclass(frozen=True, slots=True)
class Claim:
    """What a policy gives one member: a non-negative weight and what it counted."""

    member: MemberId
    weight: Fraction
    basis: str


Policy = Callable[[PolicyInput, Mapping[str, str]], Sequence[Claim]]


@dataclass(frozen=True, slots=True)
class MemberAmount:
    member: MemberId
    basis: str
    share: Fraction  # exact; the shares of a distribution add up to 1
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Distribution:
    program: str
    period: Period
    policy: str
    params: tuple[tuple[str, str], ...]
    currency: str
    collected: Decimal
    admin_fee: Decimal
    distributable: Decimal
    members: tuple[MemberAmount, ...]
    rounding: str = SPLITTING_RULE


# --------------------------------------------------------------------------- the registry


@dataclass(slots=True)
class _Registry:
    policies: dict[str, Policy]
    loaded: bool = False


_registry = _Registry({})


def register_policy(name: str) -> Callable[[Policy], Policy]:
    """Decorator registering a policy function under ``name``."""

    def add(fn: Policy) -> Policy:
        existing = _registry.policies.get(name)
        if existing is not None and existing is not fn:
            raise PolicyError(f"policy {name!r} is already registered")
        _registry.policies[name] = fn
        return fn

    return add


def _entry_points() -> Iterable[metadata.EntryPoint]:
    return metadata.entry_points(group=ENTRY_POINT_GROUP)


def policies() -> Mapping[str, Policy]:
    """Every registered policy by name, loading the entry points of installed packages once."""
    if not _registry.loaded:
        for entry_point in _entry_points():
            try:
                fn = entry_point.load()
            except Exception as exc:
                raise PolicyError(
                    f"policy {entry_point.name!r} ({entry_point.value}) failed to load: {exc}"
                ) from exc
            if not callable(fn):
                raise PolicyError(
                    f"policy {entry_point.name!r} ({entry_point.value}) is not a function"
                )
            register_policy(entry_point.name)(fn)
        _registry.loaded = True
    return dict(_registry.policies)


def get_policy(name: str) -> Policy:
    known = policies()
    if name not in known:
        raise UnknownPolicy(name, known)
    return known[name]


# --------------------------------------------------------------------------- distribute


def policy_input(
    program: Program,
    register: Register,
    period: Period,
    royalties_by_country: Mapping[CountryCode, Decimal] | None = None,
    *,
    counted: Mapping[PatentKey, tuple[Patent, Sequence[Declaration]]] | None = None,
) -> PolicyInput:
    """The counted patents in force at the period's end, with their counted declarations.

    ``counted``: :func:`~patentpool.core.licensing.counted_by_key` of the register and
    programme, when the caller has it already.
    """
    day = period.last_day
    if counted is None:
        counted = counted_by_key(register, program)
    patents: list[Patent] = []
    declarations: dict[PatentKey, tuple[Declaration, ...]] = {}
    for key in sorted(counted):
        patent, declared = counted[key]
        if in_force(patent, day):
            patents.append(patent)
            declarations[key] = tuple(declared)
    return PolicyInput(
        program=program,
        register=register,
        period=period,
        patents=tuple(patents),
        declarations=declarations,
        royalties_by_country=dict(royalties_by_country or {}),
    )


def distribute(
    program: Program,
    register: Register,
    period: Period,
    collected: Decimal,
    royalties_by_country: Mapping[CountryCode, Decimal] | None = None,
    policy: str | None = None,
    params: Mapping[str, str] | None = None,
    *,
    inputs: PolicyInput | None = None,
) -> Distribution:
    """Split ``collected`` for ``period``: the admin fee to the pool, the rest among members.

    ``policy`` defaults to the programme's own; ``params`` are the policy's ``key=value``
    parameters (docs/policies.md). ``inputs``: what :func:`policy_input` gives for the same
    programme, register, period and royalties, when the caller has it already.
    """
    name = policy or program.policy
    fn = get_policy(name)
    params = dict(params or {})
    currency = program.currency
    if collected < 0 or not is_whole_minor(collected, currency):
        raise InvalidInput(
            f"collected: {collected} is not a non-negative whole number of {currency} minor units"
        )
    if collected == 0:
        raise NoSales(f"no sales reported for {program.id} in {period}")
    if inputs is None:
        inputs = policy_input(program, register, period, royalties_by_country)
    claims = list(fn(inputs, params))
    weights: dict[MemberId, Fraction] = {}
    bases: dict[MemberId, str] = {}
    for claim in claims:
        if claim.member in weights:
            raise PolicyError(f"policy {name!r} named member {claim.member!r} twice")
        if claim.weight < 0:
            raise PolicyError(f"policy {name!r} gave {claim.member!r} a negative weight")
        weights[claim.member] = Fraction(claim.weight)
        bases[claim.member] = claim.basis
    total = sum(weights.values(), Fraction(0))
    if total == 0:
        raise NothingToShare(
            f"no member holds a counted patent of {program.id} in force on {period.last_day} "
            f"that earns a share under policy {name!r}"
        )
    admin_fee = round_money(Fraction(collected) * Fraction(program.admin_fee), currency)
    distributable = collected - admin_fee
    amounts = largest_remainder(distributable, weights, currency)
    members = tuple(
        MemberAmount(m, bases[m], weights[m] / total, amounts[m]) for m in sorted(weights)
    )
    return Distribution(
        program=program.id,
        period=period,
        policy=name,
        params=tuple(sorted(params.items())),
        currency=currency,
        collected=collected,
        admin_fee=admin_fee,
        distributable=distributable,
        members=members,
    )


def distribute_royalties(
    program: Program,
    register: Register,
    result: RoyaltyResult,
    policy: str | None = None,
    params: Mapping[str, str] | None = None,
) -> Distribution:
    """Distribute what ``result`` says is due for its period (refused when nothing was sold)."""
    if not any(licensee.priced_lines for licensee in result.licensees):
        raise NoSales(f"no sales reported for {program.id} in {result.period}")
    if not result.total_due:
        raise NothingOwed(nothing_owed(result))
    return distribute(
        program,
        register,
        result.period,
        result.total_due,
        result.royalties_by_country(),
        policy,
        params,
    )


# --------------------------------------------------------------------------- parameters


def _check_params(params: Mapping[str, str], policy: str, accepted: str, *keys: str) -> None:
    for key in params:
        if key not in keys:
            raise InvalidInput(f"params: policy {policy!r} has no parameter {key!r} ({accepted})")


def _number(params: Mapping[str, str], key: str, default: Fraction) -> Fraction:
    if key not in params:
        return default
    text = params[key]
    try:
        value = Fraction(Decimal(str(text).strip()))
    except (InvalidOperation, ValueError, OverflowError):
        raise InvalidInput(f"params: {key}={text!r} is not a number") from None
    if value < 0:
        raise InvalidInput(f"params: {key}={text} cannot be negative")
    return value


def _show(value: Fraction) -> str:
    """``Fraction(1, 5)`` as ``0.2``; a fraction with no finite decimal as ``1/3``."""
    rest = value.denominator
    for prime in (2, 5):
        while rest % prime == 0:
            rest //= prime
    if rest != 1:
        return str(value)
    return f"{(Decimal(value.numerator) / Decimal(value.denominator)).normalize():f}"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


# --------------------------------------------------------------------------- built-in policies


@register_policy("proportional")
def proportional(inputs: PolicyInput, params: Mapping[str, str]) -> Sequence[Claim]:
    """Each member's counted patents in force at period end, over all of them."""
    _check_params(params, "proportional", "it takes none")
    return [
        Claim(m, Fraction(len(ps)), _plural(len(ps), "patent"))
        for m, ps in inputs.by_member().items()
    ]


@register_policy("per-family")
def per_family(inputs: PolicyInput, params: Mapping[str, str]) -> Sequence[Claim]:
    """Each member's counted families (a family counts once however many patents it has)."""
    _check_params(params, "per-family", "it takes none")
    claims = []
    for member, patents in inputs.by_member().items():
        families = len({p.family_key for p in patents})
        claims.append(Claim(member, Fraction(families), _plural(families, "family", "families")))
    return claims


@register_policy("per-patent-country")
def per_patent_country(inputs: PolicyInput, params: Mapping[str, str]) -> Sequence[Claim]:
    """Each country's royalties split equally among the counted patents in force there."""
    _check_params(params, "per-patent-country", "it takes none")
    royalties = {c: Fraction(v) for c, v in inputs.royalties_by_country.items() if v}
    if not royalties:
        raise InvalidInput(
            "royalties_by_country: per-patent-country needs the royalties earned per country"
        )
    members = inputs.by_member()
    weights: dict[MemberId, Fraction] = dict.fromkeys(members, Fraction(0))
    counts: dict[MemberId, Counter[CountryCode]] = {m: Counter() for m in members}
    # one pass over the patents: who holds how many in force in each country that earned
    day = inputs.day
    holders_in: dict[CountryCode, Counter[MemberId]] = {}
    for patent in inputs.patents:
        for country in territories_in_force(patent, day):
            if country in royalties:
                holders = holders_in.get(country)
                if holders is None:
                    holders = holders_in[country] = Counter()
                holders[patent.owner] += 1
    for country, amount in sorted(royalties.items()):
        holders = holders_in.get(country)
        if not holders:
            raise NothingToShare(
                f"royalties_by_country: {country} earned royalties but no counted patent is in "
                f"force there on {day}"
            )
        held = sum(holders.values())
        for member, n in holders.items():
            weights[member] += amount * n / held
            counts[member][country] = n
    claims = []
    for member in members:
        listed = ", ".join(f"{c} {n}" for c, n in sorted(counts[member].items()))
        claims.append(Claim(member, weights[member], f"patents per country: {listed or 'none'}"))
    return claims


HALF = Fraction(1, 2)


@register_policy("hybrid")
def hybrid(inputs: PolicyInput, params: Mapping[str, str]) -> Sequence[Claim]:
    """A part alpha of the money split equally among the members with a counted patent, the
    rest in proportion to their counted patents."""
    _check_params(params, "hybrid", "it takes alpha, e.g. alpha=0.2", "alpha")
    alpha = Fraction(parse_rate(params["alpha"], "params: alpha")) if "alpha" in params else HALF
    members = inputs.by_member()
    total = len(inputs.patents)
    claims = []
    for member, patents in members.items():
        weight = alpha / len(members) + (1 - alpha) * Fraction(len(patents), total)
        claims.append(
            Claim(member, weight, f"equal part {_show(alpha)} + {_plural(len(patents), 'patent')}")
        )
    return claims


_WEIGHTED_HELP = (
    "it takes essentiality.essential=X, essentiality.declared=X, section.NAME=X, "
    "section.*=X, section.none=X, age.max_years=N, age.per_year=X"
)


#: What a patent's weight under the weighted policy depends on: evaluated essential or not, the
#: sections of its counted declarations and its age in whole years.
_WeightKey = tuple[bool, tuple[str | None, ...], int]


def _patent_weight(
    key: _WeightKey, params: Mapping[str, str], number: Callable[[str, Fraction], Fraction]
) -> Fraction:
    evaluated, sections, years = key
    weight = number("essentiality.essential" if evaluated else "essentiality.declared", Fraction(1))
    default = number("section.*", Fraction(1))
    weight *= max(
        number(f"section.{section}" if section else "section.none", default) for section in sections
    )
    if "age.max_years" in params and years >= number("age.max_years", Fraction(0)):
        return Fraction(0)
    per_year = number("age.per_year", Fraction(0))
    return weight * max(Fraction(0), 1 - per_year * years)


@register_policy("weighted")
def weighted(inputs: PolicyInput, params: Mapping[str, str]) -> Sequence[Claim]:
    """Each counted patent weighs the product of its essentiality, section and age factors."""
    for key in params:
        named = ("essentiality.essential", "essentiality.declared", "age.max_years", "age.per_year")
        if key not in named and not (key.startswith("section.") and key != "section."):
            raise InvalidInput(
                f"params: policy 'weighted' has no parameter {key!r} ({_WEIGHTED_HELP})"
            )
    # Each parameter is read once, and each weight computed once for the patents that share
    # what it depends on; the parameters are read in the same order as patent by patent, so a
    # bad one is reported as it would be then.
    numbers: dict[tuple[str, Fraction], Fraction] = {}

    def number(name: str, default: Fraction) -> Fraction:
        found = numbers.get((name, default))
        if found is None:
            found = numbers[name, default] = _number(params, name, default)
        return found

    day = inputs.day
    weights: dict[_WeightKey, Fraction] = {}
    claims = []
    for member, patents in inputs.by_member().items():
        counted: Counter[_WeightKey] = Counter()
        for patent in patents:
            declarations = inputs.declarations[patent.key]
            filed = patent.filing_date
            signature = (
                any(d.essentiality == Essentiality.ESSENTIAL for d in declarations),
                tuple(d.section for d in declarations),
                day.year - filed.year - ((day.month, day.day) < (filed.month, filed.day)),
            )
            if signature not in weights:
                weights[signature] = _patent_weight(signature, params, number)
            counted[signature] += 1
        weight = sum((weights[s] * n for s, n in counted.items()), Fraction(0))
        claims.append(
            Claim(member, weight, f"weight {_show(weight)} from {_plural(len(patents), 'patent')}")
        )
    return claims


@register_policy("shapley")
def shapley(inputs: PolicyInput, params: Mapping[str, str]) -> Sequence[Claim]:
    """The Shapley value of the game won by holding a counted patent in every section."""
    _check_params(
        params,
        "shapley",
        "it takes method=auto|exact|monte-carlo, samples=N, seed=N",
        "method",
        "samples",
        "seed",
    )
    method = params.get("method", "auto")
    if method not in ("auto", "exact", "monte-carlo"):
        raise InvalidInput(f"params: method={method!r} is not auto, exact or monte-carlo")
    samples = _number(params, "samples", Fraction(20000))
    seed = _number(params, "seed", Fraction(0))
    if samples.denominator != 1 or samples < 1 or seed.denominator != 1:
        raise InvalidInput("params: samples and seed must be whole numbers (samples at least 1)")
    holdings: dict[MemberId, set[str]] = defaultdict(set)
    for patent in inputs.patents:
        holdings[patent.owner] |= inputs.sections(patent)
    result = shapley_shares(
        {m: frozenset(s) for m, s in holdings.items()},
        method=method,
        samples=int(samples),
        seed=int(seed),
    )
    sections = len(set().union(*holdings.values())) if holdings else 0
    claims = []
    for member in sorted(holdings):
        held = len(holdings[member])
        claims.append(
            Claim(
                member,
                result.shares[member],
                f"holds {held} of {_plural(sections, 'section')} (Shapley, {result.method})",
            )
        )
    return claims


# --------------------------------------------------------------------------- the covering game
#
# v(S) = 1 when S holds every section, i.e. meets the holder set H of every section. By
# inclusion-exclusion, v(S) = sum over non-empty sets T of sections of (-1)^(|T|+1) [S meets
# union(H of T)], and the game [S meets U] gives 1/|U| to each member of U. So a member's value
# is sum over unions U containing it of -c(U) / |U|, with c(U) = sum of (-1)^|T| over the T whose
# union is U. Members holding the same sections ("kinds") get the same value; sets of sections
# whose holders never overlap ("parts") combine by the sizes of their unions only. Per part, the
# c(U) come either from the unions themselves or, through Moebius inversion, from the kind-sets
# W that contain no holder set (the complements of winning coalitions); the smaller family wins.

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


def policy_shares(
    program: Program,
    register: Register,
    day: dt.date,
    policy: str | None = None,
    params: Mapping[str, str] | None = None,
    royalties_by_country: Mapping[CountryCode, Decimal] | None = None,
) -> dict[MemberId, Fraction]:
    """Each member's exact share under the programme's policy (or ``policy``) on ``day``.

    The shares a distribution of the quarter ending on ``day`` would give, before any money is
    rounded; used to split a pool's income in the regime comparison.
    """
    name = policy or program.policy
    inputs = policy_input(program, register, Period.of(day), royalties_by_country)
    claims = get_policy(name)(inputs, dict(params or {}))
    total = sum((Fraction(c.weight) for c in claims), Fraction(0))
    if total == 0:
        raise NothingToShare(
            f"no member holds a counted patent of {program.id} in force on {day} "
            f"that earns a share under policy {name!r}"
        )
    return {c.member: Fraction(c.weight) / total for c in sorted(claims, key=lambda c: c.member)}
