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

The built-in policies are in :mod:`patentpool.core.builtin_policies`, the Shapley value they
use in :mod:`patentpool.core.shapley`, what a policy is given and gives back in
:mod:`patentpool.core.policy_types`; importing this module registers the built-ins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from importlib import metadata

from patentpool.core.builtin_policies import BUILTIN_POLICIES
from patentpool.core.events import register_on
from patentpool.core.licensing import Program, counted_by_key
from patentpool.core.model import (
    CountryCode,
    Declaration,
    MemberId,
    Patent,
    PatentKey,
    Register,
)
from patentpool.core.money import SPLITTING_RULE, is_whole_minor, largest_remainder, round_money
from patentpool.core.periods import Period
from patentpool.core.policy_types import NO_SECTION as NO_SECTION
from patentpool.core.policy_types import Claim as Claim
from patentpool.core.policy_types import NothingToShare as NothingToShare
from patentpool.core.policy_types import Policy as Policy
from patentpool.core.policy_types import PolicyInput as PolicyInput
from patentpool.core.royalties import RoyaltyResult
from patentpool.core.shapley import ShapleyResult as ShapleyResult
from patentpool.core.shapley import shapley_shares as shapley_shares
from patentpool.core.terms import in_force
from patentpool.errors import InvalidInput, NotFound, PatentpoolError

ENTRY_POINT_GROUP = "patentpool.policies"


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
    """The counted patents in force at the period's end, with their counted declarations: each
    patent counts for the member that owned it on the period's last day, with its force and
    essentiality of that day (the register as it stood then: :func:`register_on`).

    ``counted``: :func:`~patentpool.core.licensing.counted_by_key` of the register and
    programme, when the caller has it already (a register with events is counted anew).
    """
    day = period.last_day
    if register.events:
        register, counted = register_on(register, day), None
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


# The built-in policies come in by the door a third-party policy uses.
for _name, _policy in BUILTIN_POLICIES.items():
    register_policy(_name)(_policy)
