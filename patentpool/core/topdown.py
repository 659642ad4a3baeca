"""The top-down FRAND check: what each holder's share of an aggregate royalty burden implies.

``r_i = S_agg x (e_i x N_i) / sum_j (e_j x N_j)`` (TCL v Ericsson, Unwired Planet v Huawei):
``S_agg`` is the aggregate burden for the whole standard (a fraction of the price, or money per
unit: the rates come out in the same unit), ``N_i`` the holder's declared patents (or
families) and ``e_i`` the share of its evaluated declarations found essential (1 when none has
been evaluated).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from patentpool.core.events import register_on
from patentpool.core.licensing import Program
from patentpool.core.model import Essentiality, MemberId, Patent, Register
from patentpool.core.terms import in_force
from patentpool.errors import InvalidInput


class CountBy(StrEnum):
    PATENTS = "patents"
    FAMILIES = "families"


@dataclass(frozen=True, slots=True)
class Holder:
    """A holder's declared count ``N_i`` and, when known, its measured essential share."""

    member: MemberId
    declared: int
    essential_share: Fraction | None = None  # e_i; None counts as 1
    evaluated: int = 0  # how many of its patents were evaluated, for the record

    def __post_init__(self) -> None:
        if isinstance(self.declared, bool) or not isinstance(self.declared, int):
            raise InvalidInput(f"declared: {self.declared!r} is not a whole number")
        if self.declared < 0:
            raise InvalidInput(f"declared: {self.declared} is negative")
        if self.essential_share is not None and not 0 <= self.essential_share <= 1:
            raise InvalidInput(f"essential_share: {self.essential_share} is not between 0 and 1")

    @property
    def e(self) -> Fraction:
        return Fraction(1) if self.essential_share is None else Fraction(self.essential_share)


@dataclass(frozen=True, slots=True)
class ImpliedRate:
    member: MemberId
    declared: int  # N_i
    essential_share: Fraction  # e_i as used
    share: Fraction  # e_i N_i / sum_j e_j N_j
    rate: Fraction  # S_agg x share, exact


def implied_rates(
    aggregate: Decimal | Fraction, holders: Iterable[Holder]
) -> tuple[ImpliedRate, ...]:
    """Each holder's implied rate, sorted by member; the rates add up to ``aggregate``."""
    if aggregate < 0:
        raise InvalidInput(f"aggregate: {aggregate} cannot be negative")
    listed = sorted(holders, key=lambda h: h.member)
    weights = {h.member: h.e * h.declared for h in listed}
    total = sum(weights.values(), Fraction(0))
    if total == 0:
        raise InvalidInput("holders: no holder has an essential declared patent to share by")
    burden = Fraction(aggregate)
    return tuple(
        ImpliedRate(
            member=h.member,
            declared=h.declared,
            essential_share=h.e,
            share=weights[h.member] / total,
            rate=burden * weights[h.member] / total,
        )
        for h in listed
    )


def _verdict(patent_declarations: Iterable[Essentiality]) -> Essentiality:
    found = {Essentiality(e) for e in patent_declarations}
    if Essentiality.ESSENTIAL in found:
        return Essentiality.ESSENTIAL
    if Essentiality.NOT_ESSENTIAL in found:
        return Essentiality.NOT_ESSENTIAL
    return Essentiality.DECLARED


def holders_from_register(
    register: Register,
    program: Program,
    day: dt.date,
    by: CountBy = CountBy.PATENTS,
) -> list[Holder]:
    """Holders of patents declared for the programme's standard and versions, in force on
    ``day``: ``N_i`` counts their patents (or families), ``e_i`` is the share of their
    evaluated patents found essential (a patent is essential when any of its declarations for
    the programme's versions was evaluated essential), as the register stood on ``day``.
    """
    register = register_on(register, day)
    index = register.patent_index()
    verdicts: dict[str, list[Essentiality]] = defaultdict(list)
    for declaration in register.declarations:
        if (
            declaration.standard == program.standard
            and declaration.version in program.versions
            and declaration.patent in index
        ):
            verdicts[declaration.patent].append(declaration.essentiality)
    patents: dict[MemberId, list[Patent]] = defaultdict(list)
    for key in sorted(verdicts):
        patent = index[key]
        if in_force(patent, day):
            patents[patent.owner].append(patent)
    holders = []
    for member, owned in sorted(patents.items()):
        judged = [_verdict(verdicts[p.key]) for p in owned]
        evaluated = [v for v in judged if v is not Essentiality.DECLARED]
        share = (
            Fraction(sum(v is Essentiality.ESSENTIAL for v in evaluated), len(evaluated))
            if evaluated
            else None
        )
        declared = len(owned) if by is CountBy.PATENTS else len({p.family_key for p in owned})
        holders.append(Holder(member, declared, share, len(evaluated)))
    return holders
