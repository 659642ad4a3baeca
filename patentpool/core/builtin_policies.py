"""The built-in distribution policies: proportional, per-family, per-patent-country, hybrid,
weighted and shapley (docs/policies.md works an example of each by hand).

Each is listed in :data:`BUILTIN_POLICIES` by its name; :mod:`patentpool.core.allocation`
registers them with :func:`~patentpool.core.allocation.register_policy`, the door a
third-party package's policy comes in by.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from patentpool.core.model import CountryCode, Essentiality, MemberId
from patentpool.core.money import parse_rate
from patentpool.core.policy_types import Claim, NothingToShare, Policy, PolicyInput
from patentpool.core.shapley import shapley_shares
from patentpool.core.terms import territories_in_force
from patentpool.errors import InvalidInput

#: The built-in policies by name, in the order they are written here.
BUILTIN_POLICIES: dict[str, Policy] = {}


def _builtin(name: str) -> Callable[[Policy], Policy]:
    def add(fn: Policy) -> Policy:
        BUILTIN_POLICIES[name] = fn
        return fn

    return add


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


@_builtin("proportional")
def proportional(inputs: PolicyInput, params: Mapping[str, str]) -> Sequence[Claim]:
    """Each member's counted patents in force at period end, over all of them."""
    _check_params(params, "proportional", "it takes none")
    return [
        Claim(m, Fraction(len(ps)), _plural(len(ps), "patent"))
        for m, ps in inputs.by_member().items()
    ]


@_builtin("per-family")
def per_family(inputs: PolicyInput, params: Mapping[str, str]) -> Sequence[Claim]:
    """Each member's counted families (a family counts once however many patents it has)."""
    _check_params(params, "per-family", "it takes none")
    claims = []
    for member, patents in inputs.by_member().items():
        families = len({p.family_key for p in patents})
        claims.append(Claim(member, Fraction(families), _plural(families, "family", "families")))
    return claims


@_builtin("per-patent-country")
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


@_builtin("hybrid")
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


@_builtin("weighted")
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


@_builtin("shapley")
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
